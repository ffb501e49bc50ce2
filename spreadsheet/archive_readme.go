package spreadsheet

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/council-components/registry/models"
)

// exportColumns are each export file's columns: the same as the lists' CSV,
// from the same types.
var exportColumns = map[string][]column{
	"councils":     columns(reflect.TypeFor[models.Council]()),
	"vendors":      columns(reflect.TypeFor[models.Vendor]()),
	"capabilities": columns(reflect.TypeFor[models.Capability]()),
	"components":   columns(reflect.TypeFor[models.Component]()),
	"adoptions":    columns(reflect.TypeFor[models.Adoption]()),
}

// exportFiles says what each file holds.
var exportFiles = map[string]string{
	"councils":     "every UK local authority, current and former, by ONS GSS code",
	"vendors":      "organisations that offer components: companies, public bodies, collaborations",
	"capabilities": "things councils need done, grouped in categories",
	"components":   "reusable products, services and standards, with the capabilities they provide",
	"adoptions":    "which council uses (or tried) which component for which capability, including rejected vendor claims",
}

// columnNotes explain each column, by file; "*" holds the ones every file shares.
var columnNotes = map[string]map[string]string{
	"*": {
		"created_at": "when the record was created (RFC 3339, UTC)",
		"updated_at": "when the record last changed (RFC 3339, UTC)",
	},
	"councils": {
		"code":                 "ONS GSS code, the council's identifier (e.g. E09000022); former councils without one keep mySociety's code",
		"name":                 "official name",
		"short_name":           "everyday name",
		"type":                 "council type slug (london-borough, unitary, county, non-metropolitan-district, …)",
		"type_name":            "council type in words",
		"region":               "region (England) or nation",
		"nation":               "England, Scotland, Wales or Northern Ireland",
		"local_authority_code": "mySociety's three-letter local-authority code",
		"lower_or_unitary":     "true for lower-tier and unitary councils",
		"delivers_services":    "true for councils that deliver services (not combined authorities or the GLA)",
		"powers":               "the tier of powers it holds",
		"county":               "GSS code of the county council above a district",
		"combined_authority":   "GSS code of the combined authority it belongs to",
		"population":           "population estimate",
		"latitude":             "latitude of the council's area (WGS 84)",
		"longitude":            "longitude of the council's area (WGS 84)",
		"gov_uk_slug":          "the council's slug on GOV.UK",
		"homepage_url":         "the council's website",
		"status":               "current or former",
		"start_date":           "date the council came into being, when known",
		"end_date":             "date a former council was abolished",
		"successors":           "GSS codes of the councils that replaced it",
		"predecessors":         "GSS codes of the councils it replaced",
		"former_gss_codes":     "GSS codes it had before",
		"adoption_count":       "components it has in use (piloting, live or retiring)",
	},
	"vendors": {
		"slug":        "the vendor's identifier",
		"name":        "name",
		"website":     "website",
		"kind":        "public-sector, commercial, community, non-profit or in-house",
		"description": "what the vendor is",
	},
	"capabilities": {
		"slug":        "the capability's identifier",
		"name":        "name",
		"category":    "category slug (payments, notifications, …)",
		"description": "what the capability is",
		"lgsl_codes":  "related LGSL service codes (Local Government Services List)",
	},
	"components": {
		"slug":                  "the component's identifier",
		"name":                  "name",
		"summary":               "one-line summary",
		"description":           "longer description",
		"vendor":                "slug of the vendor that offers it",
		"capabilities":          "slugs of the capabilities it provides",
		"licence":               "the component's own software licence (SPDX), when known",
		"open_source":           "whether its code is published under an open licence",
		"hosting":               "saas, self-hosted, hybrid or unknown",
		"pricing":               "free, usage-based, subscription, licence-fee or unknown",
		"lifecycle":             "alpha, beta, live, deprecated or retired",
		"standards":             "standards it implements",
		"url":                   "its home page",
		"repository_url":        "its source repository",
		"docs_url":              "its documentation",
		"depends_on":            "slugs of the components it needs",
		"harvest_missing_since": "when a publiccode.yml harvest first failed to find its file; empty while it is found",
		"adoption_count":        "councils using it (piloting, live or retiring), not counting vendors' claims the council has not verified",
		"claimed_count":         "vendors' claims of use that the council has not verified yet",
	},
	"adoptions": {
		"id":                 "the adoption's identifier",
		"council":            "GSS code of the council",
		"component":          "slug of the component",
		"capability":         "slug of the capability it is used for",
		"status":             "exploring, piloting, live, retiring or retired",
		"started_on":         "date it started (YYYY-MM-DD)",
		"ended_on":           "date it ended, for retiring or retired adoptions",
		"contract_end_on":    "date the council's contract ends",
		"notes":              "notes; evidence adoptions quote their sources here",
		"evidence_url":       "link to public evidence",
		"source":             "who recorded it: council, vendor, admin, evidence (published statements), demo or synthetic (made up)",
		"verified":           "whether the council (or an admin) has confirmed it",
		"verification":       "pending, verified or rejected",
		"rejection_reason":   "why a claim was rejected",
		"public_contact":     "how to reach the council about it (an email address or a contact page), published by the council; empty if none",
		"contract_value_gbp": "the contract's value in whole pounds, as the council publishes it; empty if not given",
		"contract_supplier":  "slug of the vendor the contract is with, when not the component's vendor (a reseller, say); empty if not given",
		"contract_reference": "the council's reference for the contract; empty if not given",
		"evidence":           "the public evidence items (source, url, quote, observed_on, current), as JSON",
		"confirmed_on":       "the newest of the council's verification and the current evidence's dates",
		"fresh":              "whether confirmed_on is within the freshness window (24 months unless configured)",
	},
}

