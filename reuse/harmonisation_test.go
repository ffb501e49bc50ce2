package reuse

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// mergerWorld: three districts (D1, D2, D3) about to merge, and five of their neighbours. The
// districts use different payment products; the neighbours mostly run pay-b, live and verified.
func mergerWorld() *builder {
	b := &builder{}
	b.capability("payments", "Payments").capability("crm", "Customer relationship management").
		capability("booking", "Appointment booking")
	for _, c := range []struct{ code, name string }{{"D1", "Dale"}, {"D2", "Fell"}, {"D3", "Moor"}} {
		b.council(c.code, c.name, "non-metropolitan-district", "North West", 60000)
	}
	for _, code := range []string{"N1", "N2", "N3", "N4", "N5"} {
		b.council(code, "Neighbour "+code, "non-metropolitan-district", "North West", 65000)
	}
	b.component("pay-a", "Pay A", "live", false, "payments").
		component("pay-b", "Pay B", "live", false, "payments").
		component("old-pay", "Old Pay", "deprecated", false, "payments").
		component("own-pay", "Moor Pay", "live", true, "payments").
		component("crm-x", "CRM X", "live", false, "crm").
		component("book-y", "Book Y", "live", false, "booking")
	for _, code := range []string{"N1", "N2", "N3", "N4"} {
		b.adopt(code, "pay-b", "payments", "live")
	}
	b.adopt("N5", "pay-a", "payments", "live")
	return b
}

func use(council, comp, capability, status, contractEnd string) MergingUse {
	u := MergingUse{Council: council, Component: comp, Capability: capability, Status: status}
	if contractEnd != "" {
		u.ContractEndOn = day(contractEnd)
	}
	return u
}

var merging = []string{"D1", "D2", "D3"}

// harmonise asks what the merging districts should run, given their uses, at vesting on 2027-04-01.
func harmonise(e *Engine, us ...MergingUse) []HarmonisationItem {
	return e.Harmonisation(merging, us, day("2027-04-01"))
}

// wantSuggestion fails unless capability's item has the merging councils agreeing (or not) as
// agree says, and suggests component from switchOn; it returns the suggestion.
func wantSuggestion(t *testing.T, items []HarmonisationItem, capability string, agree bool, component, switchOn string) *Suggestion {
	t.Helper()
	it := itemFor(t, items, capability)
	if s := it.Suggestion; it.Agree != agree || s == nil || s.Component != component || s.SwitchOn != switchOn {
		t.Fatalf("%s: agree %t, suggestion %+v; want agree %t and a suggestion of %s from %s", capability, it.Agree, it.Suggestion, agree, component, switchOn)
	}
	return it.Suggestion
}

func itemFor(t *testing.T, items []HarmonisationItem, capability string) HarmonisationItem {
	t.Helper()
	for _, it := range items {
		if it.Capability.Slug == capability {
			return it
		}
	}
	t.Fatalf("no item for %s in %+v", capability, items)
	return HarmonisationItem{}
}

func reasonKinds(s *Suggestion) []string {
	var kinds []string
	for _, r := range s.Reasons {
		kinds = append(kinds, r.Kind)
	}
	return kinds
}

func detailOf(s *Suggestion, kind string) string {
	for _, r := range s.Reasons {
		if r.Kind == kind {
			return r.Detail
		}
	}
	return ""
}

type reasonDetail struct{ kind, detail string }

// wantDetails checks the detail s gives for each kind of reason, in order.
func wantDetails(t *testing.T, s *Suggestion, want []reasonDetail) {
	t.Helper()
	for _, w := range want {
		if got := detailOf(s, w.kind); got != w.detail {
			t.Errorf("%s reason %q", w.kind, got)
		}
	}
}

