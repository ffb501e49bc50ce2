package seed

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/store"
)

const (
	capabilitiesFile = "capabilities.json"
	componentsFile   = "components.json"
)

// itemError names the file, and the line where the item's slug appears.
func (f Files) itemError(file, slug string, err error) error {
	b, _ := fs.ReadFile(f.FS, file)
	line := 0
	if i := strings.Index(string(b), `"`+slug+`"`); i >= 0 && slug != "" {
		line = lineAt(b, int64(i))
	}
	var me *models.Error
	msg := err.Error()
	if errors.As(err, &me) && len(me.Fields) > 0 {
		parts := make([]string, len(me.Fields))
		for i, fe := range me.Fields {
			parts[i] = fe.Field + " " + fe.Message
		}
		msg = strings.Join(parts, "; ")
	}
	return &lineError{file, line, fmt.Sprintf("%q: %s", slug, msg)}
}

func (f Files) capabilities() ([]models.Capability, error) {
	var doc struct {
		Categories []struct {
			Slug string `json:"slug"`
			Name string `json:"name"`
		} `json:"categories"`
		Capabilities []struct {
			Slug        string `json:"slug"`
			Name        string `json:"name"`
			Category    string `json:"category"`
			Description string `json:"description"`
			LGSLCodes   []int  `json:"lgsl_codes"`
		} `json:"capabilities"`
	}
	if err := f.readJSON(capabilitiesFile, &doc); err != nil {
		return nil, err
	}
	categories := map[string]bool{}
	for _, c := range doc.Categories {
		if !models.ValidSlug(c.Slug) || c.Name == "" {
			return nil, f.itemError(capabilitiesFile, c.Slug, errors.New("a category needs a slug and a name"))
		}
		categories[c.Slug] = true
	}
	seen := map[string]bool{}
	out := make([]models.Capability, 0, len(doc.Capabilities))
	for _, c := range doc.Capabilities {
		in := models.CapabilityInput{Slug: &c.Slug, Name: &c.Name, Category: &c.Category, Description: &c.Description, LGSLCodes: &c.LGSLCodes}
		if err := in.Validate(true); err != nil {
			return nil, f.itemError(capabilitiesFile, c.Slug, err)
		}
		if !categories[c.Category] {
			return nil, f.itemError(capabilitiesFile, c.Slug, fmt.Errorf("category %q is not listed in categories", c.Category))
		}
		if seen[c.Slug] {
			return nil, f.itemError(capabilitiesFile, c.Slug, errors.New("the slug is listed twice"))
		}
		seen[c.Slug] = true
		var m models.Capability
		in.Apply(&m)
		out = append(out, m)
	}
	return out, nil
}

