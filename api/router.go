// Package api assembles the HTTP service: every API and operational route, the
// middleware around them, the web pages mounted beside them (their routes are
// listed in web.Site.Register), and the server that runs them.
package api

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	swaggerFiles "github.com/swaggo/files"
	ginSwagger "github.com/swaggo/gin-swagger"
	"golang.org/x/time/rate"

	"github.com/council-components/registry/handlers"
	"github.com/council-components/registry/store"
	"github.com/council-components/registry/web"
)

// Config is what the router needs beyond the store.
type Config struct {
	Log            *slog.Logger
	RateLimit      float64  // requests a second per key or client IP; 0 turns limiting off
	AuthFailures   int      // failed authentications a minute per client IP before 429; 0 turns the limit off
	TrustedProxies []string // proxies whose X-Forwarded-For is believed; none by default
	Build          BuildInfo
	HarvestClient  *http.Client // fetches harvested publiccode.yml files; nil is webhooks.PublicClient
}

// BuildInfo is the binary's release and source, reported as registry_build_info.
type BuildInfo struct {
	Version, Revision, GoVersion string
}

// NewRouter builds the service's single gin engine. Every API and operational
// route is listed here; the pages' routes are listed in web.Site.Register,
// which this mounts.
func NewRouter(st *store.Store, cfg Config) (*gin.Engine, error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.RedirectTrailingSlash = true // /api/v1/councils/ → /api/v1/councils (301, or 307 for writes)
	r.RedirectFixedPath = false
	if err := r.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, err
	}
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db, err := st.SQLDB(); err == nil {
		reg.MustRegister(collectors.NewDBStatsCollector(db, "writer"))
	}
	if db, err := st.ReaderDB(); err == nil && !st.SharedPool() {
		reg.MustRegister(collectors.NewDBStatsCollector(db, "reader"))
	}
	m := newMetrics(reg)
	buildInfo := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "registry_build_info", Help: "Always 1; its labels name the release, source revision and Go version running.",
	}, []string{"version", "revision", "goversion"})
	buildInfo.WithLabelValues(cfg.Build.Version, cfg.Build.Revision, cfg.Build.GoVersion).Set(1)
	reg.MustRegister(buildInfo)

	var failures *buckets
	if cfg.AuthFailures > 0 {
		failures = newBuckets(rate.Limit(float64(cfg.AuthFailures)/60), cfg.AuthFailures)
	}
	r.Use(recovery(log), requestLog(log), m.middleware, securityHeaders, canonicalCode, limitBody, readableQuery, authenticate(st, failures))
	if cfg.RateLimit > 0 {
		r.Use(newRateLimiter(cfg.RateLimit).middleware)
	}
	r.Use(authorize(log), anonymousReads)
	// Anonymous GETs under /api/v1 are answered from memory while the catalogue
	// version (the audit log's newest id, shared by every replica) stands: api/cache.go.
	r.Use(newResponseCache(st).middleware)
	r.NoMethod(noMethod)

	// Web pages for people (package web): GOV.UK-styled HTML over the same store
	// and engine. Unknown paths outside /api/ and the operational endpoints get
	// its HTML 404 page; everything else keeps the API's problem+json.
	sr := withReuse(st) // one reuse engine for the API and the pages
	site, err := web.New(sr, log)
	if err != nil {
		return nil, err
	}
	site.Register(withHEAD{r.Group("", site.Recover)})
	r.NoRoute(site.NotFound(handlers.NotFound))

	ops := &handlers.Ops{DB: st, Prom: promhttp.HandlerFor(reg, promhttp.HandlerOpts{}),
		SwaggerUI: ginSwagger.WrapHandler(swaggerFiles.Handler, ginSwagger.URL("/openapi.json"))}
	root := withHEAD{r} // every GET route below answers HEAD too
	root.GET("/healthz", ops.Healthz)
	root.GET("/readyz", ops.Readyz)
	root.GET("/metrics", ops.Metrics)
	root.GET("/openapi.json", ops.OpenAPIDoc)
	root.GET("/swagger/*any", ops.Swagger)

	cat := &handlers.Catalogue{Store: st}
	v1 := withHEAD{r.Group("/api/v1")}
	v1.GET("/councils", cat.ListCouncils)
	v1.GET("/councils/:code", cat.GetCouncil)

	v1.GET("/vendors", cat.ListVendors)
	v1.POST("/vendors", cat.CreateVendor)
	v1.GET("/vendors/:slug", cat.GetVendor)
	v1.PATCH("/vendors/:slug", cat.UpdateVendor)
	v1.DELETE("/vendors/:slug", cat.DeleteVendor)

	v1.GET("/capabilities", cat.ListCapabilities)
	v1.POST("/capabilities", cat.CreateCapability)
	v1.GET("/capabilities/:slug", cat.GetCapability)
	v1.PATCH("/capabilities/:slug", cat.UpdateCapability)
	v1.DELETE("/capabilities/:slug", cat.DeleteCapability)

	v1.GET("/components", cat.ListComponents)
	v1.POST("/components", cat.CreateComponent)
	v1.GET("/components/:slug", cat.GetComponent)
	v1.PATCH("/components/:slug", cat.UpdateComponent)
	v1.DELETE("/components/:slug", cat.DeleteComponent)

	ad := &handlers.Adoptions{Store: st}
	v1.GET("/councils/:code/adoptions", ad.ListCouncilAdoptions)
	v1.GET("/components/:slug/adoptions", ad.ListComponentAdoptions)
	v1.GET("/adoptions", ad.ListAdoptions)
	v1.POST("/adoptions", ad.CreateAdoption)
	v1.GET("/adoptions/:id", ad.GetAdoption)
	v1.PATCH("/adoptions/:id", ad.UpdateAdoption)
	v1.POST("/adoptions/:id/verify", ad.VerifyAdoption)
	v1.POST("/adoptions/:id/reject", ad.RejectAdoption)
	v1.POST("/adoptions/:id/confirm", ad.ConfirmAdoption)
	v1.POST("/adoptions/:id/clear-rejection", ad.ClearRejection)
	v1.GET("/adoptions/:id/history", ad.AdoptionHistory)

	v1.GET("/needs", ad.ListNeeds)
	v1.POST("/needs", ad.CreateNeed)
	v1.GET("/needs/:id", ad.GetNeed)
	v1.PATCH("/needs/:id", ad.UpdateNeed)

	stats := &handlers.Stats{Store: st}
	v1.GET("/stats/coverage", stats.Coverage)
	v1.GET("/stats/adoptions", stats.AdoptionsOverTime)

	reuse := &handlers.Reuse{Store: sr}
	v1.GET("/councils/:code/peers", reuse.Peers)
	v1.GET("/councils/:code/opportunities", reuse.Opportunities)
	v1.GET("/opportunities/consolidation", reuse.Consolidation)
	v1.GET("/opportunities/migrations", reuse.Migrations)
	v1.GET("/opportunities/collaborations", reuse.Collaborations)
	// Market intelligence: retirement impact, renewal calendars, supplier concentration.
	v1.GET("/components/:slug/impact", reuse.Impact)
	v1.GET("/councils/:code/renewals", reuse.CouncilRenewals)
	v1.GET("/councils/:code/renewals.ics", reuse.CouncilRenewalsICS)
	v1.GET("/market/renewals", reuse.Renewals)
	v1.GET("/market/renewals.ics", reuse.RenewalsICS)
	v1.GET("/market/concentration", reuse.Concentration)

	// Programmes and commitments (members, not adopters) and real multi-council projects.
	progs := &handlers.Programmes{Store: st}
	v1.GET("/programmes", progs.ListProgrammes)
	v1.GET("/programmes/:slug", progs.GetProgramme)
	v1.GET("/projects", progs.ListProjects)
	v1.GET("/councils/:code/programmes", progs.CouncilProgrammes)
	v1.GET("/councils/:code/projects", progs.CouncilProjects)

	admin := &handlers.Admin{Store: st}
	v1.GET("/keys", admin.ListKeys)
	v1.POST("/keys", admin.CreateKey)
	v1.DELETE("/keys/:prefix", admin.RevokeKey)
	v1.GET("/audit", admin.ListAudit)

	// Interoperability: publiccode.yml in and out, spreadsheets, full exports, the change feed.
	interop := &handlers.Interop{Store: st}
	v1.POST("/components/import", interop.ImportPubliccode)
	v1.POST("/harvests/publiccode", (&handlers.Harvests{Store: st, Client: cfg.HarvestClient, Resolver: st.Webhooks.Resolver}).HarvestPubliccode)
	v1.GET("/components/:slug/publiccode.yml", interop.ExportPubliccode)
	v1.POST("/adoptions/import", interop.ImportAdoptions)
	v1.GET("/export", interop.Export)
	v1.GET("/changes", interop.ListChanges)
	v1.GET("/changes.atom", interop.ChangesAtom)
	hooks := &handlers.Webhooks{Store: st}
	v1.GET("/webhooks", hooks.ListWebhooks)
	v1.POST("/webhooks", hooks.CreateWebhook)
	v1.DELETE("/webhooks/:id", hooks.DeleteWebhook)
	v1.POST("/webhooks/:id/rotate-secret", hooks.RotateWebhookSecret)

	// Reorganisation: councils merging or splitting, and what merging councils must harmonise.
	reorg := &handlers.Reorganisations{Store: sr}
	v1.GET("/reorganisations", reorg.ListReorganisations)
	v1.POST("/reorganisations", reorg.CreateReorganisation)
	v1.GET("/reorganisations/:id", reorg.GetReorganisation)
	v1.PATCH("/reorganisations/:id", reorg.UpdateReorganisation)
	v1.POST("/reorganisations/:id/withdraw", reorg.WithdrawReorganisation)
	v1.POST("/reorganisations/:id/vest", reorg.VestReorganisation)
	v1.GET("/reorganisations/:id/harmonisation", reorg.Harmonisation)

	ops.OpenAPI, err = OpenAPI3(r.Routes()) // the description, checked against the routes above
	if err != nil {
		return nil, err
	}
	return r, nil
}
