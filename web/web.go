// Package web serves the registry's HTML pages for people: GOV.UK Design
// System styling over the same store and reuse engine as the JSON API.
// Templates and static assets are embedded, so the binary needs nothing else.
package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/cache"
	"github.com/council-components/registry/handlers"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/reuse"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Store is what the pages read; pages never build queries. The store, with
// the reuse keeper beside it (api/reuse.go), implements it.
type Store interface {
	// ServiceTiers is GOV.UK's providing tier for each LGSL code (models.Tier*).
	ServiceTiers() (map[int]string, error)
	ListComponents(ctx context.Context, f models.ComponentFilter, p models.Page) (models.List[models.Component], error)
	GetComponent(ctx context.Context, slug string) (models.Component, error)
	ComponentsBySlug(ctx context.Context, slugs []string) (map[string]models.Component, error)
	Standards(ctx context.Context) ([]string, error)
	GetVendor(ctx context.Context, slug string) (models.Vendor, error)
	ListVendorUse(ctx context.Context, f models.VendorFilter, p models.Page) (models.List[models.VendorUse], error)
	VendorAdoptions(ctx context.Context, vendor string) ([]models.Adoption, error)
	ListCouncils(ctx context.Context, f models.CouncilFilter, p models.Page) (models.List[models.Council], error)
	ListCouncilsSorted(ctx context.Context, f models.CouncilFilter, sort string, p models.Page) (models.List[models.Council], error)
	ListComponentsRanked(ctx context.Context, f models.ComponentFilter, sort string, p models.Page) (models.List[models.Component], error)
	CouncilPlaces(ctx context.Context) (regions, nations []string, err error)
	CapabilityCoverage(ctx context.Context) ([]models.CoverageItem, error)
	VendorsBySlug(ctx context.Context, slugs []string) (map[string]models.Vendor, error)
	GetCouncil(ctx context.Context, code string) (models.Council, error)
	CouncilsByCode(ctx context.Context, codes []string) (map[string]models.Council, error)
	CollaborationProjects(ctx context.Context) ([]models.Project, error)
	EvidenceSummary(ctx context.Context) ([]models.EvidenceSourceSummary, error)
	HasDemoData(ctx context.Context) (bool, error)
	LastUpdated(ctx context.Context) (time.Time, error)
	CouncilProjects(ctx context.Context, code string, p models.Page) (models.List[models.Project], error)
	CouncilProgrammes(ctx context.Context, code string) ([]models.Membership, error)
	ListCapabilities(ctx context.Context, f models.CapabilityFilter, p models.Page) (models.List[models.Capability], error)
	GetCapability(ctx context.Context, slug string) (models.Capability, error)
	ListAdoptions(ctx context.Context, f models.AdoptionFilter, p models.Page) (models.List[models.Adoption], error)
	ComponentAdopterCounts(ctx context.Context, component string) ([]models.AdopterCount, error)
	ComponentAdoptionsPage(ctx context.Context, component, status string, limit, offset int) ([]models.Adoption, error)
	ComponentUsers(ctx context.Context, component string) ([]models.ComponentUser, error)
	CurrentCouncils(ctx context.Context) ([]models.Council, error)
	ListNeeds(ctx context.Context, f models.NeedFilter, p models.Page) (models.List[models.Need], error)
	LiveUse(ctx context.Context, capability string) ([]models.ComponentUse, error)
	Coverage(ctx context.Context, by, capability string) ([]models.CoverageItem, error)
	AdoptionsOverTime(ctx context.Context, component, capability string) ([]models.MonthCount, error)
	Engine(ctx context.Context) (*reuse.Engine, error)
	CouncilsWithUse(ctx context.Context) (int, error)
	DeclineUses(ctx context.Context, components []string) ([]models.DeclineUse, error)
	DeclineMoves(ctx context.Context, components []string) ([]models.DeclineMove, error)
	LiveAdoptions(ctx context.Context) (int, error)
	Version(ctx context.Context) (int64, error)
	Today() time.Time
}

// pageCacheBytes bounds the rendered pages kept.
const pageCacheBytes = 32 << 20

// Site serves the pages.
type Site struct {
	store  Store
	log    *slog.Logger
	pages  map[string]*template.Template
	assets map[string]asset
	// Rendered pages, for as long as the catalogue's version stands.
	cache  *cache.Cache
	points struct { // every current council's location, for maps
		mu       sync.Mutex
		version  int64
		councils []models.Council
	}
}

// asset is one embedded static file with its content hash, which versions its URL.
type asset struct {
	body        []byte
	contentType string
	hash        string
}

