package seed

import (
	"fmt"
	"strings"

	"github.com/council-components/registry/models"
)

// CouncilNames reads every council's names and dates for the council-name matcher,
// including mySociety's alt-names, which the council list itself does not keep.
func (f Files) CouncilNames() ([]models.CouncilName, error) {
	recs, err := f.readCSV(mySocietyFile, []string{"local-authority-code", "official-name", "nice-name",
		"gss-code", "alt-names", "former-gss-codes", "start-date", "end-date", "local-authority-type"})
	if err != nil {
		return nil, err
	}
	out := make([]models.CouncilName, 0, len(recs))
	for _, r := range recs {
		t, ok := models.CouncilTypes[r.get("local-authority-type")]
		if !ok {
			return nil, &lineError{mySocietyFile, r.line, fmt.Sprintf("unknown local-authority-type %q", r.get("local-authority-type"))}
		}
		code := r.get("gss-code")
		if code == "" { // as in councils(): the few former ones without a GSS code keep mySociety's
			code = r.get("local-authority-code")
		}
		out = append(out, models.CouncilName{
			Code: code, AuthorityCode: r.get("local-authority-code"), Name: r.get("official-name"),
			ShortName: r.get("nice-name"), AltNames: splitAltNames(r.get("alt-names")),
			FormerCodes: splitCodes(r.get("former-gss-codes")), StartDate: r.get("start-date"),
			EndDate: r.get("end-date"), Type: t.Slug,
		})
	}
	return out, nil
}

// CouncilNames reads the names shipped in the binary.
func CouncilNames() ([]models.CouncilName, error) {
	return Embedded().CouncilNames()
}

// splitAltNames splits mySociety's alt-names at commas that have no space after them:
// "Bristol, City of,bristol" is two names, not three.
func splitAltNames(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || (s[i] == ',' && (i+1 == len(s) || s[i+1] != ' ')) {
			if name := strings.TrimSpace(s[start:i]); name != "" {
				out = append(out, name)
			}
			start = i + 1
		}
	}
	return out
}

// CouncilMatcher builds the council-name matcher from the names shipped in the binary.
func CouncilMatcher() (*models.CouncilMatcher, error) {
	names, err := CouncilNames()
	if err != nil {
		return nil, err
	}
	return models.NewCouncilMatcher(names), nil
}
