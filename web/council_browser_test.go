package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserCouncilJourney walks a council head of digital's journey: they
// search for their council, open its page, follow an opportunity to its
// component, and a peer running it to that council's page. Every page passes
// axe-core and fits a phone at 320 and 390 px.
func TestBrowserCouncilJourney(t *testing.T) {
	b, e := openBrowser(t)
	checkPhones := func(name string) {
		t.Helper()
		b.checkAccessibility(name)
		for _, width := range []int64{320, 390} {
			b.do(chromedp.EmulateViewport(width, 800))
			b.checkFits(name, width)
			b.checkAccessibility(name + " at " + itoa(int(width)) + " px")
		}
		b.do(chromedp.EmulateViewport(1280, 900))
	}

	// They search for their council.
	b.do(chromedp.Navigate(b.url+"/councils"), chromedp.WaitVisible(chromedp.ID("council-q")))
	b.do(chromedp.SendKeys(chromedp.ID("council-q"), "Lambeth"), chromedp.Submit(chromedp.ID("council-q")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/councils/`+lambeth+`"]`)))
	checkPhones("councils search")

	// They open their council's page: each opportunity says how strong it is.
	b.follow(`main a[href="/councils/`+lambeth+`"]`, "#opportunity-list")
	if h1 := run(b, chromedp.Text(chromedp.CSS("h1"))); h1 != "London Borough of Lambeth" {
		t.Fatalf("council page h1 %q", h1)
	}
	first := run(b, chromedp.Text(chromedp.CSS("#opportunity-list li")))
	if !strings.Contains(first, " match") || !strings.Contains(first, "closest peers") {
		t.Errorf("the first opportunity does not say how strong it is in words: %q", first)
	}
	b.pageWorks("my council")
	checkPhones("my council")

	// They follow the first opportunity to its component.
	comp := run(b, chromedp.Text(chromedp.CSS("#opportunity-list li h3 a")))
	b.follow("#opportunity-list li h3 a", "h1")
	if h1 := run(b, chromedp.Text(chromedp.CSS("h1"))); h1 != comp {
		t.Fatalf("component page h1 %q, want %q", h1, comp)
	}
	checkPhones("opportunity's component")

	// Back on their page, they open a peer running it, to ask how it went.
	b.do(chromedp.Navigate(b.url+"/councils/"+lambeth), chromedp.WaitVisible(chromedp.ID("opportunity-list")))
	peers := run(b, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#opportunity-list li a[href^='/councils/']")].map(a => a.textContent)`))
	if len(peers) == 0 {
		t.Fatal("no opportunity names a peer running it: a useless case")
	}
	b.follow("#opportunity-list li a[href^='/councils/']", "#peers")
	if h1 := run(b, chromedp.Text(chromedp.CSS("h1"))); h1 != peers[0] {
		t.Fatalf("peer page h1 %q, want %q", h1, peers[0])
	}
	checkPhones("peer council")

	// A council still running a deprecated product sees it flagged, and the
	// page still fits.
	ms := e.get("/api/v1/opportunities/migrations").json()["items"].([]any)
	if len(ms) == 0 {
		t.Fatal("no migrations: a useless case")
	}
	code := ms[0].(map[string]any)["councils"].([]any)[0].(string)
	b.do(chromedp.Navigate(b.url+"/councils/"+code), chromedp.WaitVisible(chromedp.ID("migrations")))
	checkPhones("council with a deprecated product")
}
