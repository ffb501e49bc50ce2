package web

import (
	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
)

// AboutData godoc
//
//	@Summary	About the data: every source, its licence, its date, how far to trust it, and what the registry holds from it
//	@Tags		web
//	@Produce	html
//	@Success	200
//	@Router		/about/data [get]
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
