package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/docs"
	"github.com/council-components/registry/models"
)

// The served description is the document swag generates into docs/ from the
// handlers' annotations and the models' struct tags (nullable, formats,
// enums, examples), converted to OpenAPI 3, and then told here what swag
// cannot say, each from the code that decides it:
//   - operationId: the handler's name (the route list);
//   - security: HTTP bearer, or none on the routes the access policy opens to anyone;
//   - errors: application/problem+json with the one Problem schema, plus the
//     answers every route can give (a bad key, a rate limit, our failure);
//   - headers: what writeResource, writeList and the rate limiter send;
//   - CSV: text/csv content as text, not as the JSON schema.

// problemRef is the one schema every error is.
const problemRef = "#/components/schemas/handlers.Problem"

// OpenAPI3 builds the served OpenAPI 3 document for the routes registered.
func OpenAPI3(routes gin.RoutesInfo) ([]byte, error) {
	var v2 openapi2.T
	if err := json.Unmarshal([]byte(docs.SwaggerInfo.ReadDoc()), &v2); err != nil {
		return nil, fmt.Errorf("read swagger document: %w", err)
	}
	doc, err := openapi2conv.ToV3(&v2)
	if err != nil {
		return nil, fmt.Errorf("convert to OpenAPI 3: %w", err)
	}
	doc.Components.SecuritySchemes = openapi3.SecuritySchemes{"BearerAuth": &openapi3.SecuritySchemeRef{
		Value: openapi3.NewSecurityScheme().WithType("http").WithScheme("bearer").WithBearerFormat("API key").
			WithDescription("An API key from an administrator (`registry keys create`), sent as Authorization: Bearer KEY."),
	}}
	closeSets(doc.Components.Schemas)
	typeNullables(doc.Components.Schemas)
	ids, err := operationIDs(routes)
	if err != nil {
		return nil, err
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			route := method + " " + ginPath(path)
			if ids[route] == "" {
				return nil, fmt.Errorf("%s is documented but not routed", route)
			}
			op.OperationID = ids[route]
			op.Security = securityOf(route)
			describeResponses(method, op)
			if op.RequestBody != nil {
				describeContent(op.RequestBody.Value.Content)
			}
		}
	}
	return json.Marshal(doc)
}

// closedSets are the fields whose values come from a fixed list, each from
// the list the models check against, so the document's enums cannot drift
// from the rules: a property, its list, and the schemas that carry it (a
// resource's input and output alike).
var closedSets = []struct {
	prop    string
	values  []string
	schemas []string
}{
	{"status", models.AdoptionStatuses, []string{"models.Adoption", "models.AdoptionInput", "reuse.HarmonisationUse"}},
	{"source", models.AdoptionSources, []string{"models.Adoption", "models.AdoptionInput"}},
	{"verification", models.Verifications, []string{"models.Adoption"}},
	{"status", models.NeedStatuses, []string{"models.Need", "models.NeedInput"}},
	{"lifecycle", models.Lifecycles, []string{"models.Component", "models.ComponentInput", "reuse.Migration"}},
	{"hosting", models.HostingKinds, []string{"models.Component", "models.ComponentInput"}},
	{"pricing", models.PricingModels, []string{"models.Component", "models.ComponentInput"}},
	{"kind", append([]string{""}, models.VendorKinds...), []string{"models.Vendor"}}, // "" when not stated
	{"kind", models.VendorKinds, []string{"models.VendorInput"}},
	{"role", models.Roles, []string{"models.APIKey", "handlers.KeyInput", "handlers.CreatedKey"}},
	{"role", models.ActorRoles, []string{"models.Actor", "models.ChangeActor"}},
	{"status", models.ReorganisationStatuses, []string{"models.Reorganisation"}},
	{"entity", models.AuditEntities, []string{"models.AuditEntry"}},
	{"entity", models.ChangeEntities, []string{"models.ChangeEntry"}},
	{"entities", models.ChangeEntities, []string{"models.Webhook", "models.CreatedWebhook", "models.WebhookInput"}},
	{"by", models.CoverageBreakdowns, []string{"handlers.CoverageBody"}},
}

