package seed

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/store"
)

const (
	newComponentsFile  = "evidence/new_components.json"
	collaborationsFile = "evidence/collaborations.csv"
)

// programmeKinds are the entries of new_components.json that are not
// software: what each one is. The others are components.
var programmeKinds = map[string]string{
	"open-digital-planning":     "programme",
	"local-digital-declaration": "commitment",
}

// programmeCapabilities is the capability a programme's projects are listed
// under among collaborations, from capabilities.json. Open Digital Planning's
// projects (PropTech, digital planning funds, BOPS, PlanX) serve planning
// authorities: planning-applications. The Local Digital Declaration's core
// commitment is "modular common components and open data standards":
// open-data-standards.
var programmeCapabilities = map[string]string{
	"open-digital-planning":     "planning-applications",
	"local-digital-declaration": "open-data-standards",
}

// programmes reads the programmes, their members' evidence and the real
// projects into d, which already holds councils, capabilities and components.
func (f Files) programmes(d *store.SeedData) error {
	var err error
	if d.Programmes, err = f.readProgrammes(); err != nil {
		return err
	}
	for _, slug := range programmeCapabilities {
		if !slices.ContainsFunc(d.Capabilities, func(c models.Capability) bool { return c.Slug == slug }) {
			return fmt.Errorf("seed: programme capability %q is not in %s", slug, capabilitiesFile)
		}
	}
	known := map[string]models.Council{}
	for _, c := range d.Councils {
		known[c.Code] = c
	}
	if d.ProgrammeMembers, err = f.programmeMembers(known, &d.Unmatched); err != nil {
		return err
	}
	d.Projects, err = f.projects(known, d.Components, &d.Unmatched)
	return err
}

// readProgrammes takes the programme and commitment out of new_components.json:
// its text (what it is) becomes the summary, facts only as the file cites them.
func (f Files) readProgrammes() ([]models.Programme, error) {
	var doc struct {
		Description string `json:"description"`
		Compiled    string `json:"compiled"`
		Components  []struct {
			ID             string `json:"id"`
			Name           string `json:"name"`
			Category       string `json:"category"`
			Owner          string `json:"owner_organisation"`
			OwnerBasis     string `json:"owner_basis"`
			Capability     string `json:"capability"`
			OpenSource     *bool  `json:"open_source"`
			Licence        *string
			Repositories   []string `json:"repositories"`
			URL            string   `json:"url"`
			Source         string   `json:"source"`
			Sources        []struct{ URL, Supports string }
			IntegratesWith []string `json:"integrates_with"`
			AdoptersFile   string   `json:"adopters_file"`
			Notes          string   `json:"notes"`
		} `json:"components"`
	}
	if err := f.readJSON(newComponentsFile, &doc); err != nil {
		return nil, err
	}
	var out []models.Programme
	for _, c := range doc.Components {
		kind, ok := programmeKinds[c.ID]
		if !ok {
			continue // software: a component
		}
		if c.Name == "" || c.Capability == "" || !models.ValidHTTPURL(c.URL) || !models.ValidHTTPURL(c.Source) {
			return nil, f.itemError(newComponentsFile, c.ID, errors.New("a programme needs a name, its text, and http(s) url and source"))
		}
		out = append(out, models.Programme{Slug: c.ID, Name: c.Name, Kind: kind, Owner: c.Owner,
			Summary: c.Capability, URL: c.URL, SourceURL: c.Source})
	}
	if len(out) != len(programmeKinds) {
		return nil, &lineError{newComponentsFile, 1, fmt.Sprintf("%d of the %d programmes are listed", len(out), len(programmeKinds))}
	}
	return out, nil
}

// programmeMembers reads the evidence rows about programmes: each row is one
// item, and a council's rows make one membership. A row without a known
// council code is reported, never guessed.
func (f Files) programmeMembers(known map[string]models.Council, unmatched *[]string) ([]store.SeedMember, error) {
	recs, err := f.readCSV(adoptionEvidenceFile, []string{"council_name_as_in_source", "gss_code", "component",
		"evidence_url", "evidence_quote_or_path", "source_date"})
	if err != nil {
		return nil, err
	}
	var out []store.SeedMember
	for _, r := range recs {
		slug := r.get("component")
		if _, ok := programmeKinds[slug]; !ok {
			continue // an adoption of a component
		}
		url, date := r.get("evidence_url"), r.get("source_date")
		if !models.ValidHTTPURL(url) || !models.ValidDatePrefix(date) {
			return nil, &lineError{adoptionEvidenceFile, r.line, "evidence_url must be an http(s) URL and source_date a date (YYYY, YYYY-MM or YYYY-MM-DD)"}
		}
		code := r.get("gss_code")
		if _, ok := known[code]; !ok {
			*unmatched = append(*unmatched, fmt.Sprintf("%s line %d: %q (gss_code %q) is not a council in %s; not a member of %s",
				adoptionEvidenceFile, r.line, r.get("council_name_as_in_source"), code, mySocietyFile, slug))
			continue
		}
		out = append(out, store.SeedMember{Programme: slug, Council: code, Item: models.EvidenceItem{
			Source: evidenceSourceOf(url), URL: url, Quote: r.get("evidence_quote_or_path"), ObservedOn: date, Current: true}})
	}
	return out, nil
}

