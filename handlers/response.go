package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/spreadsheet"
)

// ListBody is the shape of every list response.
type ListBody[T any] struct {
	Items []T     `json:"items"`
	Total int     `json:"total" example:"397"`
	Next  *string `json:"next" example:"http://localhost:8080/api/v1/councils?cursor=eyJhIjoiRTA2MDAwMDIwIn0&limit=20" extensions:"x-nullable" format:"uri"`
}

// writeList sends one page with a next URL in the body and a Link header:
// JSON by default, CSV (one row per item, the same page and Link header, the
// total in X-Total-Count) when the caller sends Accept: text/csv.
func writeList[T any](c *gin.Context, l models.List[T]) {
	body := ListBody[T]{Items: l.Items, Total: l.Total}
	if body.Items == nil {
		body.Items = []T{}
	}
	if l.Next != "" {
		next := pageURL(c, l.Next)
		body.Next = &next
		c.Header("Link", "<"+next+`>; rel="next"`)
	}
	if wantsCSV(c) {
		c.Header("X-Total-Count", strconv.Itoa(l.Total))
		writeCSV(c, csvFilename(c), spreadsheet.Rows(body.Items))
		return
	}
	c.JSON(http.StatusOK, body)
}

// csvFilename names a list's CSV after the last fixed part of its route, e.g. adoptions.csv.
func csvFilename(c *gin.Context) string {
	parts := strings.Split(c.FullPath(), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if p := parts[i]; p != "" && !strings.HasPrefix(p, ":") && !strings.HasPrefix(p, "*") {
			return p + ".csv"
		}
	}
	return "list.csv"
}

// writeCSV sends rows as a CSV attachment, guarded against formula injection.
func writeCSV(c *gin.Context, filename string, rows [][]string) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="`+filename+`"`)
	c.Status(http.StatusOK)
	w := spreadsheet.NewWriter(c.Writer)
	for _, r := range rows {
		if w.Write(r) != nil {
			return
		}
	}
	_ = w.Flush()
}

// pageURL is this request's absolute URL with the cursor replaced.
func pageURL(c *gin.Context, cur string) string {
	q := c.Request.URL.Query()
	q.Set("cursor", cur)
	u := url.URL{Scheme: scheme(c), Host: c.Request.Host, Path: c.Request.URL.Path, RawQuery: q.Encode()}
	return u.String()
}

// scheme is how the caller reached us: https over TLS, or when a trusted proxy says so.
func scheme(c *gin.Context) string {
	if c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https" && c.ClientIP() != c.RemoteIP() {
		return "https"
	}
	return "http"
}

// origin is this service's origin as the caller reached it, e.g. https://registry.example.
func origin(c *gin.Context) string { return scheme(c) + "://" + c.Request.Host }

// writeResource sends one resource with a strong ETag of its bytes, answering
// 304 when the caller already holds them.
func writeResource(c *gin.Context, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		WriteError(c, err)
		return
	}
	if tagged(c, body) && status == http.StatusOK {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(status, "application/json; charset=utf-8", body)
}

// tagged sets the ETag of body and reports whether the client's If-None-Match
// already holds it.
func tagged(c *gin.Context, body []byte) bool {
	tag := ETag(body)
	c.Header("ETag", tag)
	return ETagListed(c.GetHeader("If-None-Match"), tag)
}

// ETag is the strong validator of body: the API's resources, its response
// cache and the web pages all tag their bytes with it.
func ETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// ETagListed reports whether an If-Match/If-None-Match header names tag
// (weakly, as RFC 9110 asks of If-None-Match), or is "*".
func ETagListed(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "W/"))
		if t == "*" || t == tag {
			return true
		}
	}
	return false
}

// ifMatchListed reports whether an If-Match header names tag by the strong
// comparison RFC 9110 §13.1.1 asks for: a weak tag (W/"…") never matches, so a
// write cannot land on bytes the caller has not seen exactly.
func ifMatchListed(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		if t = strings.TrimSpace(t); t == "*" || t == tag {
			return true
		}
	}
	return false
}

// precondition checks If-Match against the resource as it is now and returns
// the version the write must still find, or nil when the caller sent no If-Match.
func precondition[T any](c *gin.Context, current func() (T, error), version func(T) int) (*int, error) {
	header := c.GetHeader("If-Match")
	if header == "" {
		return nil, nil
	}
	v, err := current()
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if !ifMatchListed(header, ETag(body)) {
		return nil, models.Errorf(models.EPRECONDITION, "If-Match does not match the current ETag (compared strongly: a weak W/ tag never matches); fetch the resource again and retry")
	}
	n := version(v)
	return &n, nil
}
