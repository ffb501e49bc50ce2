package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// report is what one run measured, printed and written as JSON.
type report struct {
	Scale             scale       `json:"scale"`
	Database          string      `json:"database"`
	Command           string      `json:"command"`
	When              time.Time   `json:"when"`
	Machine           machine     `json:"machine"`
	Connections       int         `json:"connections"`
	PhaseSeconds      float64     `json:"phase_seconds"`
	RateLimit         float64     `json:"server_rate_limit"` // the server's --rate-limit (requests/s per client)
	SetupSeconds      float64     `json:"database_setup_seconds"`
	EngineLoadSeconds float64     `json:"engine_load_seconds"`
	ServerPeakRSSMiB  float64     `json:"server_peak_rss_mib"` // VmHWM of the registry process
	ServerRSSMiB      float64     `json:"server_rss_mib_at_end"`
	PeakAfter         []phasePeak `json:"server_peak_rss_mib_after_phase"` // where the peak was reached
	ColdErrors        int         `json:"cold_errors,omitempty"`
	Endpoints         []result    `json:"endpoints"`
	Targets           []target    `json:"targets"`
	FirstError        string      `json:"first_error,omitempty"`
}

type phasePeak struct {
	Phase string  `json:"phase"`
	MiB   float64 `json:"mib"`
}

type machine struct {
	CPU      string `json:"cpu"`
	Cores    int    `json:"cores"`
	MemoryGB int    `json:"memory_gb"`
	Kernel   string `json:"kernel"`
	Go       string `json:"go"`
}

type result struct {
	Endpoint   string  `json:"endpoint"`
	Phase      string  `json:"phase"` // hot, mix N%, cold after write, writes
	Class      string  `json:"class"` // read, write, read after write; reads and all for a phase's totals
	WriteShare int     `json:"write_share_percent,omitempty"`
	Registry   stats   `json:"registry"` // under load, 32 connections
	Ceiling    stats   `json:"ceiling"`
	Ratio      float64 `json:"ratio_to_ceiling"`
	Cold       stats   `json:"cold"`                       // each request once, one at a time, before it was cached
	CPUus      float64 `json:"server_cpu_us_per_request"`  // the registry's utime+stime over the phase ÷ its requests
	CeilCPUus  float64 `json:"ceiling_cpu_us_per_request"` // the same for the ceiling
	Stale      int     `json:"stale_reads,omitempty"`
	Status5xx  int     `json:"status_5xx,omitempty"`
}

type target struct {
	What     string  `json:"what"`
	Scale    string  `json:"scale"`
	Database string  `json:"database"`
	Measured float64 `json:"measured"`
	Limit    float64 `json:"limit"`
	Unit     string  `json:"unit"`
	AtLeast  bool    `json:"at_least"`
	Met      bool    `json:"met"`
}

func newReport(o options) *report {
	return &report{Scale: o.scale, Command: "go run ./bench " + strings.Join(os.Args[1:], " "), When: time.Now().UTC().Truncate(time.Second),
		Machine: readMachine(), Connections: o.conns, PhaseSeconds: o.duration.Seconds(), RateLimit: o.rateLimit}
}

func readMachine() machine {
	m := machine{Cores: runtime.NumCPU(), Go: runtime.Version()}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int
		fmt.Sscanf(string(b), "MemTotal: %d kB", &kb)
		m.MemoryGB = (kb + 1<<19) >> 20
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = "linux " + strings.TrimSpace(string(b))
	}
	return m
}

// add records one row: the samples of the phase's endpoints for which in says
// yes, on the registry and the ceiling; withCPU, the phase's CPU per request.
func (r *report) add(res result, reg, ceil phaseResult, in func(int) bool, withCPU bool) {
	res.Registry, res.Ceiling = summarise(reg, in), summarise(ceil, in)
	if res.Ceiling.RPS > 0 {
		res.Ratio = round(res.Registry.RPS/res.Ceiling.RPS, 3)
	}
	if withCPU {
		all := func(int) bool { return true }
		res.CPUus = cpuPerRequest(reg.CPU, summarise(reg, all).Requests)
		res.CeilCPUus = cpuPerRequest(ceil.CPU, summarise(ceil, all).Requests)
	}
	r.Endpoints = append(r.Endpoints, res)
}

func (r *report) endpoint(name string) (result, bool) {
	for _, e := range r.Endpoints {
		if e.Endpoint == name {
			return e, true
		}
	}
	return result{}, false
}

// errorCount is every failed request, stale reads included (once each: the
// phases' totals are not counted again).
func (r *report) errorCount() int {
	n := r.ColdErrors
	for _, e := range r.Endpoints {
		if e.Class != "reads" && e.Class != "all" {
			n += e.Registry.Errors
		}
	}
	return n
}

func (r *report) staleCount() int {
	n := 0
	for _, e := range r.Endpoints {
		n += e.Stale
	}
	return n
}

// Where the targets apply.
var (
	hotTargets  = []string{"component list (filters)", "component detail", "council detail", "vendor list", "full-text search"}
	coldTargets = map[string]float64{"component list (filters)": 10, "vendor list": 10, "council list": 10, "capability list": 10, "full-text search": 15}
)

