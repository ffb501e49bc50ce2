// Package harvest reads the files public sources publish about which councils use which
// shared components (GOV.UK Pay's performance data, planning.data.gov.uk's project lists)
// into plain observations: a council, a component, a status and the evidence for it; and
// fetches the publiccode.yml files a publiccode harvest lists (publiccode.go), within
// limits of size, time and redirects, for the publiccode package to read. It writes nothing
// to the registry, and what it cannot place it reports rather than guesses.
package harvest

import (
	"fmt"
	"regexp"
	"sort"
	"time"

	"github.com/council-components/registry/models"
)

// Kinds of observation: an adoption of a component, or membership of a programme
// (Open Digital Planning), which is not an adoption and counts as none.
const (
	KindAdoption   = "adoption"
	KindMembership = "membership"
)

// Evidence is one cited item: where it came from, what it says and when it was read.
type Evidence struct {
	Source     string `json:"source"` // e.g. "govuk-pay-performance"
	URL        string `json:"url"`
	Quote      string `json:"quote"`
	ObservedOn string `json:"observed_on"` // YYYY-MM-DD
}

// Observation is what one source says about one council and one component. Two names
// of one council in a source (GOV.UK Pay lists "Bracknell Forest Council" and "Bracknell
// Forest Borough Council") are two observations: two items of evidence for one adoption.
type Observation struct {
	Council   string   `json:"council"`   // registry code
	Component string   `json:"component"` // component (or programme) slug
	Kind      string   `json:"kind"`      // adoption or membership
	Status    string   `json:"status"`    // live, piloting or exploring, by the evidence README's rules
	Name      string   `json:"name"`      // the council as the source names it
	Evidence  Evidence `json:"evidence"`
}

// Unplaced is a name that became no observation, and why.
type Unplaced struct {
	Name       string   `json:"name"`
	Outcome    string   `json:"outcome"` // skipped, ambiguous or unmatched
	Reason     string   `json:"reason"`
	Candidates []string `json:"candidates,omitempty"`
}

// Harvest is everything read from one source's files.
type Harvest struct {
	Source       string              `json:"source"`
	File         string              `json:"file"`
	ObservedOn   string              `json:"observed_on"`
	Observations []Observation       `json:"observations"`
	Matched      map[string][]string `json:"matched"`   // name as published → council codes
	Skipped      []Unplaced          `json:"skipped"`   // not principal councils
	Unmatched    []Unplaced          `json:"unmatched"` // ambiguous or not placed, with candidates
	placed       map[string]bool
}

// Source says where the file came from and when: both default from the file itself.
type Source struct {
	URL        string // cited in every evidence item
	ObservedOn string // YYYY-MM-DD
}

func newHarvest(source, file, on string) Harvest {
	return Harvest{Source: source, File: file, ObservedOn: on, Observations: []Observation{},
		Matched: map[string][]string{}, Skipped: []Unplaced{}, Unmatched: []Unplaced{}, placed: map[string]bool{}}
}

// place records how a name was matched, once per name.
func (h *Harvest) place(name string, r models.CouncilMatch) {
	if h.placed[name] {
		return
	}
	h.placed[name] = true
	u := Unplaced{Name: name, Outcome: r.Outcome, Reason: r.Reason, Candidates: r.Candidates}
	switch r.Outcome {
	case models.MatchMatched:
		h.Matched[name] = r.Codes
	case models.MatchSkipped:
		h.Skipped = append(h.Skipped, u)
	default:
		h.Unmatched = append(h.Unmatched, u)
	}
}

func (h *Harvest) sortLists() {
	for _, l := range [][]Unplaced{h.Skipped, h.Unmatched} {
		sort.Slice(l, func(i, j int) bool { return l[i].Name < l[j].Name })
	}
}

// FileError names the file, and the line, byte offset, key or column where it is wrong.
type FileError struct {
	File   string
	Line   int    // 1-based; 0 when not known
	Offset int64  // byte offset in a JSON file; 0 when not known
	Key    string // JSON key or CSV column
	Msg    string
}

func (e *FileError) Error() string {
	s := "harvest " + e.File
	if e.Line > 0 {
		s += fmt.Sprintf(" line %d", e.Line)
	}
	if e.Offset > 0 {
		s += fmt.Sprintf(" (byte %d)", e.Offset)
	}
	if e.Key != "" {
		s += fmt.Sprintf(" %q", e.Key)
	}
	return s + ": " + e.Msg
}

var dateInName = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)

// DateInName finds a YYYY-MM-DD date in a file name ("…-2026-08-21.csv"), or "".
func DateInName(file string) string {
	for _, d := range dateInName.FindAllString(file, -1) {
		if models.ValidDate(d) {
			return d
		}
	}
	return ""
}

// observedOn picks the caller's date, else the file's; a harvest must say when.
func observedOn(src Source, fromFile, file string) (string, error) {
	on := src.ObservedOn
	if on == "" {
		on = fromFile
	}
	if on == "" {
		return "", &FileError{File: file, Msg: "no date in the file or its name: say when it was published"}
	}
	if !models.ValidDate(on) {
		return "", &FileError{File: file, Msg: fmt.Sprintf("observed date %q is not YYYY-MM-DD", on)}
	}
	return on, nil
}

// humanDate writes 2026-08-03 as "3 Aug 2026".
func humanDate(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("2 Jan 2006")
}
