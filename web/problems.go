package web

import (
	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/handlers"
	"github.com/council-components/registry/models"
)

// Problem is the page each problem type's URI leads to (RFC 9457 §3.1.1: a
// type should resolve to documentation a person can read): what the problem
// means and what to do about it.
func (s *Site) Problem(c *gin.Context) {
	s.serve(c, "problem", func(c *gin.Context) (meta, any, error) {
		code := c.Param("code")
		for _, k := range handlers.ProblemKinds() {
			if k.Code == code {
				return meta{Title: k.Title}, k, nil
			}
		}
		return meta{}, nil, models.Errorf(models.ENOTFOUND, "there is no problem type called %q", code)
	})
}
