// Package handlers turns HTTP requests into calls on the store and engines,
// and their results (or errors) into JSON. It builds no queries.
package handlers

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
)

// Problem is an RFC 9457 problem document; every error this service sends is one.
type Problem struct {
	Type   string              `json:"type" example:"https://council-components.example/problems/invalid"`
	Title  string              `json:"title" example:"Invalid request"`
	Status int                 `json:"status" example:"400"`
	Detail string              `json:"detail" example:"the request has invalid fields"`
	Errors []models.FieldError `json:"errors,omitempty"`
}

// problemBase prefixes each problem type; the path names the error code.
const problemBase = "/problems/"

// problemKind is what an error code becomes over HTTP.
type problemKind struct {
	status int
	title  string
}

// problemStatus is the one mapping from error codes to HTTP statuses.
var problemStatus = map[string]problemKind{
	models.EINVALID:       {http.StatusBadRequest, "Invalid request"},
	models.EUNPROCESSABLE: {http.StatusUnprocessableEntity, "Unknown reference"},
	models.ENOTFOUND:      {http.StatusNotFound, "Not found"},
	models.ECONFLICT:      {http.StatusConflict, "Conflict"},
	models.EPRECONDITION:  {http.StatusPreconditionFailed, "Precondition failed"},
	models.EUNAUTHORIZED:  {http.StatusUnauthorized, "Unauthorised"},
	models.EFORBIDDEN:     {http.StatusForbidden, "Forbidden"},
	models.ETOOLARGE:      {http.StatusRequestEntityTooLarge, "Request body too large"},
	models.EINTERNAL:      {http.StatusInternalServerError, "Internal error"},
	"method":              {http.StatusMethodNotAllowed, "Method not allowed"},
	"unsupported_media":   {http.StatusUnsupportedMediaType, "Unsupported media type"},
	"rate_limited":        {http.StatusTooManyRequests, "Too many requests"},
	"unavailable":         {http.StatusServiceUnavailable, "Service unavailable"},
}

// HTTPStatus is the HTTP status for err: its code's, or 500 for anything that is
// not a *models.Error. The API's problems and the pages' error pages both use it.
func HTTPStatus(err error) int {
	var e *models.Error
	if !errors.As(err, &e) {
		return http.StatusInternalServerError
	}
	return statusOf(e.Code).status
}

func statusOf(code string) problemKind {
	if ps, ok := problemStatus[code]; ok {
		return ps
	}
	return problemStatus[models.EINTERNAL]
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
	ps := statusOf(code)
	body := Problem{Type: problemBase + code, Title: ps.title, Status: ps.status, Detail: detail, Errors: fields}
	c.Header("Content-Type", "application/problem+json")
	c.Abort()
	c.Render(ps.status, problemRender{body})
}
