package handlers

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/models"
)

// changesPage reads the feed's filter and page.
func (h *Interop) changesPage(c *gin.Context) (models.List[models.ChangeEntry], bool) {
	q := query{c: c}
	f := models.ChangeFilter{Entity: q.enum("entity", models.ChangeEntities)}
	return readPage(c, &q, func(ctx context.Context, p models.Page) (models.List[models.ChangeEntry], error) {
		return h.Store.ListChanges(ctx, f, p)
	})
}

// ListChanges godoc
//
//	@Summary		What changed, newest first
//	@Description	Every write to the registry's public data (vendors, capabilities, components, adoptions, needs, reorganisations, reference data): what, when, and the role and organisation of who made it (never their key). fields names what an update changed. The same feed is served as Atom at /api/v1/changes.atom, and admins can have it pushed to them with webhooks. Send Accept: text/csv for CSV.
//	@Tags			changes
//	@Produce		json
//	@Produce		text/csv
//	@Param			entity	query		string	false	"only changes to this kind of record"	Enums(vendor, capability, component, adoption, need, reorganisation, reference_data)
//	@Param			limit	query		int		false	"page size, 1 to 100 (default 20)"
//	@Param			cursor	query		string	false	"opaque cursor from a previous page's next link"
//	@Success		200		{object}	ListBody[models.ChangeEntry]
//	@Failure		400		{object}	Problem
//	@Router			/api/v1/changes [get]
func (h *Interop) ListChanges(c *gin.Context) {
	if list, ok := h.changesPage(c); ok {
		writeList(c, list)
	}
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID       string       `xml:"id"`
	Title    string       `xml:"title"`
	Updated  string       `xml:"updated"`
	Author   atomAuthor   `xml:"author"`
	Category atomCategory `xml:"category"`
	Links    []atomLink   `xml:"link"`
	Summary  string       `xml:"summary"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// ChangesAtom godoc
//
//	@Summary		What changed, as an Atom feed
//	@Description	The change feed of /api/v1/changes as Atom (RFC 4287), newest first, paged with rel="next" links (RFC 5005).
//	@Tags			changes
//	@Produce		application/atom+xml
//	@Param			entity	query		string	false	"only changes to this kind of record"	Enums(vendor, capability, component, adoption, need, reorganisation, reference_data)
//	@Param			limit	query		int		false	"entries per page, 1 to 100 (default 20)"
//	@Param			cursor	query		string	false	"opaque cursor from a previous page's next link"
//	@Success		200		{string}	string	"the Atom feed"
//	@Failure		400		{object}	Problem
//	@Router			/api/v1/changes.atom [get]
func (h *Interop) ChangesAtom(c *gin.Context) {
	list, ok := h.changesPage(c)
	if !ok {
		return
	}
	base := absoluteBase(c)
	self := base + c.Request.URL.RequestURI()
	feedID := base + "/api/v1/changes.atom"
	feed := atomFeed{ID: feedID, Title: "Council Components Registry: changes", Author: atomAuthor{Name: "Council Components Registry"},
		Links: []atomLink{{Rel: "self", Href: self, Type: "application/atom+xml"},
			{Rel: "alternate", Href: base + "/api/v1/changes", Type: "application/json"}}}
	updated := time.Unix(0, 0).UTC()
	if len(list.Items) > 0 {
		updated = list.Items[0].At
	}
	feed.Updated = updated.Format(time.RFC3339)
	if list.Next != "" {
		feed.Links = append(feed.Links, atomLink{Rel: "next", Href: pageURL(c, list.Next), Type: "application/atom+xml"})
	}
	for _, e := range list.Items {
		author := e.Actor.Role
		if e.Actor.Org != "" {
			author += " " + e.Actor.Org
		}
		summary := e.Title()
		if len(e.Fields) > 0 {
			summary += ": " + strings.Join(e.Fields, ", ") + " changed"
		}
		entry := atomEntry{ID: feedID + "#change-" + strconv.FormatInt(e.ID, 10), Title: e.Title(),
			Updated: e.At.Format(time.RFC3339), Author: atomAuthor{Name: author},
			Category: atomCategory{Term: e.Entity + "." + e.Action}, Summary: summary}
		if e.Resource != nil {
			entry.Links = append(entry.Links, atomLink{Rel: "alternate", Href: base + *e.Resource, Type: "application/json"})
		}
		feed.Entries = append(feed.Entries, entry)
	}
	body, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		WriteError(c, err)
		return
	}
	c.Data(http.StatusOK, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), body...))
}

// absoluteBase is the scheme and host this request was made to.
func absoluteBase(c *gin.Context) string {
	u, err := url.Parse(pageURL(c, ""))
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
