package web

import (
	"cmp"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
)

// The list pages' shared parts: page numbers, sortable column headings, the
// sort a page was asked for, and links to the same list in the API.

// maxPageNumber bounds ?page, far beyond any list's last page.
const maxPageNumber = 100000

// pageNumber reads ?page, 1 when absent, and the cursor the store reads for
// it. A page can still be asked for by the API's ?cursor, which it reads when
// ?page is absent.
func pageNumber(c *gin.Context, cursor string) (int, string, error) {
	v := c.Query("page")
	if v == "" {
		return 1, cursor, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxPageNumber {
		return 0, "", models.Errorf(models.EINVALID, "page must be a whole number from 1 to %d", maxPageNumber)
	}
	if n == 1 {
		return 1, "", nil
	}
	return n, models.OffsetCursor((n - 1) * listPageSize), nil
}

// noSuchPage is the error for a page number past a list's last page.
func noSuchPage(n int) error {
	return models.Errorf(models.ENOTFOUND, "there is no page %d of this list", n)
}

// resultsPage is page n (at cursor) of a list page's results, which list
// fetches, with its page numbers; a page past the last is not found.
func resultsPage[T any](c *gin.Context, n int, cursor string, list func(models.Page) (models.List[T], error)) (models.List[T], pagination, error) {
	l, err := list(models.Page{Limit: listPageSize, Cursor: cursor})
	if err == nil && len(l.Items) == 0 && n > 1 {
		err = noSuchPage(n)
	}
	return l, paginate(c, n, l.Total), err
}

// searchResults is resultsPage for a search, and no results when the search
// could not be made (searchErr): the page says what to fix instead.
func searchResults[T any](c *gin.Context, n int, cursor string, searchErr *fieldError, list func(models.Page) (models.List[T], error)) (models.List[T], pagination, error) {
	if searchErr != nil {
		return models.List[T]{}, pagination{}, nil
	}
	return resultsPage(c, n, cursor, list)
}

// withError is m for a list page that could not use the search or the sort
// it was asked for: 400, with the first of errs shown on the page (in *shown),
// the list in its usual order below it. Without one, m as it is.
func withError(m meta, shown **fieldError, errs ...*fieldError) meta {
	if *shown = cmp.Or(errs...); *shown != nil {
		m.Status = http.StatusBadRequest
	}
	return m
}

// pagination is the GOV.UK pagination component: previous, numbered pages
// (the first, the last and those beside the current one, gaps as ellipses), next.
type pagination struct {
	PrevURL, NextURL string
	Pages            []pageLink
}

type pageLink struct {
	Number   int
	URL      string
	Current  bool
	Ellipsis bool
}

// paginate is the pagination of a list of total items on page n.
func paginate(c *gin.Context, n, total int) pagination { return paginateBy(c, n, total, listPageSize) }

// paginateBy is paginate with size items a page.
func paginateBy(c *gin.Context, n, total, size int) pagination {
	last := max(1, (total+size-1)/size)
	var p pagination
	if last == 1 {
		return p
	}
	if n > 1 {
		p.PrevURL = pageURL(c, n-1)
	}
	if n < last {
		p.NextURL = pageURL(c, n+1)
	}
	for i := 1; i <= last; i++ {
		switch {
		case i == 1 || i == last || (i >= n-1 && i <= n+1):
			p.Pages = append(p.Pages, pageLink{Number: i, URL: pageURL(c, i), Current: i == n})
		case len(p.Pages) > 0 && !p.Pages[len(p.Pages)-1].Ellipsis:
			p.Pages = append(p.Pages, pageLink{Ellipsis: true})
		}
	}
	return p
}

// pageURL is this list's page n, the first without a number.
func pageURL(c *gin.Context, n int) string {
	q := c.Request.URL.Query()
	q.Del("cursor")
	q.Del("page")
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	return (&url.URL{Path: c.Request.URL.Path, RawQuery: q.Encode()}).String()
}

// sortHeading is one column heading of a sortable table: a link to the list
// in the column's order, and aria-sort saying whether it is in that order now.
type sortHeading struct {
	Name, URL string
	AriaSort  string // ascending, descending or none
	Numeric   bool
}

// sortHeadings are a table's headings, those with a sort linked; sorts[i] is
// heading i's order ("" for a heading that does not sort), descending for
// numeric columns, and current the order the list is in.
func sortHeadings(c *gin.Context, current string, names, sorts []string, numeric ...int) []sortHeading {
	out := make([]sortHeading, len(names))
	for i, name := range names {
		h := sortHeading{Name: name, Numeric: slices.Contains(numeric, i)}
		if sorts[i] != "" {
			h.URL, h.AriaSort = sortedBy(c, sorts[i]), "none"
			if sorts[i] == current {
				h.AriaSort = "ascending"
				if h.Numeric {
					h.AriaSort = "descending"
				}
			}
		}
		out[i] = h
	}
	return out
}

// sortParam reads ?sort, one of allowed (the first when absent); another
// value is an error on the page's form, saying what to do.
func sortParam(c *gin.Context, allowed []string, fix string) (string, *fieldError) {
	v := c.Query("sort")
	switch {
	case v == "":
		return allowed[0], nil
	case slices.Contains(allowed, v):
		return v, nil
	}
	return allowed[0], &fieldError{ID: "sort-by", Message: fix}
}

// downloads links a list to the same list in the API, as CSV and as JSON.
type downloads struct {
	CSV, JSON string
}

// apiLinks is the API list at path with the page's filters named in keep,
// as many rows as the API gives at once.
func apiLinks(c *gin.Context, path string, keep ...string) downloads {
	q := url.Values{}
	for _, k := range keep {
		if v := strings.TrimSpace(c.Query(k)); v != "" {
			q.Set(k, v)
		}
	}
	q.Set("limit", strconv.Itoa(models.MaxPageSize))
	json := (&url.URL{Path: path, RawQuery: q.Encode()}).String()
	q.Set("format", "csv")
	return downloads{CSV: (&url.URL{Path: path, RawQuery: q.Encode()}).String(), JSON: json}
}

// postcodeLike matches a UK postcode (SW1A 1AA) or its outward code alone (SW1A, M1).
var postcodeLike = regexp.MustCompile(`(?i)^[A-Z]{1,2}[0-9][A-Z0-9]?(\s*[0-9][A-Z]{2})?$`)
