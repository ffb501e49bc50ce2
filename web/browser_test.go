package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The browser test drives the real server in headless Chromium: a person
// searches for a component, opens it, follows an adopter to its council and
// sees a reuse opportunity there. axe-core checks every page against WCAG
// 2.0, 2.1 and 2.2 A and AA. .ci/run installs Chromium (Debian's chromium)
// and axe-core (npm ci in web/); without them the test skips and says why.

// chromiumPath finds the browser: $CHROMIUM, then Debian's package.
func chromiumPath() string {
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	return ""
}

// axeSource reads axe-core's script: $AXE_CORE, then web/node_modules.
func axeSource() ([]byte, string) {
	for _, p := range []string{os.Getenv("AXE_CORE"), filepath.Join("node_modules", "axe-core", "axe.min.js")} {
		if p == "" {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			return b, p
		}
	}
	return nil, ""
}

// axeTags are the rule sets run on every page: WCAG 2.2 AA and everything under it.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

type browser struct {
	t   *testing.T
	ctx context.Context
	url string
	axe string
}

func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

func run[T any](b *browser, a chromedp.Action[T]) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	if err != nil {
		b.t.Fatal(err)
	}
	return v
}

// checkAccessibility runs axe-core on the page that is open and fails on any violation.
func (b *browser) checkAccessibility(name string) {
	b.t.Helper()
	tags, _ := json.Marshal(axeTags)
	script := b.axe + `;
		axe.run(document, {runOnly: {type: "tag", values: ` + string(tags) + `}, resultTypes: ["violations"]})
			.then(r => JSON.stringify({
				rules: r.passes.length + r.violations.length + r.incomplete.length + r.inapplicable.length,
				passes: r.passes.length,
				violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
					nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))}))`
	out := run(b, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	var res struct {
		Rules      int            `json:"rules"`
		Passes     int            `json:"passes"`
		Violations []axeViolation `json:"violations"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		b.t.Fatalf("%s: axe result: %v", name, err)
	}
	if res.Rules < 50 || res.Passes < 10 {
		b.t.Fatalf("%s: axe ran %d rules and %d passed: is it checking anything?", name, res.Rules, res.Passes)
	}
	for _, v := range res.Violations {
		b.t.Errorf("%s: axe %s (%s): %s at %s", name, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "; "))
	}
	b.t.Logf("%s: axe ran %d rules, %d passed, %d violations", name, res.Rules, res.Passes, len(res.Violations))
}

// pageWorks checks the stylesheet applied and GOV.UK Frontend's script started
// (init.js marks the body), which also shows the Content-Security-Policy lets
// them load. Module scripts run after parsing, so it waits for the mark.
func (b *browser) pageWorks(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS("body.govuk-frontend-supported"))); err != nil {
		b.t.Errorf("%s: GOV.UK Frontend's script did not start: %v", name, err)
		return
	}
	styled := run(b, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector(".govuk-generic-header")).backgroundColor !== "rgba(0, 0, 0, 0)"`))
	if !styled {
		b.t.Errorf("%s: the stylesheet did not load", name)
	}
}

