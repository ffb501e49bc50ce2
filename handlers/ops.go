package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
)

// Pinger reports whether the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Ops serves liveness, readiness and the API description.
type Ops struct {
	DB        Pinger
	OpenAPI   []byte          // OpenAPI 3 document, built once at start-up
	Prom      http.Handler    // Prometheus exposition
	SwaggerUI gin.HandlerFunc // the Swagger UI's files
}

// Status is the body of the health endpoints.
type Status struct {
	Status string `json:"status" example:"ok"`
}

// Healthz godoc
//
//	@Summary	Liveness: the process is up
//	@Tags		operations
//	@Produce	json
//	@Success	200	{object}	Status
//	@Router		/healthz [get]
func (h *Ops) Healthz(c *gin.Context) {
	c.JSON(http.StatusOK, Status{Status: "ok"})
}

// Readyz godoc
//
//	@Summary	Readiness: the database answers
//	@Tags		operations
//	@Produce	json
//	@Success	200	{object}	Status
//	@Failure	503	{object}	Problem
//	@Router		/readyz [get]
func (h *Ops) Readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := h.DB.Ping(ctx); err != nil {
		WriteProblem(c, "unavailable", "the database is not answering", nil)
		return
	}
	c.JSON(http.StatusOK, Status{Status: "ok"})
}

// OpenAPIDoc godoc
//
//	@Summary	This API's OpenAPI 3 description
//	@Tags		operations
//	@Produce	json
//	@Success	200
//	@Router		/openapi.json [get]
func (h *Ops) OpenAPIDoc(c *gin.Context) {
	c.Data(http.StatusOK, "application/json; charset=utf-8", h.OpenAPI)
}

// Metrics serves /metrics, Prometheus metrics (not an API operation): requests and latency by route and status, database pool, Go runtime.
func (h *Ops) Metrics(c *gin.Context) {
	h.Prom.ServeHTTP(c.Writer, c.Request)
}

// Swagger serves the Swagger UI for this API at /swagger/index.html (its assets are served under /swagger/).
func (h *Ops) Swagger(c *gin.Context) {
	if c.Request.Method == http.MethodHead { // the UI's handler knows only GET; net/http drops HEAD's body
		head := c.Request
		c.Request = head.Clone(head.Context())
		c.Request.Method = http.MethodGet
		defer func() { c.Request = head }()
	}
	h.SwaggerUI(c)
}

// NotFound answers unknown paths.
func NotFound(c *gin.Context) {
	WriteProblem(c, models.ENOTFOUND, "there is nothing at "+c.Request.URL.Path, nil)
}

// MethodNotAllowed answers a known path with a method it does not take.
func MethodNotAllowed(c *gin.Context) {
	WriteProblem(c, "method", c.Request.Method+" is not allowed on "+c.Request.URL.Path, nil)
}
