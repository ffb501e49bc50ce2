package web

import (
	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
)

// AboutData serves /about/data: every source, its licence, its date, how far to trust it, and what the registry holds from it.
func (s *Site) AboutData(c *gin.Context) {
	s.serve(c, "about_data", func(c *gin.Context) (meta, any, error) {
		sources, err := s.store.EvidenceSummary(c.Request.Context())
		return meta{Title: "About the data", Section: "about"}, aboutData{Sources: sources}, err
	})
}

// aboutData is what the registry holds from each evidence source.
type aboutData struct {
	Sources []models.EvidenceSourceSummary
}

// Accessibility serves /accessibility, the accessibility statement: what was
// tested and how, the issues known, how to report a problem, and enforcement.
func (s *Site) Accessibility(c *gin.Context) {
	s.serve(c, "accessibility", func(*gin.Context) (meta, any, error) {
		return meta{Title: "Accessibility statement", Section: "about"}, nil, nil
	})
}
