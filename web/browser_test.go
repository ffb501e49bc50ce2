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

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The browser tests drive the real server in headless Chromium: a person
// searches for a component, opens it, follows an adopter to its council and
// sees a reuse opportunity there. axe-core checks every page against WCAG
// 2.0, 2.1 and 2.2 A and AA; every page must fit a phone's width; pages are
// walked by keyboard and printed. .ci/run installs Chromium (Debian's chromium)
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

// otherPages are every other kind of page: lists, filters, a component in
// each lifecycle, councils current and former, dashboards, error pages.
var otherPages = []string{
	"/components", "/components?capability=online-card-payments&open_source=true", "/components?q=zzzznothing",
	"/components/govuk-notify", "/components/govuk-one-login", "/components/demo-legacy-ctax",
	"/councils", "/councils?q=lambeth", "/councils/" + lambeth, "/councils/E07000005",
	"/capabilities", "/capabilities/online-card-payments", "/capabilities/identity-verification",
	"/dashboards", "/dashboards/coverage", "/dashboards/coverage?all=1", "/dashboards/consolidation", "/dashboards/migrations",
	"/dashboards/collaborations", "/dashboards/collaborations?page=2", "/about/data", "/accessibility", "/problems/invalid",
	"/vendors", "/vendors?sort=councils&kind=public-sector", "/vendors/government-digital-service", "/list-your-component",
	"/no-such-page", "/components?lifecycle=bogus", tooLongSearch, "/councils?q=" + strings.Repeat("x", 201),
}

// tooLongSearch is a search longer than the service takes, answered on its form.
var tooLongSearch = "/components?q=" + strings.Repeat("x", 201)

// narrowWidths are the phone widths every page must fit without scrolling
// sideways: 320 CSS pixels is WCAG 2.2's reflow width (1.4.10), 390 a common phone.
var narrowWidths = []int64{320, 390}

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

