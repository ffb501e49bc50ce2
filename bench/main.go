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
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
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

type options struct {
	scale       scale
	duration    time.Duration
	conns       int
	workdir     string
	db          string
	reuse       bool
	out         string
	serverLog   string
	maxRequests int64
	seed        uint64
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
	name := flag.String("scale", "S", "S (real data and demo), M (2,000 × 10,000 × 200,000) or L (20,000 × 50,000 × 2,000,000)")
	flag.DurationVar(&o.duration, "duration", 0, "how long each phase runs (default 3s at S, 10s at M and L)")
	flag.IntVar(&o.conns, "conns", 32, "closed-loop connections")
	flag.StringVar(&o.workdir, "workdir", filepath.Join(os.TempDir(), "registry-bench"), "where the binary and the SQLite database go")
	flag.StringVar(&o.db, "db", "", "database DSN (an empty postgres:// database, or a SQLite path); default WORKDIR/SCALE.db, made afresh")
	flag.BoolVar(&o.reuse, "reuse", false, "keep an existing SQLite database at WORKDIR/SCALE.db instead of making it afresh (quicker by hand; earlier runs' writes stay)")
	flag.StringVar(&o.out, "out", "", "JSON results file (default bench/results/SCALE.json)")
	flag.StringVar(&o.serverLog, "server-log", "", "keep the server's request log in this file (default: discarded)")
	flag.Int64Var(&o.maxRequests, "max-requests", 2_000_000, "at most this many requests in one phase")
	flag.Uint64Var(&o.seed, "seed", 1, "synth seed")
	flag.Parse()
	sc, ok := scales[strings.ToUpper(*name)]
	if !ok || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	o.scale = sc
	if o.duration == 0 {
		o.duration = 10 * time.Second
		if sc.Name == "S" {
			o.duration = 3 * time.Second
		}
	}
	if o.out == "" {
		o.out = filepath.Join("bench", "results", sc.Name+".json")
	}
	rep, err := runBench(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	if n := rep.errorCount(); n > 0 {
		fmt.Fprintf(os.Stderr, "bench: %d requests failed; first: %s\n", n, rep.FirstError)
		os.Exit(1)
	}
}

// coldLimit bounds the one-at-a-time pass over an endpoint's requests.
func (o options) coldLimit() time.Duration { return max(o.duration, 30*time.Second) }

func runBench(o options) (*report, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.workdir, 0o755); err != nil {
		return nil, err
	}
	rep := newReport(o)
	bin := filepath.Join(o.workdir, "registry")
	logf("building the registry binary → %s", bin)
	if err := command(root, "go", "build", "-o", bin, ".").Run(); err != nil {
		return nil, fmt.Errorf("go build: %w", err)
	}

	dsn := o.db
	if dsn == "" {
		dsn = filepath.Join(o.workdir, o.scale.Name+".db")
		if _, err := os.Stat(dsn); err == nil && !o.reuse {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(dsn + suffix)
			}
		}
	}
	rep.Database = "sqlite"
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		rep.Database = "postgres"
	}
	if _, err := os.Stat(dsn); rep.Database == "postgres" || err != nil {
		t0 := time.Now()
		args := []string{"seed", "--demo", "--db", dsn}
		if o.scale.Name != "S" {
			args = []string{"synth", "--councils", fmt.Sprint(o.scale.Councils), "--components", fmt.Sprint(o.scale.Components),
				"--adoptions", fmt.Sprint(o.scale.Adoptions), "--seed", fmt.Sprint(o.seed), "--db", dsn}
		}
		logf("creating the database: registry %s", strings.Join(args, " "))
		cmd := command("", bin, args...)
		cmd.Stdout = os.Stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("registry %s: %w", args[0], err)
		}
		rep.SetupSeconds = round(time.Since(t0).Seconds(), 1)
		logf("database ready in %.1f s", rep.SetupSeconds)
	}
	out, err := command("", bin, "keys", "create", "--role", "admin", "--name", "bench", "--db", dsn).Output()
	if err != nil {
		return nil, fmt.Errorf("keys create: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	key := lines[len(lines)-1]

	srv, err := startServer(bin, o.serverLog, "serve", "--addr", "127.0.0.1:0", "--db", dsn, "--rate-limit", "0")
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	base := "http://" + srv.addr
	logf("registry serving on %s (pid %d)", srv.addr, srv.cmd.Process.Pid)

	t0 := time.Now()
	if _, err := get(base + "/api/v1/opportunities/consolidation"); err != nil {
		return nil, err
	}
	rep.EngineLoadSeconds = round(time.Since(t0).Seconds(), 2)
	logf("reuse engine loaded in %.2f s", rep.EngineLoadSeconds)

	eps, mix, probe, err := buildEndpoints(base, key, o)
	if err != nil {
		return nil, err
	}
	capture := &captured{bodies: map[string]capturedBody{}}
	type phase struct {
		name string
		eps  []*endpoint
		pick func(w, n int) int
	}
	var phases []phase
	for _, e := range eps {
		phases = append(phases, phase{e.Name, []*endpoint{e}, func(int, int) int { return 0 }})
	}
	phases = append(phases, phase{"mix", mix, mixPicker(mix)})

	// One write first (it moves the version, so before anything is cached), so that
	// the ceiling holds a write's answer before the first phase.
	writeProbe := &endpoint{Name: "write probe", Method: http.MethodPost, Paths: []string{"/api/v1/adoptions"},
		Bodies: [][]byte{probe}, Want: http.StatusCreated}
	if res := run(base, key, []*endpoint{writeProbe}, func(int, int) int { return 0 }, 1, time.Minute, 1, capture); res.FirstErr != "" {
		return nil, errors.New(res.FirstErr)
	}

	// Cold: each GET endpoint's requests once, one at a time, before anything is
	// cached (bounded in time; what is left is met cold in the loaded phase).
	cold := map[string]stats{}
	for _, e := range eps {
		if e.Method == http.MethodGet {
			logf("registry: %s cold, %d requests one at a time", e.Name, len(e.Paths))
			res := run(base, key, []*endpoint{e}, func(int, int) int { return 0 }, 1, o.coldLimit(), int64(len(e.Paths)), capture)
			if res.FirstErr != "" && rep.FirstError == "" {
				rep.FirstError = res.FirstErr
			}
			cold[e.Name] = summarise(res, 0)
		}
	}

	capFile := filepath.Join(o.workdir, "captured.json")
	raw, _ := json.Marshal(capture.bodies)
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
	defer ceil.stop()
	ceilBase := "http://" + ceil.addr

	// Each phase runs against the registry and then at once against the
	// ceiling, so both meet the same conditions on a shared machine.
	registry, ceiling := map[string]phaseResult{}, map[string]phaseResult{}
	for _, p := range phases {
		logf("registry: %s for %s with %d connections", p.name, o.duration, o.conns)
		registry[p.name] = run(base, key, p.eps, p.pick, o.conns, o.duration, o.maxRequests, capture)
		peak, _ := procMemory(srv.cmd.Process.Pid)
		rep.PeakAfter = append(rep.PeakAfter, phasePeak{p.name, peak})

		ceps := make([]*endpoint, len(p.eps))
		for i, e := range p.eps {
			c := *e
			if c.Method == http.MethodGet { // only what the registry answered can be served again
				c.Paths = slices.DeleteFunc(slices.Clone(c.Paths), func(path string) bool { return !capture.has("GET " + path) })
			}
			ceps[i] = &c
		}
		logf("ceiling: %s for %s with %d connections", p.name, o.duration, o.conns)
		ceiling[p.name] = run(ceilBase, key, ceps, p.pick, o.conns, o.duration, o.maxRequests, nil)
	}
	rep.ServerPeakRSSMiB, rep.ServerRSSMiB = procMemory(srv.cmd.Process.Pid)
	srv.stop()
	ceil.stop()

	for _, p := range phases {
		r, c := registry[p.name], ceiling[p.name]
		if r.FirstErr != "" && rep.FirstError == "" {
			rep.FirstError = r.FirstErr
		}
		names := make([]string, len(p.eps))
		for i, e := range p.eps {
			names[i] = e.Name
			if p.name == "mix" {
				names[i] = "mix: " + strings.TrimSuffix(e.Name, " (mix)")
			}
		}
		for i, e := range p.eps {
			rep.add(names[i], summarise(r, i), summarise(c, i), cold[e.Name])
		}
		if p.name == "mix" {
			rep.add("mix: all", summariseAll(r), summariseAll(c), stats{})
		}
	}
	rep.evaluate()
	rep.print(os.Stdout)
	path := o.out
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	if err := rep.write(path); err != nil {
		return rep, err
	}
	logf("results written to %s", path)
	return rep, nil
}

// summariseAll treats every endpoint of a phase as one.
func summariseAll(res phaseResult) stats {
	all := res
	all.Samples = make([]sample, len(res.Samples))
	total := 0
	for i, s := range res.Samples {
		s.endpoint = 0
		all.Samples[i] = s
	}
	for _, n := range res.Errors {
		total += n
	}
	all.Errors = map[int]int{0: total}
	return summarise(all, 0)
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

// buildEndpoints reads the catalogue through the API to make each endpoint's
// pool of requests, and creates the components the write phases adopt.
func buildEndpoints(base, key string, o options) (eps, mix []*endpoint, probe []byte, err error) {
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
			return nil, nil, nil, err
		}
	}
	vendors, err := collect(base+"/api/v1/vendors?limit=10", "slug", 10)
	if err != nil || len(codes) == 0 || len(slugs) == 0 || len(caps) == 0 || len(vendors) == 0 {
		return nil, nil, nil, fmt.Errorf("the catalogue is empty or unreadable (%v)", err)
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

	// Writes adopt components made for the run, so every council × component pair is new.
	writesPerPhase := int(min(o.maxRequests, int64(o.duration.Seconds()*3000)+1000))
	perComponent := len(codes)
	nComponents := (2*writesPerPhase)/perComponent + 1
	run := fmt.Sprintf("bench-%d", time.Now().Unix())
	var bodies [][]byte
	client := newClient(1)
	for k := range nComponents {
		slug := fmt.Sprintf("%s-%03d", run, k)
		body, _ := json.Marshal(map[string]any{"slug": slug, "name": "Benchmark component " + slug, "summary": "Made by the load-test harness.",
			"vendor": vendors[0], "capabilities": []string{caps[k%len(caps)]}, "lifecycle": "live"})
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/components", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return nil, nil, nil, err
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return nil, nil, nil, fmt.Errorf("creating %s: %d %s", slug, resp.StatusCode, msg)
		}
		for i, c := range codes {
			b, _ := json.Marshal(map[string]any{"council": c, "component": slug, "status": "live",
				"contract_end_on": time.Date(2027, time.Month(1+(i+k)%12), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)})
			bodies = append(bodies, b)
		}
	}
	r.Shuffle(len(bodies), func(i, j int) { bodies[i], bodies[j] = bodies[j], bodies[i] })
	probe, bodies = bodies[len(bodies)-1], bodies[:len(bodies)-1]
	half := len(bodies) / 2

	mk := func(name string, paths []string, weight int) *endpoint {
		return &endpoint{Name: name, Method: http.MethodGet, Paths: paths, Want: http.StatusOK, Weight: weight}
	}
	eps = []*endpoint{
		mk("component list (filters)", lists, 28),
		mk("full-text search", searches, 16),
		mk("component detail", details, 22),
		mk("council detail", councils, 16),
		mk("council opportunities", opps, 12),
		mk("coverage statistics", coverage, 5),
		{Name: "adoption write", Method: http.MethodPost, Paths: []string{"/api/v1/adoptions"}, Bodies: bodies[:half], Want: http.StatusCreated, Weight: 1},
	}
	for _, e := range eps {
		m := *e
		m.Name += " (mix)"
		if m.Method == http.MethodPost {
			m.Bodies = bodies[half:]
		}
		mix = append(mix, &m)
	}
	return eps, mix, probe, nil
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

// procMemory reads a process's peak (VmHWM) and current (VmRSS) resident memory in MiB.
func procMemory(pid int) (peak, now float64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		var kb float64
		if _, err := fmt.Sscanf(line, "VmHWM: %f kB", &kb); err == nil {
			peak = round(kb/1024, 1)
		}
		if _, err := fmt.Sscanf(line, "VmRSS: %f kB", &kb); err == nil {
			now = round(kb/1024, 1)
		}
	}
	return peak, now
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
