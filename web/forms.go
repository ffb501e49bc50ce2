package web

import (
	"errors"
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/handlers"
	"github.com/council-components/registry/models"
)

// fieldError is what is wrong with one form field, said as GOV.UK forms say
// it: in the error summary, linked to the field, and beside the field.
type fieldError struct {
	ID      string // the input's id, which the summary links to
	Message string
}

// searchError sorts a page's query problems: when the search (q) is all that
// is wrong, it is the field error to show on the page's own form, in plain
// words; any other problem is returned as it is, for the error page.
func searchError(err error, inputID string) (*fieldError, error) {
	var me *models.Error
	if err == nil || !errors.As(err, &me) || len(me.Fields) == 0 {
		return nil, err
	}
	for _, f := range me.Fields {
		if f.Field != "q" {
			return nil, err
		}
	}
	return &fieldError{ID: inputID, Message: fmt.Sprintf("Search for %d characters or fewer", models.MaxSearchLength)}, nil
}

// searchPage reads what a search page was asked for beyond its filters: the
// page number (and the cursor for it), and whether the search, in the box
// inputID, can be made (searchErr says what to fix when not). Any other query
// parameter q refuses is the error.
func searchPage(c *gin.Context, q *handlers.Query, inputID string) (n int, cursor string, searchErr *fieldError, err error) {
	if n, cursor, err = pageNumber(c, q.Cursor()); err != nil {
		return 0, "", nil, err
	}
	searchErr, err = searchError(q.Err(), inputID)
	return n, cursor, searchErr, err
}