// follow follows the link sel as a keyboard user does (focus it, press Enter)
// and waits for the page it leads to to load, then for want to show. A mouse
// click lands where the link was when it was measured: just after the viewport
// changes (checkAccessibilityAtWidths) the page may still be reflowing, and the
// click follows whichever link is there by then. And waiting for want alone would
// pass at once when the page being left has it too (an h1).
func (b *browser) follow(sel, want string) {
	b.t.Helper()
	quoted, err := json.Marshal(sel)
	if err != nil {
		b.t.Fatal(err)
	}
	href := run(b, chromedp.Evaluate[string](fmt.Sprintf("document.querySelector(%s).href", quoted)))
	resp, err := chromedp.RunResponse(b.ctx, chromedp.Focus(chromedp.CSS(sel)), chromedp.KeyEvent(kb.Enter))
	if err != nil {
		b.t.Fatalf("following %s: %v", sel, err)
	}
	if resp.URL != href || resp.Status != 200 {
		b.t.Fatalf("following %s (%s): %s answered %d", sel, href, resp.URL, resp.Status)
	}
	b.do(chromedp.WaitVisible(chromedp.CSS(want)))
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

// axeWidths are the window widths axe-core checks every page at: a desktop and
// WCAG's reflow width, where tables stack or scroll and the menu folds away.
var axeWidths = []int64{1280, 320}

// checkAccessibilityAtWidths runs axe-core on the open page at each of
// axeWidths, then puts the window back to the desktop size.
func (b *browser) checkAccessibilityAtWidths(name string) {
	b.t.Helper()
	for _, w := range axeWidths {
		b.do(chromedp.EmulateViewport(w, 900))
		b.checkAccessibility(fmt.Sprintf("%s at %d px", name, w))
	}
	b.do(chromedp.EmulateViewport(1280, 900))
}

// checkFits fails when the open page is wider than the window, naming the
// outermost elements that stick out past its right edge.
func (b *browser) checkFits(name string, width int64) {
	b.t.Helper()
	out := run(b, chromedp.Evaluate[string](`(() => {
		const w = window.innerWidth, sw = document.documentElement.scrollWidth;
		`+describeElement+`
		// Whether a scroll box around el holds it in: a static or relative el, or any el when the box is positioned.
		const clipped = el => {
			const free = ["absolute", "fixed"].includes(getComputedStyle(el).position);
			for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
				const st = getComputedStyle(a);
				if (st.overflowX !== "visible" && (!free || st.position !== "static")) return true;
			}
			return false;
		};
		const out = [];
		if (sw > w) {
			for (const el of document.body.querySelectorAll("*")) {
				const parent = el.parentElement;
				if (el.getBoundingClientRect().right > w && !clipped(el) && (!parent || parent.getBoundingClientRect().right <= w || clipped(parent))) {
					out.push(describe(el) + " ends at " + Math.round(el.getBoundingClientRect().right));
				}
			}
		}
		return JSON.stringify({inner: w, scroll: sw, out: out.slice(0, 8)});
	})()`))
	var res struct {
		Inner, Scroll int
		Out           []string
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		b.t.Fatalf("%s at %d px: %v", name, width, err)
	}
	if res.Inner != int(width) {
		b.t.Fatalf("%s: the window is %d px wide, want %d", name, res.Inner, width)
	}
	if res.Scroll > res.Inner {
		b.t.Errorf("%s at %d px: the page is %d px wide; sticking out: %s", name, width, res.Scroll, strings.Join(res.Out, "; "))
	}
}

// describeElement is a script function naming an element for a failure message.
const describeElement = `const describe = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
	(el.classList.length ? "." + [...el.classList].join(".") : "") + " " + JSON.stringify((el.textContent || "").trim().slice(0, 40));`

// checkKeyboard tabs through the page just opened, from its start: the skip
// link comes first, each element the focus lands on shows it (an outline or
// GOV.UK's focus shadow), and every link, button, field, summary and scroll
// region that can be seen is reached.
func (b *browser) checkKeyboard(name string) {
	b.t.Helper()
	step := describeElement + `
		const el = document.activeElement;
		if (!el || el === document.body || el.dataset.tabbed) return "";
		el.dataset.tabbed = "1";
		const st = getComputedStyle(el);
		const outlined = st.outlineStyle !== "none" && parseFloat(st.outlineWidth) > 0 && st.outlineColor !== "rgba(0, 0, 0, 0)";
		return (outlined || st.boxShadow !== "none" ? "shown " : "unmarked ") + describe(el);`
	var reached []string
	for len(reached) < 1000 {
		b.do(chromedp.KeyEvent(kb.Tab))
		at := run(b, chromedp.Evaluate[string]("(() => {"+step+"})()"))
		if at == "" {
			break
		}
		reached = append(reached, at)
		if shown, what, _ := strings.Cut(at, " "); shown != "shown" {
			b.t.Errorf("%s: the focus on %s cannot be seen", name, what)
		}
	}
	if len(reached) == 0 || !strings.HasPrefix(reached[0], "shown a.govuk-skip-link") {
		b.t.Fatalf("%s: the first Tab reaches %v, not the skip link", name, reached[:min(len(reached), 1)])
	}
	missed := run(b, chromedp.Evaluate[[]string](`(() => {`+describeElement+`
		return [...document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex='0']")]
			.filter(el => el.checkVisibility() && !el.disabled && !el.dataset.tabbed).map(describe);
	})()`))
	if len(missed) > 0 {
		b.t.Errorf("%s: Tab never reaches %s", name, strings.Join(missed, "; "))
	}
	b.t.Logf("%s: Tab reaches %d elements in turn", name, len(reached))
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

// printMedia emulates the print stylesheet ("print"), or stops doing so ("").
func printMedia(media string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	})
}

// screenshot saves the page at desktop width (NAME.png) and at a phone's
// (NAME-phone.png), for the README.
func (b *browser) screenshot(name string, height, phoneHeight int64) {
	b.t.Helper()
	b.capture(name, 1280, height)
	b.capture(name+"-phone", 390, phoneHeight)
	b.do(chromedp.EmulateViewport(1280, 900))
}

