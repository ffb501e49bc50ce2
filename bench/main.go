// Command bench is the registry's load-test harness. For one scale it builds
// the real binary, creates a database (the real reference data and demo world
// for S, `registry synth` for M and L), starts `registry serve` on it, and
// drives it over loopback with a closed-loop load generator through each
// endpoint in turn and then through a mix, each phase followed at once by the
// same phase against a minimal net/http server holding the very same response
// bytes: the ceiling for those payloads on this machine. It prints, per endpoint,
// requests/s, p50, p99, the ratio to the ceiling and the server's peak memory,
// and writes the same as JSON.
//
//	go run ./bench -scale S|M|L
//
// Every loop is bounded by time and by a request count, and only loopback
// addresses are used. See bench/README.md.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

type scale struct {
	Name       string `json:"name"`
	Councils   int    `json:"councils,omitempty"`
	Components int    `json:"components,omitempty"`
	Adoptions  int    `json:"adoptions,omitempty"`
}

var scales = map[string]scale{
	"S": {Name: "S"}, // the real councils and components with the demo world
	"M": {Name: "M", Councils: 2_000, Components: 10_000, Adoptions: 200_000},
	"L": {Name: "L", Councils: 20_000, Components: 50_000, Adoptions: 2_000_000},
}

var scaleOrder = []string{"S", "M", "L"}

// The groups of phases, in the order they run (-phases chooses among them).
var phaseGroups = []string{"hot", "mix", "cold", "writes"}

// writeShares are the mixed phases' shares of writes, in per cent.
var writeShares = []int{0, 1, 10}

type options struct {
	scale       scale
	duration    time.Duration
	conns       int
	workdir     string
	db          string
	reuse       bool
	out         string // results directory
	charts      string // charts directory
	serverLog   string
	maxRequests int64
	seed        uint64
	rateLimit   float64
	phases      map[string]bool
	bin         string
	root        string
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "ceiling" {
		if err := serveCeiling(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, "ceiling:", err)
			os.Exit(1)
		}
		return
	}
	var o options
	name := flag.String("scale", "", "S (real data and demo), M (2,000 × 10,000 × 200,000) or L (20,000 × 50,000 × 2,000,000); default all three in turn")
	flag.DurationVar(&o.duration, "duration", 0, "how long each phase runs (default 3s at S, 10s at M and L)")
	flag.IntVar(&o.conns, "conns", 32, "closed-loop connections")
	flag.StringVar(&o.workdir, "workdir", filepath.Join(os.TempDir(), "registry-bench"), "where the binary and the SQLite databases go")
	flag.StringVar(&o.db, "db", "", "a postgres:// DSN: run on PostgreSQL, in a database bench_SCALE made afresh on that server (the DSN's own database is only connected to); default SQLite at WORKDIR/SCALE.db, made afresh")
	flag.BoolVar(&o.reuse, "reuse", false, "keep an existing database for the scale instead of making it afresh (quicker by hand; earlier runs' writes stay)")
	flag.StringVar(&o.out, "out", filepath.Join("bench", "results"), "directory for the JSON results (SCALE.json, SCALE-postgres.json) and targets.md")
	flag.StringVar(&o.charts, "charts", filepath.Join("bench", "charts"), "directory for the SVG charts, drawn from every result in -out")
	flag.StringVar(&o.serverLog, "server-log", "", "keep the server's request log in this file (default: read and discarded)")
	flag.Int64Var(&o.maxRequests, "max-requests", 2_000_000, "at most this many requests in one phase")
	flag.Uint64Var(&o.seed, "seed", 1, "synth seed")
	flag.Float64Var(&o.rateLimit, "rate-limit", 1_000_000, "the server's --rate-limit: on, as in production, but above what loopback load reaches")
	phases := flag.String("phases", strings.Join(phaseGroups, ","), "which groups of phases to run: hot (each read endpoint), mix (0%, 1% and 10% writes), cold (a list read after each write), writes (group-committed writes)")
	flag.Parse()
	if flag.NArg() == 1 && flag.Arg(0) == "charts" { // redraw the charts and targets from the results
		if err := drawAll(o.out, o.charts); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	o.phases = map[string]bool{}
	for _, p := range strings.Split(*phases, ",") {
		if !slices.Contains(phaseGroups, p) {
			fmt.Fprintf(os.Stderr, "bench: unknown phase group %q (want some of %s)\n", p, strings.Join(phaseGroups, ","))
			os.Exit(2)
		}
		o.phases[p] = true
	}
	names := scaleOrder
	if *name != "" {
		names = []string{strings.ToUpper(*name)}
	}
	if _, ok := scales[names[0]]; !ok || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	failed := false
	if err := prepare(&o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	for _, n := range names {
		so := o
		so.scale = scales[n]
		if so.duration == 0 {
			so.duration = 10 * time.Second
			if n == "S" {
				so.duration = 3 * time.Second
			}
		}
		rep, err := runScale(so)
		if err != nil {
			fmt.Fprintf(os.Stderr, "bench: scale %s: %v\n", n, err)
			os.Exit(1)
		}
		if n := rep.errorCount(); n > 0 {
			fmt.Fprintf(os.Stderr, "bench: scale %s: %d requests failed (%d stale reads); first: %s\n", so.scale.Name, n, rep.staleCount(), rep.FirstError)
			failed = true
		}
	}
	if err := drawAll(o.out, o.charts); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		failed = true
	}
	if failed {
		os.Exit(1)
	}
}

