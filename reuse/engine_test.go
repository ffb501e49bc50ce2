package reuse

import (
	"encoding/json"
	"errors"
	"maps"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/council-components/registry/models"
)

var today = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// builder makes small hand-built worlds.
type builder struct {
	w      world
	nextID int64
}

func nationOf(region string) string {
	switch region {
	case "Scotland", "Wales", "Northern Ireland":
		return region
	}
	return "England"
}

func (b *builder) council(code, name, typ, region string, pop int) *builder {
	b.w.councils = append(b.w.councils, Council{Code: code, Name: name, Type: typ, Region: region,
		Nation: nationOf(region), Population: pop, Current: true, DeliversServices: true})
	return b
}

func (b *builder) capability(slug, name string) *builder {
	b.w.caps = append(b.w.caps, Capability{Slug: slug, Name: name})
	return b
}

func (b *builder) component(slug, name, lifecycle string, inHouse bool, caps ...string) *builder {
	b.w.comps = append(b.w.comps, Component{Slug: slug, Name: name, Lifecycle: lifecycle, InHouse: inHouse, Capabilities: caps})
	return b
}

// adopt records a verified adoption; opts adjust it.
func (b *builder) adopt(council, comp, capability, status string, opts ...func(*Adoption)) *builder {
	b.nextID++
	a := Adoption{ID: b.nextID, Council: council, Component: comp, Capability: capability, Status: status, Verified: true}
	for _, o := range opts {
		o(&a)
	}
	b.w.adoptions = append(b.w.adoptions, a)
	return b
}

func unverified(a *Adoption) { a.Verified = false }

func contractEnds(d string) func(*Adoption) { return func(a *Adoption) { a.ContractEndOn = day(d) } }

func (b *builder) need(council, capability, by, status string) *builder {
	b.nextID++
	b.w.needs = append(b.w.needs, Need{ID: b.nextID, Council: council, Capability: capability, NeededBy: day(by), Status: status})
	return b
}

func (b *builder) engine() *Engine { return b.w.engine() }

func mustOpps(t *testing.T, e *Engine, code string, horizon int) []Opportunity {
	t.Helper()
	opps, err := e.Opportunities(code, horizon, today, 0)
	if err != nil {
		t.Fatal(err)
	}
	return opps
}

func mustPeers(t *testing.T, e *Engine, code string, limit int) []Peer {
	t.Helper()
	peers, err := e.Peers(code, limit)
	if err != nil {
		t.Fatal(err)
	}
	return peers
}

func findOpp(opps []Opportunity, capability, comp string) *Opportunity {
	for i := range opps {
		if opps[i].Capability.Slug == capability && opps[i].Component.Slug == comp {
			return &opps[i]
		}
	}
	return nil
}

func reasonOf(o *Opportunity, kind string) *Reason {
	for i := range o.Reasons {
		if o.Reasons[i].Kind == kind {
			return &o.Reasons[i]
		}
	}
	return nil
}

// londonWorld: Alphaton (E09000001) shares a rare payments product with three London boroughs
// that all run x-book for booking; two small Scottish councils run y-book instead.
func londonWorld() *builder {
	b := &builder{}
	b.capability("booking", "Appointment booking").capability("payments", "Payments")
	b.council("E09000001", "Alphaton", "london-borough", "London", 300000).
		council("E09000022", "Lambeth", "london-borough", "London", 302000).
		council("E09000028", "Southwark", "london-borough", "London", 305000).
		council("E09000008", "Croydon", "london-borough", "London", 390000).
		council("S12000001", "Glenfar", "scottish-unitary", "Scotland", 20000).
		council("S12000002", "Glennear", "scottish-unitary", "Scotland", 25000)
	b.component("pay-a", "Pay A", "live", false, "payments").
		component("pay-b", "Pay B", "live", false, "payments").
		component("x-book", "X Booking", "live", false, "booking").
		component("y-book", "Y Booking", "live", false, "booking").
		component("w-book", "W Booking", "live", false, "booking")
	for _, c := range []string{"E09000001", "E09000022", "E09000028", "E09000008"} {
		b.adopt(c, "pay-a", "payments", "live")
	}
	for _, c := range []string{"E09000022", "E09000028", "E09000008"} {
		b.adopt(c, "x-book", "booking", "live")
	}
	b.adopt("E09000008", "w-book", "booking", "live", unverified)
	for _, c := range []string{"S12000001", "S12000002"} {
		b.adopt(c, "pay-b", "payments", "live").adopt(c, "y-book", "booking", "live")
	}
	return b
}

