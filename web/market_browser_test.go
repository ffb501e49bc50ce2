package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// The market pages, including their forms showing an error, are accessible, work with the
// keyboard (those without an error) and fit phones.
func TestMarketPagesInBrowser(t *testing.T) {
	b, _ := openBrowser(t)
	withError := map[string]bool{"/councils/" + lambeth + "/renewals?window_months=0": true, "/dashboards/concentration?horizon_months=0": true}
	for _, path := range []string{"/councils/" + lambeth + "/renewals?window_months=36", "/councils/" + lambeth + "/renewals?window_months=0",
		"/dashboards/concentration", "/dashboards/concentration?region=London", "/dashboards/concentration?horizon_months=0"} {
		b.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(b.url+path), chromedp.WaitReady(chromedp.CSS("footer")))
		b.pageWorks(path)
		b.checkAccessibility(path)
		if !withError[path] { // there GOV.UK Frontend moves focus to the error summary, as it should
			b.checkKeyboard(path)
		}
		for _, width := range narrowWidths {
			b.do(chromedp.EmulateViewport(width, 800))
			b.checkFits(path, width)
		}
	}
}