// closeSets writes closedSets into the schemas (into the items of a list).
func closeSets(schemas openapi3.Schemas) {
	for _, set := range closedSets {
		for _, name := range set.schemas {
			p := schemas[name].Value.Properties[set.prop].Value
			if p.Type.Is(openapi3.TypeArray) {
				p = p.Items.Value
			}
			p.Enum = nil
			for _, v := range set.values {
				p.Enum = append(p.Enum, v)
			}
		}
	}
}

// typeNullables gives every nullable property the type OpenAPI 3.0 asks a
// nullable schema to state beside it: a nullable reference (swag's allOf) is
// an object; a value of any type (a change's from and to) is one of the JSON
// types, null among them.
func typeNullables(schemas openapi3.Schemas) {
	for _, schema := range schemas {
		for _, prop := range schema.Value.Properties {
			p := prop.Value
			switch {
			case !p.Nullable || p.Type != nil && len(*p.Type) > 0:
			case len(p.AllOf) > 0:
				p.Type = &openapi3.Types{openapi3.TypeObject}
			default:
				p.Nullable = false
				p.AnyOf = openapi3.SchemaRefs{
					openapi3.NewSchemaRef("", openapi3.NewStringSchema().WithNullable()),
					openapi3.NewSchemaRef("", openapi3.NewFloat64Schema()),
					openapi3.NewSchemaRef("", openapi3.NewBoolSchema()),
					openapi3.NewSchemaRef("", openapi3.NewArraySchema().WithItems(openapi3.NewSchema())),
					openapi3.NewSchemaRef("", openapi3.NewObjectSchema()),
				}
			}
		}
	}
}

