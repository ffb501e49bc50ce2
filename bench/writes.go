package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// The kinds of write the harness sends. Each connection cycles through its
// phase's kinds; a PATCH with nothing of the connection's own to change yet,
// or an adoption with no component of its own left to adopt, is sent as the
// POST that makes one.
type writeKind int

const (
	adoptionPost writeKind = iota
	adoptionPatch
	componentPost
	componentPatch
	needPost
	needPatch
)

var kindNames = [...]string{"POST adoption", "PATCH adoption", "POST component", "PATCH component", "POST need", "PATCH need"}

// writeSpec is what a phase writes.
type writeSpec struct {
	Kinds  []writeKind
	Verify bool // read back after each write, on the same connection, something that must show it
}

var (
	mixedWrites  = writeSpec{Kinds: []writeKind{adoptionPost, adoptionPatch, componentPost, componentPatch, needPost, needPatch}, Verify: true}
	groupCommits = writeSpec{Kinds: []writeKind{adoptionPost, componentPost}}
)

// writerPool is what one target's connections share while writing: the
// catalogue they write into, and the count of the components they made.
type writerPool struct {
	run     string   // the run's tag, in every slug the harness makes
	vendor  string   // the run's vendor: its components are all the harness's
	codes   []string // councils
	caps    []string // capabilities
	phase   string   // the phase's tag, so slugs stay unique across phases
	kinds   []writeKind
	made    *atomic.Int64 // components made for the run vendor, by every phase
	ceiling bool
}

// forPhase is the pool for one phase's writes against one target.
func (p *writerPool) forPhase(phase string, spec writeSpec, ceiling bool) *writerPool {
	made := p.made
	if ceiling { // the ceiling makes nothing: it must not move the registry's count
		made = new(atomic.Int64)
	}
	return &writerPool{run: p.run, vendor: p.vendor, codes: p.codes, caps: p.caps, phase: phase, kinds: spec.Kinds, made: made, ceiling: ceiling}
}

// writer is one connection's writes: what it made, so that it changes only its
// own records and knows exactly what a read must show.
type writer struct {
	pool      *writerPool
	id        int
	n         int // writes sent
	comps     []string
	adopted   int // adoptions of the last component
	adoptions []int
	needs     []int
	council   string // the council its needs are for
	needsBase int    // that council's needs before the phase
	needsMine int
}

func (p *writerPool) connection(c *conn, ei int) *writer {
	w := &writer{pool: p, id: c.id, council: p.codes[(c.id*7919)%len(p.codes)]}
	if !p.ceiling && slices.Contains(p.kinds, needPost) {
		if b, ok := c.do(ei, http.MethodGet, "/api/v1/needs?council="+w.council+"&limit=1", nil, http.StatusOK); ok {
			w.needsBase, _ = intField(b, "total")
			c.local = c.local[:len(c.local)-1] // set-up, not a sample
		}
	}
	return w
}

