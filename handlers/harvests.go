package handlers

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/harvest"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/webhooks"
)

// HarvestStore is what a harvest needs from storage.
type HarvestStore interface {
	HarvestPubliccode(ctx context.Context, actor models.Actor, files []models.HarvestedFile, dryRun bool) (models.PubliccodeHarvestReport, error)
}

// Harvests reads publishers' files into the catalogue.
type Harvests struct {
	Store HarvestStore
	// Client fetches the files; nil is webhooks.PublicClient(Resolver), which
	// reaches only public addresses on port 443. Tests route it to their server.
	Client   *http.Client
	Resolver webhooks.Resolver // nil is the system's
}

func (h *Harvests) client() *http.Client {
	if h.Client != nil {
		return h.Client
	}
	var r webhooks.Resolver = net.DefaultResolver
	if h.Resolver != nil {
		r = h.Resolver
	}
	return webhooks.PublicClient(r)
}

// maxHarvestEntries bounds one request's list, and fetchBudget the time its
// files may take together, inside the server's 60-second write timeout: a
// file not read by then is reported unreachable.
const (
	maxHarvestEntries = 50
	fetchBudget       = 45 * time.Second
)

// HarvestPubliccode godoc
//
//	@Summary		Harvest publiccode.yml files from publishers' repositories (admins)
//	@Description	The body is a JSON array of https URLs, at most 50: repository URLs on github.com (https://github.com/OWNER/REPO, read from raw.githubusercontent.com at HEAD, or a .../blob/REF/publiccode.yml link) or gitlab.com (https://gitlab.com/GROUP/REPO, read from /-/raw/HEAD/publiccode.yml), or the raw URL of a publiccode.yml file anywhere else (its path ending in .yml or .yaml). Never a path on the server. Each file is fetched over https from public addresses only, within 1 MiB and 15 seconds a file and 45 seconds for the whole list (a file not read by then is unreachable: send long lists in parts, or use registry harvest publiccode), following redirects only on the same host, then validated and imported as POST /api/v1/components/import would: it creates or updates the component with its repository, and when no vendor matches the file's owner, the owner (organisation.name, legal.repoOwner, else the code host's account) is created as a vendor. Every file is reported: created, updated, unchanged, invalid (with the validator's messages, nothing written) or unreachable. Categories that map to no capability are named. A component harvested before from one of these URLs whose file this run did not find is flagged with harvest_missing_since, never deleted. Harvesting the same files again changes nothing.
//	@Tags			components
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			urls	body		[]string	true	"the https URLs to harvest"
//	@Param			dry_run	query		bool		false	"report what would change; write nothing"
//	@Success		200		{object}	models.PubliccodeHarvestReport
//	@Failure		400		{object}	Problem	"the body is not a JSON array of 1 to 50 https URLs; each bad one is named by its index"
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		413		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Router			/api/v1/harvests/publiccode [post]
func (h *Harvests) HarvestPubliccode(c *gin.Context) {
	q := query{c: c}
	dryRun := q.boolean("dry_run")
	rep, ok := read(c, &q, func(ctx context.Context) (models.PubliccodeHarvestReport, error) {
		urls, err := harvestURLs(c)
		if err != nil {
			return models.PubliccodeHarvestReport{}, err
		}
		fetchCtx, cancel := context.WithTimeout(ctx, fetchBudget)
		defer cancel()
		files := harvest.Fetcher{Client: h.client()}.Fetch(fetchCtx, urls)
		return h.Store.HarvestPubliccode(ctx, actor(c), files, dryRun != nil && *dryRun)
	})
	if ok {
		c.JSON(http.StatusOK, rep)
	}
}

// harvestURLs reads the body: a JSON array of at most maxHarvestEntries https URLs.
func harvestURLs(c *gin.Context) ([]string, error) {
	var raw json.RawMessage
	if err := decodeJSON(c, &raw); err != nil {
		return nil, err
	}
	var urls []string
	if err := json.Unmarshal(raw, &urls); err != nil {
		return nil, fieldError("body", "must be a JSON array of https URLs")
	}
	var p models.Problems
	switch {
	case len(urls) == 0:
		p.Add("body", "lists no URL: send a JSON array of https URLs")
	case len(urls) > maxHarvestEntries:
		p.Add("body", "lists %d URLs; send at most %d a request", len(urls), maxHarvestEntries)
	}
	for i, raw := range urls {
		if u, err := url.Parse(raw); err != nil || u.Scheme != "https" || u.Host == "" {
			p.Add("["+strconv.Itoa(i)+"]", "is not an https URL: a harvest reads only https URLs, never a path on the server")
		}
	}
	return urls, p.Err()
}
