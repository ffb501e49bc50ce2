package models

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode"

	yaml "go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"
)

// Publiccode is what the registry reads from a publiccode.yml file
// (https://yml.publiccode.tools). The file itself is kept too, so an export
// can give back everything the registry does not model.
type Publiccode struct {
	Version           string // publiccodeYmlVersion
	Name              string
	URL               string // the source repository: the software's identity
	LandingURL        *string
	DevelopmentStatus string
	SoftwareType      string
	Platforms         []string
	Categories        []string
	Logo              *string
	Language          string // the description language read: English when there is one
	ShortDescription  string
	LongDescription   string
	Documentation     *string
	License           string   // an SPDX expression, or NOASSERTION / NONE
	Owners            []string // organisation.name, legal.repoOwner, legal.mainCopyrightOwner: who might be the vendor
	OrganisationURI   string
	Maintenance       PubliccodeMaintenance
	Dependencies      []PubliccodeDependency
	Document          []byte // the file as sent
}

// PubliccodeMaintenance is the file's maintenance section.
type PubliccodeMaintenance struct {
	Type        string                 `json:"type" example:"community"` // internal, contract, community, none
	Contacts    []PubliccodeContact    `json:"contacts"`
	Contractors []PubliccodeContractor `json:"contractors"`
}

// PubliccodeContact is a person who maintains the software.
type PubliccodeContact struct {
	Name        string `json:"name"`
	Email       string `json:"email,omitempty"`
	Phone       string `json:"phone,omitempty"`
	Affiliation string `json:"affiliation,omitempty"`
}

// PubliccodeContractor is an organisation contracted to maintain the software until a date.
type PubliccodeContractor struct {
	Name    string `json:"name"`
	Until   string `json:"until"`
	Email   string `json:"email,omitempty"`
	Website string `json:"website,omitempty"`
}

// PubliccodeDependency is one entry of dependsOn; Component is the registry
// component it names, when it names one.
type PubliccodeDependency struct {
	Kind      string  `json:"kind" example:"open"` // open, proprietary or hardware
	Name      string  `json:"name" example:"PostgreSQL"`
	Component *string `json:"component"`
}

// PubliccodeOptions are the import's query parameters: they choose what the file cannot say.
type PubliccodeOptions struct {
	Slug         string   // the component to create or update; by default the one with the file's repository, or a slug of its name
	Vendor       string   // the vendor to list a new component under; by default one named by the file's owners
	Capabilities []string // capabilities to add to those its categories map to
}

// PubliccodeImport reports what an import did.
type PubliccodeImport struct {
	Component       Component        `json:"component"`
	Created         bool             `json:"created"`          // the component is new
	Changed         bool             `json:"changed"`          // the component's fields changed (always true when created)
	DocumentChanged bool             `json:"document_changed"` // the stored publiccode.yml changed in what an export would show
	Publiccode      PubliccodeExtras `json:"publiccode"`
}

// PubliccodeExtras is what the file says that the component record does not hold; an export gives it back.
type PubliccodeExtras struct {
	Version      string                 `json:"publiccode_yml_version" example:"0.4"`
	Language     string                 `json:"language" example:"en"` // the description language the summary came from
	SoftwareType string                 `json:"software_type" example:"standalone/web"`
	Platforms    []string               `json:"platforms"`
	Logo         *string                `json:"logo"`
	Categories   []CategoryMapping      `json:"categories"`
	Maintenance  PubliccodeMaintenance  `json:"maintenance"`
	Dependencies []PubliccodeDependency `json:"dependencies"`
}

// CategoryMapping is one publiccode.yml category and the registry capability it maps to (null when none).
type CategoryMapping struct {
	Category   string  `json:"category" example:"payment-gateway"`
	Capability *string `json:"capability" example:"online-card-payments"`
}