// prepare builds the registry binary once for every scale.
func prepare(o *options) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	o.root = root
	for _, d := range []*string{&o.out, &o.charts} {
		if !filepath.IsAbs(*d) {
			*d = filepath.Join(root, *d)
		}
	}
	if err := os.MkdirAll(o.workdir, 0o755); err != nil {
		return err
	}
	o.bin = filepath.Join(o.workdir, "registry")
	logf("building the registry binary → %s", o.bin)
	if err := command(root, "go", "build", "-o", o.bin, ".").Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	return nil
}

// coldLimit bounds the one-at-a-time passes.
func (o options) coldLimit() time.Duration { return max(o.duration, 30*time.Second) }

// database makes the scale's database afresh (unless -reuse finds one) and
// says whether it must be filled.
func (o options) database() (dsn, engine string, fill bool, err error) {
	if o.db == "" || !(strings.HasPrefix(o.db, "postgres://") || strings.HasPrefix(o.db, "postgresql://")) {
		dsn = o.db
		if dsn == "" {
			dsn = filepath.Join(o.workdir, o.scale.Name+".db")
		}
		_, statErr := os.Stat(dsn)
		if statErr == nil && !o.reuse {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(dsn + suffix)
			}
		}
		return dsn, "sqlite", statErr != nil || !o.reuse, nil
	}
	dsn, fresh, err := freshPostgres(o.db, "bench_"+strings.ToLower(o.scale.Name), o.reuse)
	return dsn, "postgres", fresh, err
}

// resultName is the results file of a scale on an engine.
func resultName(scaleName, engine string) string {
	if engine == "sqlite" {
		return scaleName + ".json"
	}
	return scaleName + "-" + engine + ".json"
}

// hot are the read endpoints loaded one at a time; the mixes load them all.
var hot = []string{"component list (filters)", "full-text search", "broad search", "component detail", "council detail",
	"council opportunities", "coverage statistics", "vendor list", "consolidation"}

// coldLists are the lists read once after each write in the cold phase.
var coldLists = []string{"component list (filters)", "vendor list", "council list", "capability list", "full-text search"}

