package harvest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/council-components/registry/models"
)

// GOV.UK Pay's performance data: alphagov/pay-product-page data/performance.json, shown
// at GovUKPayURL as "Organisations / Number of live services".
const (
	GovUKPaySource    = "govuk-pay-performance"
	GovUKPayURL       = "https://www.payments.service.gov.uk/performance/"
	GovUKPayComponent = "govuk-pay"
	payCountsKey      = "serviceCountByOrganisation"
	payDateKey        = "dateUpdated"
)

// PayFile is GOV.UK Pay's performance.json as read.
type PayFile struct {
	File       string
	ObservedOn string         // dateUpdated as YYYY-MM-DD; "" when the file has none
	Services   map[string]int // live services by organisation, as GOV.UK Pay names them
}

// ParseGovUKPay reads performance.json. A file of the wrong shape is an error naming the
// file and the key, and invalid or truncated JSON one naming its line and byte.
func ParseGovUKPay(r io.Reader, file string) (PayFile, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return PayFile{}, &FileError{File: file, Msg: err.Error()}
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return PayFile{}, jsonError(file, b, err)
	}
	p := PayFile{File: file, Services: map[string]int{}}
	if raw, ok := top[payDateKey]; ok {
		var s string
		_ = json.Unmarshal(raw, &s)
		t, err := time.Parse("2 January 2006", strings.TrimSpace(s))
		if err != nil {
			return PayFile{}, keyError(file, b, payDateKey, fmt.Sprintf("%s is not a date such as \"3 August 2026\"", raw))
		}
		p.ObservedOn = t.Format(time.DateOnly)
	}
	raw, ok := top[payCountsKey]
	if !ok {
		return PayFile{}, &FileError{File: file, Key: payCountsKey, Msg: "missing: not GOV.UK Pay's performance.json"}
	}
	var counts map[string]json.RawMessage
	if err := json.Unmarshal(raw, &counts); err != nil || len(counts) == 0 {
		return PayFile{}, keyError(file, b, payCountsKey, "want an object of organisation names and their numbers of live services")
	}
	for name, v := range counts {
		var n int
		if err := json.Unmarshal(v, &n); err != nil || n < 0 {
			return PayFile{}, keyError(file, b, name, fmt.Sprintf("in %s, want a whole number of live services, got %s", payCountsKey, v))
		}
		p.Services[name] = n
	}
	return p, nil
}

// Observations matches each organisation to a council: every principal council with a live
// service is a live adoption of GOV.UK Pay, quoted with its count.
func (p PayFile) Observations(m *models.CouncilMatcher, src Source) (Harvest, error) {
	on, err := observedOn(src, p.ObservedOn, p.File)
	if err != nil {
		return Harvest{}, err
	}
	url := cmp.Or(src.URL, GovUKPayURL)
	h := newHarvest(GovUKPaySource, p.File, on)
	names := make([]string, 0, len(p.Services))
	for name := range p.Services {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		r := m.Match(name, on)
		h.place(name, r)
		n := p.Services[name]
		if r.Outcome != models.MatchMatched || n < 1 { // a count of 0 is no live service
			continue
		}
		services := fmt.Sprintf("%d live services", n)
		if n == 1 {
			services = "1 live service"
		}
		quote := fmt.Sprintf("GOV.UK Pay lists %s for %s", services, name)
		for _, code := range r.Codes {
			h.Observations = append(h.Observations, Observation{Council: code, Component: GovUKPayComponent,
				Kind: KindAdoption, Status: "live", Name: name,
				Evidence: Evidence{Source: GovUKPaySource, URL: url, Quote: quote, ObservedOn: on}})
		}
	}
	h.sortLists()
	return h, nil
}

// jsonError names the line and byte of a syntax error, or says the top is not an object.
func jsonError(file string, b []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &FileError{File: file, Line: lineAt(b, se.Offset), Offset: se.Offset, Msg: se.Error()}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &FileError{File: file, Line: lineAt(b, te.Offset), Offset: te.Offset, Msg: "want a JSON object at the top, got " + te.Value}
	}
	return &FileError{File: file, Msg: err.Error()}
}

// keyError names a key and the line where it first appears.
func keyError(file string, b []byte, key, msg string) error {
	var enc bytes.Buffer
	e := json.NewEncoder(&enc)
	e.SetEscapeHTML(false) // GOV.UK Pay writes "Adur & Worthing Councils" with a bare "&"
	_ = e.Encode(key)
	line := 0
	if i := bytes.Index(b, bytes.TrimSpace(enc.Bytes())); i >= 0 {
		line = lineAt(b, int64(i))
	}
	return &FileError{File: file, Line: line, Key: key, Msg: msg}
}

func lineAt(b []byte, offset int64) int {
	return bytes.Count(b[:min(int(offset), len(b))], []byte("\n")) + 1
}