// Extras lists what the file says beyond the component record; Dependencies
// are filled in by the store, which knows the components.
func (pc *Publiccode) Extras() PubliccodeExtras {
	x := PubliccodeExtras{Version: pc.Version, Language: pc.Language, SoftwareType: pc.SoftwareType,
		Platforms: pc.Platforms, Logo: pc.Logo, Maintenance: pc.Maintenance,
		Categories: []CategoryMapping{}, Dependencies: pc.Dependencies}
	for _, c := range pc.Categories {
		m := CategoryMapping{Category: c}
		if capability := CapabilityForCategory(c); capability != "" {
			m.Capability = &capability
		}
		x.Categories = append(x.Categories, m)
	}
	if x.Platforms == nil {
		x.Platforms = []string{}
	}
	if x.Dependencies == nil {
		x.Dependencies = []PubliccodeDependency{}
	}
	if x.Maintenance.Contacts == nil {
		x.Maintenance.Contacts = []PubliccodeContact{}
	}
	if x.Maintenance.Contractors == nil {
		x.Maintenance.Contractors = []PubliccodeContractor{}
	}
	return x
}

// PubliccodeCategories is the standard's controlled vocabulary of categories
// (v0.5.0 of the standard: docs/standard/categories-list.rst, plus "other").
var PubliccodeCategories = []string{
	"accounting", "agile-project-management", "applicant-tracking", "application-development",
	"appointment-scheduling", "backup", "billing-and-invoicing", "blog", "budgeting", "business-intelligence",
	"business-process-management", "cad", "call-center-management", "cloud-management", "collaboration",
	"communications", "compliance-management", "contact-management", "content-management", "crm",
	"customer-service-and-support", "data-analytics", "data-collection", "data-visualization", "design",
	"design-system", "digital-asset-management", "digital-citizenship", "document-management",
	"donor-management", "e-commerce", "e-signature", "educational-content", "email-management",
	"email-marketing", "employee-management", "enterprise-project-management", "enterprise-social-networking",
	"erp", "event-management", "facility-management", "feedback-and-reviews-management", "financial-reporting",
	"fleet-management", "fundraising", "gamification", "geographic-information-systems", "grant-management",
	"graphic-design", "help-desk", "hr", "ide", "identity-management", "instant-messaging",
	"integrated-library-system", "inventory-management", "it-asset-management", "it-development",
	"it-management", "it-security", "it-service-management", "knowledge-management",
	"learning-management-system", "marketing", "mind-mapping", "mobile-marketing", "mobile-payment",
	"network-management", "office", "online-booking", "online-community", "other", "payment-gateway",
	"payroll", "predictive-analysis", "procurement", "productivity-suite", "project-collaboration",
	"project-management", "property-management", "real-estate-management", "regulations-and-directives",
	"remote-support", "resource-management", "sales-management", "seo", "service-desk",
	"social-media-management", "survey", "talent-management", "task-management", "taxes-management",
	"test-management", "time-management", "time-tracking", "translation", "video-conferencing",
	"video-editing", "visitor-management", "voip", "warehouse-management", "web-collaboration",
	"web-conferencing", "website-builder", "whistleblowing", "workflow-management",
}

// PubliccodeCategoryMap maps publiccode.yml categories to the registry capability
// each one plainly means. Categories too broad for one capability ("communications",
// "collaboration", "data-analytics") or about back-office work the registry does not
// catalogue ("payroll", "hr") map to nothing. Several categories may name one
// capability; the first listed is the one an export writes for it. The README
// shows this table.
var PubliccodeCategoryMap = []struct{ Category, Capability string }{
	{"payment-gateway", "online-card-payments"},
	{"mobile-payment", "online-card-payments"},
	{"identity-management", "user-authentication"},
	{"content-management", "website-content-management"},
	{"website-builder", "website-content-management"},
	{"appointment-scheduling", "appointment-booking"},
	{"online-booking", "appointment-booking"},
	{"crm", "customer-relationship-management"},
	{"contact-management", "customer-relationship-management"},
	{"customer-service-and-support", "customer-relationship-management"},
	{"workflow-management", "case-management"},
	{"call-center-management", "contact-centre-and-telephony"},
	{"voip", "contact-centre-and-telephony"},
	{"document-management", "electronic-document-management"},
	{"survey", "surveys-and-feedback"},
	{"feedback-and-reviews-management", "surveys-and-feedback"},
	{"geographic-information-systems", "web-mapping"},
	{"data-visualization", "performance-dashboards"},
	{"business-intelligence", "performance-dashboards"},
	{"taxes-management", "council-tax-account-management"},
	{"integrated-library-system", "library-catalogue"},
	{"design-system", "front-end-design-system"},
}