// columnNote explains a column of a file, or says it has no note.
func columnNote(table, col string) string {
	if n, ok := columnNotes[table][col]; ok {
		return n
	}
	return columnNotes["*"][col]
}

const exportLicences = `## Licences and sources

- **councils.csv** comes from mySociety's register of UK local authorities: "UK Local Authority
  Names and Codes, mySociety, CC BY 4.0". gov_uk_slug and homepage_url come from GOV.UK's Local
  Links Manager (MIT licence, © Crown Copyright, Government Digital Service).
- **capabilities.csv**: the taxonomy is this registry's own. lgsl_codes come from the Local
  Government Services List: Open Government Licence v3.0, "LG Inform Plus / Local Government
  Association (esd standards)".
- **components.csv** and **vendors.csv** describe real components and their owners from the
  README, licence or documentation page each one cites. A component's licence column is the
  licence of its software, not of this file.
- **adoptions.csv**: rows with source "evidence" quote published statements (LocalGov Drupal's
  blog and documentation, linked in evidence_url) with attribution. Rows with source "demo" or
  "synthetic" are made up, to illustrate or to benchmark: they are not facts about any council.
  Rows with source council, vendor or admin were recorded through the registry by those parties.
- Anything recorded through the registry is published by the registry's operator; ask them for
  its terms of reuse.
`

// exportReadme explains the archive: its files, every column, and the licences.
func exportReadme(at time.Time, version int64, counts map[string]int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Council Components Registry: full export\n\n")
	fmt.Fprintf(&b, "Exported %s from database version %d (the newest entry in the registry's audit log: two\n", at.Format(time.RFC3339), version)
	b.WriteString("exports with the same version hold the same data).\n\n")
	b.WriteString("Each file is UTF-8 CSV with a header row. Lists inside a cell are separated by semicolons, an\n")
	b.WriteString("empty cell is a null, times are RFC 3339 in UTC and dates YYYY-MM-DD. A text cell that a\n")
	b.WriteString("spreadsheet would run as a formula or command (one starting with = + - @ |, their full-width\n")
	b.WriteString("forms, a tab, a carriage return or NUL) has an apostrophe put in front;\n")
	b.WriteString("plain numbers do not.\n\n## Files\n\n| file | rows | what it holds |\n| --- | --- | --- |\n")
	for _, t := range models.ExportTables {
		fmt.Fprintf(&b, "| %s.csv | %d | %s |\n", t, counts[t], exportFiles[t])
	}
	b.WriteString("\n## Columns\n")
	for _, t := range models.ExportTables {
		fmt.Fprintf(&b, "\n### %s.csv\n\n| column | meaning |\n| --- | --- |\n", t)
		for _, col := range exportColumns[t] {
			fmt.Fprintf(&b, "| %s | %s |\n", col.name, columnNote(t, col.name))
		}
	}
	b.WriteString("\n" + exportLicences)
	return b.String()
}