// New parses the templates and loads the static files.
func New(st Store, log *slog.Logger) (*Site, error) {
	if log == nil {
		log = slog.Default()
	}
	s := &Site{store: st, log: log, pages: map[string]*template.Template{}, assets: map[string]asset{}}
	// A closure, not st.Version, so a Site without a store (for tests of the error pages) can be built.
	s.cache = cache.New(func(ctx context.Context) (int64, error) { return s.store.Version(ctx) }, pageCacheBytes)
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		s.assets[strings.TrimPrefix(p, "static/")] = asset{body: b, contentType: ct, hash: hex.EncodeToString(sum[:8])}
		return nil
	})
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		"asset": func(name string) (string, error) {
			a, ok := s.assets[name]
			if !ok {
				return "", fmt.Errorf("no static file %q", name)
			}
			return "/assets/" + name + "?v=" + a.hash, nil
		},
	}
	for k, v := range templateFuncs {
		funcs[k] = v
	}
	base, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/_*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/[a-z]*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, err
		}
		s.pages[strings.TrimSuffix(path.Base(n), ".html")] = t
	}
	return s, nil
}

// Register adds every page route and the static files to r. Pages are public;
// their access policies live beside the API's (api/policy.go), and they have no
// OpenAPI entries, being for people.
func (s *Site) Register(r gin.IRoutes) {
	r.GET("/", s.Home)
	r.GET("/components", s.Components)
	r.GET("/components/:slug", s.Component)
	r.GET("/councils", s.Councils)
	r.GET("/councils/:code", s.Council)
	r.GET("/capabilities", s.Capabilities)
	r.GET("/capabilities/:slug", s.Capability)
	r.GET("/dashboards", s.Dashboards)
	r.GET("/dashboards/coverage", s.CoverageDashboard)
	r.GET("/dashboards/consolidation", s.ConsolidationDashboard)
	r.GET("/dashboards/migrations", s.MigrationsDashboard)
	r.GET("/dashboards/collaborations", s.CollaborationsDashboard)
	r.GET("/dashboards/concentration", s.ConcentrationDashboard)
	r.GET("/councils/:code/renewals", s.CouncilRenewalsPage)
	r.GET("/about/data", s.AboutData)
	r.GET("/accessibility", s.Accessibility)
	r.GET("/vendors", s.Vendors)
	r.GET("/vendors/:slug", s.Vendor)
	r.GET("/list-your-component", s.ListYourComponent)
	r.GET(handlers.ProblemPath+":code", s.Problem)
	r.GET("/assets/*filepath", s.Asset)
}

// IsPage reports whether path belongs to the web pages rather than the JSON
// API or the operational endpoints, which keep answering problem+json.
func IsPage(p string) bool {
	for _, prefix := range []string{"/api/", "/swagger/"} {
		if strings.HasPrefix(p, prefix) {
			return false
		}
	}
	switch p {
	case "/api", "/swagger", "/healthz", "/readyz", "/metrics", "/openapi.json":
		return false
	}
	return true
}

// NotFound answers unknown paths: an HTML page for people on page paths, the
// API's answer (apiNotFound) everywhere else.
func (s *Site) NotFound(apiNotFound gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !IsPage(c.Request.URL.Path) || (c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) {
			apiNotFound(c)
			return
		}
		s.fail(c, models.Errorf(models.ENOTFOUND, "there is nothing at %s", c.Request.URL.Path))
	}
}

// Recover turns a panic in a page into the HTML 500 page. It runs inside the
// API's recovery, which still catches anything that escapes here.
func (s *Site) Recover(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler { // the server's own way to drop a connection
				panic(v)
			}
			s.fail(c, fmt.Errorf("panic: %v", v))
		}
	}()
	c.Next()
}

// meta is what the layout needs from every page.
type meta struct {
	Title   string // the page's own title; the service name is added
	Section string // which navigation item is current
	Status  int
	Demo    bool // illustrative demo data is loaded: every page says so

	// When the public data last changed, for the footer; zero on error pages.
	LastUpdated time.Time
}

// view is what every template executes with.
type view struct {
	Meta meta
	D    any
}

// loader builds one page's data; a *models.Error decides the error page.
type loader func(c *gin.Context) (meta, any, error)