// CapabilityForCategory is the capability a publiccode.yml category maps to, or "".
func CapabilityForCategory(category string) string {
	for _, m := range PubliccodeCategoryMap {
		if m.Category == category {
			return m.Capability
		}
	}
	return ""
}

// CategoryForCapability is the category an export writes for a capability, or "".
func CategoryForCapability(capability string) string {
	for _, m := range PubliccodeCategoryMap {
		if m.Capability == capability {
			return m.Category
		}
	}
	return ""
}

// Development statuses and software types of the standard.
var (
	PubliccodeStatuses      = []string{"concept", "development", "beta", "stable", "obsolete"}
	PubliccodeSoftwareTypes = []string{"standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
		"standalone/backend", "standalone/other", "addon", "library", "configurationFiles",
		"standalone"} // "standalone" is 0.1's, deprecated since 0.2 but still in old files
	PubliccodeMaintenanceTypes = []string{"internal", "contract", "community", "none"}
)

// LifecycleForStatus maps a developmentStatus to a lifecycle. obsolete keeps a
// component that is already retired retired rather than bringing it back to deprecated.
func LifecycleForStatus(status, current string) string {
	switch status {
	case "concept", "development":
		return "alpha"
	case "beta":
		return "beta"
	case "stable":
		return "live"
	}
	if current == "retired" {
		return "retired"
	}
	return "deprecated"
}

// StatusForLifecycle maps a lifecycle back to a developmentStatus, keeping the
// file's own status when it means the same lifecycle (concept and development are both alpha).
func StatusForLifecycle(lifecycle, current string) string {
	if current != "" && slices.Contains(PubliccodeStatuses, current) && LifecycleForStatus(current, lifecycle) == lifecycle {
		return current
	}
	switch lifecycle {
	case "alpha":
		return "development"
	case "beta":
		return "beta"
	case "live":
		return "stable"
	}
	return "obsolete"
}

// LicenceOf turns legal.license into the registry's licence: NOASSERTION and NONE are no licence on record.
func LicenceOf(license string) *string {
	if license == "NOASSERTION" || license == "NONE" {
		return nil
	}
	return &license
}

// NamesALicence reports whether an SPDX expression names an actual licence
// rather than none, no assertion or a private LicenseRef.
func NamesALicence(license string) bool {
	return LicenceOf(license) != nil && !strings.Contains(license, "LicenseRef-")
}

var (
	publiccodeVersionPattern = regexp.MustCompile(`^0(\.[0-9]+){0,2}$`)
	languagePattern          = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)
)

