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
	SetupSeconds      float64     `json:"database_setup_seconds"`
	EngineLoadSeconds float64     `json:"engine_load_seconds"`
	ServerPeakRSSMiB  float64     `json:"server_peak_rss_mib"` // VmHWM of the registry process
	ServerRSSMiB      float64     `json:"server_rss_mib_at_end"`
	PeakAfter         []phasePeak `json:"server_peak_rss_mib_after_phase"` // where the peak was reached
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
	Endpoint string  `json:"endpoint"`
	Registry stats   `json:"registry"` // under load, 32 connections
	Ceiling  stats   `json:"ceiling"`
	Ratio    float64 `json:"ratio_to_ceiling"`
	Cold     stats   `json:"cold"` // each request once, one at a time, before it was cached
}

type target struct {
	What     string  `json:"what"`
	Scale    string  `json:"scale"`
	Measured float64 `json:"measured"`
	Limit    float64 `json:"limit"`
	Unit     string  `json:"unit"`
	Met      bool    `json:"met"`
}

func newReport(o options) *report {
	return &report{Scale: o.scale, Command: "go run ./bench " + strings.Join(os.Args[1:], " "), When: time.Now().UTC().Truncate(time.Second),
		Machine: readMachine(), Connections: o.conns, PhaseSeconds: o.duration.Seconds()}
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

func (r *report) add(name string, reg, ceil, cold stats) {
	res := result{Endpoint: name, Registry: reg, Ceiling: ceil, Cold: cold}
	if ceil.RPS > 0 {
		res.Ratio = round(reg.RPS/ceil.RPS, 3)
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

func (r *report) errorCount() int {
	n := 0
	for _, e := range r.Endpoints {
		if !strings.HasPrefix(e.Endpoint, "mix: all") {
			n += e.Registry.Errors + e.Cold.Errors
		}
	}
	return n
}

// evaluate checks the targets that apply at this scale. They are
// reported, never enforced: speed depends on the machine.
func (r *report) evaluate() {
	s := r.Scale.Name
	add := func(what string, measured, limit float64, unit string, atLeast bool) {
		met := measured < limit
		if atLeast {
			met = measured >= limit
		}
		r.Targets = append(r.Targets, target{What: what, Scale: s, Measured: measured, Limit: limit, Unit: unit, Met: met})
	}
	if s == "M" {
		for _, name := range []string{"component list (filters)", "component detail", "council detail"} {
			if e, ok := r.endpoint(name); ok {
				add(name+": share of the ceiling's requests/s", e.Ratio, 0.5, "ratio", true)
				add(name+": p99", e.Registry.P99ms, 20, "ms", false)
			}
		}
		if e, ok := r.endpoint("full-text search"); ok {
			add("full-text search: p99 under load", e.Registry.P99ms, 30, "ms", false)
			add("full-text search: p99 cold (uncached)", e.Cold.P99ms, 30, "ms", false)
		}
	}
	if s == "L" {
		if e, ok := r.endpoint("council opportunities"); ok {
			add("council opportunities: p99 under load", e.Registry.P99ms, 50, "ms", false)
			add("council opportunities: p99 cold (uncached)", e.Cold.P99ms, 50, "ms", false)
		}
		add("server peak memory", r.ServerPeakRSSMiB, 1024, "MiB", false)
	}
	if e, ok := r.endpoint("adoption write"); ok && r.Database == "sqlite" {
		add("adoption writes on SQLite (synchronous=FULL): acknowledged writes/s", e.Registry.RPS, 500, "writes/s", true)
	}
}

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "\nscale %s on %s: %s; %d connections, %.0f s a phase; %s, %d cores, %d GB\n", r.Scale.Name, r.Database,
		sizes(r.Scale), r.Connections, r.PhaseSeconds, r.Machine.CPU, r.Machine.Cores, r.Machine.MemoryGB)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "endpoint\treq/s\tp50 ms\tp99 ms\tmisses\terrors\tceiling req/s\tceiling p99 ms\tratio\tcold p50 ms\tcold p99 ms\t")
	for _, e := range r.Endpoints {
		fmt.Fprintf(tw, "%s\t%.0f\t%.2f\t%.2f\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t\n", e.Endpoint, e.Registry.RPS, e.Registry.P50ms,
			e.Registry.P99ms, e.Registry.Misses, e.Registry.Errors, e.Ceiling.RPS, e.Ceiling.P99ms, e.Ratio, e.Cold.P50ms, e.Cold.P99ms)
	}
	tw.Flush()
	fmt.Fprintf(w, "server peak memory (VmHWM) %.0f MiB, %.0f MiB at the end; database set up in %.1f s; reuse engine loaded in %.2f s\n",
		r.ServerPeakRSSMiB, r.ServerRSSMiB, r.SetupSeconds, r.EngineLoadSeconds)
	for _, t := range r.Targets {
		verdict := "met"
		if !t.Met {
			verdict = "MISSED"
		}
		fmt.Fprintf(w, "target at %s: %s = %g %s (limit %g): %s\n", t.Scale, t.What, t.Measured, t.Unit, t.Limit, verdict)
	}
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