func TestPeersUsingAComponentRankItFirst(t *testing.T) {
	e := londonWorld().engine()
	opps := mustOpps(t, e, "E09000001", 12)
	if len(opps) == 0 {
		t.Fatal("no opportunities")
	}
	first := opps[0]
	if first.Capability.Slug != "booking" || first.Component.Slug != "x-book" {
		t.Fatalf("first opportunity = %s/%s, want booking/x-book; all: %+v", first.Capability.Slug, first.Component.Slug, opps)
	}
	if want := []string{"E09000022", "E09000028", "E09000008"}; !slices.Equal(first.PeersUsing, want) {
		t.Errorf("peers_using = %v, want %v (closest first)", first.PeersUsing, want)
	}
	r := reasonOf(&first, ReasonPeerAdoption)
	if r == nil || r.Detail != "used live by 3 of your 3 closest peers, including Lambeth and Southwark" {
		t.Errorf("peer_adoption reason = %+v", r)
	}
	if r := reasonOf(&first, ReasonGap); r == nil || r.Detail != "you have no live component for Appointment booking" {
		t.Errorf("gap reason = %+v", r)
	}
	// A product only distant councils use is still offered, below, without a peer reason.
	y := findOpp(opps, "booking", "y-book")
	if y == nil || y.Score >= first.Score || reasonOf(y, ReasonPeerAdoption) != nil || len(y.PeersUsing) != 0 {
		t.Errorf("y-book = %+v, want a lower score and no peer reason", y)
	}
	// A peer's unverified claim does not count as peer adoption.
	if w := findOpp(opps, "booking", "w-book"); w != nil && (len(w.PeersUsing) != 0 || reasonOf(w, ReasonPeerAdoption) != nil) {
		t.Errorf("w-book credited to peers on an unverified claim: %+v", w)
	}
	// Payments is covered by a current shared product: nothing to offer there.
	for _, o := range opps {
		if o.Capability.Slug == "payments" {
			t.Errorf("offered %s for payments, which the council already covers", o.Component.Slug)
		}
	}
}

func TestObsoleteComponentsAreNeverRecommended(t *testing.T) {
	b := londonWorld()
	b.component("old-book", "Old Booking", "deprecated", false, "booking").
		component("gone-book", "Gone Booking", "retired", false, "booking").
		component("own-book", "Someone's Own Booking", "live", true, "booking")
	for _, c := range []string{"E09000022", "E09000028", "E09000008"} {
		b.adopt(c, "old-book", "booking", "live").adopt(c, "gone-book", "booking", "live").adopt(c, "own-book", "booking", "live")
	}
	opps := mustOpps(t, b.engine(), "E09000001", 12)
	for _, o := range opps {
		switch o.Component.Slug {
		case "old-book", "gone-book":
			t.Errorf("recommended %s (obsolete) although it must never be", o.Component.Slug)
		case "own-book":
			t.Errorf("recommended another council's in-house build")
		}
	}
	if findOpp(opps, "booking", "x-book") == nil {
		t.Errorf("x-book missing: %+v", opps)
	}
}

func TestContractEndingWithinHorizon(t *testing.T) {
	b := londonWorld()
	b.capability("ct", "Council tax").
		component("legacy-ct", "Legacy Council Tax Suite", "live", false, "ct").
		component("modern-ct", "Modern CT", "live", false, "ct")
	b.adopt("E09000001", "legacy-ct", "ct", "live", contractEnds("2026-12-01"))
	for _, c := range []string{"E09000022", "E09000028"} {
		b.adopt(c, "modern-ct", "ct", "live")
	}
	e := b.engine()

	opps := mustOpps(t, e, "E09000001", 12)
	o := findOpp(opps, "ct", "modern-ct")
	if o == nil {
		t.Fatalf("no council tax opportunity within a 12-month horizon: %+v", opps)
	}
	if r := reasonOf(o, ReasonContractEnding); r == nil || r.Detail != "your contract for Legacy Council Tax Suite ends 2026-12-01" {
		t.Errorf("contract_ending reason = %+v", r)
	}
	if reasonOf(o, ReasonGap) != nil {
		t.Errorf("gap reason for a covered capability: %+v", o.Reasons)
	}
	if findOpp(opps, "ct", "legacy-ct") != nil {
		t.Error("recommended the council's own current component")
	}

	for _, o := range mustOpps(t, e, "E09000001", 3) {
		if o.Capability.Slug == "ct" {
			t.Errorf("contract ends after a 3-month horizon, yet offered %+v", o)
		}
	}
	// A contract that already ended is not "ending".
	b.w.adoptions[len(b.w.adoptions)-3].ContractEndOn = day("2026-05-01")
	for _, o := range mustOpps(t, b.engine(), "E09000001", 12) {
		if o.Capability.Slug == "ct" {
			t.Errorf("contract ended before today, yet offered %+v", o)
		}
	}
}