// ParsePubliccode reads a publiccode.yml file, checking what the standard
// requires and what the registry needs, and reports every problem with its
// YAML path (e.g. "legal.license", "categories[2]").
func ParsePubliccode(body []byte) (*Publiccode, error) {
	root, err := yamlRoot(body)
	if err != nil {
		return nil, err
	}
	var p Problems
	r := yreader{p: &p}
	top := ynode{n: root}
	if root.Kind != yaml.MappingNode {
		p.Add("body", "is not a publiccode.yml file: its top level must be a mapping of keys such as publiccodeYmlVersion and name")
		return nil, p.ErrWithCode(EINVALID, "the publiccode.yml file is not valid")
	}
	r.checkKeys(top)
	pc := &Publiccode{Document: body}

	version := r.field(top, "publiccodeYmlVersion")
	if version.n == nil {
		p.Add(version.path, "is required: every publiccode.yml file starts by naming the version of the standard it follows")
	} else if pc.Version = r.str(version, true, 20); pc.Version != "" && !publiccodeVersionPattern.MatchString(pc.Version) {
		p.Add(version.path, "is %q; this registry reads versions 0 to 0.x of the standard", pc.Version)
	}
	pc.Name = r.str(r.field(top, "name"), true, 200)
	pc.URL = r.url(r.field(top, "url"), true)
	pc.LandingURL = optional(r.url(r.field(top, "landingURL"), false))
	pc.DevelopmentStatus = r.enum(r.field(top, "developmentStatus"), true, PubliccodeStatuses)
	pc.SoftwareType = r.enum(r.field(top, "softwareType"), true, PubliccodeSoftwareTypes)
	if platforms := r.field(top, "platforms"); platforms.n != nil && platforms.n.Kind == yaml.ScalarNode && !isNull(platforms.n) {
		pc.Platforms = []string{r.str(platforms, true, 100)} // the standard allows one platform as a plain string
	} else {
		pc.Platforms = r.strs(platforms, true, 100)
	}
	for i, c := range r.strs(r.field(top, "categories"), false, 100) {
		if !slices.Contains(PubliccodeCategories, c) {
			p.Add(index("categories", i), "%q is not a category of the publiccode.yml standard (see https://yml.publiccode.tools/categories-list.html)", c)
		} else if !slices.Contains(pc.Categories, c) {
			pc.Categories = append(pc.Categories, c)
		}
	}
	if logo := r.str(r.field(top, "logo"), false, 2000); logo != "" {
		if strings.Contains(logo, "://") && !ValidHTTPURL(logo) || strings.Contains(logo, "..") {
			p.Add("logo", "must be a path inside the repository or an absolute http or https URL")
		}
		pc.Logo = &logo
	}
	if d := r.str(r.field(top, "releaseDate"), false, 10); d != "" && !ValidDate(d) {
		p.Add("releaseDate", "must be a date in the form YYYY-MM-DD")
	}
	r.strs(r.field(top, "usedBy"), false, 0)
	r.description(top, pc)
	r.legal(top, pc)
	r.maintenance(top, pc)
	r.localisation(top)
	r.dependsOn(top, pc)
	if org := r.field(top, "organisation"); r.mapping(org, false) {
		if name := r.str(r.field(org, "name"), false, 200); name != "" {
			pc.Owners = append([]string{name}, pc.Owners...)
		}
		pc.OrganisationURI = r.str(r.field(org, "uri"), false, 2000)
	}
	if err := p.ErrWithCode(EINVALID, "the publiccode.yml file is not valid"); err != nil {
		return nil, err
	}
	return pc, nil
}

// yamlRoot parses body as exactly one YAML document and returns its top node.
func yamlRoot(body []byte) (*yaml.Node, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fieldProblem("body", "is required: send the publiccode.yml file")
	}
	dec := yaml.NewDecoder(bytes.NewReader(body))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return nil, fieldProblem("body", "is not valid YAML: "+strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, fieldProblem("body", "must hold one YAML document, not several")
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, fieldProblem("body", "is not a publiccode.yml file")
	}
	return resolve(doc.Content[0]), nil
}

