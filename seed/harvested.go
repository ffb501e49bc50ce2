package seed

import (
	"fmt"
	"io/fs"

	"github.com/council-components/registry/harvest"
	"github.com/council-components/registry/models"
)

// The upstream files shipped with the evidence are read by the same code as
// `registry harvest`, so that the seed's items and a later harvest of the
// same file are the same items (same source, URL and wording), and a harvest
// of a newer file retires exactly what it no longer lists.
const (
	upstreamPay           = "evidence/upstream/govuk-pay-performance-2026-08-03.json"
	upstreamProjectOrgs   = "evidence/upstream/digital-land-project-organisation-2026-08-21.csv"
	upstreamOrganisations = "evidence/upstream/digital-land-local-authority-2025-02-20.csv"
)

// harvestedRow reports whether an evidence-file row is one the upstream files
// give again: GOV.UK Pay's list, and planning.data.gov.uk's land-charge dates.
func harvestedRow(source, component string) bool {
	return source == harvest.GovUKPaySource ||
		source == harvest.DigitalLandSource && component == "hmlr-local-land-charges"
}

// harvestedEvidence reads the shipped upstream files into adoptions with
// their evidence, one per council and component.
func (f Files) harvestedEvidence() ([]models.Adoption, error) {
	names, err := f.CouncilNames()
	if err != nil {
		return nil, err
	}
	m := models.NewCouncilMatcher(names)
	pay, err := f.open(upstreamPay)
	if err != nil {
		return nil, err
	}
	defer pay.Close()
	pf, err := harvest.ParseGovUKPay(pay, upstreamPay)
	if err != nil {
		return nil, err
	}
	ph, err := pf.Observations(m, harvest.Source{})
	if err != nil {
		return nil, err
	}
	po, err := f.open(upstreamProjectOrgs)
	if err != nil {
		return nil, err
	}
	defer po.Close()
	orgs, err := f.open(upstreamOrganisations)
	if err != nil {
		return nil, err
	}
	defer orgs.Close()
	df, err := harvest.ParseDigitalLand(po, orgs, upstreamProjectOrgs, upstreamOrganisations)
	if err != nil {
		return nil, err
	}
	dh, err := df.Observations(m, harvest.Source{})
	if err != nil {
		return nil, err
	}
	return observedAdoptions(append(ph.Observations, dh.Observations...)), nil
}

// observedAdoptions groups adoption observations by council and component.
func observedAdoptions(obs []harvest.Observation) []models.Adoption {
	var out []models.Adoption
	index := map[[2]string]int{}
	for _, o := range obs {
		if o.Kind != harvest.KindAdoption || o.Component == "localgov-drupal" {
			continue // memberships are programmes'; LocalGov Drupal's listing comes from the evidence file
		}
		key := [2]string{o.Council, o.Component}
		i, ok := index[key]
		if !ok {
			i = len(out)
			index[key] = i
			out = append(out, models.Adoption{Council: o.Council, Component: o.Component, Source: "evidence"})
		}
		out[i].Evidence = append(out[i].Evidence, models.EvidenceItem{Source: o.Evidence.Source, URL: o.Evidence.URL,
			Quote: o.Evidence.Quote, ObservedOn: o.Evidence.ObservedOn, Current: true, Status: o.Status})
	}
	return out
}

// open opens one of the data files, naming it in any error.
func (f Files) open(name string) (fs.File, error) {
	file, err := f.FS.Open(name)
	if err != nil {
		return nil, fmt.Errorf("seed data %s: %w", name, err)
	}
	return file, nil
}
