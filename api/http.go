package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/council-components/registry/handlers"
)

// The HTTP rules every route shares, beside the handlers: HEAD, caching,
// CORS on public reads, and canonical URLs.

// withHEAD registers each GET route for HEAD too, with the same handlers (RFC
// 9110 §9.3.2: uptime monitors and link checkers use it); net/http sends the
// headers and drops the body. Other methods pass through to the routes.
type withHEAD struct{ gin.IRoutes }

func (r withHEAD) GET(path string, h ...gin.HandlerFunc) gin.IRoutes {
	r.IRoutes.HEAD(path, h...)
	return r.IRoutes.GET(path, h...)
}

// isRead reports whether the request only reads: GET, or HEAD which is answered as GET.
func isRead(r *http.Request) bool {
	return r.Method == http.MethodGet || r.Method == http.MethodHead
}

// policyMethod is the method whose policy a request follows: HEAD is GET's.
func policyMethod(r *http.Request) string {
	if r.Method == http.MethodHead {
		return http.MethodGet
	}
	return r.Method
}

// publicData reports whether path serves the registry's public data to other
// sites: the API and its description.
func publicData(path string) bool {
	return strings.HasPrefix(path, "/api/v1/") || path == "/openapi.json"
}

// corsExposed are the response headers a script on another site may read.
const corsExposed = "ETag, Link, Location, Retry-After, X-Total-Count"

// anonymousReads lets shared caches keep anonymous reads while making them
// revalidate (the ETag makes that cheap), and lets scripts on any site read
// public data anonymously: Access-Control-Allow-Origin "*" without
// credentials. Writes, and reads with a key, never carry CORS headers, so a
// browser refuses another site's script a caller's key or a write's answer.
func anonymousReads(c *gin.Context) {
	if isRead(c.Request) && c.GetHeader("Authorization") == "" {
		if publicData(c.Request.URL.Path) {
			c.Header("Cache-Control", "no-cache")
			if policies[policyMethod(c.Request)+" "+c.FullPath()].Anonymous { // with an Origin or without: the answer is the same
				c.Header("Access-Control-Allow-Origin", "*")
				c.Header("Access-Control-Expose-Headers", corsExposed)
			}
		}
	}
	c.Next()
}

// noMethod answers a method the path does not take: a CORS preflight for an
// anonymous read of public data (a script that sends If-None-Match or Accept
// asks first), else 405 with the Allow header gin has set.
func noMethod(c *gin.Context) {
	if c.Request.Method == http.MethodOptions && c.GetHeader("Origin") != "" && publicData(c.Request.URL.Path) &&
		isRead(&http.Request{Method: c.GetHeader("Access-Control-Request-Method")}) &&
		!strings.Contains(strings.ToLower(c.GetHeader("Access-Control-Request-Headers")), "authorization") {
		h := c.Writer.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Allow-Methods", "GET, HEAD")
		h.Set("Access-Control-Allow-Headers", "Accept, If-None-Match")
		h.Set("Access-Control-Max-Age", "86400")
		c.AbortWithStatus(http.StatusNoContent)
		return
	}
	handlers.MethodNotAllowed(c)
}

// canonicalCode redirects a path naming a council by a lower-case GSS code to
// the one with the code as the registry writes it (E09000022, not e09000022),
// keeping the query: 301 for reads, 308 (method and body kept) for writes.
func canonicalCode(c *gin.Context) {
	code := c.Param("code")
	if upper := strings.ToUpper(code); upper != code && strings.Contains(c.FullPath(), "/councils/:code") {
		segs := strings.Split(c.Request.URL.Path, "/")
		for i, s := range segs {
			if s == code {
				segs[i] = upper
			}
		}
		u := url.URL{Path: strings.Join(segs, "/"), RawQuery: c.Request.URL.RawQuery}
		status := http.StatusPermanentRedirect
		if isRead(c.Request) {
			status = http.StatusMovedPermanently
		}
		c.Redirect(status, u.String())
		c.Abort()
		return
	}
	c.Next()
}

// swaggerCSP lets the Swagger UI load only its own files and this service's
// document: its page has no inline script, and swagger-ui sets styles inline.
const swaggerCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders tells browsers never to guess a response's type (every
// answer says its Content-Type), and fences the Swagger UI in with a CSP; the
// web pages set their own.
func securityHeaders(c *gin.Context) {
	c.Header("X-Content-Type-Options", "nosniff")
	if strings.HasPrefix(c.Request.URL.Path, "/swagger/") {
		c.Header("Content-Security-Policy", swaggerCSP)
	}
	c.Next()
}
