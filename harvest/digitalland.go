package harvest

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/council-components/registry/models"
)

// planning.data.gov.uk's specification: digital-land/specification
// specification/project-organisation.csv, with digital-land/organisation-collection's
// data/local-authority.csv to name the organisations.
const (
	DigitalLandSource = "digital-land-project-organisation"
	DigitalLandURL    = "https://github.com/digital-land/specification/blob/main/specification/project-organisation.csv"
	localAuthority    = "local-authority:"
)

// digitalLandProjects are the projects read, and what each is evidence of.
var digitalLandProjects = map[string]struct{ component, kind string }{
	"local-land-charges":    {"hmlr-local-land-charges", KindAdoption},
	"localgov-drupal":       {"localgov-drupal", KindAdoption},
	"open-digital-planning": {"open-digital-planning", KindMembership}, // a programme: membership is not adoption
}

// ProjectOrganisation is one row of project-organisation.csv.
type ProjectOrganisation struct {
	Line                                                     int
	Project, Organisation, Cohort, StartDate, EndDate, Notes string
}

// Organisation is one row of the organisation list.
type Organisation struct {
	ID, Name, GSS, Reference, StartDate, EndDate string
}

// DigitalLandFile is project-organisation.csv (the three projects read) with its organisations.
type DigitalLandFile struct {
	ProjectFile, OrganisationFile string
	Rows                          []ProjectOrganisation
	Organisations                 map[string]Organisation // by id, e.g. "local-authority:ADU"
}

// ParseDigitalLand reads project-organisation.csv and the organisation list. A missing
// column, a bad date or a blank organisation is an error naming the file, line and column.
func ParseDigitalLand(projectOrgs, orgs io.Reader, projectFile, orgFile string) (DigitalLandFile, error) {
	d := DigitalLandFile{ProjectFile: projectFile, OrganisationFile: orgFile, Organisations: map[string]Organisation{}}
	err := readCSV(projectOrgs, projectFile, []string{"project", "organisation", "cohort", "start-date", "end-date"},
		func(line int, get func(string) string) error {
			row := ProjectOrganisation{Line: line, Project: get("project"), Organisation: get("organisation"),
				Cohort: get("cohort"), StartDate: get("start-date"), EndDate: get("end-date"), Notes: get("notes")}
			if _, read := digitalLandProjects[row.Project]; read {
				d.Rows = append(d.Rows, row)
			}
			return nil
		})
	if err != nil {
		return DigitalLandFile{}, err
	}
	err = readCSV(orgs, orgFile, []string{"organisation", "name", "statistical-geography", "reference", "start-date", "end-date"},
		func(line int, get func(string) string) error {
			o := Organisation{ID: get("organisation"), Name: get("name"), GSS: get("statistical-geography"),
				Reference: get("reference"), StartDate: get("start-date"), EndDate: get("end-date")}
			if _, twice := d.Organisations[o.ID]; twice {
				return &FileError{File: orgFile, Line: line, Key: "organisation", Msg: fmt.Sprintf("%s is listed twice", o.ID)}
			}
			d.Organisations[o.ID] = o
			return nil
		})
	if err != nil {
		return DigitalLandFile{}, err
	}
	return d, nil
}