func fieldProblem(field, msg string) error {
	var p Problems
	p.Add(field, "%s", msg)
	return p.ErrWithCode(EINVALID, "the publiccode.yml file is not valid")
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// ChooseLanguage picks the description language the registry reads: English
// (en, then en-GB, then any en-*), else the first the file gives.
func ChooseLanguage(langs []string) string {
	for _, want := range []string{"en", "en-GB"} {
		for _, l := range langs {
			if strings.EqualFold(l, want) {
				return l
			}
		}
	}
	for _, l := range langs {
		if strings.HasPrefix(strings.ToLower(l), "en-") {
			return l
		}
	}
	if len(langs) > 0 {
		return langs[0]
	}
	return ""
}

func (r yreader) description(top ynode, pc *Publiccode) {
	desc := r.field(top, "description")
	if !r.mapping(desc, true) {
		return
	}
	langs := keysOf(desc.n)
	if len(langs) == 0 {
		r.p.Add(desc.path, "must describe the software in at least one language, e.g. description.en.shortDescription")
		return
	}
	pc.Language = ChooseLanguage(langs)
	for _, lang := range langs {
		ln := r.field(desc, lang)
		if !languagePattern.MatchString(lang) {
			r.p.Add(ln.path, "is not a BCP 47 language tag such as en or en-GB")
		}
		if !r.mapping(ln, true) {
			continue
		}
		short := r.str(r.field(ln, "shortDescription"), true, 500)
		long := r.str(r.field(ln, "longDescription"), false, 20000)
		docs := r.url(r.field(ln, "documentation"), false)
		r.url(r.field(ln, "apiDocumentation"), false)
		r.str(r.field(ln, "localisedName"), false, 0)
		r.strs(r.field(ln, "features"), false, 0)
		if lang == pc.Language {
			pc.ShortDescription, pc.LongDescription, pc.Documentation = short, long, optional(docs)
		}
	}
}

func (r yreader) legal(top ynode, pc *Publiccode) {
	legal := r.field(top, "legal")
	if !r.mapping(legal, true) {
		return
	}
	lic := r.field(legal, "license")
	if pc.License = r.str(lic, true, 100); pc.License != "" && !validSPDX(pc.License) {
		r.p.Add(lic.path, "must be an SPDX licence expression such as MIT or AGPL-3.0-or-later")
	}
	for _, key := range []string{"repoOwner", "mainCopyrightOwner"} {
		if owner := r.str(r.field(legal, key), false, 200); owner != "" {
			pc.Owners = append(pc.Owners, owner)
		}
	}
	r.str(r.field(legal, "authorsFile"), false, 0)
}

func (r yreader) maintenance(top ynode, pc *Publiccode) {
	m := r.field(top, "maintenance")
	if !r.mapping(m, false) {
		return
	}
	t := r.field(m, "type")
	pc.Maintenance.Type = r.enum(t, true, PubliccodeMaintenanceTypes)
	for _, c := range r.list(r.field(m, "contacts"), false) {
		if !r.mapping(c, true) {
			continue
		}
		pc.Maintenance.Contacts = append(pc.Maintenance.Contacts, PubliccodeContact{
			Name: r.str(r.field(c, "name"), true, 200), Email: r.str(r.field(c, "email"), false, 200),
			Phone: r.str(r.field(c, "phone"), false, 50), Affiliation: r.str(r.field(c, "affiliation"), false, 200),
		})
	}
	for _, c := range r.list(r.field(m, "contractors"), false) {
		if !r.mapping(c, true) {
			continue
		}
		until := r.field(c, "until")
		ct := PubliccodeContractor{Name: r.str(r.field(c, "name"), true, 200), Until: r.str(until, true, 10),
			Email: r.str(r.field(c, "email"), false, 200), Website: r.url(r.field(c, "website"), false)}
		if ct.Until != "" && !ValidDate(ct.Until) {
			r.p.Add(until.path, "must be a date in the form YYYY-MM-DD")
		}
		pc.Maintenance.Contractors = append(pc.Maintenance.Contractors, ct)
	}
	switch pc.Maintenance.Type {
	case "internal", "community":
		if len(pc.Maintenance.Contacts) == 0 {
			r.p.Add("maintenance.contacts", "is required when maintenance.type is %s: name at least one person", pc.Maintenance.Type)
		}
	case "contract":
		if len(pc.Maintenance.Contractors) == 0 {
			r.p.Add("maintenance.contractors", "is required when maintenance.type is contract")
		}
	}
}

func (r yreader) localisation(top ynode) {
	l := r.field(top, "localisation")
	if !r.mapping(l, false) {
		return
	}
	r.boolean(r.field(l, "localisationReady"))
	r.strs(r.field(l, "availableLanguages"), false, 50)
}

func (r yreader) dependsOn(top ynode, pc *Publiccode) {
	d := r.field(top, "dependsOn")
	if !r.mapping(d, false) {
		return
	}
	for _, kind := range []string{"open", "proprietary", "hardware"} {
		for _, item := range r.list(r.field(d, kind), false) {
			if !r.mapping(item, true) {
				continue
			}
			name := r.str(r.field(item, "name"), true, 200)
			for _, k := range []string{"version", "versionMin", "versionMax"} {
				r.str(r.field(item, k), false, 100)
			}
			r.boolean(r.field(item, "optional"))
			if name != "" {
				pc.Dependencies = append(pc.Dependencies, PubliccodeDependency{Kind: kind, Name: name})
			}
		}
	}
}

// ynode is a YAML node and its path from the top of the file; n is nil when absent.
type ynode struct {
	n    *yaml.Node
	path string
}

// yreader reads typed values from YAML nodes, recording every problem with its path.
type yreader struct{ p *Problems }

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

func (r yreader) field(m ynode, key string) ynode {
	out := ynode{path: key}
	if m.path != "" {
		out.path = m.path + "." + key
	}
	if m.n == nil || m.n.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(m.n.Content); i += 2 {
		if m.n.Content[i].Value == key {
			out.n = resolve(m.n.Content[i+1])
			return out
		}
	}
	return out
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func keysOf(m *yaml.Node) []string {
	var keys []string
	for i := 0; i+1 < len(m.Content); i += 2 {
		keys = append(keys, m.Content[i].Value)
	}
	return keys
}

// checkKeys reports keys given twice in a mapping.
func (r yreader) checkKeys(m ynode) {
	seen := map[string]bool{}
	for _, k := range keysOf(m.n) {
		if seen[k] {
			r.p.Add(r.field(m, k).path, "is given twice")
		}
		seen[k] = true
	}
}

// mapping reports whether y is a mapping, recording a problem when it is another kind or missing but required.
func (r yreader) mapping(y ynode, required bool) bool {
	switch {
	case y.n == nil || isNull(y.n):
		if required {
			r.p.Add(y.path, "is required")
		}
		return false
	case y.n.Kind != yaml.MappingNode:
		r.p.Add(y.path, "must be a mapping of keys to values")
		return false
	}
	r.checkKeys(y)
	return true
}

// str reads a scalar as trimmed text; max 0 means no limit.
func (r yreader) str(y ynode, required bool, max int) string {
	if y.n == nil || isNull(y.n) {
		if required {
			r.p.Add(y.path, "is required")
		}
		return ""
	}
	if y.n.Kind != yaml.ScalarNode {
		r.p.Add(y.path, "must be a single value, not a list or mapping")
		return ""
	}
	v := strings.TrimSpace(y.n.Value)
	switch {
	case v == "" && required:
		r.p.Add(y.path, "must not be blank")
	case max > 0 && len(v) > max:
		r.p.Add(y.path, "must be at most %d characters", max)
	}
	return v
}

func (r yreader) url(y ynode, required bool) string {
	v := r.str(y, required, 2000)
	if v != "" && !ValidHTTPURL(v) {
		r.p.Add(y.path, "must be an absolute http or https URL")
		return ""
	}
	return v
}

func (r yreader) enum(y ynode, required bool, allowed []string) string {
	v := r.str(y, required, 100)
	if v != "" && !slices.Contains(allowed, v) {
		r.p.Add(y.path, "is %q; must be one of %s", v, strings.Join(allowed, ", "))
		return ""
	}
	return v
}

func (r yreader) boolean(y ynode) {
	if y.n == nil || isNull(y.n) {
		return
	}
	switch strings.ToLower(y.n.Value) { // yes and no are YAML 1.1 booleans, common in older files
	case "true", "false", "yes", "no":
		if y.n.Kind == yaml.ScalarNode {
			return
		}
	}
	r.p.Add(y.path, "must be true or false")
}

// list returns the items of a sequence, recording a problem when y is another kind.
func (r yreader) list(y ynode, required bool) []ynode {
	if y.n == nil || isNull(y.n) {
		if required {
			r.p.Add(y.path, "is required")
		}
		return nil
	}
	if y.n.Kind != yaml.SequenceNode {
		r.p.Add(y.path, "must be a list")
		return nil
	}
	if required && len(y.n.Content) == 0 {
		r.p.Add(y.path, "must list at least one item")
	}
	out := make([]ynode, len(y.n.Content))
	for i, n := range y.n.Content {
		out[i] = ynode{n: resolve(n), path: index(y.path, i)}
	}
	return out
}

func (r yreader) strs(y ynode, required bool, max int) []string {
	var out []string
	for _, item := range r.list(y, required) {
		if v := r.str(item, true, max); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Slugify makes a slug from a name: "aitema|Termin" becomes "aitema-termin", "Città" "citta".
func Slugify(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		switch {
		case unicode.Is(unicode.Mn, r): // accents, once split from their letters
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		default:
			hyphen = true
		}
	}
	s := b.String()
	for len(s) > 100 {
		i := strings.LastIndexByte(s[:100], '-')
		if i <= 0 {
			s = s[:100]
			break
		}
		s = s[:i]
	}
	return s
}