// evidenceSourceOf names the source an evidence URL belongs to (models.EvidenceSourceNames).
func evidenceSourceOf(url string) string {
	switch {
	case strings.Contains(url, "digital-land/specification") && strings.HasSuffix(url, "/project-organisation.csv"):
		return "digital-land-project-organisation"
	case strings.Contains(url, "digital-land/specification") && strings.HasSuffix(url, "/award.csv"):
		return "digital-land-award"
	}
	return "web-page"
}

// projects reads collaborations.csv: one project a row, councils by their
// codes, the lead matched by name to one of those councils (else kept as its
// published name), dates as precise as published, funding where the quote
// states "GBP n". Codes, components and programmes the registry does not hold
// are reported, never guessed.
func (f Files) projects(known map[string]models.Council, comps []store.SeedComponent, unmatched *[]string) ([]models.Project, error) {
	recs, err := f.readCSV(collaborationsFile, []string{"project", "lead", "councils", "gss_codes", "capability",
		"component", "start_date", "end_date", "source_url", "evidence_quote_or_path", "notes"})
	if err != nil {
		return nil, err
	}
	firstCapability := map[string]string{}
	for _, c := range comps {
		if len(c.Capabilities) > 0 {
			firstCapability[c.Slug] = c.Capabilities[0] // the file lists a component's main capability first
		}
	}
	seen := map[string]int{}
	var out []models.Project
	for _, r := range recs {
		bad := func(format string, args ...any) error {
			return &lineError{collaborationsFile, r.line, fmt.Sprintf(format, args...)}
		}
		report := func(format string, args ...any) {
			*unmatched = append(*unmatched, fmt.Sprintf("%s line %d: ", collaborationsFile, r.line)+fmt.Sprintf(format, args...))
		}
		p := models.Project{ProjectRef: models.ProjectRef{Name: r.get("project"), SourceURL: r.get("source_url")},
			Councils: []string{}, Theme: r.get("capability"), Quote: r.get("evidence_quote_or_path"), Notes: r.get("notes")}
		p.Slug = models.Slugify(p.Name)
		if p.Slug == "" || seen[p.Slug] > 0 {
			return nil, bad("project %q is blank or has the same slug as line %d", p.Name, seen[p.Slug])
		}
		seen[p.Slug] = r.line
		if !models.ValidHTTPURL(p.SourceURL) {
			return nil, bad("source_url must cite the project with an http(s) URL")
		}
		if err := r.optDates(models.ValidDatePrefix, "a date (YYYY, YYYY-MM or YYYY-MM-DD)", dateColumn{"start_date", &p.StartedOn}, dateColumn{"end_date", &p.EndedOn}); err != nil {
			return nil, bad("%v", err)
		}
		if funding := models.FundingFromQuote(p.Quote); funding != "" {
			p.Funding = &funding
		}
		codes, names := splitList(r.get("gss_codes"), ";"), splitList(r.get("councils"), ";")
		for _, code := range codes {
			if _, ok := known[code]; !ok {
				report("%s: gss_code %q is not a council in %s; left out", p.Name, code, mySocietyFile)
				continue
			}
			p.Councils = append(p.Councils, code)
		}
		p.Lead = projectLead(r.get("lead"), codes, names, known)
		slug := r.get("component")
		switch _, programme := programmeKinds[slug]; {
		case programme:
			p.Programme = &slug
			p.Capability = &models.Ref{Slug: programmeCapabilities[slug]}
		case firstCapability[slug] != "":
			p.Component = &slug
			p.Capability = &models.Ref{Slug: firstCapability[slug]}
		case slug != "":
			report("%s: component %q is not in %s; the project is kept without it", p.Name, slug, componentsFile)
		}
		out = append(out, p)
	}
	return out, nil
}

// projectLead matches the lead's published name to one of the row's councils
// (names and codes are listed in the same order), or to a listed council's
// registry name; anything else is kept as published, with no code.
func projectLead(lead string, codes, names []string, known map[string]models.Council) *models.ProjectLead {
	if lead == "" {
		return nil
	}
	out := &models.ProjectLead{Name: lead}
	for i, code := range codes {
		c, ok := known[code]
		if ok && (i < len(names) && names[i] == lead || c.Name == lead || c.ShortName == lead) {
			out.Code = &code
			break
		}
	}
	return out
}
