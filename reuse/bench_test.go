package reuse

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"
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

// synthToday is the "today" the synthetic world's dates are spread around.
var synthToday = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

type synthRegion struct {
	region, nation string
	weight         int
}

// Regions weighted roughly by how many councils each has.
var synthRegions = []synthRegion{
	{"London", "England", 33}, {"South East", "England", 70}, {"East of England", "England", 50},
	{"South West", "England", 30}, {"West Midlands", "England", 33}, {"East Midlands", "England", 40},
	{"Yorkshire and The Humber", "England", 22}, {"North West", "England", 40}, {"North East", "England", 12},
	{"Scotland", "Scotland", 32}, {"Wales", "Wales", 22}, {"Northern Ireland", "Northern Ireland", 11},
}

var englishTypes = []string{
	"non-metropolitan-district", "non-metropolitan-district", "non-metropolitan-district",
	"non-metropolitan-district", "unitary", "unitary", "metropolitan-district", "county",
}

func pickWeighted(r *rand.Rand, regions []synthRegion) synthRegion {
	total := 0
	for _, x := range regions {
		total += x.weight
	}
	n := r.IntN(total)
	for _, x := range regions {
		if n < x.weight {
			return x
		}
		n -= x.weight
	}
	return regions[len(regions)-1]
}

// synthWorld makes a deterministic world shaped like the real one: about 60 capabilities, each
// component providing 1–3 of them, Zipf-like popularity (a few components used almost everywhere,
// most by a handful), some deprecated or retired, some in-house, varied regions, types and
// populations, and contract ends and needs spread over three years around synthToday.
func synthWorld(nCouncils, nComponents, nAdoptions int, seed uint64) *world {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	const nCaps = 60
	w := &world{}
	for i := range nCaps {
		w.caps = append(w.caps, Capability{Slug: fmt.Sprintf("cap-%02d", i), Name: fmt.Sprintf("Capability %d", i)})
	}

	for i := range nCouncils {
		reg := pickWeighted(r, synthRegions)
		c := Council{
			Code:             fmt.Sprintf("X%08d", i),
			Name:             fmt.Sprintf("Council %d", i),
			Region:           reg.region,
			Nation:           reg.nation,
			Current:          r.IntN(100) >= 3,
			DeliversServices: true,
		}
		switch {
		case r.IntN(100) < 2:
			c.Type, c.DeliversServices = "combined-authority", false
		case reg.nation == "Scotland":
			c.Type = "scottish-unitary"
		case reg.nation == "Wales":
			c.Type = "welsh-unitary"
		case reg.nation == "Northern Ireland":
			c.Type = "ni-district"
		case reg.region == "London":
			c.Type = "london-borough"
		default:
			c.Type = englishTypes[r.IntN(len(englishTypes))]
		}
		if r.IntN(100) >= 2 { // log-uniform 2,000 to 1,500,000; a few unknown
			c.Population = int(math.Exp(math.Log(2000) + r.Float64()*math.Log(1500000.0/2000)))
		}
		w.councils = append(w.councils, c)
	}

	for i := range nComponents {
		c := Component{Slug: fmt.Sprintf("comp-%05d", i), Name: fmt.Sprintf("Component %d", i), InHouse: r.IntN(100) < 12}
		switch n := r.IntN(100); {
		case n < 5:
			c.Lifecycle = "alpha"
		case n < 15:
			c.Lifecycle = "beta"
		case n < 85:
			c.Lifecycle = "live"
		case n < 95:
			c.Lifecycle = "deprecated"
		default:
			c.Lifecycle = "retired"
		}
		for k := 1 + r.IntN(3); len(c.Capabilities) < k; {
			// Skewed so some capabilities have many more products than others.
			slug := w.caps[int(float64(nCaps)*math.Pow(r.Float64(), 1.5))].Slug
			dup := false
			for _, s := range c.Capabilities {
				dup = dup || s == slug
			}
			if !dup {
				c.Capabilities = append(c.Capabilities, slug)
			}
		}
		w.comps = append(w.comps, c)
	}

	rank := r.Perm(nComponents) // popularity rank → component, so popularity is not index order
	zipf := rand.NewZipf(r, 1.1, 2, uint64(nComponents-1))
	seen := make(map[uint64]struct{}, nAdoptions)
	start := synthToday.AddDate(0, -6, 0)
	for id, tries := int64(1), 0; len(w.adoptions) < nAdoptions && tries < 5*nAdoptions; tries++ {
		ci, k := r.IntN(nCouncils), rank[zipf.Uint64()]
		key := uint64(ci)<<32 | uint64(k)
		if _, dup := seen[key]; dup {
			continue
		}
		seen[key] = struct{}{}
		comp := &w.comps[k]
		a := Adoption{
			ID:         id,
			Council:    w.councils[ci].Code,
			Component:  comp.Slug,
			Capability: comp.Capabilities[r.IntN(len(comp.Capabilities))],
			Verified:   r.IntN(100) < 75,
		}
		switch n := r.IntN(100); {
		case !w.councils[ci].Current || n < 16:
			a.Status = "retired"
		case n < 22:
			a.Status = "exploring"
		case n < 30:
			a.Status = "piloting"
		case n < 38:
			a.Status = "retiring"
		default:
			a.Status = "live"
		}
		if r.IntN(100) < 65 {
			a.ContractEndOn = start.AddDate(0, 0, r.IntN(3*365))
		}
		w.adoptions = append(w.adoptions, a)
		id++
	}

	for i := range nCouncils {
		n := Need{
			ID:         int64(i + 1),
			Council:    w.councils[r.IntN(nCouncils)].Code,
			Capability: w.caps[r.IntN(nCaps)].Slug,
			NeededBy:   start.AddDate(0, 0, r.IntN(3*365)),
			Status:     "open",
		}
		switch x := r.IntN(10); {
		case x < 2:
			n.Status = "met"
		case x < 3:
			n.Status = "withdrawn"
		}
		w.needs = append(w.needs, n)
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
	for _, s := range benchScales {
		b.Run(s.name, func(b *testing.B) {
			env := benchWorld(b, s)
			i := 0
			for b.Loop() {
				if _, err := env.e.Opportunities(env.codes[i%len(env.codes)], 12, synthToday, 20); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkPeers(b *testing.B) {
	for _, s := range benchScales {
		b.Run(s.name, func(b *testing.B) {
			env := benchWorld(b, s)
			i := 0
			for b.Loop() {
				if _, err := env.e.Peers(env.codes[i%len(env.codes)], 20); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkConsolidation(b *testing.B) {
	for _, s := range benchScales {
		b.Run(s.name, func(b *testing.B) {
			env := benchWorld(b, s)
			for b.Loop() {
				env.e.Consolidation()
			}
		})
	}
}

func BenchmarkMigrations(b *testing.B) {
	for _, s := range benchScales {
		b.Run(s.name, func(b *testing.B) {
			env := benchWorld(b, s)
			for b.Loop() {
				env.e.Migrations()
			}
		})
	}
}

func BenchmarkCollaborations(b *testing.B) {
	for _, s := range benchScales {
		b.Run(s.name, func(b *testing.B) {
			env := benchWorld(b, s)
			for b.Loop() {
				env.e.Collaborations(0, synthToday)
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
