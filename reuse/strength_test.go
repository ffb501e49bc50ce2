package reuse

import (
	"strings"
	"testing"

	"github.com/council-components/registry/models"
)

func strength(s models.Strength, evidence string) func(*Adoption) {
	return func(a *Adoption) { a.Verified, a.Strength, a.Evidence = s == models.StrengthVerified, s, evidence }
}

// TestEvidenceStrengthDecidesTheOrder: Alphaton's three equally close peers each
// run a different booking product live, one verified by the council, one on fresh
// public evidence, one on stale evidence. Everything else is equal, so the order
// is the strength of what vouches for each, and the reasons say which.
func TestEvidenceStrengthDecidesTheOrder(t *testing.T) {
	b := &builder{}
	b.capability("booking", "Appointment booking").capability("payments", "Payments")
	b.council("E09000001", "Alphaton", "london-borough", "London", 300000)
	peers := []string{"E09000022", "E09000028", "E09000008"}
	for _, c := range peers {
		b.council(c, "Peer "+c, "london-borough", "London", 300000)
	}
	b.component("pay-a", "Pay A", "live", false, "payments").
		component("verified-book", "Verified Booking", "live", false, "booking").
		component("fresh-book", "Fresh Booking", "live", false, "booking").
		component("stale-book", "Stale Booking", "live", false, "booking")
	for _, c := range append([]string{"E09000001"}, peers...) {
		b.adopt(c, "pay-a", "payments", "live") // what makes them peers, equally
	}
	b.adopt(peers[2], "stale-book", "booking", "live", strength(models.StrengthStaleEvidence, "Notify lists Peer E09000008, 12 Apr 2019"))
	b.adopt(peers[1], "fresh-book", "booking", "live", strength(models.StrengthFreshEvidence, "GOV.UK Pay lists 2 live services for Peer E09000028, 3 Aug 2026"))
	b.adopt(peers[0], "verified-book", "booking", "live", strength(models.StrengthVerified, ""))
	b.adopt(peers[0], "x-unvouched", "booking", "live", strength(models.StrengthRecorded, ""))
	b.component("x-unvouched", "Unvouched Booking", "live", false, "booking")

	opps := mustOpps(t, b.engine(), "E09000001", 12)
	var order []string
	for _, o := range opps {
		if o.Capability.Slug == "booking" {
			order = append(order, o.Component.Slug)
		}
	}
	want := []string{"verified-book", "fresh-book", "stale-book", "x-unvouched"}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Fatalf("booking offers in order %v, want %v", order, want)
	}
	for slug, clause := range map[string]string{
		"fresh-book":    "; evidence: GOV.UK Pay lists 2 live services for Peer E09000028, 3 Aug 2026",
		"stale-book":    "; older evidence, not confirmed recently: Notify lists Peer E09000008, 12 Apr 2019",
		"verified-book": "",
	} {
		r := reasonOf(findOpp(opps, "booking", slug), ReasonPeerAdoption)
		if r == nil || !strings.HasSuffix(r.Detail, clause) || (clause == "" && strings.Contains(r.Detail, "evidence")) {
			t.Errorf("%s: peer reason %+v, want it to end %q", slug, r, clause)
		}
	}
	if r := reasonOf(findOpp(opps, "booking", "x-unvouched"), ReasonPeerAdoption); r != nil {
		t.Errorf("an unverified record with no evidence credited to a peer: %+v", r)
	}
}
