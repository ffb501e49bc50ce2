package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/council-components/registry/models"
)

// checkPhones checks the open page at each phone width (axe-core at the
// narrowest), then goes back to the desktop width.
func (b *browser) checkPhones(name string) {
	b.t.Helper()
	for i, width := range narrowWidths {
		b.do(chromedp.EmulateViewport(width, 800))
		b.checkFits(name, width)
		if i == 0 {
			b.checkAccessibility(name + " at 320 px")
		}
	}
	b.do(chromedp.EmulateViewport(1280, 900))
}

// TestVendorJourney: a vendor finds the vendors list, its own page and the
// guide to listing a component, then one of its components and an adopter
// with its evidence and the council's contact; every page passes axe-core
// and fits a phone.
func TestVendorJourney(t *testing.T) {
	b, e := openBrowser(t)
	const vendor, component = "localgov-drupal", "localgov-drupal"

	// A council has published a contact on an adoption with evidence.
	var evidenced map[string]any
	for _, a := range e.allItems("/api/v1/adoptions?component=" + component + "&status=live&limit=100") {
		if len(a["evidence"].([]any)) > 0 {
			evidenced = a
			break
		}
	}
	if evidenced == nil {
		t.Fatal("no live adoption of " + component + " has evidence: a useless case")
	}
	code, contact := evidenced["council"].(string), "https://www.council.example/contact-digital"
	if _, err := e.st.UpdateAdoption(context.Background(), models.Actor{Key: "test", Role: models.RoleCouncil, Org: code}, int64(evidenced["id"].(float64)),
		models.AdoptionInput{PublicContact: models.NullString{Set: true, Value: &contact}}, nil); err != nil {
		t.Fatal(err)
	}

	// The vendors list, most used first.
	b.do(chromedp.Navigate(b.url+"/vendors"), chromedp.WaitVisible(chromedp.CSS(`a[href="/list-your-component"]`)))
	b.pageWorks("vendors")
	b.checkAccessibility("vendors")
	b.checkPhones("vendors")
	b.do(chromedp.Navigate(b.url+"/vendors?sort=councils"), chromedp.WaitVisible(chromedp.CSS(`a[href="/vendors/`+vendor+`"]`)))

	// The vendor's page, and from it the guide to listing a component.
	b.follow(`a[href="/vendors/`+vendor+`"]`, "#offers")
	b.pageWorks("vendor")
	b.checkAccessibility("vendor")
	b.checkPhones("vendor")
	b.follow(`main a[href="/list-your-component"]`, "#get-a-key")
	if h1 := run(b, chromedp.Text(chromedp.CSS("h1"))); !strings.Contains(strings.ToLower(h1), "list") {
		t.Errorf("guide h1 %q", h1)
	}
	b.pageWorks("list your component")
	b.checkAccessibility("list your component")
	b.checkPhones("list your component")

	// Back on the vendor's page, one of its components.
	b.do(chromedp.Navigate(b.url+"/vendors/"+vendor), chromedp.WaitVisible(chromedp.ID("offers")))
	b.follow(`#offers ~ div a[href="/components/`+component+`"]`, "#adopters-live")
	b.pageWorks("component")
	b.checkAccessibility("component")
	b.checkPhones("component")

	// The adopter's row shows the evidence (source, date, quote) and the council's contact.
	row := `#adopters-live tr:has(a[href="/councils/` + code + `"])`
	text := run(b, chromedp.Text(chromedp.CSS(row)))
	links := []string{contact}
	for _, it := range evidenced["evidence"].([]any) {
		item := it.(map[string]any)
		for _, want := range []string{withLongDays(item["observed_on"].(string)), item["quote"].(string)} {
			if !strings.Contains(text, want) {
				t.Errorf("the adopter's row lacks %q: %s", want, text)
			}
		}
		links = append(links, item["url"].(string))
	}
	if !strings.Contains(text, "Contact page") {
		t.Errorf("the adopter's row shows no contact: %s", text)
	}
	for _, href := range links {
		sel, _ := json.Marshal(row + ` a[href="` + href + `"][rel="noreferrer"]`)
		if !run(b, chromedp.Evaluate[bool](`document.querySelector(`+string(sel)+`) !== null`)) {
			t.Errorf("the adopter's row has no link to %s", href)
		}
	}

	// It follows the adopter to the council's page.
	name := run(b, chromedp.Text(chromedp.CSS(row+` a[href="/councils/`+code+`"]`)))
	b.follow(row+` a[href="/councils/`+code+`"]`, "h1")
	if h1 := run(b, chromedp.Text(chromedp.CSS("h1"))); h1 != name {
		t.Errorf("council page h1 %q, want %q", h1, name)
	}
}
