package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
)

// decodeJSON reads the request body into dst, refusing unknown fields, wrong
// types, trailing data and bodies over the limit, with the offending field named.
func decodeJSON(c *gin.Context, dst any) error {
	if ct := c.GetHeader("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return &models.Error{Code: "unsupported_media", Message: "send the body as application/json"}
		}
	}
	body, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return models.Errorf(models.ETOOLARGE, "the request body is over the limit of %d bytes", tooBig.Limit)
	}
	if err != nil {
		return models.Errorf(models.EINVALID, "the request body could not be read")
	}
	if trimmed := bytes.TrimSpace(body); len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return fieldError("body", "is required: send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return fieldError("body", "must hold exactly one JSON object")
	}
	return nil
}

// jsonError names the field behind a decoding error.
func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return fieldError("body", "is not valid JSON")
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fieldError("body", "must be a JSON object")
		}
		return fieldError(typ.Field, fmt.Sprintf("must be %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fieldError(name, "is not a field of this resource")
	}
	return fieldError("body", "could not be decoded: "+err.Error())
}

func jsonKind(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice":
		return "an array"
	case "struct", "map", "ptr":
		return "an object"
	}
	if strings.HasPrefix(kind, "int") || strings.HasPrefix(kind, "uint") || strings.HasPrefix(kind, "float") {
		return "a number"
	}
	return "of another type"
}

func fieldError(field, msg string) error {
	var p models.Problems
	p.Add(field, "%s", msg)
	return p.Err()
}

// query reads optional query parameters, collecting every problem.
type query struct {
	c *gin.Context
	p models.Problems
}

// str reads text: one line, without control characters.
func (q *query) str(name string) string {
	v := q.c.Query(name)
	models.CheckOneLine(&q.p, name, v)
	return v
}

func (q *query) enum(name string, allowed []string) string {
	v := q.c.Query(name)
	if v == "" {
		return ""
	}
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	q.p.Add(name, "must be one of %s", strings.Join(allowed, ", "))
	return ""
}

// oneOf reads one of allowed, matched ignoring case and the space around it,
// and gives it as allowed spells it: for values the data names, such as the
// regions councils are in.
func (q *query) oneOf(name string, allowed []string) string {
	v := strings.TrimSpace(q.c.Query(name))
	if v == "" {
		return ""
	}
	for _, a := range allowed {
		if strings.EqualFold(a, v) {
			return a
		}
	}
	q.p.Add(name, "must be one of %s", strings.Join(allowed, ", "))
	return ""
}

func (q *query) boolean(name string) *bool {
	v := q.c.Query(name)
	if v == "" {
		return nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		q.p.Add(name, "must be true or false")
		return nil
	}
	return &b
}

func (q *query) slug(name string) string {
	return q.checked(name, models.ValidSlug, "must be a lowercase-hyphenated slug")
}

func (q *query) date(name string) string {
	return q.checked(name, models.ValidDate, "must be a date in the form YYYY-MM-DD")
}

// checked is the parameter name when valid holds for it; otherwise it notes
// problem and is empty.
func (q *query) checked(name string, valid func(string) bool, problem string) string {
	v := q.c.Query(name)
	if v != "" && !valid(v) {
		q.p.Add(name, "%s", problem)
		return ""
	}
	return v
}

// intIn reads an optional whole number from lo to hi.
func (q *query) intIn(name string, def, lo, hi int) int {
	v := q.c.Query(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		q.p.Add(name, "must be a whole number from %d to %d", lo, hi)
		return def
	}
	return n
}

// size reads a result count from 1 to the page cap.
func (q *query) size(name string, def int) int {
	return q.intIn(name, def, 1, models.MaxPageSize)
}

// page reads limit (1..100; larger values are capped), cursor and the format
// a list may be asked for.
func (q *query) page() models.Page {
	q.enum("format", formats)
	var p models.Page
	if v := q.c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			q.p.Add("limit", "must be a whole number from 1 to %d", models.MaxPageSize)
		}
		p.Limit = min(n, models.MaxPageSize)
	}
	p.Cursor = q.cursor()
	return p
}

// cursor reads the opaque cursor of a next link; the store checks the rest.
func (q *query) cursor() string {
	v := q.c.Query("cursor")
	if len(v) > 1024 {
		q.p.Add("cursor", models.CursorProblem)
	}
	return v
}

// search reads words to search for, at most 200 characters of them on one
// line; the space around them is no part of the search, so only space is none.
func (q *query) search(name string) string {
	v := q.c.Query(name)
	if utf8.RuneCountInString(v) > models.MaxSearchLength {
		q.p.Add(name, "must be at most %d characters", models.MaxSearchLength)
	}
	models.CheckOneLine(&q.p, name, v)
	return strings.TrimSpace(v)
}

func (q *query) err() error { return q.p.Err() }

// Query reads optional query parameters exactly as the API's handlers do,
// collecting every problem, so a web page given the same input gives the
// same answer.
type Query struct{ q query }

// NewQuery reads c's query string.
func NewQuery(c *gin.Context) *Query { return &Query{query{c: c}} }

// Enum reads one of allowed, or nothing.
func (q *Query) Enum(name string, allowed []string) string { return q.q.enum(name, allowed) }

// Boolean reads true or false in any form strconv.ParseBool takes, or nil when absent.
func (q *Query) Boolean(name string) *bool { return q.q.boolean(name) }

// Slug reads a lowercase-hyphenated slug.
func (q *Query) Slug(name string) string { return q.q.slug(name) }

// OneOf reads one of allowed (case and surrounding space ignored), as allowed spells it, or nothing.
func (q *Query) OneOf(name string, allowed []string) string { return q.q.oneOf(name, allowed) }

// Search reads words to search for.
func (q *Query) Search(name string) string { return q.q.search(name) }

// Cursor reads the cursor of a next link.
func (q *Query) Cursor() string { return q.q.cursor() }

// RenewalMonths reads the renewal window, window_months: 1 to 60 months, 18 by default.
func (q *Query) RenewalMonths() int { return renewalMonths(&q.q) }

// Err is every problem found, as one EINVALID error, or nil.
func (q *Query) Err() error { return q.q.err() }
