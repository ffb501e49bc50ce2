package seed

import (
	"fmt"
	"strings"

	"github.com/council-components/registry/models"
)

const adoptionEvidenceFile = "evidence/adoption_evidence.csv"

// evidenceSources names each source by where its evidence lives: the
// repository (and, for planning.data.gov.uk, the file) a row's URL points at.
var evidenceSources = []struct{ prefix, source string }{
	{"https://github.com/alphagov/pay-product-page/", "govuk-pay-performance"},
	{"https://github.com/alphagov/notifications-admin/", "govuk-notify-domains"},
	{"https://github.com/mysociety/fixmystreet/", "fixmystreet-cobrand"},
	{"https://github.com/theopensystemslab/planx-new/", "planx-config"},
	{"https://github.com/unboxed/bops/", "bops-config"},
	{"https://github.com/localgovdrupal/", "localgov-drupal-docs"},
	{"https://localgovdrupal.org/", "localgov-drupal-docs"},
	{"https://github.com/tpximpact/", "open-referral-uk"},
}

// evidenceSource is the source id of an evidence URL.
func evidenceSource(url string) string {
	if strings.HasPrefix(url, "https://github.com/digital-land/specification/") {
		if strings.Contains(url, "/award.csv") {
			return "digital-land-award"
		}
		return "digital-land-project-organisation"
	}
	for _, s := range evidenceSources {
		if strings.HasPrefix(url, s.prefix) {
			return s.source
		}
	}
	return "web-page"
}

// adoptionEvidence reads the cited evidence of who uses what: each row is one
// evidence item, and the rows about one council and component are one
// adoption (its status the strongest its evidence supports). Rows about
// abolished councils stay on those former councils; vesting carries them
// over. A row with no council code is reported, never guessed.
func (f Files) adoptionEvidence(known map[string]bool, isComponent func(string) bool) (adoptions []models.Adoption, unmatched []string, err error) {
	recs, err := f.readCSV(adoptionEvidenceFile, []string{"council_name_as_in_source", "gss_code", "component", "status",
		"evidence_url", "evidence_quote_or_path", "source_date"})
	if err != nil {
		return nil, nil, err
	}
	index := map[[2]string]int{}
	for _, r := range recs {
		component, code := r.get("component"), r.get("gss_code")
		if _, programme := programmeKinds[component]; programme {
			continue // a membership (seed/programmes.go), never an adoption
		}
		if code == "" || !known[code] {
			unmatched = append(unmatched, fmt.Sprintf("%s (%s line %d): no council code", r.get("council_name_as_in_source"), adoptionEvidenceFile, r.line))
			continue
		}
		item, err := evidenceItem(r, isComponent)
		if err != nil {
			return nil, nil, err
		}
		if harvestedRow(item.Source, component) {
			continue // read from the upstream file itself: seed/harvested.go
		}
		key := [2]string{code, component}
		i, ok := index[key]
		if !ok {
			i = len(adoptions)
			index[key] = i
			adoptions = append(adoptions, models.Adoption{Council: code, Component: component, Source: "evidence"})
		}
		adoptions[i].Evidence = append(adoptions[i].Evidence, item)
	}
	for i := range adoptions {
		adoptions[i].Status, _ = models.EvidenceStatus(adoptions[i].Evidence)
	}
	return adoptions, unmatched, nil
}

// evidenceItem checks one row and makes it an evidence item.
func evidenceItem(r csvRecord, component func(string) bool) (models.EvidenceItem, error) {
	bad := func(format string, args ...any) error {
		return &lineError{adoptionEvidenceFile, r.line, fmt.Sprintf(format, args...)}
	}
	url, date, status := r.get("evidence_url"), r.get("source_date"), r.get("status")
	switch {
	case !component(r.get("component")):
		return models.EvidenceItem{}, bad("component %q is not in %s", r.get("component"), componentsFile)
	case !models.ValidHTTPURL(url):
		return models.EvidenceItem{}, bad("evidence_url %q is not an http(s) URL", url)
	case !models.ValidDate(date):
		return models.EvidenceItem{}, bad("source_date %q is not a YYYY-MM-DD date", date)
	case status != "live" && status != "piloting" && status != "exploring":
		return models.EvidenceItem{}, bad("status %q is not live, piloting or exploring", status)
	}
	quote := strings.Join(strings.Fields(r.get("evidence_quote_or_path")), " ")
	return models.EvidenceItem{Source: evidenceSource(url), URL: url, Quote: quote, ObservedOn: date, Current: true, Status: status}, nil
}