func TestHarmonisationPrefersWhatMostMergingCouncilsRunLive(t *testing.T) {
	e := mergerWorld().engine()
	items := harmonise(e,
		use("D1", "pay-a", "payments", "live", "2027-03-31"),
		use("D2", "pay-a", "payments", "live", ""),
		use("D3", "pay-b", "payments", "live", "2028-06-30"),
		use("D1", "crm-x", "crm", "live", ""), use("D2", "crm-x", "crm", "live", ""), use("D3", "crm-x", "crm", "piloting", ""),
		use("D1", "book-y", "booking", "exploring", ""), // not in use: ignored
		use("N1", "pay-b", "payments", "live", ""),      // not merging: ignored
	)
	if len(items) != 2 {
		t.Fatalf("%d items, want payments and crm: %+v", len(items), items)
	}
	if items[0].Capability.Slug != "payments" || items[0].Agree || items[1].Capability.Slug != "crm" || !items[1].Agree || items[1].Suggestion != nil {
		t.Fatalf("want payments (disagree) first, then crm (agree, no suggestion): %+v", items)
	}
	pay := items[0]
	wantUses := []HarmonisationUse{
		{Council: "D1", Component: "pay-a", Status: "live", ContractEndOn: ptr("2027-03-31")},
		{Council: "D2", Component: "pay-a", Status: "live"},
		{Council: "D3", Component: "pay-b", Status: "live", ContractEndOn: ptr("2028-06-30")},
	}
	if !reflect.DeepEqual(pay.Uses, wantUses) {
		t.Errorf("uses %+v, want %+v", pay.Uses, wantUses)
	}
	// Two of three run pay-a live: that outweighs the neighbours' liking for pay-b. The
	// switch waits for Moor's Pay B contract to end.
	s := wantSuggestion(t, items, "payments", false, "pay-a", "2028-06-30")
	wantDetails(t, s, []reasonDetail{
		{ReasonMergingCouncils, "used live by 2 of the 3 merging councils: Dale and Fell"},
		{ReasonContractEnding, "the last contract to end among those being replaced, Pay B at Moor, ends 2028-06-30"},
		{ReasonPeerAdoption, "used live by Neighbour N5, one of the merging councils' 5 closest peers"},
		{ReasonTakeUp, "used live for Payments by 1 council nationally"},
	})
}

// TestHarmonisationSuggestions: what is suggested, from when and why, for the ways the
// merging councils can differ over one capability.
func TestHarmonisationSuggestions(t *testing.T) {
	e := mergerWorld().engine()
	for _, tc := range []struct {
		name                string
		uses                []MergingUse
		capability          string
		agree               bool
		component, switchOn string
		kinds               []string       // when set, every reason's kind, in order
		details             []reasonDetail // the first detail given for each kind
	}{{
		// Two of three run a deprecated product: the third's current one wins.
		name: "deprecated majority",
		uses: []MergingUse{
			use("D1", "old-pay", "payments", "live", "2026-12-31"),
			use("D2", "old-pay", "payments", "live", "2027-09-30"),
			use("D3", "pay-a", "payments", "piloting", ""),
		},
		capability: "payments", component: "pay-a", switchOn: "2027-09-30",
		details: []reasonDetail{
			{ReasonComponentRetiring, "Old Pay, which Dale and Fell use for Payments, is deprecated"},
			{ReasonMergingCouncils, "used by 1 of the 3 merging councils, though not yet live"},
		},
	}, {
		// All three agree on a deprecated product: the catalogue's best current one, pay-b (most peers).
		name: "agreed on a deprecated product",
		uses: []MergingUse{
			use("D1", "old-pay", "payments", "live", ""), use("D2", "old-pay", "payments", "live", ""),
			use("D3", "old-pay", "payments", "retiring", "2027-06-30"),
		},
		capability: "payments", agree: true, component: "pay-b", switchOn: "2027-06-30",
		kinds: []string{ReasonComponentRetiring, ReasonPeerAdoption, ReasonTakeUp, ReasonComponentRetiring, ReasonContractEnding},
		details: []reasonDetail{
			{ReasonComponentRetiring, "none of the merging councils' components for Payments is current, so Pay B is suggested from the catalogue"},
		},
	}, {
		// One each: the neighbours' choice (pay-b, 4 peers) beats pay-a (1 peer) and the in-house build.
		name: "one each",
		uses: []MergingUse{
			use("D1", "pay-a", "payments", "live", ""),
			use("D2", "pay-b", "payments", "live", ""),
			use("D3", "own-pay", "payments", "live", ""),
		},
		capability: "payments", component: "pay-b", switchOn: "2027-04-01", // no contract ends recorded: at vesting
		details: []reasonDetail{
			{ReasonPeerAdoption, "used live by 4 of the merging councils' 5 closest peers, including Neighbour N1 and Neighbour N2"},
			{ReasonInHouse, "Moor runs its own build, Moor Pay, for Payments"},
			{ReasonReorganisation, "no contract end is recorded for what is being replaced, so vesting day, 2027-04-01, is the natural switch date"},
		},
	}, {
		// Two run the same product and the third nothing: they do not agree, and the gap is named.
		name:       "a gap",
		uses:       []MergingUse{use("D1", "crm-x", "crm", "live", "2027-01-31"), use("D3", "crm-x", "crm", "live", "")},
		capability: "crm", component: "crm-x", switchOn: "2027-04-01", // D1's contract ends before vesting
		kinds: []string{ReasonMergingCouncils, ReasonGap, ReasonReorganisation}, // no take-up: nobody else runs it
		details: []reasonDetail{
			{ReasonGap, "Fell has no component in use for Customer relationship management"},
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			s := wantSuggestion(t, harmonise(e, tc.uses...), tc.capability, tc.agree, tc.component, tc.switchOn)
			if got := reasonKinds(s); tc.kinds != nil && !reflect.DeepEqual(got, tc.kinds) {
				t.Errorf("reason kinds %v, want %v", got, tc.kinds)
			}
			wantDetails(t, s, tc.details)
		})
	}
}

