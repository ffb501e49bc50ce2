package models

import (
	"slices"
	"sort"
	"strings"
	"unicode"
)

// Outcomes of matching a name as a source publishes it to a council.
const (
	MatchMatched   = "matched"
	MatchAmbiguous = "ambiguous" // fits several councils: reported with its candidates, never guessed
	MatchSkipped   = "skipped"   // not a principal council: town and parish councils, police, NHS, cadets…
	MatchUnmatched = "unmatched" // could not be placed: reported with up to three close candidates
)

// CouncilName is what the matcher knows of one council, current or former.
type CouncilName struct {
	Code          string   // the registry's code: the GSS code, or mySociety's code where there is none
	AuthorityCode string   // mySociety's local-authority-code, e.g. "ADU"
	Name          string   // official name
	ShortName     string   // mySociety's nice-name
	AltNames      []string // mySociety's alt-names, which hold many Welsh and Gaelic names
	FormerCodes   []string // former GSS codes
	StartDate     string   // YYYY-MM-DD, or "" when not known
	EndDate       string   // YYYY-MM-DD, or "" while current
	Type          string   // registry type slug, e.g. "county" or "combined-authority"
}

// CouncilMatch is the matcher's answer for one name.
type CouncilMatch struct {
	Code       string   `json:"code,omitempty"`
	Codes      []string `json:"codes,omitempty"` // every council a joint name covers ("Adur & Worthing Councils"); Codes[0] is Code
	Outcome    string   `json:"outcome"`
	Reason     string   `json:"reason,omitempty"`
	Candidates []string `json:"candidates,omitempty"` // codes: every fit when ambiguous, the closest names when unmatched
}

// CouncilMatcher matches published names to councils. Build it once with NewCouncilMatcher.
type CouncilMatcher struct {
	councils []CouncilName
	exact    map[string][]int // normalised names → councils
	core     map[string][]int // names without "Borough Council", "London Borough of"… → councils
	coreKeys []string         // the keys of core, sorted, for "Kingston" → "Kingston upon …"
	byCode   map[string]int
	tokens   []map[string]bool // each council's name words, for close candidates
}

// NewCouncilMatcher indexes every name of every council.
func NewCouncilMatcher(councils []CouncilName) *CouncilMatcher {
	m := &CouncilMatcher{councils: councils, exact: map[string][]int{}, core: map[string][]int{},
		byCode: map[string]int{}, tokens: make([]map[string]bool, len(councils))}
	for i, c := range councils {
		for _, code := range []string{c.Code, c.AuthorityCode} {
			m.addCode(code, i)
		}
		m.tokens[i] = map[string]bool{}
		for _, name := range append([]string{c.Name, c.ShortName}, c.AltNames...) {
			n := normName(name)
			if n == "" {
				continue
			}
			m.exact[n] = append(m.exact[n], i)
			if t, ok := strings.CutPrefix(n, "the "); ok {
				m.exact[t] = append(m.exact[t], i)
			}
			core := coreName(n)
			m.core[core] = append(m.core[core], i)
			for _, w := range strings.Fields(core) {
				if !fillerWords[w] {
					m.tokens[i][w] = true
				}
			}
		}
	}
	for i, c := range councils { // former GSS codes last: a council's own code always wins
		for _, code := range c.FormerCodes {
			m.addCode(code, i)
		}
	}
	for k := range m.core {
		m.coreKeys = append(m.coreKeys, k)
	}
	sort.Strings(m.coreKeys)
	return m
}

func (m *CouncilMatcher) addCode(code string, i int) {
	if _, taken := m.byCode[code]; code != "" && !taken {
		m.byCode[code] = i
	}
}

// Lookup finds a council by the registry's code, mySociety's code or a former GSS code.
func (m *CouncilMatcher) Lookup(code string) (CouncilName, bool) {
	i, ok := m.byCode[code]
	if !ok {
		return CouncilName{}, false
	}
	return m.councils[i], true
}

