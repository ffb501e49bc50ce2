package api_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestOpenAPIDescribesTheService reads the served document as a client
// generator would: valid OpenAPI 3, an operationId on every operation, HTTP
// bearer security with none on public reads, every error a problem, the
// headers and CSV variants the handlers send.
func TestOpenAPIDescribesTheService(t *testing.T) {
	e := newEnv(t)
	body := e.do("GET", "/openapi.json", nil, "").wantStatus(http.StatusOK).Body.Bytes()
	doc, err := openapi3.NewLoader().LoadFromData(body)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("not valid OpenAPI 3: %v", err)
	}
	if s := doc.Components.SecuritySchemes["BearerAuth"].Value; s.Type != "http" || s.Scheme != "bearer" {
		t.Errorf("BearerAuth is %s %s, want http bearer", s.Type, s.Scheme)
	}
	ids := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			if op.OperationID == "" || ids[op.OperationID] != "" {
				t.Errorf("%s: operationId %q missing or shared with %s", name, op.OperationID, ids[op.OperationID])
			}
			ids[op.OperationID] = name
			wantSecurity(t, e, name, method, path, op)
			wantResponses(t, name, method, op)
		}
	}
	if len(ids) < 67 {
		t.Errorf("only %d operations documented", len(ids))
	}
}

// wantSecurity: a route anyone may call says so with an empty list, the rest
// need a key; tried anonymously where the path needs no parameter.
func wantSecurity(t *testing.T, e *env, name, method, path string, op *openapi3.Operation) {
	t.Helper()
	if op.Security == nil {
		t.Errorf("%s: no security stated", name)
		return
	}
	if strings.Contains(path, "{") {
		return
	}
	public := len(*op.Security) == 0
	if refused := e.do(method, path, nil, "").Code == http.StatusUnauthorized; public == refused {
		t.Errorf("%s: documented public %t, but an anonymous caller is refused: %t", name, public, refused)
	}
}

// created are the resources a POST creates through createResource, which
// sends the new one's Location and ETag.
var created = map[string]bool{}

func init() {
	for _, s := range []string{"Vendor", "Capability", "Component", "Adoption", "Need", "Reorganisation"} {
		created["#/components/schemas/models."+s] = true
	}
}

// wantResponses: errors are problems; lists carry Link and CSV; creations carry Location and ETag.
func wantResponses(t *testing.T, name, method string, op *openapi3.Operation) {
	t.Helper()
	if op.Responses.Default() == nil {
		t.Errorf("%s: no default (problem) response", name)
	}
	for code, ref := range op.Responses.Map() {
		status, _ := strconv.Atoi(code)
		r := ref.Value
		if status >= 400 || code == "default" {
			mt := r.Content.Get("application/problem+json")
			if len(r.Content) != 1 || mt == nil || mt.Schema.Ref != "#/components/schemas/handlers.Problem" {
				t.Errorf("%s %s: error content is not the Problem as application/problem+json: %v", name, code, r.Content)
			}
			continue
		}
		js := r.Content.Get("application/json")
		if js != nil && strings.Contains(js.Schema.Ref, "ListBody-") {
			if r.Content.Get("text/csv") == nil || r.Headers["Link"] == nil {
				t.Errorf("%s: a list without its CSV variant or Link header", name)
			}
		}
		if status == http.StatusCreated && js != nil && created[js.Schema.Ref] && (r.Headers["Location"] == nil || r.Headers["ETag"] == nil) {
			t.Errorf("%s: 201 without Location and ETag headers", name)
		}
		if status == http.StatusOK && method == http.MethodGet && r.Headers["ETag"] == nil && js != nil && !strings.Contains(js.Schema.Ref, "ListBody-") {
			t.Errorf("%s: a resource without its ETag header", name)
		}
	}
	if rl := op.Responses.Status(http.StatusTooManyRequests); rl == nil || rl.Value.Headers["Retry-After"] == nil {
		t.Errorf("%s: no 429 with Retry-After", name)
	}
}