func TestRetiringInHouseAndNeedReasons(t *testing.T) {
	b := londonWorld()
	b.capability("ct", "Council tax").capability("waste", "Waste collection").
		component("old-ct", "Old CT", "deprecated", false, "ct").
		component("new-ct", "New CT", "live", false, "ct").
		component("alpha-own-waste", "Alphaton Waste", "live", true, "waste").
		component("shared-waste", "Shared Waste", "live", false, "waste").
		capability("licensing", "Licensing").
		component("lic", "Licensify", "beta", false, "licensing")
	b.adopt("E09000001", "old-ct", "ct", "live").adopt("E09000001", "alpha-own-waste", "waste", "live").
		need("E09000001", "licensing", "2027-04-01", "open").
		need("E09000001", "booking", "2026-01-01", "met")
	for _, c := range []string{"E09000022", "E09000028"} {
		b.adopt(c, "new-ct", "ct", "live").adopt(c, "shared-waste", "waste", "live").adopt(c, "lic", "licensing", "live")
	}
	opps := mustOpps(t, b.engine(), "E09000001", 12)

	cases := []struct{ capability, comp, kind, detail string }{
		{"ct", "new-ct", ReasonComponentRetiring, "Old CT, which you run for Council tax, is deprecated"},
		{"waste", "shared-waste", ReasonInHouse, "you run your own build, Alphaton Waste, for Waste collection"},
		{"licensing", "lic", ReasonNeed, "you stated a need for Licensing by 2027-04-01"},
	}
	for _, c := range cases {
		o := findOpp(opps, c.capability, c.comp)
		if o == nil {
			t.Errorf("%s: no opportunity for %s", c.kind, c.comp)
			continue
		}
		if r := reasonOf(o, c.kind); r == nil || r.Detail != c.detail {
			t.Errorf("%s reason = %+v, want %q; all %+v", c.kind, r, c.detail, o.Reasons)
		}
		if o.Reasons[0].Kind != ReasonPeerAdoption {
			t.Errorf("%s: peer_adoption should lead the reasons, got %+v", c.comp, o.Reasons)
		}
	}
	if findOpp(opps, "booking", "x-book") != nil && reasonOf(findOpp(opps, "booking", "x-book"), ReasonNeed) != nil {
		t.Error("a met need still produced a need reason")
	}
}

func TestIrrelevantGapsAreNotRaised(t *testing.T) {
	b := londonWorld()
	// Only the two Scottish councils (another type, far away) cover licensing.
	b.capability("licensing", "Licensing").component("lic", "Licensify", "live", false, "licensing")
	b.adopt("S12000001", "lic", "licensing", "live").adopt("S12000002", "lic", "licensing", "live")
	for _, o := range mustOpps(t, b.engine(), "E09000001", 12) {
		if o.Capability.Slug == "licensing" {
			t.Errorf("raised a gap no council like this one fills: %+v", o)
		}
	}
	// Once the council says it needs it, it is raised.
	b.need("E09000001", "licensing", "2027-01-01", "open")
	if findOpp(mustOpps(t, b.engine(), "E09000001", 12), "licensing", "lic") == nil {
		t.Error("need for licensing not answered")
	}
}

func TestOwnComponentNeverRecommended(t *testing.T) {
	b := londonWorld()
	// Alphaton pilots x-book (its only booking adoption): booking is still a gap, but x-book is
	// what it already uses.
	b.adopt("E09000001", "x-book", "booking", "piloting", contractEnds("2026-09-01"))
	opps := mustOpps(t, b.engine(), "E09000001", 12)
	if findOpp(opps, "booking", "x-book") != nil {
		t.Error("recommended x-book, which the council already uses for booking")
	}
	if findOpp(opps, "booking", "y-book") == nil {
		t.Errorf("expected other booking products, got %+v", opps)
	}
}

func TestFormerCouncilsGetNoOpportunities(t *testing.T) {
	b := londonWorld()
	b.w.councils[0].Current = false
	opps := mustOpps(t, b.engine(), "E09000001", 12)
	if opps == nil || len(opps) != 0 {
		t.Errorf("former council got %v, want an empty list", opps)
	}
}