// capture saves the page as the README shows it, width × height pixels, in
// screenshots/NAME.png (left alone when nothing changed).
func (b *browser) capture(name string, width, height int64) {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(width, height))
	png := run(b, chromedp.CaptureScreenshot())
	path := filepath.Join("screenshots", name+".png")
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, png) {
		return
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// openBrowser starts the service and headless Chromium on it, skipping the
// test (and saying why) without them. Any script error on any page the
// browser opens fails the test.
func openBrowser(t *testing.T) (*browser, *env) {
	t.Helper()
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
	t.Cleanup(srv.Close)

	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		// The machine has no network: stop Chromium calling home.
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true))
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 10*time.Minute)
	t.Cleanup(cancel)
	b := &browser{t: t, ctx: ctx, url: srv.URL, axe: string(axe)}
	b.do(chromedp.EmulateViewport(1280, 900))

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
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		if len(exceptions) > 0 {
			t.Errorf("script errors: %s", fmt.Sprint(exceptions))
		}
	})
	return b, e
}

func TestBrowser(t *testing.T) {
	b, e := openBrowser(t)

	// A person searches for a component from the home page.
	b.do(chromedp.Navigate(b.url+"/"), chromedp.WaitVisible(chromedp.ID("search-q")))
	b.pageWorks("home")
	b.checkAccessibilityAtWidths("home")
	b.do(chromedp.SendKeys(chromedp.ID("search-q"), "drupal"), chromedp.Submit(chromedp.ID("search-q")),
		chromedp.WaitVisible(chromedp.ID("results")))
	if loc := run(b, chromedp.Location()); !strings.HasSuffix(loc, "/components?q=drupal") {
		t.Fatalf("search went to %s", loc)
	}
	first := run(b, chromedp.Text(chromedp.CSS("#results li h2 a")))
	if first != "LocalGov Drupal" {
		t.Fatalf("first result %q, want LocalGov Drupal", first)
	}
	b.checkAccessibilityAtWidths("search results")

	// It opens the component.
	b.follow(`#results a[href="/components/localgov-drupal"]`, "#adopters-live")
	if h1 := run(b, chromedp.Text(chromedp.CSS("h1"))); h1 != "LocalGov Drupal" {
		t.Fatalf("component page h1 %q", h1)
	}
	for _, sel := range []string{`svg[aria-labelledby="chart-title chart-desc"]`, `svg[aria-labelledby="map-title map-desc"]`} {
		b.do(chromedp.WaitVisible(chromedp.CSS(sel)))
	}
	b.pageWorks("component")
	b.checkAccessibilityAtWidths("component")
	b.screenshot("component", 1750, 2400)
	// The chart's table is there for anyone who opens it, and passes too.
	b.do(chromedp.Click(chromedp.CSS("#over-time ~ details summary")), chromedp.WaitVisible(chromedp.CSS("#over-time ~ details table")))
	b.checkAccessibilityAtWidths("component, chart table open")

	// It follows an adopter to the council's page.
	adopter := run(b, chromedp.AttributeValue(chromedp.CSS("#adopters-live tbody a"), "href"))
	name := run(b, chromedp.Text(chromedp.CSS("#adopters-live tbody a")))
	if !adopter.Exists || !strings.HasPrefix(adopter.Value, "/councils/") {
		t.Fatalf("first live adopter link %+v", adopter)
	}
	b.follow("#adopters-live tbody a", "#opportunity-list")
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
	if reason := withLongDays(api.Items[0].Reasons[0].Detail); !strings.Contains(shown, api.Items[0].Component.Name) || !strings.Contains(shown, reason) {
		t.Fatalf("first opportunity shows %q, want %s with %q", shown, api.Items[0].Component.Name, reason)
	}
	t.Logf("%s: first opportunity %s", name, api.Items[0].Component.Name)
	b.pageWorks("council")
	b.checkAccessibilityAtWidths("council")
	b.screenshot("council", 1500, 2400)

	// A vendor's page, as the README shows it.
	b.do(chromedp.Navigate(b.url+"/vendors/localgov-drupal"), chromedp.WaitReady(chromedp.CSS("footer")))
	b.screenshot("vendor", 1300, 2000)

	// A search too long to make is answered on its form: the error summary takes
	// the focus, and its link takes the person to the field, what they typed kept.
	b.do(chromedp.Navigate(b.url+tooLongSearch), chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")))
	b.pageWorks("search error")
	if !run(b, chromedp.Evaluate[bool](`document.activeElement.classList.contains("govuk-error-summary")`)) {
		t.Error("the error summary does not take the focus")
	}
	b.do(chromedp.Click(chromedp.CSS(".govuk-error-summary__list a")))
	if id := run(b, chromedp.Evaluate[string](`document.activeElement.id + " " + document.activeElement.value.length`)); id != "q 201" {
		t.Errorf("the error summary's link focuses %q, want the search field holding all 201 characters typed", id)
	}

	// Every other page passes the accessibility check too, error pages included, at both widths.
	for _, path := range otherPages {
		b.do(chromedp.Navigate(b.url+path), chromedp.WaitReady(chromedp.CSS("footer")))
		b.pageWorks(path)
		b.checkAccessibilityAtWidths(path)
	}

	// The menu still works on a phone-sized screen.
	b.do(chromedp.EmulateViewport(375, 800), chromedp.Navigate(b.url+"/"), chromedp.WaitVisible(chromedp.CSS(".govuk-service-navigation__toggle")),
		chromedp.Click(chromedp.CSS(".govuk-service-navigation__toggle")), chromedp.WaitVisible(chromedp.CSS(`#navigation a[href="/dashboards"]`)))
	b.checkAccessibility("home on a phone, menu open")
}

// TestCentralTeamJourney: someone in a central team reads the headline
// figures, finds the gaps in coverage, opens a capability, then the migrations,
// follows a component in decline to its page, and can download the data.
func TestCentralTeamJourney(t *testing.T) {
	b, e := openBrowser(t)
	b.do(chromedp.Navigate(b.url+"/dashboards"), chromedp.WaitVisible(chromedp.ID("figure-declining")))
	b.pageWorks("dashboards")
	declining := run(b, chromedp.Text(chromedp.ID("figure-declining")))
	if total := e.get("/api/v1/opportunities/migrations?limit=1").json()["total"].(float64); declining != fmt.Sprint(total) || total == 0 {
		t.Errorf("the dashboards say %s components in decline, the API %v", declining, total)
	}
	for _, sel := range []string{`a[href="/api/v1/export"]`, `a[href="/api/v1/stats/coverage?by=region&format=csv"]`} {
		b.do(chromedp.WaitVisible(chromedp.CSS(sel)))
	}
	b.checkAccessibilityAtWidths("dashboards")
	b.screenshot("dashboards", 1300, 2000)

	// Coverage: the capabilities nobody covers are hidden until asked for.
	b.follow(`main a[href="/dashboards/coverage"]`, ".app-heat")
	rows := func() int {
		return run(b, chromedp.Evaluate[int](`document.querySelectorAll(".app-heat tbody tr").length`))
	}
	shown := rows()
	b.follow(`main a[href="/dashboards/coverage?all=1"]`, `main a[href="/dashboards/coverage"]`)
	if all := rows(); shown == 0 || all <= shown {
		t.Errorf("coverage shows %d rows, and %d with all", shown, all)
	}
	b.checkAccessibilityAtWidths("coverage, every row")
	// On a phone the heat map scrolls sideways inside its region, its first column staying in place.
	b.do(chromedp.EmulateViewport(320, 800))
	b.checkFits("coverage", 320)
	stuck := run(b, chromedp.Evaluate[string](`(() => {
		const box = document.querySelector(".app-heat").closest(".app-scroll"), th = box.querySelector("tbody th");
		box.scrollLeft = 200;
		return box.scrollLeft + " " + Math.round(th.getBoundingClientRect().left - box.getBoundingClientRect().left);
	})()`))
	if scrolled, offset, _ := strings.Cut(stuck, " "); scrolled == "0" || offset != "0" {
		t.Errorf("scrolled the heat map by %s px: its first column moved %s px", scrolled, offset)
	}
	b.do(chromedp.EmulateViewport(1280, 900))

	// A capability from the heat map.
	capability := run(b, chromedp.Text(chromedp.CSS(".app-heat tbody th a")))
	b.follow(".app-heat tbody th a", "h1")
	if h1 := run(b, chromedp.Text(chromedp.CSS("h1"))); h1 != capability {
		t.Errorf("capability page h1 %q, want %q", h1, capability)
	}
	b.pageWorks("capability")
	b.checkAccessibilityAtWidths("capability")

	// The migrations, through the navigation, with their data to download.
	b.follow(`#navigation a[href="/dashboards"]`, "#figure-declining")
	b.follow(`main a[href="/dashboards/migrations"]`, ".app-migration")
	b.do(chromedp.WaitVisible(chromedp.CSS(`a[href="/api/v1/opportunities/migrations?limit=100&format=csv"][download]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/api/v1/opportunities/migrations?limit=100"]`)))
	b.checkAccessibilityAtWidths("migrations")

	// A component in decline, from the migrations.
	component := run(b, chromedp.Text(chromedp.CSS(".app-migration h2 a")))
	b.follow(".app-migration h2 a", "h1")
	if h1 := run(b, chromedp.Text(chromedp.CSS("h1"))); h1 != component {
		t.Errorf("component page h1 %q, want %q", h1, component)
	}
	if tag := run(b, chromedp.Text(chromedp.CSS("main .govuk-tag"))); tag != "Deprecated" && tag != "Retired" {
		t.Errorf("%s's first tag is %q, not its decline", component, tag)
	}
	// Its map names and links every dot.
	dots := run(b, chromedp.Evaluate[string](`[...document.querySelectorAll("svg.app-map a")].map(a => (a.querySelector("title") && a.getAttribute("href") ? "ok" : "bare")).join(" ")`))
	if dots == "" || strings.Contains(dots, "bare") {
		t.Errorf("map dots: %q", dots)
	}
	b.pageWorks("component in decline")
	b.checkAccessibilityAtWidths("component in decline")
}

// TestPagesFitPhones: every kind of page, the journey's too, fits a phone's
// width; wide tables scroll inside their own regions.
func TestPagesFitPhones(t *testing.T) {
	b, _ := openBrowser(t)
	for _, path := range append([]string{"/", "/components?q=drupal", "/components/localgov-drupal"}, otherPages...) {
		for i, width := range narrowWidths {
			b.do(chromedp.EmulateViewport(width, 800))
			if i == 0 {
				b.do(chromedp.Navigate(b.url+path), chromedp.WaitReady(chromedp.CSS("footer")))
			}
			b.checkFits(path, width)
		}
	}
}

// TestKeyboardAndPrint: a keyboard reaches everything on pages full of links,
// tables and forms, and sees where it is; printed, a page keeps its content
// and loses its navigation and link addresses.
func TestKeyboardAndPrint(t *testing.T) {
	b, _ := openBrowser(t)
	for _, path := range []string{"/", "/councils/" + lambeth, "/dashboards/coverage"} {
		b.do(chromedp.Navigate(b.url+path), chromedp.WaitReady(chromedp.CSS("body.govuk-frontend-supported")))
		b.checkKeyboard(path)
	}

	b.do(chromedp.Navigate(b.url+"/councils/"+lambeth), chromedp.WaitReady(chromedp.CSS("footer")), printMedia("print"))
	printed := run(b, chromedp.Evaluate[string](`JSON.stringify({
		nav: getComputedStyle(document.querySelector(".govuk-service-navigation")).display,
		after: getComputedStyle(document.querySelector("main a.govuk-link[href^='/']"), "::after").content,
		scroll: getComputedStyle(document.querySelector(".app-scroll")).overflowX,
		main: getComputedStyle(document.querySelector("main")).display})`))
	if printed != `{"nav":"none","after":"none","scroll":"visible","main":"block"}` {
		t.Errorf("printed council page: %s, want no navigation, no link addresses, tables whole, the content kept", printed)
	}
}