// operationIDs names each route's operation after its handler method, e.g.
// listCouncils for handlers.(*Catalogue).ListCouncils.
func operationIDs(routes gin.RoutesInfo) (map[string]string, error) {
	ids := map[string]string{}
	seen := map[string]string{}
	for _, rt := range routes {
		name := rt.Handler[strings.LastIndex(rt.Handler, ".")+1:]
		name = strings.TrimSuffix(name, "-fm")
		r := []rune(name)
		r[0] = unicode.ToLower(r[0])
		id := string(r)
		if rt.Method == http.MethodHead {
			continue
		}
		if other, ok := seen[id]; ok {
			return nil, fmt.Errorf("routes %s and %s %s share the handler name %s", other, rt.Method, rt.Path, id)
		}
		seen[id] = rt.Method + " " + rt.Path
		ids[rt.Method+" "+rt.Path] = id
	}
	return ids, nil
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// ginPath is a documented path as the router writes it: {code} is :code, and
// the Swagger UI's one documented file stands for its wildcard route.
func ginPath(p string) string {
	if p == "/swagger/index.html" {
		return "/swagger/*any"
	}
	return pathParam.ReplaceAllString(p, ":$1")
}

// securityOf is the route's access policy as OpenAPI says it: none needed on
// public routes (an empty list), else a bearer key.
func securityOf(route string) *openapi3.SecurityRequirements {
	if p, ok := policies[route]; ok && p.Anonymous {
		return &openapi3.SecurityRequirements{}
	}
	return &openapi3.SecurityRequirements{openapi3.NewSecurityRequirement().Authenticate("BearerAuth")}
}

// describeResponses makes every error a problem, adds the answers any route
// may give, the headers each success carries, and CSV as text.
func describeResponses(method string, op *openapi3.Operation) {
	for code, ref := range op.Responses.Map() {
		status, _ := strconv.Atoi(code)
		switch {
		case status >= 400:
			ref.Value.Content = problemContent()
		case status == http.StatusOK || status == http.StatusCreated:
			describeSuccess(method, status, ref.Value)
		}
	}
	add := func(status int, desc string, headers openapi3.Headers) {
		if op.Responses.Status(status) != nil {
			return
		}
		r := openapi3.NewResponse().WithDescription(desc)
		if status >= 400 {
			r.Content = problemContent()
		}
		r.Headers = headers
		op.Responses.Set(strconv.Itoa(status), &openapi3.ResponseRef{Value: r})
	}
	add(http.StatusBadRequest, "Invalid request: the problem's errors name each field", nil)
	add(http.StatusUnauthorized, "The API key sent is not valid, or the route needs one", nil)
	add(http.StatusTooManyRequests, "Over the rate limit: retry after Retry-After seconds", openapi3.Headers{"Retry-After": retryAfter()})
	add(http.StatusInternalServerError, "Our failure; it has been logged", nil)
	if method == http.MethodGet {
		add(http.StatusNotModified, "Not modified: the caller's If-None-Match holds the current ETag", openapi3.Headers{"ETag": etagHeader()})
	} else {
		add(http.StatusRequestEntityTooLarge, "The request body is over the limit", nil)
	}
	def := openapi3.NewResponse().WithDescription("Any other error, as a problem")
	def.Content = problemContent()
	op.Responses.Set("default", &openapi3.ResponseRef{Value: def})
}

// describeSuccess says what a 200 or 201 carries: a list's Link and total, a
// resource's ETag and, when created, its Location; CSV variants as text.
func describeSuccess(method string, status int, r *openapi3.Response) {
	js := r.Content.Get("application/json")
	if js != nil && js.Schema != nil && strings.Contains(js.Schema.Ref, "ListBody-") {
		r.Content["text/csv"] = openapi3.NewMediaType() // writeList answers every list in CSV too
	}
	describeContent(r.Content)
	if js == nil || js.Schema == nil {
		return
	}
	if r.Headers == nil {
		r.Headers = openapi3.Headers{}
	}
	if strings.Contains(js.Schema.Ref, "ListBody-") {
		r.Headers["Link"] = header("The next page, as <URL>; rel=\"next\", while there is one", openapi3.NewStringSchema())
		if r.Content.Get("text/csv") != nil {
			r.Headers["X-Total-Count"] = header("How many items the whole list holds (CSV answers)", openapi3.NewIntegerSchema())
		}
		return
	}
	// writeResource's, or the response cache's on an anonymous read; an answer
	// that shows a secret once (a new key, a webhook's secret) is never tagged.
	if oneTimeSecret := strings.Contains(js.Schema.Ref, ".Created"); !oneTimeSecret &&
		(method == http.MethodGet || strings.HasPrefix(js.Schema.Ref, "#/components/schemas/models.")) {
		r.Headers["ETag"] = etagHeader()
	}
	if loc := r.Headers["Location"]; loc != nil { // where an annotation names it, createResource always sends it
		loc.Value.Required = true
		loc.Value.Schema = openapi3.NewSchemaRef("", openapi3.NewStringSchema().WithFormat("uri-reference"))
	}
}

// describeContent gives each body that is not JSON the schema of what it is:
// a publiccode.yml document is an object (https://yml.publiccode.tools), CSV,
// Atom and plain text are text, a zip file is binary, whatever schema swag copied from the JSON.
func describeContent(content openapi3.Content) {
	yaml := content.Get("application/yaml") != nil
	for mediaType, mt := range content {
		switch {
		case strings.HasSuffix(mediaType, "yaml"), yaml && mediaType == "application/json": // JSON is YAML too
			doc := openapi3.NewObjectSchema()
			doc.Description = "A publiccode.yml document: https://yml.publiccode.tools"
			mt.Schema = openapi3.NewSchemaRef("", doc)
		case mediaType == "application/json" || strings.HasSuffix(mediaType, "+json"):
		case mediaType == "application/zip":
			mt.Schema = openapi3.NewSchemaRef("", openapi3.NewStringSchema().WithFormat("binary"))
		default:
			mt.Schema = openapi3.NewSchemaRef("", openapi3.NewStringSchema())
		}
	}
}

func problemContent() openapi3.Content {
	return openapi3.Content{"application/problem+json": openapi3.NewMediaType().WithSchemaRef(openapi3.NewSchemaRef(problemRef, nil))}
}

func header(desc string, s *openapi3.Schema) *openapi3.HeaderRef {
	return &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{Description: desc, Schema: openapi3.NewSchemaRef("", s)}}}
}

func etagHeader() *openapi3.HeaderRef {
	return header("The strong validator of these bytes: send it in If-Match to write, or If-None-Match to revalidate", openapi3.NewStringSchema())
}

func retryAfter() *openapi3.HeaderRef {
	return header("Seconds to wait before retrying", openapi3.NewIntegerSchema())
}