func TestUnknownCouncil(t *testing.T) {
	e := londonWorld().engine()
	if _, err := e.Peers("E99999999", 10); !errors.Is(err, ErrUnknownCouncil) || !strings.Contains(err.Error(), "E99999999") {
		t.Errorf("Peers: err = %v", err)
	}
	if _, err := e.Opportunities("E99999999", 12, today, 10); !errors.Is(err, ErrUnknownCouncil) {
		t.Errorf("Opportunities: err = %v", err)
	}
	// A code that only an adoption has named is not a known council.
	e.PutAdoption(Adoption{ID: 999, Council: "E99999998", Component: "x-book", Capability: "booking", Status: "live"})
	if _, err := e.Peers("E99999998", 10); !errors.Is(err, ErrUnknownCouncil) {
		t.Errorf("placeholder council: err = %v", err)
	}
}

func TestPeersByProfileAlone(t *testing.T) {
	b := &builder{}
	b.council("E09000001", "Newham", "london-borough", "London", 250000).
		council("E09000002", "Same type and region", "london-borough", "London", 260000).
		council("E08000001", "Same type, other region", "london-borough", "North West", 250000).
		council("E10000001", "Other type, same region", "county", "London", 250000).
		council("S12000001", "Other nation", "scottish-unitary", "Scotland", 250000).
		council("E09000003", "Former", "london-borough", "London", 250000).
		council("E61000001", "Greater London Authority", "strategic-regional-authority", "London", 250000).
		council("E09000004", "Tiny, same region, no type", "", "London", 2500)
	b.w.councils[5].Current = false
	b.w.councils[6].DeliversServices = false
	b.capability("booking", "Booking").component("x", "X", "live", false, "booking")
	b.adopt("E09000002", "x", "booking", "live").adopt("E09000003", "x", "booking", "live")
	e := b.engine()

	peers := mustPeers(t, e, "E09000001", 0)
	var codes []string
	for _, p := range peers {
		codes = append(codes, p.Council.Code)
		if p.Similarity <= 0 || p.Similarity > 1 {
			t.Errorf("%s similarity %v outside (0,1]", p.Council.Code, p.Similarity)
		}
		if p.SharedComponents == nil || len(p.SharedComponents) != 0 {
			t.Errorf("%s shared components = %#v, want empty non-nil", p.Council.Code, p.SharedComponents)
		}
	}
	want := []string{"E09000002", "E08000001", "E10000001", "E09000004", "S12000001"}
	if !slices.Equal(codes, want) {
		t.Errorf("peers = %v, want %v", codes, want)
	}
	// Limit cuts the ranked list.
	if got := mustPeers(t, e, "E09000001", 2); len(got) != 2 || got[0].Council.Code != "E09000002" {
		t.Errorf("limit 2 = %+v", got)
	}
}

func TestRareSharedComponentOutweighsCommonOne(t *testing.T) {
	b := &builder{}
	b.capability("a", "A").capability("b", "B").
		component("everywhere", "Everywhere", "live", false, "a").
		component("common", "Common", "live", false, "a").
		component("rare", "Rare", "live", false, "b")
	for i, code := range []string{"E1", "E2", "E3", "E4", "E5", "E6"} {
		b.council(code, code, "unitary", "South East", 100000)
		b.adopt(code, "everywhere", "a", "live")
		if i < 4 {
			b.adopt(code, "common", "a", "live")
		}
	}
	b.adopt("E1", "rare", "b", "live").adopt("E6", "rare", "b", "live")
	peers := mustPeers(t, b.engine(), "E1", 0)
	if peers[0].Council.Code != "E6" {
		t.Fatalf("closest peer = %s, want E6 (shares the rare component); %+v", peers[0].Council.Code, peers)
	}
	if !slices.Equal(peers[0].SharedComponents, []string{"rare", "everywhere"}) {
		t.Errorf("shared = %v, want rarest first", peers[0].SharedComponents)
	}
	for _, p := range peers {
		if p.Similarity < 0 || p.Similarity > 1 {
			t.Errorf("similarity %v out of range", p.Similarity)
		}
	}
}