// Match places a name as a source published it on date on (YYYY-MM-DD, or "" for today).
// A name shared by a former and a current council goes to the one that existed on the
// date; a name only a former council had still matches it after its end, because sources
// such as GOV.UK Pay keep old accounts and reorganisation carries evidence on.
func (m *CouncilMatcher) Match(name, on string) CouncilMatch {
	n := normName(name)
	if n == "" {
		return CouncilMatch{Outcome: MatchUnmatched, Reason: "the name is blank"}
	}
	if len(m.exactHits(n)) > 0 {
		return m.loose(n, on)
	}
	// "York & North Yorkshire Combined Authority - Police": a department of a named body.
	if left, ok := beforeDash(name); ok {
		if l := normName(left); notCouncil(l) == "" {
			if r := m.loose(l, on); r.Outcome == MatchMatched {
				r.Reason = "a department of " + left
				return r
			}
		}
	}
	if why := notCouncil(n); why != "" {
		return CouncilMatch{Outcome: MatchSkipped, Reason: why}
	}
	if rest, ok := strings.CutSuffix(n, " councils"); ok {
		return m.joint(rest, on)
	}
	return m.loose(n, on)
}

// loose matches a council's own name first. Failing that, it matches the name without its
// designations ("Blackpool Council" → Blackpool Borough Council) and the short form of
// "X upon Y" ("Kingston Council"); so does a bare name no council of that name had on the
// date ("Dorset" in 2018 → Dorset County Council).
func (m *CouncilMatcher) loose(n, on string) CouncilMatch {
	core := coreName(n)
	exact := m.exactHits(n)
	if len(exact) > 0 && (core != n || slices.ContainsFunc(exact, func(i int) bool { return existedOn(m.councils[i], on) })) {
		return m.decide(exact, n, on, "one of the council's names")
	}
	hits := append(append([]int{}, exact...), m.core[core]...)
	for _, joiner := range []string{" upon ", " under ", " on ", " in "} {
		prefix := core + joiner
		for i := sort.SearchStrings(m.coreKeys, prefix); i < len(m.coreKeys) && strings.HasPrefix(m.coreKeys[i], prefix); i++ {
			hits = append(hits, m.core[m.coreKeys[i]]...)
		}
	}
	if len(hits) > 0 {
		return m.decide(hits, n, on, "the council's name without its designation")
	}
	return CouncilMatch{Outcome: MatchUnmatched, Reason: "no council has this name", Candidates: m.closest(core, 3)}
}

func (m *CouncilMatcher) exactHits(n string) []int {
	hits := m.exact[n]
	if t, ok := strings.CutPrefix(n, "the "); ok {
		hits = append(append([]int{}, hits...), m.exact[t]...)
	}
	return hits
}

// decide narrows the councils a name fits: first to those that existed on the date, then,
// for a name ending in "council", to councils rather than combined authorities.
func (m *CouncilMatcher) decide(hits []int, n, on, why string) CouncilMatch {
	hits = uniqueInts(hits)
	if len(hits) > 1 {
		hits = m.keep(hits, func(c CouncilName) bool { return existedOn(c, on) })
	}
	if len(hits) > 1 && strings.HasSuffix(n, "council") {
		hits = m.keep(hits, func(c CouncilName) bool {
			return c.Type != "combined-authority" && c.Type != "strategic-regional-authority"
		})
	}
	if len(hits) == 1 {
		c := m.councils[hits[0]]
		return CouncilMatch{Code: c.Code, Codes: []string{c.Code}, Outcome: MatchMatched, Reason: why}
	}
	codes := make([]string, len(hits))
	for i, h := range hits {
		codes[i] = m.councils[h].Code
	}
	sort.Strings(codes)
	return CouncilMatch{Outcome: MatchAmbiguous, Reason: "the name fits several councils", Candidates: codes}
}