func TestHarmonisationSerialisesAsTheContractSays(t *testing.T) {
	e := mergerWorld().engine()
	items := harmonise(e,
		use("D1", "pay-a", "payments", "live", ""), use("D2", "pay-b", "payments", "live", "2027-05-01"),
		use("D1", "crm-x", "crm", "live", ""), use("D2", "crm-x", "crm", "live", ""), use("D3", "crm-x", "crm", "live", ""),
	)
	blob, err := json.Marshal(items)
	if err != nil {
		t.Fatal(err)
	}
	s := string(blob)
	for _, want := range []string{
		`"capability":{"slug":"payments","name":"Payments"}`, `"agree":false`,
		`"uses":[{"council":"D1","component":"pay-a","status":"live","contract_end_on":null}`,
		`"suggestion":{"component":"pay-b","switch_on":"2027-04-01","reasons":[{"kind":`,
		`"agree":true`, `"suggestion":null`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("JSON lacks %s:\n%s", want, s)
		}
	}
}

func TestPlannedReorganisationsInCollaborations(t *testing.T) {
	b := mergerWorld()
	b.council("D4", "Old Town", "non-metropolitan-district", "North West", 10000)
	b.w.councils[len(b.w.councils)-1].Current = false
	b.adopt("D1", "pay-a", "payments", "live", contractEnds("2027-09-30")).
		adopt("D2", "pay-b", "payments", "live", contractEnds("2026-03-01")).    // ended before today: not a date
		adopt("D3", "pay-a", "payments", "retired", contractEnds("2028-01-01")). // not in use
		adopt("D4", "old-pay", "payments", "live").                              // a former council
		adopt("D1", "crm-x", "crm", "live").adopt("D2", "crm-x", "crm", "live")  // they agree: no group
	e := b.engine()
	before := e.Collaborations(0, today)
	e.SetReorganisations([]PlannedReorganisation{{ID: 7, Successor: "Dalefell Council", Councils: []string{"D1", "D2", "D3", "D4"}, VestingDate: day("2027-04-01")}})
	got := e.Collaborations(0, today)
	if len(got) != len(before)+1 {
		t.Fatalf("%d collaborations, want %d + 1: %+v", len(got), len(before), got)
	}
	var g *Collaboration
	for i := range got {
		if got[i].Reorganisation != nil {
			g = &got[i]
		}
	}
	want := Collaboration{
		Capability:     CapabilityRef{"payments", "Payments"},
		Councils:       []string{"D1", "D2"},
		Window:         Window{"2027-04-01", "2027-09-30"},
		Reorganisation: &ReorganisationRef{ID: 7, Successor: "Dalefell Council", VestingDate: "2027-04-01"},
		Reasons: []Reason{{Kind: ReasonReorganisation,
			Detail: "Dale, Fell and Moor merge into Dalefell Council on 2027-04-01 (planned reorganisation 7) and run 2 different components for Payments"}},
	}
	if g == nil || !reflect.DeepEqual(*g, want) {
		t.Fatalf("reorganisation group %+v\nwant %+v", g, want)
	}
	blob, _ := json.Marshal(got)
	if !strings.Contains(string(blob), `"reorganisation":{"id":7,`) {
		t.Errorf("JSON %s", blob)
	}
	blob, _ = json.Marshal(before)
	if strings.Contains(string(blob), `"reorganisation"`) || strings.Contains(string(blob), `"reasons"`) {
		t.Errorf("ordinary groups grew fields: %s", blob)
	}
	e.SetReorganisations(nil)
	if after := e.Collaborations(0, today); !reflect.DeepEqual(after, before) {
		t.Errorf("after clearing: %+v, want %+v", after, before)
	}
}

func ptr(s string) *string { return &s }
