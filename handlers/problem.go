// Package handlers turns HTTP requests into calls on the store and the reuse
// engine, and their results (or errors) into JSON. It builds no queries. It is
// the one place an error code becomes an HTTP status (HTTPStatus, here), and
// holds the query parsing (Query, which reads the cursor of a page too) and the
// ETag helpers the web pages use as well.
package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
)

// Problem is an RFC 9457 problem document; every error this service sends is one.
type Problem struct {
	Type   string              `json:"type" example:"https://council-components.example/problems/invalid" format:"uri"`
	Title  string              `json:"title" example:"Invalid request"`
	Status int                 `json:"status" example:"400"`
	Detail string              `json:"detail" example:"the request has invalid fields"`
	Errors []models.FieldError `json:"errors,omitempty"`
}

// ProblemPath is where each problem type's page lives: a problem's type is the
// absolute URL of this path and its code, a page that says what went wrong
// and what to do.
const ProblemPath = "/problems/"

// ProblemKind is what an error code becomes over HTTP, and what its page says.
type ProblemKind struct {
	Code   string
	Status int
	Title  string
	About  string // what it means and what to do, for the problem type's page
}

// problemKinds is the one mapping from error codes to HTTP statuses.
var problemKinds = []ProblemKind{
	{models.EINVALID, http.StatusBadRequest, "Invalid request",
		"The request could not be read as it is: a field, a query parameter or the body is malformed. The errors list names each field and what is wrong with it. Correct them and send the request again."},
	{models.EUNPROCESSABLE, http.StatusUnprocessableEntity, "Unknown reference",
		"The request is well formed but names something the registry does not hold, such as a council code, a component or a capability slug. Check the names against the lists in the API and send it again."},
	{models.ENOTFOUND, http.StatusNotFound, "Not found",
		"There is nothing at this address. Check the code or slug; a council that has been abolished keeps its record, under its own code."},
	{models.ECONFLICT, http.StatusConflict, "Conflict",
		"The request clashes with what the registry holds: a slug already taken, a current adoption already recorded, or a move its status rules forbid. The detail says which; read the record and decide what to change."},
	{models.EPRECONDITION, http.StatusPreconditionFailed, "Precondition failed",
		"The If-Match header did not name the record's current ETag, so nothing was written: someone else changed it since it was read, or the tag was weak (W/…), which a write never accepts. Fetch the record again, apply the change to what it now says and retry with its ETag."},
	{models.EUNAUTHORIZED, http.StatusUnauthorized, "Unauthorised",
		"This needs an API key, or the key sent is not valid, has been revoked or has expired. Send it as Authorization: Bearer KEY; ask the registry's administrators for a key."},
	{models.EFORBIDDEN, http.StatusForbidden, "Forbidden",
		"The key is valid but may not do this: a council key writes only for its own council, a vendor key only for its own vendor and components, and some routes are for administrators only."},
	{models.ETOOLARGE, http.StatusRequestEntityTooLarge, "Request body too large",
		"The request body is over the size limit the detail names. Send less at a time, for example an import split into several files."},
	{models.EINTERNAL, http.StatusInternalServerError, "Internal error",
		"Something went wrong on the registry's side. It has been logged; nothing you sent was at fault. Try again later, and tell the registry's team if it goes on."},
	{"method", http.StatusMethodNotAllowed, "Method not allowed",
		"This address does not answer that HTTP method. The Allow header lists the methods it does answer."},
	{"unsupported_media", http.StatusUnsupportedMediaType, "Unsupported media type",
		"The body was sent with a Content-Type this route does not read. The detail lists the types it accepts."},
	{"rate_limited", http.StatusTooManyRequests, "Too many requests",
		"Too many requests came from this key or address in a short time. Wait for the seconds the Retry-After header gives, then carry on more slowly."},
	{"unavailable", http.StatusServiceUnavailable, "Service unavailable",
		"The registry cannot answer just now, usually because its database is out of reach. Retry after the seconds the Retry-After header gives."},
}

// ProblemKinds lists every problem type the API sends, for their pages.
func ProblemKinds() []ProblemKind { return slices.Clone(problemKinds) }

// HTTPStatus is the HTTP status for err: its code's, or 500 for anything that is
// not a *models.Error. The API's problems and the pages' error pages both use it.
func HTTPStatus(err error) int {
	var e *models.Error
	if !errors.As(err, &e) {
		return http.StatusInternalServerError
	}
	return statusOf(e.Code).Status
}

func statusOf(code string) ProblemKind {
	for _, k := range problemKinds {
		if k.Code == code {
			return k
		}
	}
	return statusOf(models.EINTERNAL)
}

// WriteError sends err as problem+json. Only *models.Error messages reach the
// caller; anything else is logged and answered with a plain 500.
func WriteError(c *gin.Context, err error) {
	var e *models.Error
	if !errors.As(err, &e) {
		slog.ErrorContext(c.Request.Context(), "internal error", "method", c.Request.Method,
			"path", c.FullPath(), "error", err)
		e = models.Errorf(models.EINTERNAL, "something went wrong on our side; it has been logged")
	}
	WriteProblem(c, e.Code, e.Message, e.Fields)
}

// WriteProblem sends a problem document for one of the codes above and stops the chain.
func WriteProblem(c *gin.Context, code, detail string, fields []models.FieldError) {
	k := statusOf(code)
	body := Problem{Type: origin(c) + ProblemPath + k.Code, Title: k.Title, Status: k.Status, Detail: detail, Errors: fields}
	c.Header("Content-Type", "application/problem+json")
	c.Abort()
	c.Render(k.Status, problemRender{body})
}