func (b *browser) screenshot(name string, height int64) {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(1280, height))
	png := run(b, chromedp.CaptureScreenshot())
	b.do(chromedp.EmulateViewport(1280, 900))
	path := filepath.Join("screenshots", name+".png")
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, png) {
		return
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

func TestBrowser(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		t.Skip("SKIPPED: no Chromium at /usr/bin/chromium (or $CHROMIUM): install Debian's chromium package, as .ci/run does, to run the browser and accessibility tests")
	}
	axe, axePath := axeSource()
	if axe == nil {
		t.Skip("SKIPPED: axe-core not found at web/node_modules/axe-core/axe.min.js (or $AXE_CORE): run `npm ci` in web/, as .ci/run does, to run the accessibility tests")
	}
	t.Logf("Chromium %s, axe-core %s", chromium, axePath)

	e := newEnv(t)
	srv := httptest.NewServer(e.served)
	defer srv.Close()

	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		// The machine has no network: stop Chromium calling home.
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true))
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	b := &browser{t: t, ctx: ctx, url: srv.URL, axe: string(axe)}
	b.do(chromedp.EmulateViewport(1280, 900))

	// Any script error on any page fails the test.
	var mu sync.Mutex
	var exceptions []string
	go func() {
		for ev, err := range chromedp.Events(ctx, runtime.ExceptionThrown) {
			if err != nil {
				return
			}
			mu.Lock()
			exceptions = append(exceptions, ev.ExceptionDetails.Text)
			mu.Unlock()
		}
	}()

	// A person searches for a component from the home page.
	b.do(chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("search-q")))
	b.pageWorks("home")
	b.checkAccessibility("home")
	b.do(chromedp.SendKeys(chromedp.ID("search-q"), "drupal"), chromedp.Submit(chromedp.ID("search-q")),
		chromedp.WaitVisible(chromedp.ID("results")))
	if loc := run(b, chromedp.Location()); !strings.HasSuffix(loc, "/components?q=drupal") {
		t.Fatalf("search went to %s", loc)
	}
	first := run(b, chromedp.Text(chromedp.CSS("#results li h2 a")))
	if first != "LocalGov Drupal" {
		t.Fatalf("first result %q, want LocalGov Drupal", first)
	}
	b.checkAccessibility("search results")

	// It opens the component.
	b.do(chromedp.Click(chromedp.CSS(`#results a[href="/components/localgov-drupal"]`)), chromedp.WaitVisible(chromedp.ID("adopters-live")))
	if h1 := run(b, chromedp.Text(chromedp.CSS("h1"))); h1 != "LocalGov Drupal" {
		t.Fatalf("component page h1 %q", h1)
	}
	for _, sel := range []string{`svg[aria-labelledby="chart-title chart-desc"]`, `svg[aria-labelledby="map-title map-desc"]`} {
		b.do(chromedp.WaitVisible(chromedp.CSS(sel)))
	}
	b.pageWorks("component")
	b.checkAccessibility("component")
	b.screenshot("component", 1750)
	// The chart's table is there for anyone who opens it, and passes too.
	b.do(chromedp.Click(chromedp.CSS("#over-time ~ details summary")), chromedp.WaitVisible(chromedp.CSS("#over-time ~ details table")))
	b.checkAccessibility("component, chart table open")

	// It follows an adopter to the council's page.
	adopter := run(b, chromedp.AttributeValue(chromedp.CSS("#adopters-live tbody a"), "href"))
	name := run(b, chromedp.Text(chromedp.CSS("#adopters-live tbody a")))
	if !adopter.Exists || !strings.HasPrefix(adopter.Value, "/councils/") {
		t.Fatalf("first live adopter link %+v", adopter)
	}
	b.do(chromedp.Click(chromedp.CSS("#adopters-live tbody a")), chromedp.WaitVisible(chromedp.ID("opportunity-list")))
	if h1 := run(b, chromedp.Text(chromedp.CSS("h1"))); h1 != name {
		t.Fatalf("council page h1 %q, want %q", h1, name)
	}

	// It sees a reuse opportunity there, with its reasons: the engine's first, as the API gives it.
	var api struct {
		Items []struct {
			Component struct{ Name string } `json:"component"`
			Reasons   []struct{ Detail string }
		} `json:"items"`
	}
	if err := json.Unmarshal(e.get("/api/v1"+adopter.Value+"/opportunities").Body.Bytes(), &api); err != nil || len(api.Items) == 0 {
		t.Fatalf("the API has no opportunities for %s (%v)", adopter.Value, err)
	}
	shown := run(b, chromedp.Text(chromedp.CSS("#opportunity-list li")))
	if !strings.Contains(shown, api.Items[0].Component.Name) || !strings.Contains(shown, api.Items[0].Reasons[0].Detail) {
		t.Fatalf("first opportunity shows %q, want %s with %q", shown, api.Items[0].Component.Name, api.Items[0].Reasons[0].Detail)
	}
	t.Logf("%s: first opportunity %s", name, api.Items[0].Component.Name)
	b.pageWorks("council")
	b.checkAccessibility("council")
	b.screenshot("council", 1500)

	// Every other page passes the accessibility check too, error pages included.
	for _, path := range []string{
		"/components", "/components?capability=online-card-payments&open_source=true", "/components?q=zzzznothing",
		"/components/govuk-notify", "/components/govuk-one-login", "/components/demo-legacy-ctax",
		"/councils", "/councils?q=lambeth", "/councils/" + lambeth, "/councils/E07000005",
		"/capabilities", "/capabilities/online-card-payments", "/capabilities/identity-verification",
		"/dashboards", "/dashboards/coverage", "/dashboards/consolidation", "/dashboards/migrations", "/dashboards/collaborations", "/about/data", "/problems/invalid",
		"/vendors", "/vendors?sort=councils&kind=public-sector", "/vendors/government-digital-service", "/list-your-component",
		"/no-such-page", "/components?lifecycle=bogus",
	} {
		b.do(chromedp.Navigate(srv.URL+path), chromedp.WaitReady(chromedp.CSS("footer")))
		b.pageWorks(path)
		b.checkAccessibility(path)
	}

	// The menu still works on a phone-sized screen.
	b.do(chromedp.EmulateViewport(375, 800), chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(".govuk-service-navigation__toggle")),
		chromedp.Click(chromedp.CSS(".govuk-service-navigation__toggle")), chromedp.WaitVisible(chromedp.CSS(`#navigation a[href="/dashboards"]`)))
	b.checkAccessibility("home on a phone, menu open")

	mu.Lock()
	defer mu.Unlock()
	if len(exceptions) > 0 {
		t.Errorf("script errors: %s", fmt.Sprint(exceptions))
	}
}
