package seed_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/store/storetest/testdb"
)

// Several rows about one council are one membership with several items; rows
// without a council the register knows are reported, never guessed.
func TestProgrammeMembersAndUnmatchedRows(t *testing.T) {
	const extra = `Middlesbrough Council,E06000002,open-digital-planning,piloting,https://example.gov.uk/odp,"a second, later source",2026-09-01,test row
Kingston Council,,open-digital-planning,piloting,https://example.gov.uk/odp,ambiguous name,2026-09-01,test row
Nowhere Council,E06999999,local-digital-declaration,live,https://example.gov.uk/ldd,no such code,2020,test row
`
	files := editedFiles(t, "evidence/adoption_evidence.csv", func(s string) string { return s + extra })
	st := testdb.New(t)
	rep, err := files.Load(context.Background(), st, false)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, st, `SELECT count(*) FROM programme_members m JOIN councils c ON c.id = m.council_id WHERE c.code = 'E06000002'`); n != 2 {
		t.Errorf("Middlesbrough has %d items of membership, want 2", n)
	}
	odp, err := st.GetProgramme(context.Background(), "open-digital-planning")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(odp.Members, func(m models.ProgrammeMember) bool { return m.Council.Code == "E06000002" })
	if odp.MemberCount != 217 || i < 0 || len(odp.Members[i].Items) != 2 || odp.Members[i].Items[0].ObservedOn != "2026-09-01" ||
		odp.Members[i].Items[1].Source != "digital-land-project-organisation" {
		t.Errorf("%d members; Middlesbrough %+v", odp.MemberCount, odp.Members[max(i, 0)])
	}
	if n := count(t, st, `SELECT count(*) FROM (SELECT DISTINCT programme_id, council_id FROM programme_members) m`); n != 217+5 {
		t.Errorf("%d memberships, want 222 (217 of ODP and 5 of the Declaration)", n)
	}
	for _, want := range []string{`evidence/adoption_evidence.csv line 912: "Kingston Council" (gss_code "")`,
		`evidence/adoption_evidence.csv line 913: "Nowhere Council" (gss_code "E06999999")`} {
		if !slices.ContainsFunc(rep.Unmatched, func(u string) bool { return strings.HasPrefix(u, want) }) {
			t.Errorf("unmatched %q not reported in %v", want, rep.Unmatched)
		}
	}
	if !strings.Contains(rep.String(), "\nunmatched: evidence/adoption_evidence.csv line 912") {
		t.Errorf("the report does not print the unmatched rows:\n%s", rep)
	}
}

const awardURL = "https://github.com/digital-land/specification/blob/5e802e8eb6f80a76dbcf085b26c74f1fe7b33599/specification/award.csv"