func runScale(o options) (*report, error) {
	s := &scaleRun{o: o, rep: newReport(o)}
	dsn, engine, fill, err := o.database()
	if err != nil {
		return nil, err
	}
	s.rep.Database = engine
	if fill {
		if err := s.fill(dsn); err != nil {
			return nil, err
		}
	}
	srv, err := s.startRegistry(dsn)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	if err := s.probeAndColdReads(); err != nil {
		return nil, err
	}
	ceil, err := s.startCeiling()
	if err != nil {
		return nil, err
	}
	defer ceil.stop()

	if o.phases["hot"] {
		s.hotPhases()
	}
	if o.phases["mix"] {
		s.mixPhases()
	}
	if o.phases["cold"] {
		s.coldAfterWritePhase()
	}
	if o.phases["writes"] {
		s.writesPhase()
	}
	s.rep.ServerPeakRSSMiB, s.rep.ServerRSSMiB = procMemory(s.reg.pid)
	srv.stop()
	ceil.stop()

	s.rep.evaluate()
	s.rep.print(os.Stdout)
	path := filepath.Join(o.out, resultName(o.scale.Name, engine))
	if err := s.rep.write(path); err != nil {
		return s.rep, err
	}
	logf("results written to %s", path)
	return s.rep, nil
}

// scaleRun is one scale's run: the registry under test, the ceiling that serves its captured
// answers again, the endpoints both are driven through, and the report.
type scaleRun struct {
	o       options
	rep     *report
	key     string // an admin key for the writes
	reg     dest   // the registry
	ceil    dest   // the ceiling, once started
	reads   []*endpoint
	byName  map[string]*endpoint
	pool    *writerPool
	capture *captured
	cold    map[string]stats // each read endpoint's requests once, before anything was cached
}

// fill creates the scale's database: the seed with its demo world at S, a synthetic world
// above it.
func (s *scaleRun) fill(dsn string) error {
	t0 := time.Now()
	args := []string{"seed", "--demo", "--db", dsn}
	if sc := s.o.scale; sc.Name != "S" {
		args = []string{"synth", "--councils", fmt.Sprint(sc.Councils), "--components", fmt.Sprint(sc.Components),
			"--adoptions", fmt.Sprint(sc.Adoptions), "--seed", fmt.Sprint(s.o.seed), "--db", dsn}
	}
	logf("creating the database: registry %s", strings.Join(args, " "))
	cmd := command("", s.o.bin, args...)
	cmd.Stdout = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("registry %s: %w", args[0], err)
	}
	s.rep.SetupSeconds = round(time.Since(t0).Seconds(), 1)
	logf("database ready in %.1f s", s.rep.SetupSeconds)
	return nil
}

