package reuse

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/synth"
)

// world is a full snapshot of engine input.
type world struct {
	councils  []Council
	caps      []Capability
	comps     []Component
	adoptions []Adoption
	needs     []Need
}

func (w *world) engine() *Engine { return New(w.councils, w.caps, w.comps, w.adoptions, w.needs) }

// synthToday is the "today" the synthetic world's dates are spread around: the one registry synth uses.
var synthToday = synth.Epoch

// taxonomy is the capability taxonomy registry synth builds on, read from the seed data
// (package seed cannot be imported here: it imports the store, which imports reuse).
var taxonomy = sync.OnceValue(func() []models.Capability {
	b, err := os.ReadFile("../seed/data/capabilities.json")
	if err != nil {
		panic(err)
	}
	var doc struct {
		Capabilities []models.Capability `json:"capabilities"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		panic(err)
	}
	return doc.Capabilities
})

// synthWorld is the world `registry synth` writes for these sizes and seed (package synth), as
// engine input: shaped like the real one, with components providing 1–3 capabilities, Zipf-like
// popularity, some deprecated or retired, some in-house, varied regions, types and populations,
// and contract ends and needs spread over three years around synthToday.
func synthWorld(nCouncils, nComponents, nAdoptions int, seed uint64) *world {
	sw, err := synth.New(synth.Options{Councils: nCouncils, Components: nComponents, Adoptions: nAdoptions,
		Seed: seed, Capabilities: taxonomy(), Today: synthToday})
	if err != nil {
		panic(err)
	}
	return fromSynth(sw)
}

// fromSynth reads a synthetic world as the store's engine loader reads it once written: a
// council is named by its short name, in-house is its vendor's kind, and ids count from 1.
func fromSynth(sw *synth.World) *world {
	w := &world{caps: make([]Capability, len(sw.Capabilities)), councils: make([]Council, len(sw.Councils)),
		comps: make([]Component, len(sw.Components)), adoptions: make([]Adoption, len(sw.Adoptions)), needs: make([]Need, len(sw.Needs))}
	for i, c := range sw.Capabilities {
		w.caps[i] = Capability{Slug: c.Slug, Name: c.Name}
	}
	for i, c := range sw.Councils {
		w.councils[i] = Council{Code: c.Code, Name: c.ShortName, Type: c.Type, Region: c.Region, Nation: c.Nation,
			Population: c.Population, Current: c.Current, DeliversServices: c.DeliversServices}
	}
	for i, c := range sw.Components {
		w.comps[i] = Component{Slug: c.Slug, Name: c.Name, Lifecycle: c.Lifecycle, InHouse: c.InHouse, Vendor: sw.Vendors[c.Vendor].Slug}
		for _, ci := range c.Capabilities {
			w.comps[i].Capabilities = append(w.comps[i].Capabilities, w.caps[ci].Slug)
		}
	}
	for i, a := range sw.Adoptions {
		w.adoptions[i] = Adoption{ID: int64(i + 1), Council: w.councils[a.Council].Code, Component: w.comps[a.Component].Slug,
			Capability: w.caps[a.Capability].Slug, Status: a.Status, Verified: a.Verified}
		if a.HasContract {
			w.adoptions[i].ContractEndOn = sw.Date(a.ContractEnd)
		}
	}
	for i, n := range sw.Needs {
		w.needs[i] = Need{ID: int64(i + 1), Council: w.councils[n.Council].Code, Capability: w.caps[n.Capability].Slug,
			NeededBy: sw.Date(n.NeededBy), Status: n.Status}
	}
	return w
}

type benchScale struct {
	name                          string
	councils, components, adopted int
}

var benchScales = []benchScale{
	{"S", 400, 100, 2_000},
	{"M", 2_000, 10_000, 200_000},
	{"L", 20_000, 50_000, 2_000_000},
}

type benchEnv struct {
	w     *world
	e     *Engine
	codes []string // current, service-delivering councils to query, in a scrambled order
}

var benchCache struct {
	sync.Mutex
	envs map[string]*benchEnv
}

// benchWorld builds (once per scale, outside any timer) the world and its engine. L takes
// gigabytes and a minute to build, so it runs only with REUSE_BENCH_L=1.
func benchWorld(b *testing.B, s benchScale) *benchEnv {
	b.Helper()
	if s.name == "L" && os.Getenv("REUSE_BENCH_L") != "1" {
		b.Skip("L scale needs REUSE_BENCH_L=1 (several GB of memory)")
	}
	benchCache.Lock()
	defer benchCache.Unlock()
	if env, ok := benchCache.envs[s.name]; ok {
		return env
	}
	b.StopTimer()
	defer b.StartTimer()
	var before, mid, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	t0 := time.Now()
	w := synthWorld(s.councils, s.components, s.adopted, 1)
	runtime.GC()
	runtime.ReadMemStats(&mid)
	t1 := time.Now()
	e := w.engine()
	built := time.Since(t1)
	runtime.GC()
	runtime.ReadMemStats(&after)
	env := &benchEnv{w: w, e: e}
	for _, c := range w.councils {
		if c.Current && c.DeliversServices {
			env.codes = append(env.codes, c.Code)
		}
	}
	rand.New(rand.NewPCG(7, 7)).Shuffle(len(env.codes), func(i, j int) { env.codes[i], env.codes[j] = env.codes[j], env.codes[i] })
	const mb = 1 << 20
	b.Logf("world %s: %d councils, %d components, %d adoptions; generated in %v, engine built in %v; "+
		"HeapAlloc after build %d MB (input data %d MB, engine %d MB)",
		s.name, len(w.councils), len(w.comps), len(w.adoptions), t1.Sub(t0).Round(time.Millisecond),
		built.Round(time.Millisecond), after.HeapAlloc/mb,
		(mid.HeapAlloc-min(mid.HeapAlloc, before.HeapAlloc))/mb, (after.HeapAlloc-min(after.HeapAlloc, mid.HeapAlloc))/mb)
	if benchCache.envs == nil {
		benchCache.envs = map[string]*benchEnv{}
	}
	benchCache.envs[s.name] = env
	return env
}

func BenchmarkOpportunities(b *testing.B) {
	atEachScale(b, func(b *testing.B, env *benchEnv, i int) {
		if _, err := env.e.Opportunities(env.codes[i%len(env.codes)], 12, synthToday, 20); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkPeers(b *testing.B) {
	atEachScale(b, func(b *testing.B, env *benchEnv, i int) {
		if _, err := env.e.Peers(env.codes[i%len(env.codes)], 20); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkConsolidation(b *testing.B) {
	atEachScale(b, func(_ *testing.B, env *benchEnv, _ int) { env.e.Consolidation() })
}

func BenchmarkMigrations(b *testing.B) {
	atEachScale(b, func(_ *testing.B, env *benchEnv, _ int) { env.e.Migrations() })
}

func BenchmarkCollaborations(b *testing.B) {
	atEachScale(b, func(_ *testing.B, env *benchEnv, _ int) { env.e.Collaborations(0, synthToday) })
}

// atEachScale runs op, given the scale's world and the iteration's number, as
// one sub-benchmark per scale.
func atEachScale(b *testing.B, op func(b *testing.B, env *benchEnv, i int)) {
	for _, s := range benchScales {
		b.Run(s.name, func(b *testing.B) {
			env := benchWorld(b, s)
			for i := 0; b.Loop(); i++ {
				op(b, env, i)
			}
		})
	}
}

// BenchmarkPutAdoption replaces existing adoptions, alternately retiring one and restoring it,
// so each write both leaves and rejoins a component's adopters (the costly path) and the world
// is unchanged after an even number of iterations. "hot" writes only adoptions of the most widely
// used component, the worst case: every one of its adopters' IDF sums moves.
func BenchmarkPutAdoption(b *testing.B) {
	for _, s := range benchScales[1:] {
		for _, hot := range []bool{false, true} {
			name := s.name
			if hot {
				name += "-hot"
			}
			b.Run(name, func(b *testing.B) {
				env := benchWorld(b, s)
				pool := env.w.adoptions
				if hot {
					pool = hottest(env)
				}
				i := 0
				for b.Loop() {
					a := pool[(i/2*7919)%len(pool)]
					if i%2 == 0 {
						if a.Status == "retired" {
							a.Status = "live"
						} else {
							a.Status = "retired"
						}
					}
					env.e.PutAdoption(a)
					i++
				}
			})
		}
	}
}

// hottest returns the adoptions of the component with the most adopters.
func hottest(env *benchEnv) []Adoption {
	count := map[string]int{}
	best := ""
	for _, a := range env.w.adoptions {
		count[a.Component]++
		if count[a.Component] > count[best] {
			best = a.Component
		}
	}
	var out []Adoption
	for _, a := range env.w.adoptions {
		if a.Component == best {
			out = append(out, a)
		}
	}
	return out
}
