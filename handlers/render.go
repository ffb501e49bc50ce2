package handlers

import (
	"encoding/json"
	"net/http"
)

// problemRender writes JSON without gin's content type, which would override
// application/problem+json.
type problemRender struct{ v any }

func (r problemRender) Render(w http.ResponseWriter) error {
	return json.NewEncoder(w).Encode(r.v)
}

func (r problemRender) WriteContentType(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/problem+json")
}
