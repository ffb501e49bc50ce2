package handlers

import (
	"github.com/elnormous/contenttype"
	"github.com/gin-gonic/gin"
)

// The representations a list or a statistic can take, JSON first: it is what a
// caller who states no preference, or one we cannot meet, is sent.
var listTypes = []contenttype.MediaType{
	contenttype.NewMediaType("application/json"),
	contenttype.NewMediaType("text/csv"),
}

// formats are the values of ?format, which the query reader checks wherever a
// list or a statistic is read.
var formats = []string{"json", "csv"}

// WantsCSV reports whether the caller asked for CSV rather than JSON:
// ?format=csv (for browsers and spreadsheets, which cannot set Accept), or an
// Accept header that prefers text/csv, q-values honoured (RFC 9110 §12.5.1), so
// that text/csv;q=0 refuses it. The response cache keys its entries by this.
func WantsCSV(c *gin.Context) bool {
	switch c.Query("format") {
	case "csv":
		return true
	case "json":
		return false
	}
	chosen, _, err := contenttype.GetAcceptableMediaType(c.Request, listTypes)
	if err != nil { // nothing offered is acceptable, or the header is malformed: JSON
		return false
	}
	return chosen.Subtype == "csv"
}

// wantsCSV is WantsCSV for a handler, which says in Vary that its answer
// depends on Accept (RFC 9110 §12.5.5).
func wantsCSV(c *gin.Context) bool {
	c.Writer.Header().Add("Vary", "Accept")
	return WantsCSV(c)
}
