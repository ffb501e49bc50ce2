package web

import (
	"strings"

	"github.com/council-components/registry/models"
)

// A council page says how strong an opportunity is and how alike two councils
// are in words, not as bare scores: these are the bands, defined once.

// matchStrength says how strong an opportunity is, from its score (0..1:
// 0.7 × the share of the closest peers' similarity, weighted by evidence,
// that runs it live, plus 0.3 × its national take-up; see
// reuse/opportunities.go) and the similarity of the closest peer running it
// (0 when none does). A score of 0.5 or more needs most of a council's peers
// behind it: a strong match. Above 0.3 some peers must run it (take-up alone
// gives at most 0.3): a good match, as is a lower score that a very similar
// peer (0.75 or more) runs. Anything else, take-up with little or no peer
// behind it, is a possible match.
func matchStrength(score, closestPeer float64) string {
	switch {
	case score >= 0.5:
		return "Strong match"
	case score > 0.3 || (score >= 0.2 && closestPeer >= 0.75):
		return "Good match"
	}
	return "Possible match"
}

// likeness says in words how alike a peer is (similarity 0..1).
func likeness(similarity float64) string {
	switch {
	case similarity >= 0.75:
		return "Very similar"
	case similarity >= 0.5:
		return "Similar"
	}
	return "Somewhat similar"
}

// listSep is what goes before item i of a list written as prose: "Elmbridge,
// Dover and Hythe". When a name itself contains "and", the last item takes
// a comma too, so names stay whole: "Folkestone and Hythe, and Elmbridge".
func listSep(i int, items []models.Ref) string {
	switch {
	case i == 0:
		return ""
	case i < len(items)-1:
		return ", "
	}
	for _, it := range items {
		if strings.Contains(it.Name, " and ") {
			return ", and "
		}
	}
	return " and "
}

func init() {
	templateFuncs["matchStrength"] = matchStrength
	templateFuncs["likeness"] = likeness
	templateFuncs["listSep"] = listSep
	templateFuncs["lower"] = strings.ToLower
}