func TestConsolidation(t *testing.T) {
	b := &builder{}
	b.capability("frag", "Fragmented").capability("conc", "Concentrated").capability("none", "Nobody").
		component("solo", "Solo", "live", false, "conc").
		component("unused", "Unused", "live", false, "none")
	for i, code := range []string{"E1", "E2", "E3", "E4", "E5"} {
		b.council(code, code, "unitary", "South East", 100000)
		slug := "frag-" + code
		b.component(slug, slug, "live", i == 0, "frag")
		b.adopt(code, slug, "frag", "live").adopt(code, "solo", "conc", "live")
	}
	b.adopt("E1", "solo", "conc", "piloting") // not live: ignored
	items := b.engine().Consolidation()
	if len(items) != 3 {
		t.Fatalf("got %d items, want 3: %+v", len(items), items)
	}
	want := []ConsolidationItem{
		{Capability: CapabilityRef{"frag", "Fragmented"}, DistinctComponents: 5, Councils: 5, Concentration: 0.2, InHouseShare: 0.2},
		{Capability: CapabilityRef{"conc", "Concentrated"}, DistinctComponents: 1, Councils: 5, Concentration: 1},
		{Capability: CapabilityRef{"none", "Nobody"}},
	}
	for i := range want {
		g, w := items[i], want[i]
		if g.Capability != w.Capability || g.DistinctComponents != w.DistinctComponents || g.Councils != w.Councils ||
			math.Abs(g.Concentration-w.Concentration) > 1e-9 || math.Abs(g.InHouseShare-w.InHouseShare) > 1e-9 {
			t.Errorf("item %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestMigrations(t *testing.T) {
	b := &builder{}
	b.capability("ct", "Council tax").
		component("old", "Old", "deprecated", false, "ct").
		component("gone", "Gone", "retired", false, "ct").
		component("fine", "Fine", "live", false, "ct")
	for _, code := range []string{"E3", "E1", "E2", "E4", "E5"} {
		b.council(code, code, "unitary", "South East", 100000)
	}
	b.w.councils[4].Current = false // a former council's stale record is not a migration to plan
	b.adopt("E5", "old", "ct", "live").adopt("E3", "old", "ct", "live").adopt("E1", "old", "ct", "retiring").adopt("E2", "old", "ct", "retired").
		adopt("E2", "gone", "ct", "piloting").adopt("E4", "fine", "ct", "live")
	got := b.engine().Migrations()
	want := []Migration{
		{Component: ComponentRef{"old", "Old"}, Lifecycle: "deprecated", Councils: []string{"E1", "E3"}},
		{Component: ComponentRef{"gone", "Gone"}, Lifecycle: "retired", Councils: []string{"E2"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("migrations = %+v, want %+v", got, want)
	}
}

func TestCollaborations(t *testing.T) {
	b := &builder{}
	b.capability("booking", "Booking").capability("payments", "Payments").
		component("pay", "Pay", "live", false, "payments")
	for _, code := range []string{"E1", "E2", "E3", "E4", "E5", "E6"} {
		b.council(code, code, "unitary", "South East", 100000)
	}
	b.w.councils[5].Current = false
	b.need("E2", "booking", "2026-11-15", "open").
		need("E1", "booking", "2026-10-01", "open").
		need("E3", "booking", "2026-12-20", "open").
		need("E3", "booking", "2027-01-20", "open"). // a council joins once
		need("E4", "booking", "2028-06-01", "open"). // far away: alone
		need("E5", "booking", "2026-10-02", "met").  // met: not a need any more
		need("E6", "booking", "2026-10-03", "open")  // former council
	b.adopt("E1", "pay", "payments", "live", contractEnds("2027-01-10")).
		adopt("E2", "pay", "payments", "retired", contractEnds("2027-02-01")). // not in use
		adopt("E3", "pay", "payments", "live", contractEnds("2027-03-01")).
		adopt("E4", "pay", "payments", "live", contractEnds("2026-05-01")). // ended before today
		adopt("E6", "pay", "payments", "live", contractEnds("2027-01-15"))  // former council
	// Waste: E3 is too late for the E1+E2 group; E2's second date is near E3's, but E2 is taken,
	// so E3 is left alone rather than put in a second, overlapping group.
	b.capability("waste", "Waste").
		need("E1", "waste", "2026-07-01", "open").
		need("E2", "waste", "2026-10-01", "open").
		need("E3", "waste", "2027-01-20", "open").
		need("E2", "waste", "2027-02-01", "open")
	got := b.engine().Collaborations(0, today)
	want := []Collaboration{
		{Capability: CapabilityRef{"booking", "Booking"}, Councils: []string{"E1", "E2", "E3"}, Window: Window{"2026-10-01", "2026-12-20"}},
		{Capability: CapabilityRef{"payments", "Payments"}, Councils: []string{"E1", "E3"}, Window: Window{"2027-01-10", "2027-03-01"}},
		{Capability: CapabilityRef{"waste", "Waste"}, Councils: []string{"E1", "E2"}, Window: Window{"2026-07-01", "2026-10-01"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("collaborations = %+v\nwant %+v", got, want)
	}
	// A one-month window splits the others and leaves only E2 and E3's winter waste dates.
	got = b.engine().Collaborations(31*24*time.Hour, today)
	want = []Collaboration{{Capability: CapabilityRef{"waste", "Waste"}, Councils: []string{"E2", "E3"}, Window: Window{"2027-01-20", "2027-02-01"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("one-month window: %+v, want %+v", got, want)
	}
}

func TestResultsSerialiseAsTheContractSays(t *testing.T) {
	e := londonWorld().engine()
	peers := mustPeers(t, e, "E09000001", 10)
	opps := mustOpps(t, e, "E09000001", 12)
	blob, err := json.Marshal(map[string]any{
		"peers": peers, "opps": opps, "cons": e.Consolidation(), "migr": e.Migrations(), "collab": e.Collaborations(0, today),
	})
	if err != nil {
		t.Fatal(err)
	}
	s := string(blob)
	for _, want := range []string{
		`"council":{"code":"E09000022","name":"Lambeth"}`, `"similarity":`, `"shared_components":["pay-a"]`,
		`"capability":{"slug":"booking","name":"Appointment booking"}`, `"component":{"slug":"x-book","name":"X Booking"}`,
		`"score":`, `"reasons":[{"kind":"peer_adoption","detail":`, `"peers_using":[]`,
		`"distinct_components":`, `"councils":`, `"concentration":`, `"in_house_share":`,
		`"migr":[]`, `"collab":[]`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("JSON lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, "null") {
		t.Errorf("JSON has a null:\n%s", s)
	}
}

// naiveSimilarity computes the documented similarity directly, in floating point, for checking
// the indexed, fixed-point version.
func naiveSimilarity(w *world, a, b Council, uses map[string]map[string]bool, df map[string]int) float64 {
	n := float64(len(w.councils))
	shared, union := 0.0, 0.0
	for k := range uses[a.Code] {
		idf := math.Log(n / float64(df[k]))
		union += idf
		if uses[b.Code][k] {
			shared += idf
		}
	}
	for k := range uses[b.Code] {
		if !uses[a.Code][k] {
			union += math.Log(n / float64(df[k]))
		}
	}
	adoption := 0.0
	if union > 0 {
		adoption = shared / union
	}
	return round4(wAdoption*adoption + wProfile*profile(&a, &b))
}

func TestPeersMatchBruteForce(t *testing.T) {
	w := synthWorld(300, 80, 4000, 3)
	e := w.engine()
	uses, df := map[string]map[string]bool{}, map[string]int{}
	for _, a := range w.adoptions {
		if inUse(parseStatus(a.Status)) {
			if uses[a.Council] == nil {
				uses[a.Council] = map[string]bool{}
			}
			if !uses[a.Council][a.Component] {
				uses[a.Council][a.Component] = true
				df[a.Component]++
			}
		}
	}
	const tol = 2e-4
	for _, a := range w.councils {
		var naive []float64
		byCode := map[string]float64{}
		for _, b := range w.councils {
			if b.Code == a.Code || !b.Current || !b.DeliversServices {
				continue
			}
			s := naiveSimilarity(w, a, b, uses, df)
			byCode[b.Code] = s
			if s > 0 {
				naive = append(naive, s)
			}
		}
		slices.Sort(naive)
		slices.Reverse(naive)
		got := mustPeers(t, e, a.Code, 10)
		if len(got) != min(10, len(naive)) {
			t.Fatalf("%s: %d peers, want %d", a.Code, len(got), min(10, len(naive)))
		}
		for i, p := range got {
			if math.Abs(p.Similarity-byCode[p.Council.Code]) > tol {
				t.Fatalf("%s→%s: similarity %v, brute force %v", a.Code, p.Council.Code, p.Similarity, byCode[p.Council.Code])
			}
			if math.Abs(p.Similarity-naive[i]) > tol {
				t.Fatalf("%s: peer %d has %v, but the %d-th best by brute force is %v", a.Code, i, p.Similarity, i, naive[i])
			}
		}
	}
}

// TestOpportunityRulesHoldEverywhere checks the never-recommend rules and result shape for every
// council of a synthetic world.
func TestOpportunityRulesHoldEverywhere(t *testing.T) {
	w := synthWorld(400, 100, 2000, 5)
	e := w.engine()
	comps := map[string]Component{}
	for _, c := range w.comps {
		comps[c.Slug] = c
	}
	used := map[[3]string]bool{}
	for _, a := range w.adoptions {
		used[[3]string{a.Council, a.Capability, a.Component}] = true
	}
	kinds := []string{ReasonPeerAdoption, ReasonGap, ReasonContractEnding, ReasonComponentRetiring, ReasonInHouse, ReasonNeed}
	total := 0
	for _, c := range w.councils {
		opps := mustOpps(t, e, c.Code, 12)
		if !c.Current && len(opps) > 0 {
			t.Fatalf("former council %s got opportunities", c.Code)
		}
		total += len(opps)
		peers := mustPeers(t, e, c.Code, peerK)
		var peerCodes []string
		for i, p := range peers {
			peerCodes = append(peerCodes, p.Council.Code)
			if i > 0 && p.Similarity > peers[i-1].Similarity {
				t.Fatalf("%s: peers not in order", c.Code)
			}
		}
		for i, o := range opps {
			comp := comps[o.Component.Slug]
			switch {
			case models.Obsolete(comp.Lifecycle):
				t.Fatalf("%s: recommended %s component %s", c.Code, comp.Lifecycle, comp.Slug)
			case comp.InHouse:
				t.Fatalf("%s: recommended in-house build %s", c.Code, comp.Slug)
			case used[[3]string{c.Code, o.Capability.Slug, o.Component.Slug}]:
				t.Fatalf("%s: recommended %s, already used for %s", c.Code, comp.Slug, o.Capability.Slug)
			case !slices.Contains(comp.Capabilities, o.Capability.Slug):
				t.Fatalf("%s: %s does not provide %s", c.Code, comp.Slug, o.Capability.Slug)
			case i > 0 && o.Score > opps[i-1].Score:
				t.Fatalf("%s: opportunities not best first", c.Code)
			case len(o.Reasons) == 0 || o.PeersUsing == nil:
				t.Fatalf("%s: %+v lacks reasons or peers_using", c.Code, o)
			}
			for _, r := range o.Reasons {
				if !slices.Contains(kinds, r.Kind) || r.Detail == "" {
					t.Fatalf("%s: bad reason %+v", c.Code, r)
				}
			}
			for _, p := range o.PeersUsing {
				if !slices.Contains(peerCodes, p) {
					t.Fatalf("%s: peers_using names %s, not a top peer", c.Code, p)
				}
			}
		}
	}
	if total == 0 {
		t.Fatal("no opportunities at all in the synthetic world")
	}
}

// snapshot records every query's answer, to compare two engines.
type snapshot struct {
	Peers         map[string][]Peer
	Opportunities map[string][]Opportunity
	Consolidation []ConsolidationItem
	Migrations    []Migration
	Collab        []Collaboration
}

func takeSnapshot(t *testing.T, e *Engine, codes []string) snapshot {
	t.Helper()
	s := snapshot{Peers: map[string][]Peer{}, Opportunities: map[string][]Opportunity{}}
	for _, c := range codes {
		s.Peers[c] = mustPeers(t, e, c, 0)
		s.Opportunities[c] = mustOpps(t, e, c, 12)
	}
	s.Consolidation = e.Consolidation()
	s.Migrations = e.Migrations()
	s.Collab = e.Collaborations(0, synthToday)
	return s
}

func TestIncrementalUpdatesMatchAFreshBuild(t *testing.T) {
	full := synthWorld(120, 40, 1500, 11)
	r := rand.New(rand.NewPCG(99, 1))

	// Start from part of the data, then apply a random stream of writes.
	adoptions := map[int64]Adoption{}
	needs := map[int64]Need{}
	councils := slices.Clone(full.councils)
	comps := slices.Clone(full.comps)
	for _, a := range full.adoptions[:700] {
		adoptions[a.ID] = a
	}
	for _, n := range full.needs[:60] {
		needs[n.ID] = n
	}
	e := New(councils, full.caps, comps, slices.Collect(maps.Values(adoptions)), slices.Collect(maps.Values(needs)))

	statuses := []string{"exploring", "piloting", "live", "retiring", "retired"}
	lifecycles := []string{"alpha", "beta", "live", "deprecated", "retired"}
	next := 700
	for step := range 3000 {
		switch op := r.IntN(100); {
		case op < 35 && next < len(full.adoptions): // new adoption
			a := full.adoptions[next]
			next++
			adoptions[a.ID] = a
			e.PutAdoption(a)
		case op < 60 && len(adoptions) > 0: // change an adoption
			a := adoptions[pickKey(r, adoptions)]
			a.Status = statuses[r.IntN(len(statuses))]
			a.Verified = r.IntN(2) == 0
			if r.IntN(3) == 0 {
				a.ContractEndOn = synthToday.AddDate(0, 0, r.IntN(400))
			}
			if r.IntN(5) == 0 {
				a.Capability = full.caps[r.IntN(len(full.caps))].Slug
			}
			adoptions[a.ID] = a
			e.PutAdoption(a)
		case op < 75 && len(adoptions) > 0:
			deleteAny(r, adoptions, e.DeleteAdoption)
		case op < 83:
			n := full.needs[r.IntN(len(full.needs))]
			n.Status = []string{"open", "met", "withdrawn"}[r.IntN(3)]
			needs[n.ID] = n
			e.PutNeed(n)
		case op < 87 && len(needs) > 0:
			deleteAny(r, needs, e.DeleteNeed)
		case op < 93:
			i := r.IntN(len(comps))
			c := comps[i]
			c.Lifecycle = lifecycles[r.IntN(len(lifecycles))]
			c.InHouse = r.IntN(6) == 0
			if r.IntN(3) == 0 {
				c.Capabilities = []string{full.caps[r.IntN(len(full.caps))].Slug, c.Capabilities[0]}
			}
			comps[i] = c
			e.PutComponent(c)
		case op < 98:
			i := r.IntN(len(councils))
			c := councils[i]
			c.Current = r.IntN(8) != 0
			if r.IntN(2) == 0 {
				c.Type = councils[r.IntN(len(councils))].Type
				c.Region = councils[r.IntN(len(councils))].Region
			}
			councils[i] = c
			e.PutCouncil(c)
		default: // a new council joins
			c := full.councils[r.IntN(len(full.councils))]
			c.Code = "N" + strings.Repeat("0", 3) + string(rune('A'+step%26)) + string(rune('A'+step/26%26))
			if !slices.ContainsFunc(councils, func(x Council) bool { return x.Code == c.Code }) {
				councils = append(councils, c)
				e.PutCouncil(c)
			}
		}
	}

	fresh := New(councils, full.caps, comps, slices.Collect(maps.Values(adoptions)), slices.Collect(maps.Values(needs)))
	var codes []string
	for _, c := range councils {
		codes = append(codes, c.Code)
	}
	got, want := takeSnapshot(t, e, codes), takeSnapshot(t, fresh, codes)
	for _, c := range codes {
		if !reflect.DeepEqual(got.Peers[c], want.Peers[c]) {
			t.Fatalf("peers of %s differ:\nincremental %+v\nfresh       %+v", c, got.Peers[c], want.Peers[c])
		}
		if !reflect.DeepEqual(got.Opportunities[c], want.Opportunities[c]) {
			t.Fatalf("opportunities of %s differ:\nincremental %+v\nfresh       %+v", c, got.Opportunities[c], want.Opportunities[c])
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("reports differ:\nincremental %+v\nfresh       %+v", got.Consolidation, want.Consolidation)
	}
	if len(got.Migrations) == 0 || len(got.Collab) == 0 {
		t.Error("the test world should exercise migrations and collaborations")
	}
}

func TestDeleteUndoesPut(t *testing.T) {
	b := londonWorld()
	e := b.engine()
	codes := []string{"E09000001", "E09000022", "S12000001"}
	before := takeSnapshot(t, e, codes)
	e.PutAdoption(Adoption{ID: 500, Council: "E09000001", Component: "y-book", Capability: "booking", Status: "live", Verified: true})
	e.PutNeed(Need{ID: 501, Council: "E09000001", Capability: "booking", NeededBy: day("2027-01-01"), Status: "open"})
	if reflect.DeepEqual(before, takeSnapshot(t, e, codes)) {
		t.Fatal("a new adoption changed nothing")
	}
	e.DeleteAdoption(500)
	e.DeleteNeed(501)
	e.DeleteAdoption(12345) // unknown: ignored
	if after := takeSnapshot(t, e, codes); !reflect.DeepEqual(before, after) {
		t.Errorf("delete did not undo put:\nbefore %+v\nafter  %+v", before.Peers, after.Peers)
	}
}

func TestConcurrentReadsAndWrites(t *testing.T) {
	w := synthWorld(200, 50, 3000, 2)
	e := w.engine()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 50 {
				code := w.councils[(g*50+i)%len(w.councils)].Code
				if _, err := e.Opportunities(code, 12, synthToday, 10); err != nil {
					t.Error(err)
				}
				if _, err := e.Peers(code, 10); err != nil {
					t.Error(err)
				}
				e.Consolidation()
			}
		})
	}
	wg.Go(func() {
		for i := range 200 {
			a := w.adoptions[i]
			a.Status = "retired"
			e.PutAdoption(a)
			e.DeleteAdoption(w.adoptions[i+200].ID)
		}
	})
	wg.Wait()
}

// deleteAny deletes a random record from the test's copy and, through del, from the engine.
func deleteAny[V any](r *rand.Rand, m map[int64]V, del func(int64)) {
	id := pickKey(r, m)
	delete(m, id)
	del(id)
}

// pickKey picks a key deterministically (smallest after a random offset in sorted order).
func pickKey[V any](r *rand.Rand, m map[int64]V) int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys[r.IntN(len(keys))]
}