// evaluate checks the targets that apply at this scale. They are
// reported, never enforced: speed depends on the machine. Stale reads and
// failed requests fail the run instead.
func (r *report) evaluate() {
	s := r.Scale.Name
	r.Targets = nil
	add := func(what string, measured, limit float64, unit string, atLeast bool) {
		met := measured < limit
		if atLeast {
			met = measured >= limit
		}
		r.Targets = append(r.Targets, target{What: what, Scale: s, Database: r.Database, Measured: measured, Limit: limit, Unit: unit, AtLeast: atLeast, Met: met})
	}
	if s == "M" {
		for _, name := range hotTargets {
			if e, ok := r.endpoint(name); ok {
				add(name+", hot: share of the ceiling's requests/s", e.Ratio, 0.9, "× ceiling", true)
				add(name+", hot: server CPU per request", e.CPUus, 20, "µs", false)
			}
		}
		for _, share := range writeShares[1:] {
			phase := fmt.Sprintf("mix %d%%", share)
			if e, ok := r.endpoint(phase + ": reads"); ok {
				add(phase+" writes: reads' share of the ceiling's requests/s", e.Ratio, 0.5, "× ceiling", true)
				add(phase+" writes: reads' p99", e.Registry.P99ms, 20, "ms", false)
			}
			if e, ok := r.endpoint(phase + ": writes"); ok {
				add(phase+" writes: writes/s", e.Registry.RPS, 100, "writes/s", true)
			}
		}
		for _, name := range coldLists {
			if e, ok := r.endpoint("after a write: " + name); ok {
				add(name+": p99 of the first read after a write", e.Registry.P99ms, coldTargets[name], "ms", false)
			}
		}
	}
	if s == "L" {
		if e, ok := r.endpoint("council opportunities"); ok {
			add("council opportunities: p99 cold (uncached)", e.Cold.P99ms, 10, "ms", false)
		}
		add("server peak memory (VmHWM)", r.ServerPeakRSSMiB, 600, "MiB", false)
	}
	if e, ok := r.endpoint("writes: adoptions and components"); ok && r.Database == "sqlite" {
		add("group-committed writes (32 connections): acknowledged writes/s", e.Registry.RPS, 3000, "writes/s", true)
	}
	if e, ok := r.endpoint("writes: adoptions and components"); ok {
		add("group-committed writes: 5xx answers", float64(e.Status5xx), 1, "answers", false)
	}
	for _, share := range writeShares[1:] {
		if e, ok := r.endpoint(fmt.Sprintf("mix %d%%: all", share)); ok {
			add(fmt.Sprintf("mix %d%% writes: stale reads after a write", share), float64(e.Stale), 1, "reads", false)
		}
	}
}

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "\nscale %s on %s: %s; %d connections, %.0f s a phase; %s, %d cores, %d GB\n", r.Scale.Name, r.Database,
		sizes(r.Scale), r.Connections, r.PhaseSeconds, r.Machine.CPU, r.Machine.Cores, r.Machine.MemoryGB)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "endpoint\treq/s\tp50 ms\tp99 ms\tmisses\terrors\tceiling req/s\tceiling p99 ms\tratio\tCPU µs/req\tceiling µs/req\tcold p50 ms\tcold p99 ms\t")
	for _, e := range r.Endpoints {
		fmt.Fprintf(tw, "%s\t%.0f\t%.2f\t%.2f\t%d\t%d\t%.0f\t%.2f\t%.2f\t%s\t%s\t%.2f\t%.2f\t\n", e.Endpoint, e.Registry.RPS, e.Registry.P50ms,
			e.Registry.P99ms, e.Registry.Misses, e.Registry.Errors, e.Ceiling.RPS, e.Ceiling.P99ms, e.Ratio, dash(e.CPUus), dash(e.CeilCPUus), e.Cold.P50ms, e.Cold.P99ms)
	}
	tw.Flush()
	fmt.Fprintf(w, "server peak memory (VmHWM) %.0f MiB, %.0f MiB at the end; database set up in %.1f s; reuse engine loaded in %.2f s; %d stale reads\n",
		r.ServerPeakRSSMiB, r.ServerRSSMiB, r.SetupSeconds, r.EngineLoadSeconds, r.staleCount())
	fmt.Fprintln(w)
	writeTargets(w, r.Targets)
}

func dash(x float64) string {
	if x == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f", x)
}

// writeTargets is a Markdown table of targets, met or missed, with the figure.
func writeTargets(w io.Writer, ts []target) {
	fmt.Fprintln(w, "| target | scale | engine | measured | limit | |")
	fmt.Fprintln(w, "| --- | --- | --- | ---: | ---: | --- |")
	for _, t := range ts {
		verdict, cmp := "met", "<"
		if !t.Met {
			verdict = "**missed**"
		}
		if t.AtLeast {
			cmp = "≥"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s %s | %s %s %s | %s |\n", t.What, t.Scale, t.Database, figure(t.Measured), t.Unit, cmp, figure(t.Limit), t.Unit, verdict)
	}
}

func figure(x float64) string {
	switch {
	case x >= 1000:
		return commas(int64(x + 0.5))
	case x >= 100:
		return fmt.Sprintf("%.0f", x)
	case x >= 10 || x == float64(int64(x)):
		return strings.TrimSuffix(fmt.Sprintf("%.1f", x), ".0")
	}
	return fmt.Sprintf("%.2f", x)
}

func commas(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func sizes(s scale) string {
	if s.Name == "S" {
		return "real councils and components with the demo world"
	}
	return fmt.Sprintf("%d councils × %d components × %d adoptions (synthetic)", s.Councils, s.Components, s.Adoptions)
}

func (r *report) write(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