// startRegistry makes an admin key, starts the registry as in production, waits for its reuse
// engine to load, and reads the endpoints to drive from what it serves.
func (s *scaleRun) startRegistry(dsn string) (*server, error) {
	o := s.o
	out, err := command("", o.bin, "keys", "create", "--role", "admin", "--name", "bench", "--db", dsn).Output()
	if err != nil {
		return nil, fmt.Errorf("keys create: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	s.key = lines[len(lines)-1]

	srv, err := startServer(o.bin, o.serverLog, "serve", "--addr", "127.0.0.1:0", "--db", dsn, "--rate-limit", fmt.Sprint(o.rateLimit))
	if err != nil {
		return nil, err
	}
	base := "http://" + srv.addr
	logf("registry serving on %s (pid %d), rate limit %g a second per client, request log on", srv.addr, srv.cmd.Process.Pid, o.rateLimit)

	t0 := time.Now()
	if _, err := get(base + "/api/v1/opportunities/consolidation"); err != nil {
		srv.stop()
		return nil, err
	}
	s.rep.EngineLoadSeconds = round(time.Since(t0).Seconds(), 2)
	logf("reuse engine loaded in %.2f s", s.rep.EngineLoadSeconds)

	if s.reads, s.pool, err = buildEndpoints(base, s.key); err != nil {
		srv.stop()
		return nil, err
	}
	s.capture = &captured{bodies: map[string]capturedBody{}}
	s.reg = dest{base: base, key: s.key, pid: srv.cmd.Process.Pid, capture: s.capture}
	return srv, nil
}

// probeAndColdReads writes one of every kind, each read back (they move the version, so
// before anything is cached), so that the ceiling holds their answers; then sends each read
// endpoint's requests once, one at a time, before anything is cached (bounded in time; what
// is left is met cold in the loaded phases). It adds the broad searches, made from the
// full-text ones.
func (s *scaleRun) probeAndColdReads() error {
	probe := &endpoint{Name: "write probe", Writes: &mixedWrites, writer: s.pool.forPhase("probe", mixedWrites, false), after: 1}
	if res := run(s.reg, []*endpoint{probe, {Name: "probe read"}}, firstEndpoint, 1, time.Minute, 12); res.FirstErr != "" {
		return errors.New(res.FirstErr)
	}
	s.cold = map[string]stats{}
	for _, e := range s.reads {
		logf("registry: %s cold, %d requests one at a time", e.Name, len(e.Paths))
		res := run(s.reg, []*endpoint{e}, firstEndpoint, 1, s.o.coldLimit(), int64(len(e.Paths)))
		s.noteError(res)
		s.cold[e.Name] = summarise(res, only(0))
		s.rep.ColdErrors += res.Errors[0]
	}
	s.byName = map[string]*endpoint{}
	for _, e := range s.reads {
		s.byName[e.Name] = e
	}
	broad := &endpoint{Name: "broad search", Paths: broadSearches(s.reg.base, s.byName["full-text search"].Paths), Weight: 4, Class: "read"}
	s.byName[broad.Name] = broad
	s.reads = slices.Insert(s.reads, 2, broad)
	return nil
}

// firstEndpoint picks the first endpoint: for phases of one endpoint, or one endpoint at a time.
func firstEndpoint(int, int) int { return 0 }

// noteError keeps the run's first error.
func (s *scaleRun) noteError(r phaseResult) {
	if r.FirstErr != "" && s.rep.FirstError == "" {
		s.rep.FirstError = r.FirstErr
	}
}

// startCeiling writes what the registry answered so far and starts this binary's bare net/http
// ceiling serving it.
func (s *scaleRun) startCeiling() (*server, error) {
	capFile := filepath.Join(s.o.workdir, "captured.json")
	raw, _ := json.Marshal(s.capture.bodies)
	if err := os.WriteFile(capFile, raw, 0o644); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	ceil, err := startServer(self, "", "ceiling", capFile)
	if err != nil {
		return nil, err
	}
	s.ceil = dest{base: "http://" + ceil.addr, key: s.key, pid: ceil.cmd.Process.Pid, ceiling: true}
	return ceil, nil
}

// forCeiling is eps as the ceiling can serve them: only what the registry answered.
func (s *scaleRun) forCeiling(eps []*endpoint, phase string) []*endpoint {
	out := make([]*endpoint, len(eps))
	for i, e := range eps {
		c := *e
		if c.Writes != nil {
			c.writer = s.pool.forPhase(phase, *c.Writes, true)
		} else if len(c.Paths) > 0 {
			c.Paths = slices.DeleteFunc(slices.Clone(c.Paths), func(path string) bool { return !s.capture.has("GET " + path) })
			if len(c.Paths) == 0 {
				c.Paths = e.Paths[:1]
			}
		}
		out[i] = &c
	}
	return out
}

// loaded runs a phase against the registry and then at once against the ceiling, so both meet
// the same conditions on a shared machine.
func (s *scaleRun) loaded(phase string, eps []*endpoint, pick func(w, n int) int) (phaseResult, phaseResult) {
	o := s.o
	logf("registry: %s for %s with %d connections", phase, o.duration, o.conns)
	r := run(s.reg, eps, pick, o.conns, o.duration, o.maxRequests)
	peak, _ := procMemory(s.reg.pid)
	s.rep.PeakAfter = append(s.rep.PeakAfter, phasePeak{phase, peak})
	logf("ceiling: %s for %s with %d connections", phase, o.duration, o.conns)
	c := run(s.ceil, s.forCeiling(eps, phase), pick, o.conns, o.duration, o.maxRequests)
	s.noteError(r)
	return r, c
}

// hotPhases drive each hot endpoint alone.
func (s *scaleRun) hotPhases() {
	for _, name := range hot {
		r, c := s.loaded(name, []*endpoint{s.byName[name]}, firstEndpoint)
		s.rep.add(result{Endpoint: name, Phase: "hot", Class: "read", Cold: s.cold[name]}, r, c, only(0), true)
	}
}

// mixPhases drive every read endpoint together with each share of writes, each write read
// back on the same connection.
func (s *scaleRun) mixPhases() {
	for _, share := range writeShares {
		phase := fmt.Sprintf("mix %d%%", share)
		eps := slices.Clone(s.reads)
		if share > 0 {
			w := &endpoint{Name: "writes", Writes: &mixedWrites, Class: "write", after: len(eps) + 1,
				Weight: int(float64(100*share)/float64(100-share) + 0.5), writer: s.pool.forPhase(fmt.Sprintf("m%d", share), mixedWrites, false)}
			eps = append(eps, w, &endpoint{Name: "read after write", Class: "read after write"})
		}
		r, c := s.loaded(phase, eps, mixPicker(eps))
		for i, e := range eps {
			s.rep.add(result{Endpoint: phase + ": " + e.Name, Phase: phase, Class: e.Class, WriteShare: share}, r, c, only(i), false)
		}
		isRead := func(i int) bool { return eps[i].Class == "read" }
		s.rep.add(result{Endpoint: phase + ": reads", Phase: phase, Class: "reads", WriteShare: share}, r, c, isRead, false)
		s.rep.add(result{Endpoint: phase + ": all", Phase: phase, Class: "all", WriteShare: share, Stale: r.Stale}, r, c, func(int) bool { return true }, true)
	}
}

// coldAfterWritePhase reads each cold list once after a write, 200 times a list.
func (s *scaleRun) coldAfterWritePhase() {
	var lists []*endpoint
	for _, name := range coldLists {
		lists = append(lists, s.byName[name])
	}
	w := &endpoint{Name: "writes", Writes: &mixedWrites, writer: s.pool.forPhase("cold", mixedWrites, false)}
	logf("registry: a write, then one list read, %d times a list, for at most %s", 200, s.o.coldLimit())
	r := coldAfterWrite(s.reg, w, lists, 200, s.o.coldLimit())
	s.noteError(r)
	for i, name := range coldLists {
		s.rep.add(result{Endpoint: "after a write: " + name, Phase: "cold after write", Class: "read"}, r, phaseResult{}, only(i), false)
	}
	s.rep.add(result{Endpoint: "after a write: writes", Phase: "cold after write", Class: "write"}, r, phaseResult{}, only(len(lists)), false)
}

// writesPhase drives adoption and component writes alone, for group commit.
func (s *scaleRun) writesPhase() {
	name := "writes: adoptions and components"
	w := &endpoint{Name: name, Writes: &groupCommits, Class: "write", after: -1, writer: s.pool.forPhase("gc", groupCommits, false)}
	r, c := s.loaded(name, []*endpoint{w}, firstEndpoint)
	s.rep.add(result{Endpoint: name, Phase: "writes", Class: "write", Status5xx: r.Status5x}, r, c, only(0), true)
}

// mixPicker spreads each connection's requests over the endpoints by weight.
func mixPicker(eps []*endpoint) func(w, n int) int {
	var schedule []int
	for i, e := range eps {
		for range e.Weight {
			schedule = append(schedule, i)
		}
	}
	rand.New(rand.NewPCG(3, 3)).Shuffle(len(schedule), func(i, j int) { schedule[i], schedule[j] = schedule[j], schedule[i] })
	return func(w, n int) int { return schedule[(w*7+n)%len(schedule)] }
}

// buildEndpoints reads the catalogue through the API to make each read
// endpoint's pool of requests, and makes the run's vendor, which the writes'
// components belong to.
func buildEndpoints(base, key string) (reads []*endpoint, pool *writerPool, err error) {
	var codes, slugs, caps, names []string
	for _, l := range []struct {
		into        *[]string
		path, field string
		most        int
	}{
		{&codes, "/api/v1/councils?limit=100", "code", 2000},
		{&slugs, "/api/v1/components?limit=100", "slug", 1000},
		{&caps, "/api/v1/capabilities?limit=100", "slug", 1000},
		{&names, "/api/v1/capabilities?limit=100", "name", 1000},
	} {
		if *l.into, err = collect(base+l.path, l.field, l.most); err != nil {
			return nil, nil, err
		}
	}
	if len(codes) == 0 || len(slugs) == 0 || len(caps) == 0 {
		return nil, nil, fmt.Errorf("the catalogue is empty or unreadable")
	}
	r := rand.New(rand.NewPCG(1, 2))
	shuffle := func(s []string) {
		r.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	}
	shuffle(codes)
	shuffle(slugs)

	var lists []string
	for _, c := range caps {
		lists = append(lists, "/api/v1/components?capability="+c+"&lifecycle=live",
			"/api/v1/components?capability="+c+"&open_source=true", "/api/v1/components?capability="+c+"&hosting=saas&limit=50")
	}
	shuffle(lists)
	searches := searchPaths(names)
	shuffle(searches)
	var details, councils, opps []string
	for _, s := range slugs {
		details = append(details, "/api/v1/components/"+s)
	}
	for _, c := range codes {
		councils = append(councils, "/api/v1/councils/"+c)
		opps = append(opps, "/api/v1/councils/"+c+"/opportunities")
	}
	coverage := []string{"/api/v1/stats/coverage", "/api/v1/stats/coverage?by=region", "/api/v1/stats/coverage?by=nation", "/api/v1/stats/coverage?by=type"}
	vendors, councilPages, capPages, err := listPages(base)
	if err != nil {
		return nil, nil, err
	}

	run := fmt.Sprintf("bench-%d", time.Now().Unix())
	vendor, _ := json.Marshal(map[string]any{"slug": run, "name": "Load-test harness " + run, "website": "https://example.org/" + run, "kind": "commercial"})
	if err := post(base+"/api/v1/vendors", key, vendor); err != nil {
		return nil, nil, err
	}
	pool = &writerPool{run: run, vendor: run, codes: codes, caps: caps, made: new(atomic.Int64)}

	mk := func(name string, paths []string, weight int) *endpoint {
		return &endpoint{Name: name, Paths: paths, Weight: weight, Class: "read"}
	}
	reads = []*endpoint{
		mk("component list (filters)", lists, 20),
		mk("full-text search", searches, 12),
		mk("component detail", details, 18),
		mk("council detail", councils, 13),
		mk("council opportunities", opps, 10),
		mk("coverage statistics", coverage, 4),
		mk("vendor list", vendors, 7),
		mk("consolidation", []string{"/api/v1/opportunities/consolidation"}, 3),
		mk("council list", councilPages, 5),
		mk("capability list", capPages, 4),
	}
	return reads, pool, nil
}

// searchPaths are full-text searches made from capability names: each word of five letters or
// more once, and each name's first two words.
func searchPaths(names []string) []string {
	var searches []string
	seen := map[string]bool{}
	for _, n := range names {
		words := strings.Fields(strings.ToLower(n))
		for _, w := range words {
			if w = strings.Trim(w, "(),"); len(w) >= 5 && !seen[w] {
				seen[w] = true
				searches = append(searches, "/api/v1/components?q="+w)
			}
		}
		if len(words) >= 2 {
			searches = append(searches, "/api/v1/components?q="+strings.Join(words[:2], "+"))
		}
	}
	return searches
}

// listPages follows the vendor, council and capability lists' next links from a few first
// pages, up to 50 pages from each.
func listPages(base string) (vendors, councils, capabilities []string, err error) {
	for _, p := range []struct {
		into  *[]string
		first []string
	}{
		{&vendors, []string{"/api/v1/vendors?limit=20", "/api/v1/vendors?limit=100"}},
		{&councils, []string{"/api/v1/councils?limit=50", "/api/v1/councils?limit=20&nation=Wales", "/api/v1/councils?limit=20&type=unitary"}},
		{&capabilities, []string{"/api/v1/capabilities?limit=20", "/api/v1/capabilities?limit=100"}},
	} {
		for _, first := range p.first {
			pages, err := pageURIs(base, first, 50)
			if err != nil {
				return nil, nil, nil, err
			}
			*p.into = append(*p.into, pages...)
		}
	}
	return vendors, councils, capabilities, nil
}

// broadSearches are the searches of single words that match the most
// components: the costliest to rank.
func broadSearches(base string, searches []string) []string {
	type hit struct {
		path  string
		total int
	}
	var hits []hit
	for _, p := range searches {
		if strings.Contains(p, "+") || len(hits) >= 60 {
			continue
		}
		if b, err := get(base + p + "&limit=1"); err == nil {
			n, _ := intField(b, "total")
			hits = append(hits, hit{p, n})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return b.total - a.total })
	var out []string
	for _, h := range hits[:min(4, len(hits))] {
		out = append(out, h.path)
	}
	if len(out) == 0 {
		out = searches[:1]
	}
	return out
}

// pageURIs follows a list's next links from first, for at most most pages,
// and gives each page's path and query.
func pageURIs(base, first string, most int) ([]string, error) {
	var out []string
	for uri := first; uri != "" && len(out) < most; {
		out = append(out, uri)
		b, err := get(base + uri)
		if err != nil {
			return nil, err
		}
		var page struct {
			Next *string `json:"next"`
		}
		if err := json.Unmarshal(b, &page); err != nil {
			return nil, err
		}
		uri = ""
		if page.Next != nil {
			if u, err := url.Parse(*page.Next); err == nil {
				uri = u.RequestURI()
			}
		}
	}
	return out, nil
}

func post(url, key string, body []byte) error {
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("POST %s: %d %s", url, resp.StatusCode, msg)
	}
	return nil
}

// collect pages through a list, gathering one field of its items.
func collect(url, field string, limit int) ([]string, error) {
	var out []string
	for url != "" && len(out) < limit {
		b, err := get(url)
		if err != nil {
			return nil, err
		}
		var page struct {
			Items []map[string]any `json:"items"`
			Next  *string          `json:"next"`
		}
		if err := json.Unmarshal(b, &page); err != nil {
			return nil, err
		}
		for _, it := range page.Items {
			if s, ok := it[field].(string); ok && len(out) < limit {
				out = append(out, s)
			}
		}
		url = ""
		if page.Next != nil {
			url = *page.Next
		}
	}
	return out, nil
}

func get(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return b, err
}

type server struct {
	cmd  *exec.Cmd
	addr string
	done chan error
	log  *os.File
}

// startServer runs a server process and waits for its "listening on ADDR" line.
func startServer(bin, logFile string, args ...string) (*server, error) {
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, done: make(chan error, 1)}
	var tail bytes.Buffer
	cmd.Stderr = &limitedBuffer{buf: &tail, max: 64 << 10}
	if logFile != "" {
		if s.log, err = os.Create(logFile); err != nil {
			return nil, err
		}
		cmd.Stderr = s.log
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { s.done <- cmd.Wait() }()
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if addr, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
				lines <- addr
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case s.addr = <-lines:
	case err := <-s.done:
		return nil, fmt.Errorf("%s %s exited before listening: %v\n%s", filepath.Base(bin), args[0], err, tail.String())
	case <-time.After(5 * time.Minute):
		s.stop()
		return nil, errors.New("the server did not start listening within 5 minutes")
	}
	// Wait until it answers, so the first phase does not measure start-up.
	for range 100 {
		if resp, err := http.Get("http://" + s.addr + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s, nil
}

// stop ends the server with SIGTERM (it drains and exits) and waits for it.
func (s *server) stop() {
	if s.cmd.ProcessState != nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
	if s.log != nil {
		s.log.Close()
	}
}

type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if l.buf.Len() < l.max {
		l.buf.Write(p[:min(len(p), l.max-l.buf.Len())])
	}
	return len(p), nil
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && bytes.Contains(b, []byte("module github.com/council-components/registry\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run the harness from inside the registry's repository")
		}
		dir = parent
	}
}

func command(dir, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(context.Background(), name, args...)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	return cmd
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}