// keep returns the hits that pass, or all of them when none does.
func (m *CouncilMatcher) keep(hits []int, pass func(CouncilName) bool) []int {
	var out []int
	for _, h := range hits {
		if pass(m.councils[h]) {
			out = append(out, h)
		}
	}
	if len(out) == 0 {
		return hits
	}
	return out
}

func existedOn(c CouncilName, on string) bool {
	if on == "" {
		return c.EndDate == ""
	}
	return (c.StartDate == "" || c.StartDate <= on) && (c.EndDate == "" || on < c.EndDate)
}

// joint places "Adur & Worthing Councils": every part must be one council.
func (m *CouncilMatcher) joint(n, on string) CouncilMatch {
	parts := strings.Split(n, " and ")
	for i := len(parts) - 1; i >= 1; i-- {
		head := m.loose(strings.Join(parts[:i], " and "), on)
		if head.Outcome != MatchMatched {
			continue
		}
		if rest := m.partition(parts[i:], on); rest != nil {
			codes := append([]string{head.Code}, rest...)
			return CouncilMatch{Code: codes[0], Codes: codes, Outcome: MatchMatched, Reason: "a joint name of several councils"}
		}
	}
	return CouncilMatch{Outcome: MatchUnmatched, Reason: "names several councils that could not all be placed",
		Candidates: m.closest(coreName(n), 3)}
}

// partition splits parts ("a", "b", "c") into runs that each name one council, longest first.
func (m *CouncilMatcher) partition(parts []string, on string) []string {
	for i := len(parts); i >= 1; i-- {
		head := m.loose(strings.Join(parts[:i], " and "), on)
		if head.Outcome != MatchMatched {
			continue
		}
		if i == len(parts) {
			return []string{head.Code}
		}
		if rest := m.partition(parts[i:], on); rest != nil {
			return append([]string{head.Code}, rest...)
		}
	}
	return nil
}

// closest lists up to k councils sharing the most name words with core (Jaccard), current first.
func (m *CouncilMatcher) closest(core string, k int) []string {
	words := map[string]bool{}
	for _, w := range strings.Fields(core) {
		if !fillerWords[w] {
			words[w] = true
		}
	}
	type scored struct {
		i     int
		score float64
	}
	var all []scored
	for i, t := range m.tokens {
		common := 0
		for w := range words {
			if t[w] {
				common++
			}
		}
		if common > 0 {
			all = append(all, scored{i, float64(common) / float64(len(words)+len(t)-common)})
		}
	}
	sort.Slice(all, func(a, b int) bool {
		ca, cb := m.councils[all[a].i], m.councils[all[b].i]
		if all[a].score != all[b].score {
			return all[a].score > all[b].score
		}
		if (ca.EndDate == "") != (cb.EndDate == "") {
			return ca.EndDate == ""
		}
		return ca.Code < cb.Code
	})
	var out []string
	for _, s := range all[:min(k, len(all))] {
		out = append(out, m.councils[s.i].Code)
	}
	return out
}