// serve answers a GET for a page from the cache when the catalogue has not
// changed since it was rendered (on the same day: opportunities depend on
// the date), and renders it otherwise.
func (s *Site) serve(c *gin.Context, page string, load loader) {
	key := s.store.Today().Format(time.DateOnly) + "\x00" + c.Request.URL.RequestURI()
	p, _, err := s.cache.Get(c.Request.Context(), key, func() *cache.Entry { return s.renderPage(c, page, load) })
	if err != nil {
		s.fail(c, err)
		return
	}
	if p != nil {
		s.write(c, http.StatusOK, p.Body, p.ETag)
	}
}

// renderPage loads and renders a page to keep, or sends the error page and returns nil.
func (s *Site) renderPage(c *gin.Context, page string, load loader) *cache.Entry {
	m, data, err := load(c)
	if err == nil {
		m.Demo, err = s.store.HasDemoData(c.Request.Context())
	}
	if err == nil {
		m.LastUpdated, err = s.store.LastUpdated(c.Request.Context())
	}
	if err != nil {
		s.fail(c, err)
		return nil
	}
	body, err := s.render(page, m, data)
	if err != nil {
		s.fail(c, err)
		return nil
	}
	if m.Status >= http.StatusBadRequest { // a form saying what to fix in what was sent: answered, never kept
		c.Header("Cache-Control", "no-store")
		s.write(c, m.Status, body, "")
		return nil
	}
	return &cache.Entry{Body: body, ETag: handlers.ETag(body)}
}

func (s *Site) render(page string, m meta, data any) ([]byte, error) {
	t, ok := s.pages[page]
	if !ok {
		return nil, fmt.Errorf("no template for page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", view{Meta: m, D: data}); err != nil {
		return nil, fmt.Errorf("render %s: %w", page, err)
	}
	return buf.Bytes(), nil
}

// write sends a rendered page with the headers every page carries; a page
// with an ETag is answered 304 when the caller holds it.
func (s *Site) write(c *gin.Context, status int, body []byte, etag string) {
	h := c.Writer.Header()
	// Everything a page loads comes from this server; nothing runs inline.
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	if etag != "" {
		h.Set("ETag", etag)
		if h.Get("Cache-Control") == "" {
			h.Set("Cache-Control", "no-cache") // revalidate: the ETag makes that cheap
		}
		if status == http.StatusOK && handlers.ETagListed(c.GetHeader("If-None-Match"), etag) {
			c.Status(http.StatusNotModified)
			c.Abort()
			return
		}
	}
	c.Data(status, "text/html; charset=utf-8", body)
	c.Abort()
}

// fail renders the GOV.UK-styled error page for err, with the status the API
// would give it: 404, another 4xx with what is wrong, or (logged) 500.
func (s *Site) fail(c *gin.Context, err error) {
	status := handlers.HTTPStatus(err)
	title, detail := "Sorry, there is a problem with the service", ""
	switch {
	case status == http.StatusNotFound:
		title = "Page not found"
	case status < http.StatusInternalServerError:
		title, detail = "There is a problem with the web address", problemDetail(err)
	default:
		s.log.ErrorContext(c.Request.Context(), "page failed", "method", c.Request.Method, "path", c.Request.URL.Path, "error", err)
	}
	body, rerr := s.render("error", meta{Title: title, Status: status}, errorPage{Status: status, Detail: detail})
	if rerr != nil { // the error page itself failed: say so plainly rather than not at all
		s.log.ErrorContext(c.Request.Context(), "error page failed", "error", rerr)
		body = []byte("<!DOCTYPE html><title>Error</title><p>" + template.HTMLEscapeString(title))
	}
	c.Header("Cache-Control", "no-store")
	s.write(c, status, body, "")
}

// problemDetail is an error's message and each field's problem, for the page.
func problemDetail(err error) string {
	var me *models.Error
	if !errors.As(err, &me) {
		return ""
	}
	detail := me.Message
	for _, f := range me.Fields {
		detail += "; " + f.Field + " " + f.Message
	}
	return detail
}

type errorPage struct {
	Status int
	Detail string
}

// Asset serves /assets/{file}, the static files for the web pages: CSS, JavaScript and the icon.
func (s *Site) Asset(c *gin.Context) {
	a, ok := s.assets[strings.TrimPrefix(c.Param("filepath"), "/")]
	if !ok {
		s.fail(c, models.Errorf(models.ENOTFOUND, "no such file"))
		return
	}
	etag := `"` + a.hash + `"`
	c.Header("ETag", etag)
	c.Header("X-Content-Type-Options", "nosniff")
	if c.Query("v") == a.hash { // the URL names this exact content, so it never changes
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "no-cache")
	}
	if handlers.ETagListed(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, a.contentType, a.body)
}