func (f Files) components(caps []models.Capability) ([]store.SeedVendor, []store.SeedComponent, error) {
	var doc struct {
		Attribution string               `json:"attribution"`
		Vendors     []models.VendorInput `json:"vendors"`
		Components  []struct {
			models.ComponentInput
			SourceURL string `json:"source_url"`
		} `json:"components"`
	}
	if err := f.readJSON(componentsFile, &doc); err != nil {
		return nil, nil, err
	}
	vendors := map[string]bool{}
	var vs []store.SeedVendor
	for _, in := range doc.Vendors {
		if err := in.Validate(true); err != nil {
			return nil, nil, f.itemError(componentsFile, deref(in.Slug), err)
		}
		var v models.Vendor
		in.Apply(&v)
		vendors[v.Slug] = true
		vs = append(vs, store.SeedVendor{Vendor: v})
	}
	capSet := map[string]bool{}
	for _, c := range caps {
		capSet[c.Slug] = true
	}
	slugs := map[string]bool{}
	for _, c := range doc.Components {
		slugs[deref(c.Slug)] = true
	}
	var out []store.SeedComponent
	for _, c := range doc.Components {
		slug := deref(c.Slug)
		if err := c.Validate(true); err != nil {
			return nil, nil, f.itemError(componentsFile, slug, err)
		}
		if !models.ValidHTTPURL(c.SourceURL) {
			return nil, nil, f.itemError(componentsFile, slug, errors.New("source_url must cite the facts with an http(s) URL"))
		}
		var m models.Component
		c.Apply(&m)
		var p models.Problems
		if !vendors[m.Vendor] {
			p.Add("vendor", "%q is not listed in vendors", m.Vendor)
		}
		for _, cap := range m.Capabilities {
			if !capSet[cap] {
				p.Add("capabilities", "%q is not in %s", cap, capabilitiesFile)
			}
		}
		for _, dep := range m.DependsOn {
			if !slugs[dep] {
				p.Add("depends_on", "%q is not a component in this file", dep)
			}
		}
		if err := p.Err(); err != nil {
			return nil, nil, f.itemError(componentsFile, slug, err)
		}
		out = append(out, store.SeedComponent{Component: m})
	}
	return vs, out, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// evidenceStatus is the strongest adoption status each kind of published
// statement supports. Joining a collaboration is not running a site.
var evidenceStatus = map[string]string{
	"joined_collaboration_alpha": "exploring",
	"joined_collaboration_beta":  "exploring",
	"project_originator":         "exploring",
	"lead_council":               "exploring",
	"adopted_code":               "live", // "Drupal is the platform we use to publish our main site … Croydon adopted Brighton's code"
	"live_site_launched":         "live",
	"uses_localgov_publications": "live",
}

// evidenceCapability is what each statement shows the component being used for.
var evidenceCapability = map[string]string{
	"uses_localgov_publications": "publications-and-guides",
}

const evidenceComponent = "localgov-drupal"

// evidence turns the published statements about LocalGov Drupal into one
// adoption per council: the strongest status any statement supports, every
// statement quoted in the notes. Statements about bodies that are not local
// authorities (London Councils) are left out.
func (f Files) evidence(councils []models.Council) ([]models.Adoption, error) {
	recs, err := f.readCSV(evidenceFile, []string{"gss_code", "evidence_type", "evidence_quote", "source_date", "source_url", "council_name_as_published"})
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, c := range councils {
		known[c.Code] = true
	}
	rank := map[string]int{"exploring": 0, "piloting": 1, "live": 2}
	byCouncil := map[string]*models.Adoption{}
	var order []string
	for _, r := range recs {
		gss := r.get("gss_code")
		if gss == "" {
			continue // not a local authority
		}
		if !known[gss] {
			return nil, &lineError{evidenceFile, r.line, fmt.Sprintf("gss_code %q is not a council in %s", gss, mySocietyFile)}
		}
		status, ok := evidenceStatus[r.get("evidence_type")]
		if !ok {
			return nil, &lineError{evidenceFile, r.line, fmt.Sprintf("unknown evidence_type %q", r.get("evidence_type"))}
		}
		url, date := r.get("source_url"), r.get("source_date")
		if !models.ValidHTTPURL(url) || !models.ValidDate(date) {
			return nil, &lineError{evidenceFile, r.line, "source_url must be an http(s) URL and source_date a YYYY-MM-DD date"}
		}
		capability := evidenceCapability[r.get("evidence_type")]
		if capability == "" {
			capability = "website-content-management"
		}
		said := strings.Join(strings.Fields(r.get("evidence_quote")), " ")
		quote := fmt.Sprintf("%s (%s, %s): %q", strings.ReplaceAll(r.get("evidence_type"), "_", " "), date, url, said)
		a, ok := byCouncil[gss]
		if !ok {
			a = &models.Adoption{Council: gss, Component: evidenceComponent, Source: "evidence"}
			byCouncil[gss] = a
			order = append(order, gss)
		} else {
			a.Notes += "\n"
		}
		a.Notes += quote
		a.Evidence = append(a.Evidence, models.EvidenceItem{Source: "localgov-drupal-docs", URL: url, Quote: said, ObservedOn: date, Current: true, Status: status})
		if a.EvidenceURL == nil || rank[status] > rank[a.Status] {
			a.Status, a.Capability, a.EvidenceURL = status, capability, &url
		}
	}
	out := make([]models.Adoption, 0, len(order))
	for _, gss := range order {
		out = append(out, *byCouncil[gss])
	}
	return out, nil
}