func uniqueInts(xs []int) []int {
	seen := map[int]bool{}
	var out []int
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func beforeDash(name string) (string, bool) {
	for _, dash := range []string{" - ", " – ", " — "} {
		if left, _, ok := strings.Cut(name, dash); ok {
			return left, true
		}
	}
	return "", false
}

var foldLetters = strings.NewReplacer(
	"à", "a", "á", "a", "â", "a", "ä", "a", "ã", "a", "è", "e", "é", "e", "ê", "e", "ë", "e",
	"ì", "i", "í", "i", "î", "i", "ï", "i", "ò", "o", "ó", "o", "ô", "o", "ö", "o", "õ", "o",
	"ù", "u", "ú", "u", "û", "u", "ü", "u", "ŵ", "w", "ẁ", "w", "ŷ", "y", "ý", "y", "ÿ", "y",
	"ç", "c", "ñ", "n")

// normName lowercases, folds Welsh and other accents, reads "&" as "and" and drops
// punctuation: "King's Lynn & West Norfolk" → "kings lynn and west norfolk".
func normName(s string) string {
	s = foldLetters.Replace(strings.ToLower(s))
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString(" and ")
		case r == '\'' || r == '’' || r == '‘' || r == '`' || r == '.':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// Designations around a council's name, English, Welsh and mySociety's inverted forms.
var (
	leadingDesignations = []string{"the", "london borough of", "royal borough of", "metropolitan borough of",
		"borough council of", "borough of", "city and county of the", "city and county of", "council of the",
		"council of", "county borough of", "city of", "county of", "county", "cyngor bwrdeistref sirol",
		"cyngor dinas a sir", "cyngor dinas", "cyngor sir", "cyngor", "sir"}
	trailingDesignations = []string{"council", "corporation", "city of", "county of", "city", "borough", "district",
		"county", "metropolitan", "mbc", "mdc", "ua", "unitary authority", "london boro", "combined county authority",
		"combined authority", "mayoral", "cca", "mca", "ca"}
	fillerWords = map[string]bool{"and": true, "of": true, "the": true, "upon": true, "on": true, "in": true,
		"under": true, "y": true}
)

// coreName strips designations from a normalised name, keeping at least one word:
// "london borough of barking and dagenham council" → "barking and dagenham".
func coreName(n string) string {
	for changed := true; changed; {
		changed = false
		for _, d := range leadingDesignations {
			if rest, ok := strings.CutPrefix(n, d+" "); ok {
				n, changed = rest, true
			}
		}
		for _, d := range trailingDesignations {
			if rest, ok := strings.CutSuffix(n, " "+d); ok {
				n, changed = rest, true
			}
		}
	}
	return n
}

// Words that mark a name as something other than a principal council, by kind.
var notCouncils = []struct {
	why   string
	words []string
}{
	{"a town, parish or community council", []string{"town council", "parish council", "community council",
		"parish meeting", "town councils", "parish councils"}},
	{"police", []string{"police", "constabulary", "policing", "crime commissioner", "pcc"}},
	{"fire and rescue", []string{"fire", "rescue"}},
	{"an NHS or health body", []string{"hospital", "hospitals", "health", "healthcare", "icb", "ics", "csu",
		"ambulance", "foundation trust", "integrated care", "pathology"}},
	{"cadets or the armed forces", []string{"cadet", "cadets", "squadron", "sqn", "atc", "rafac", "raf",
		"air training corps", "royal air force", "acf", "ccf", "army", "gliding", "vgs"}},
	{"a school, college or university", []string{"school", "college", "university", "academy", "academi"}},
	{"central government or a national body", []string{"government", "department", "dept", "ministry",
		"agency", "office", "commission", "hm", "hmrc", "embassy", "consulate", "tribunal", "inspectorate",
		"regulator", "national park"}},
	{"a joint board, company or charity", []string{"joint board", "valuation", "ltd", "limited", "plc", "cic",
		"llp", "club", "casc", "charitable", "charity", "scio", "trust"}},
}

// notCouncil says why a normalised name is not a principal council, or "" if it may be one.
func notCouncil(n string) string {
	padded := " " + n + " "
	for _, kind := range notCouncils {
		for _, w := range kind.words {
			if strings.Contains(padded, " "+w+" ") {
				return kind.why
			}
		}
	}
	for _, w := range strings.Fields(n) {
		if strings.HasPrefix(w, "nhs") { // NHS, NHSBSA, NHSBT, NHSFT
			return "an NHS or health body"
		}
	}
	// Unitary and combined authorities and the GLA are in the register; other authorities are national bodies.
	if strings.Contains(padded, " authority ") && !slices.ContainsFunc([]string{" unitary ", " combined ", " greater london "},
		func(w string) bool { return strings.Contains(padded, w) }) {
		return "central government or a national body"
	}
	return ""
}