// write sends the connection's next write; with verify (after ≥ 0) it then
// reads back something that must show it, recorded under endpoint after.
func (w *writer) write(c *conn, ei, after int) {
	k := w.pool.kinds[w.n%len(w.pool.kinds)]
	w.n++
	switch {
	case k == adoptionPatch && len(w.adoptions) == 0:
		k = adoptionPost
	case k == componentPatch && len(w.comps) == 0:
		k = componentPost
	case k == needPatch && len(w.needs) == 0:
		k = needPost
	}
	if k == adoptionPost && (len(w.comps) == 0 || w.adopted >= len(w.pool.codes)) {
		k = componentPost // every council × component pair is new
	}
	token := fmt.Sprintf("%s %s w%d n%d", w.pool.run, w.pool.phase, w.id, w.n)
	post := func(path string, fields map[string]any) (id int, ok bool) { // a new record, and its id
		body, _ := json.Marshal(fields)
		b, ok := c.do(ei, http.MethodPost, path, body, http.StatusCreated)
		if ok {
			id, _ = intField(b, "id")
		}
		return id, ok
	}
	var check readBack
	switch k {
	case componentPost:
		slug := fmt.Sprintf("%s-%s-w%02d-%04d", w.pool.run, w.pool.phase, w.id, len(w.comps))
		if _, ok := post("/api/v1/components", map[string]any{"slug": slug, "name": "Benchmark component " + slug, "summary": "Made by the load-test harness.",
			"vendor": w.pool.vendor, "capabilities": []string{w.pool.caps[(w.id+len(w.comps))%len(w.pool.caps)]}, "lifecycle": "live"}); !ok {
			return
		}
		w.comps, w.adopted = append(w.comps, slug), 0
		made := w.pool.made.Add(1)
		check = readBack{"/api/v1/components?vendor=" + w.pool.vendor + "&limit=1", "total", float64(made), true}
	case adoptionPost:
		slug := w.comps[len(w.comps)-1]
		council := w.pool.codes[(w.id*131+w.adopted)%len(w.pool.codes)]
		id, ok := post("/api/v1/adoptions", map[string]any{"council": council, "component": slug, "status": "live",
			"contract_end_on": time.Date(2027, time.Month(1+w.n%12), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)})
		if !ok {
			return
		}
		w.adoptions = append(w.adoptions, id)
		w.adopted++
		check = readBack{"/api/v1/components/" + slug, "adoption_count", float64(w.adopted), true}
	case adoptionPatch:
		check = readBack{"/api/v1/adoptions/" + strconv.Itoa(w.adoptions[w.n%len(w.adoptions)]), "notes", token, false}
	case componentPatch:
		check = readBack{"/api/v1/components/" + w.comps[w.n%len(w.comps)], "summary", token, false}
	case needPatch:
		check = readBack{"/api/v1/needs/" + strconv.Itoa(w.needs[w.n%len(w.needs)]), "notes", token, false}
	case needPost:
		id, ok := post("/api/v1/needs", map[string]any{"council": w.council, "capability": w.pool.caps[(w.id+w.n)%len(w.pool.caps)],
			"needed_by": time.Date(2027, time.Month(1+w.n%12), 1+w.n%28, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), "notes": token})
		if !ok {
			return
		}
		w.needs = append(w.needs, id)
		w.needsMine++
		check = readBack{"/api/v1/needs?council=" + w.council + "&limit=1", "total", float64(w.needsBase + w.needsMine), true}
	}
	if k == adoptionPatch || k == componentPatch || k == needPatch { // one field of the record, read back from the record
		body, _ := json.Marshal(map[string]any{check.field: token})
		if _, ok := c.do(ei, http.MethodPatch, check.path, body, http.StatusOK); !ok {
			return
		}
	}
	if after < 0 {
		return
	}
	b, ok := c.do(after, http.MethodGet, check.path, nil, http.StatusOK)
	if !ok || c.t.ceiling {
		return
	}
	if msg := check.stale(b); msg != "" {
		c.stale++
		c.fail(after, fmt.Sprintf("stale read after %s: GET %s: %s", kindNames[k], check.path, msg))
	}
}

// readBack is what a read after a write must show: a field equal to a value,
// or (for counts) at least a value.
type readBack struct {
	path    string
	field   string
	want    any // string or float64
	atLeast bool
}

// stale says how body fails to show the write ("" when it shows it).
func (r readBack) stale(body []byte) string {
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		return "not JSON: " + err.Error()
	}
	got, ok := doc[r.field]
	if !ok {
		return fmt.Sprintf("no field %q", r.field)
	}
	if want, isNum := r.want.(float64); isNum {
		n, isNum := got.(float64)
		switch {
		case !isNum:
			return fmt.Sprintf("%s is %v, not a number", r.field, got)
		case r.atLeast && n < want:
			return fmt.Sprintf("%s is %v, want at least %v", r.field, n, want)
		case !r.atLeast && n != want:
			return fmt.Sprintf("%s is %v, want %v", r.field, n, want)
		}
		return ""
	}
	if got != r.want {
		return fmt.Sprintf("%s is %q, want %q", r.field, fmt.Sprint(got), fmt.Sprint(r.want))
	}
	return ""
}

// intField reads one integer field of a JSON object.
func intField(body []byte, field string) (int, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(body, &doc); err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(doc[field])))
}