// readCSV reads a CSV file with a header, checking the required columns are there, none
// of "organisation" is blank and every "…-date" is blank or YYYY-MM-DD.
func readCSV(r io.Reader, file string, required []string, row func(line int, get func(string) string) error) error {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return &FileError{File: file, Line: 1, Msg: "cannot read the header: " + err.Error()}
	}
	cols := map[string]int{}
	for i, h := range header {
		cols[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, c := range required {
		if _, ok := cols[c]; !ok {
			return &FileError{File: file, Line: 1, Key: c, Msg: "the header has no such column"}
		}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return &FileError{File: file, Line: pe.Line, Msg: pe.Err.Error()}
		}
		if err != nil {
			return &FileError{File: file, Msg: err.Error()}
		}
		line, _ := cr.FieldPos(0)
		get := func(col string) string {
			if i, ok := cols[col]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		for _, c := range required {
			if v := get(c); (c == "organisation" && v == "") || (strings.HasSuffix(c, "date") && v != "" && !models.ValidDate(v)) {
				return &FileError{File: file, Line: line, Key: c, Msg: fmt.Sprintf("%q is not a valid value", v)}
			}
		}
		if err := row(line, get); err != nil {
			return err
		}
	}
}

// Observations places each organisation by its GSS code (or mySociety's code, or failing
// both its name) and turns its rows for each project into one observation. The file names
// organisations by id, so the harvest's name lists hold ids ("local-authority:ADU").
func (d DigitalLandFile) Observations(m *models.CouncilMatcher, src Source) (Harvest, error) {
	on, err := observedOn(src, DateInName(d.ProjectFile), d.ProjectFile)
	if err != nil {
		return Harvest{}, err
	}
	url := cmp.Or(src.URL, DigitalLandURL)
	h := newHarvest(DigitalLandSource, d.ProjectFile, on)
	type key struct{ project, org string }
	groups := map[key][]ProjectOrganisation{}
	var order []key
	for _, r := range d.Rows {
		k := key{r.Project, r.Organisation}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	for _, k := range order {
		org, r := d.place(m, k.org, on)
		h.place(k.org, r)
		if r.Outcome != models.MatchMatched {
			continue
		}
		if o, ok := digitalLandObservation(groups[k], org.Name, on); ok {
			o.Council = r.Code
			o.Evidence.URL = url
			h.Observations = append(h.Observations, o)
		}
	}
	h.sortLists()
	return h, nil
}

// place finds the council an organisation is. Its GSS code and mySociety's code must not
// disagree; a name is used only when neither code is known.
func (d DigitalLandFile) place(m *models.CouncilMatcher, id, on string) (Organisation, models.CouncilMatch) {
	if !strings.HasPrefix(id, localAuthority) {
		return Organisation{}, models.CouncilMatch{Outcome: models.MatchSkipped, Reason: "not a local authority"}
	}
	org, ok := d.Organisations[id]
	if !ok {
		return org, models.CouncilMatch{Outcome: models.MatchUnmatched, Reason: "not in the organisation list " + d.OrganisationFile}
	}
	byGSS, gssOK := m.Lookup(org.GSS)
	byRef, refOK := m.Lookup(org.Reference)
	switch {
	case gssOK && refOK && byGSS.Code != byRef.Code:
		return org, models.CouncilMatch{Outcome: models.MatchUnmatched, Reason: "its GSS code and its reference name different councils",
			Candidates: []string{byGSS.Code, byRef.Code}}
	case gssOK:
		return org, models.CouncilMatch{Code: byGSS.Code, Codes: []string{byGSS.Code}, Outcome: models.MatchMatched, Reason: "GSS code " + org.GSS}
	case refOK:
		return org, models.CouncilMatch{Code: byRef.Code, Codes: []string{byRef.Code}, Outcome: models.MatchMatched, Reason: "local authority code " + org.Reference}
	}
	return org, m.Match(org.Name, cmp.Or(org.EndDate, on))
}

// digitalLandObservation turns one organisation's rows for one project into an
// observation, quoting its first cohort. A register already moved to HM Land Registry is
// live, one due to move is piloting; a LocalGov Drupal listing shows no live site, so it
// is piloting; Open Digital Planning is funded membership. Rows of an adoption project
// that have all ended are no longer evidence.
func digitalLandObservation(rows []ProjectOrganisation, name, on string) (Observation, bool) {
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].StartDate < rows[j].StartDate })
	first, last := rows[0], rows[len(rows)-1]
	p := digitalLandProjects[first.Project]
	o := Observation{Component: p.component, Kind: p.kind, Status: "piloting", Name: name,
		Evidence: Evidence{Source: DigitalLandSource, ObservedOn: on}}
	ended := last.EndDate != "" && last.EndDate <= on
	switch first.Project {
	case "local-land-charges":
		switch {
		case first.StartDate == "":
			o.Evidence.Quote = fmt.Sprintf("planning.data.gov.uk lists %s in HM Land Registry's Local Land Charges programme, with no date", name)
		case first.StartDate <= on:
			o.Status = "live"
			o.Evidence.Quote = fmt.Sprintf("planning.data.gov.uk lists %s's local land charges register as moved to HM Land Registry on %s", name, humanDate(first.StartDate))
		default:
			o.Evidence.Quote = fmt.Sprintf("planning.data.gov.uk lists %s's local land charges register as due to move to HM Land Registry on %s", name, humanDate(first.StartDate))
		}
	case "localgov-drupal":
		o.Evidence.Quote = fmt.Sprintf("planning.data.gov.uk lists %s on LocalGov Drupal's council list%s", name, cohortNote(first, len(rows)))
	default:
		o.Evidence.Quote = fmt.Sprintf("planning.data.gov.uk lists %s as a member of Open Digital Planning%s", name, cohortNote(first, len(rows)))
		ended = false // a past membership is still a fact about the programme
	}
	return o, !ended
}

// cohortNote says " (cohort dpif-round-3 from 18 Mar 2025, the first of 2)".
func cohortNote(first ProjectOrganisation, n int) string {
	var parts []string
	if first.Cohort != "" {
		parts = append(parts, "cohort "+first.Cohort)
	}
	if first.StartDate != "" {
		parts = append(parts, "from "+humanDate(first.StartDate))
	}
	if first.EndDate != "" {
		parts = append(parts, "to "+humanDate(first.EndDate))
	}
	s := strings.Join(parts, " ")
	if n > 1 {
		s += fmt.Sprintf(", the first of %d", n)
	}
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}
