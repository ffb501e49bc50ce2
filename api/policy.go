package api

import (
	"log/slog"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/handlers"
	"github.com/council-components/registry/models"
)

// Policy says who may call a route. Role checks happen here, before the
// handler; the object-level rule in Owner needs the record, so the store
// applies it inside the write's transaction.
type Policy struct {
	Anonymous bool     // anyone may call, with or without a key
	Roles     []string // otherwise: the roles that may call
	Owner     string   // the ownership rule the store applies to non-admin roles
}

var (
	public    = Policy{Anonymous: true}
	adminOnly = Policy{Roles: []string{models.RoleAdmin}}
)

// policies lists every route. A route missing here is refused at run time,
// and TestEveryRouteHasAPolicy fails.
var policies = map[string]Policy{
	"GET /healthz":                         public,
	"GET /readyz":                          public,
	"GET /metrics":                         public,
	"GET /openapi.json":                    public,
	"GET /swagger/*any":                    public,
	"GET /api/v1/councils":                 public,
	"GET /api/v1/councils/:code":           public,
	"GET /api/v1/councils/:code/adoptions": public,

	"GET /api/v1/vendors":          public,
	"GET /api/v1/vendors/:slug":    public,
	"POST /api/v1/vendors":         adminOnly,
	"PATCH /api/v1/vendors/:slug":  {Roles: []string{models.RoleAdmin, models.RoleVendor}, Owner: "a vendor edits only its own vendor record"},
	"DELETE /api/v1/vendors/:slug": adminOnly,

	"GET /api/v1/capabilities":          public,
	"GET /api/v1/capabilities/:slug":    public,
	"POST /api/v1/capabilities":         adminOnly,
	"PATCH /api/v1/capabilities/:slug":  adminOnly,
	"DELETE /api/v1/capabilities/:slug": adminOnly,

	"GET /api/v1/components":                 public,
	"GET /api/v1/components/:slug":           public,
	"GET /api/v1/components/:slug/adoptions": public,
	"POST /api/v1/components":                {Roles: []string{models.RoleAdmin, models.RoleVendor}, Owner: "a vendor lists components only under its own vendor"},
	"PATCH /api/v1/components/:slug":         {Roles: []string{models.RoleAdmin, models.RoleVendor}, Owner: "a vendor edits only its own components and cannot hand them to another vendor"},
	"DELETE /api/v1/components/:slug":        {Roles: []string{models.RoleAdmin, models.RoleVendor}, Owner: "a vendor deletes only its own components"},

	"GET /api/v1/adoptions":             public,
	"GET /api/v1/adoptions/:id":         public,
	"GET /api/v1/adoptions/:id/history": public,
	"POST /api/v1/adoptions": {Roles: []string{models.RoleAdmin, models.RoleCouncil, models.RoleVendor},
		Owner: "a council records its own council's adoptions; a vendor claims adoptions only of its own components"},
	"PATCH /api/v1/adoptions/:id": {Roles: []string{models.RoleAdmin, models.RoleCouncil, models.RoleVendor},
		Owner: "a council edits its own council's adoptions; a vendor edits only its own claims until they are verified"},
	"POST /api/v1/adoptions/:id/verify":          {Roles: []string{models.RoleAdmin, models.RoleCouncil}, Owner: "only the council the adoption is about"},
	"POST /api/v1/adoptions/:id/reject":          {Roles: []string{models.RoleAdmin, models.RoleCouncil}, Owner: "only the council the adoption is about"},
	"POST /api/v1/adoptions/:id/confirm":         {Roles: []string{models.RoleAdmin, models.RoleCouncil}, Owner: "only the council the adoption is about"},
	"POST /api/v1/adoptions/:id/clear-rejection": {Roles: []string{models.RoleAdmin, models.RoleCouncil}, Owner: "only the council the adoption is about"},

	"GET /api/v1/needs":       public,
	"GET /api/v1/needs/:id":   public,
	"POST /api/v1/needs":      {Roles: []string{models.RoleAdmin, models.RoleCouncil}, Owner: "a council states only its own needs"},
	"PATCH /api/v1/needs/:id": {Roles: []string{models.RoleAdmin, models.RoleCouncil}, Owner: "a council edits only its own needs"},

	"GET /api/v1/stats/coverage":  public,
	"GET /api/v1/stats/adoptions": public,

	"GET /api/v1/councils/:code/peers":         public,
	"GET /api/v1/councils/:code/opportunities": public,
	"GET /api/v1/opportunities/consolidation":  public,
	"GET /api/v1/opportunities/migrations":     public,
	"GET /api/v1/opportunities/collaborations": public,
	"GET /api/v1/components/:slug/impact":      public,
	"GET /api/v1/councils/:code/renewals":      public,
	"GET /api/v1/councils/:code/renewals.ics":  public,
	"GET /api/v1/market/renewals":              public,
	"GET /api/v1/market/renewals.ics":          public,
	"GET /api/v1/market/concentration":         public,

	"GET /api/v1/programmes":                public,
	"GET /api/v1/programmes/:slug":          public,
	"GET /api/v1/projects":                  public,
	"GET /api/v1/councils/:code/programmes": public,
	"GET /api/v1/councils/:code/projects":   public,

	// Web pages (package web): all public reads.
	"GET /":                          public,
	"GET /components":                public,
	"GET /components/:slug":          public,
	"GET /councils":                  public,
	"GET /councils/:code":            public,
	"GET /capabilities":              public,
	"GET /capabilities/:slug":        public,
	"GET /dashboards":                public,
	"GET /dashboards/coverage":       public,
	"GET /dashboards/consolidation":  public,
	"GET /dashboards/migrations":     public,
	"GET /dashboards/collaborations": public,
	"GET /dashboards/concentration":  public,
	"GET /councils/:code/renewals":   public,
	"GET /about/data":                public,
	"GET /accessibility":             public,
	"GET /vendors":                   public,
	"GET /vendors/:slug":             public,
	"GET /list-your-component":       public,
	"GET /problems/:code":            public,
	"GET /assets/*filepath":          public,

	"GET /api/v1/keys":            adminOnly,
	"POST /api/v1/keys":           adminOnly,
	"DELETE /api/v1/keys/:prefix": adminOnly,
	"GET /api/v1/audit":           adminOnly,

	"POST /api/v1/components/import": {Roles: []string{models.RoleAdmin, models.RoleVendor},
		Owner: "a vendor imports only components listed under its own vendor, and creates them only there"},
	"GET /api/v1/components/:slug/publiccode.yml": public,
	"POST /api/v1/harvests/publiccode":            adminOnly,
	"POST /api/v1/adoptions/import":               adminOnly,
	"GET /api/v1/export":                          public,
	"GET /api/v1/changes":                         public,
	"GET /api/v1/changes.atom":                    public,
	"GET /api/v1/webhooks":                        adminOnly,
	"POST /api/v1/webhooks":                       adminOnly,
	"DELETE /api/v1/webhooks/:id":                 adminOnly,
	"POST /api/v1/webhooks/:id/rotate-secret":     adminOnly,

	"GET /api/v1/reorganisations":                   public,
	"GET /api/v1/reorganisations/:id":               public,
	"GET /api/v1/reorganisations/:id/harmonisation": public,
	"POST /api/v1/reorganisations":                  adminOnly,
	"PATCH /api/v1/reorganisations/:id":             adminOnly,
	"POST /api/v1/reorganisations/:id/withdraw":     adminOnly,
	"POST /api/v1/reorganisations/:id/vest":         adminOnly,
}

// authorize applies the route's policy. Unknown paths and methods pass
// through to their 404 and 405 answers.
func authorize(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		route := c.FullPath()
		if route == "" {
			c.Next()
			return
		}
		p, ok := policies[policyMethod(c.Request)+" "+route]
		if !ok {
			log.Error("route has no policy: refused", "method", c.Request.Method, "route", route)
			handlers.WriteProblem(c, models.EFORBIDDEN, "this route has no access policy", nil)
			return
		}
		if p.Anonymous {
			c.Next()
			return
		}
		v, ok := c.Get(principalKey)
		if !ok {
			unauthorised(c, "this needs an API key: send Authorization: Bearer KEY")
			return
		}
		if k := v.(models.APIKey); !slices.Contains(p.Roles, k.Role) {
			handlers.WriteProblem(c, models.EFORBIDDEN, "a "+k.Role+" key may not do this", nil)
			return
		}
		c.Next()
	}
}
