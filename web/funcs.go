package web

import (
	"cmp"
	"fmt"
	"html/template"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/council-components/registry/models"
)

// templateFuncs format values the way GOV.UK pages write them.
var templateFuncs = template.FuncMap{
	"pct":          pct,
	"score":        func(v float64) string { return strconv.FormatFloat(math.Round(v*100), 'f', 0, 64) },
	"date":         longDate,
	"day":          func(t time.Time) string { return t.Format(dayLayout) },
	"month":        monthName,
	"num":          thousands,
	"plural":       plural,
	"statusTag":    statusTag,
	"lifecycleTag": lifecycleTag,
	"reasonLabel":  reasonLabel,
	"reasonDetail": reasonDetail,
	"categoryName": categoryName,
	"standardName": standardName,
	"sentence":     sentence,
	"label":        label,
	"deref": func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	},
	"derefInt": func(n *int) int {
		if n == nil {
			return 0
		}
		return *n
	},
	"newestEvidence": newestEvidence,
	"sourceName": func(source string) string {
		if n := models.EvidenceSourceNames[source]; n != "" {
			return n
		}
		return source
	},
	"add":  func(a, b int) int { return a + b },
	"addf": func(a, b float64) float64 { return a + b },
	"sub":  func(a, b float64) float64 { return a - b },
	"nav": func(current, section, href, text string) navItem {
		return navItem{Current: current == section, Href: href, Text: text}
	},
	"coverageTable": func(caption, header string, groups []models.CoverageGroup) coverageTableData {
		return coverageTableData{Caption: caption, Header: header, Groups: groups}
	},
	"f1":              func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) },
	"cols":            cols,
	"numeric":         numeric,
	"halfWidth":       func(name string) col { return col{Name: name, Class: "govuk-!-width-one-half"} },
	"numericGroups":   numericGroups,
	"searchMaxLength": func() int { return models.MaxSearchLength },
}

// col is one column heading of a table, for the "thead" partial; Class is
// added to the heading's own, and a Note follows the name in small print.
type col struct{ Name, Class, Note string }

func numeric(name string) col { return col{Name: name, Class: "govuk-table__header--numeric"} }

// numericGroups are a numeric column for each coverage group, its council
// count noted beside its name.
func numericGroups(groups []models.CoverageGroup) []col {
	out := make([]col, len(groups))
	for i, g := range groups {
		out[i] = numeric(g.Group)
		out[i].Note = strconv.Itoa(g.Councils)
	}
	return out
}

// cols lists a table's column headings: a string is a plain one, and a
// []col stands for as many columns.
func cols(cs ...any) ([]col, error) {
	var out []col
	for i, c := range cs {
		switch c := c.(type) {
		case string:
			out = append(out, col{Name: c})
		case col:
			out = append(out, c)
		case []col:
			out = append(out, c...)
		default:
			return nil, fmt.Errorf("cols: column %d is a %T, not a string, col or []col", i, c)
		}
	}
	return out, nil
}

type navItem struct {
	Current    bool
	Href, Text string
}

type coverageTableData struct {
	Caption, Header string
	Groups          []models.CoverageGroup
}

// pct writes a share in 0..1 as a whole percentage; a share that is not zero
// never shows as 0%.
func pct(share float64) string {
	p := math.Round(share * 100)
	if p == 0 && share > 0 {
		return "under 1%"
	}
	return fmt.Sprintf("%.0f%%", p)
}

// dayLayout is how pages write a day: "1 April 2027".
const dayLayout = "2 January 2006"

// longDate writes YYYY-MM-DD as "1 April 2027".
func longDate(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return t.Format(dayLayout)
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// statusTag is the tag colour for an adoption status.
func statusTag(status string) string {
	switch status {
	case "live":
		return "govuk-tag--green"
	case "piloting":
		return "govuk-tag--turquoise"
	case "exploring":
		return "govuk-tag--blue"
	case "retiring":
		return "govuk-tag--orange"
	}
	return "govuk-tag--grey"
}

func lifecycleTag(lifecycle string) string {
	switch lifecycle {
	case "live":
		return "govuk-tag--green"
	case "beta":
		return "govuk-tag--turquoise"
	case "alpha":
		return "govuk-tag--purple"
	case "deprecated":
		return "govuk-tag--orange"
	}
	return "govuk-tag--grey"
}

// reasonLabel names an opportunity's reason kind for people.
func reasonLabel(kind string) string {
	switch kind {
	case "peer_adoption":
		return "Peers use it"
	case "gap":
		return "Gap"
	case "contract_ending":
		return "Contract ending"
	case "component_retiring":
		return "Component retiring"
	case "in_house":
		return "In-house build"
	case "need":
		return "Stated need"
	}
	return kind
}

// isoDay is a YYYY-MM-DD day inside text.
var isoDay = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

// reasonDetail is a reason's detail as the API gives it, its days written as
// the pages' tables write them ("1 June 2028", not 2028-06-01).
func reasonDetail(detail string) string { return isoDay.ReplaceAllStringFunc(detail, longDate) }

// acronyms are the words of category slugs that are written in capitals.
var acronyms = map[string]string{"api": "API", "apis": "APIs", "crm": "CRM", "foi": "FOI"}

// categoryName writes a capability's category, which is a slug, as its name:
// sentence case keeping acronyms ("case-management-and-crm" is "Case
// management and CRM"), as seed/data/capabilities.json names them.
func categoryName(slug string) string {
	words := strings.Split(slug, "-")
	for i, w := range words {
		if a, ok := acronyms[w]; ok {
			words[i] = a
		}
	}
	return sentence(strings.Join(words, " "))
}

// standardNames are the names of the standards components follow, by code.
var standardNames = map[string]string{
	"gss-codes":        "GSS codes",
	"hsds":             "HSDS (Open Referral)",
	"lgil":             "LGIL (Local Government Interaction List)",
	"lgsl":             "LGSL (Local Government Service List)",
	"open-referral-uk": "Open Referral UK",
	"open311":          "Open311",
	"openid-connect":   "OpenID Connect",
}

// standardName names a standard by its code; a code not known is shown as it is.
func standardName(code string) string { return cmp.Or(standardNames[code], code) }

// sentence capitalises the first letter, for values such as "self-hosted".
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ReplaceAll(s[1:], "-", " ")
}

// labels name enumerated values where sentence case would read wrongly.
var labels = map[string]string{
	"saas": "Software as a service (SaaS)", "self-hosted": "Self-hosted", "usage-based": "Usage-based",
	"licence-fee": "Licence fee", "unknown": "Not known", "in-house": "In-house", "public-sector": "Public sector",
	"non-profit": "Non-profit",
}

func label(s string) string {
	if l, ok := labels[s]; ok {
		return l
	}
	return sentence(s)
}

// newestEvidence is the newest current evidence item, else the newest of all,
// else nil: what a page shows beside an adoption.
func newestEvidence(items []models.EvidenceItem) *models.EvidenceItem {
	var best *models.EvidenceItem
	for i := range items {
		it := &items[i]
		if best == nil || (it.Current && !best.Current) || (it.Current == best.Current && it.ObservedOn > best.ObservedOn) {
			best = it
		}
	}
	return best
}
