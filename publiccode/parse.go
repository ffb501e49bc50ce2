// Package publiccode reads and writes publiccode.yml files
// (https://yml.publiccode.tools), the standard that describes public software:
// the component import and export (handlers/interop.go, store/publiccode.go)
// use it. It maps the file's vocabulary (categories, development statuses,
// licences) to the registry's and reports problems by their YAML paths; the
// types it produces are models'.
package publiccode

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/council-components/registry/models"
)

// Parse reads a publiccode.yml file, checking what the standard
// requires and what the registry needs, and reports every problem with its
// YAML path (e.g. "legal.license", "categories[2]"). It is tolerant as the
// standard's parser is in a crawler: what only strict mode refuses (unknown
// keys, a missing localisation section, a short longDescription) and what the
// standard deprecates come back as the result's Warnings.
func Parse(body []byte) (*models.Publiccode, error) { return parse(body, false) }

// ParseStrict is Parse as an editor or validator wants it: what Parse only
// warns about as strict-mode problems is refused; deprecations stay warnings.
func ParseStrict(body []byte) (*models.Publiccode, error) { return parse(body, true) }

func parse(body []byte, strict bool) (*models.Publiccode, error) {
	root, err := yamlRoot(body)
	if err != nil {
		return nil, err
	}
	var p, w models.Problems
	r := yreader{p: &p, w: &w, strict: strict}
	top := ynode{n: root}
	if root.Kind != yaml.MappingNode {
		p.Add("body", "is not a publiccode.yml file: its top level must be a mapping of keys such as publiccodeYmlVersion and name")
		return nil, p.ErrWithCode(models.EINVALID, "the publiccode.yml file is not valid")
	}
	r.checkKeys(top, topSchema)
	pc := &models.Publiccode{Document: body}
	// The checks run in this order, which is the order problems are reported in.
	r.version(top, pc)
	r.identity(top, pc)
	r.kind(top, pc)
	r.logos(top, pc)
	r.deprecatedTypes(top)
	if d := r.str(r.field(top, "releaseDate"), false, 10); d != "" && !models.ValidDate(d) {
		p.Add("releaseDate", "must be a date in the form YYYY-MM-DD")
	}
	r.strs(r.field(top, "usedBy"), false, 0)
	r.intendedAudience(top)
	r.description(top, pc)
	r.legal(top, pc)
	r.maintenance(top, pc)
	r.localisation(top)
	r.dependsOn(top, pc)
	r.organisations(top, pc)
	r.countrySection(top)
	if err := p.ErrWithCode(models.EINVALID, "the publiccode.yml file is not valid"); err != nil {
		return nil, err
	}
	pc.Warnings = fields(w)
	return pc, nil
}

// version reads publiccodeYmlVersion: required, a version of the standard, and a warning when
// it is not the latest.
func (r yreader) version(top ynode, pc *models.Publiccode) {
	version := r.field(top, "publiccodeYmlVersion")
	if version.n == nil {
		r.p.Add(version.path, "is required: every publiccode.yml file starts by naming the version of the standard it follows")
	} else if pc.Version = r.str(version, true, 20); pc.Version != "" && !slices.Contains(Versions, pc.Version) {
		r.p.Add(version.path, "is %q, not a version of the standard: use one of %s", pc.Version, strings.Join(Versions, ", "))
	} else if pc.Version != "" && pc.Version != "0" && !strings.HasPrefix(pc.Version, Version) {
		r.warn(version.path, "%s is not the latest version of the standard; the file is read as %s", pc.Version, Version)
	}
}

// identity reads what names the software and where it lives: name, url, landingURL, and
// checks roadmap, applicationSuite, softwareVersion and isBasedOn.
func (r yreader) identity(top ynode, pc *models.Publiccode) {
	pc.Name = r.str(r.field(top, "name"), true, 200)
	pc.URL = r.url(r.field(top, "url"), true)
	pc.LandingURL = optional(r.url(r.field(top, "landingURL"), false))
	r.url(r.field(top, "roadmap"), false)
	r.str(r.field(top, "applicationSuite"), false, 0)
	r.str(r.field(top, "softwareVersion"), false, 0)
	if based := r.field(top, "isBasedOn"); based.n != nil && based.n.Kind == yaml.ScalarNode {
		r.url(based, false) // one URL, or a list of them
	} else {
		for _, item := range r.list(based, false) {
			r.url(item, true)
		}
	}
}

// kind reads what sort of software it is: developmentStatus, softwareType, platforms and
// categories (each category once, in the file's order).
func (r yreader) kind(top ynode, pc *models.Publiccode) {
	pc.DevelopmentStatus = r.enum(r.field(top, "developmentStatus"), true, Statuses)
	st := r.field(top, "softwareType")
	if pc.SoftwareType = r.enum(st, true, SoftwareTypes); pc.SoftwareType == "standalone" {
		r.strictly(st.path, "standalone is version 0.1's; name the kind, e.g. standalone/web or standalone/desktop")
	}
	if platforms := r.field(top, "platforms"); platforms.n != nil && platforms.n.Kind == yaml.ScalarNode && !isNull(platforms.n) {
		pc.Platforms = []string{r.str(platforms, true, 100)} // the standard allows one platform as a plain string
	} else {
		pc.Platforms = r.strs(platforms, true, 100)
	}
	for i, c := range r.strs(r.field(top, "categories"), false, 100) {
		if !slices.Contains(Categories, c) {
			r.p.Add(index("categories", i), "%q is not a category of the publiccode.yml standard (see https://yml.publiccode.tools/categories-list.html)", c)
		} else if !slices.Contains(pc.Categories, c) {
			pc.Categories = append(pc.Categories, c)
		}
	}
}

// logos reads logo, and checks the deprecated monochromeLogo.
func (r yreader) logos(top ynode, pc *models.Publiccode) {
	if logo := r.logo(r.field(top, "logo")); logo != "" {
		pc.Logo = &logo
	}
	if mono := r.field(top, "monochromeLogo"); mono.n != nil {
		r.warn(mono.path, "is deprecated: use logo")
		r.logo(mono)
	}
}

// deprecatedTypes checks inputTypes and outputTypes, which the standard deprecates: lists of
// MIME types.
func (r yreader) deprecatedTypes(top ynode) {
	for _, key := range []string{"inputTypes", "outputTypes"} {
		types := r.field(top, key)
		if types.n != nil {
			r.warn(types.path, "is deprecated and can be dropped")
		}
		for _, item := range r.list(types, false) {
			if v := r.str(item, true, 0); v != "" && !mimePattern.MatchString(v) {
				r.p.Add(item.path, "%q is not a MIME type such as text/csv", v)
			}
		}
	}
}

// organisations reads organisation (its name becomes the first owner) and checks fundedBy.
func (r yreader) organisations(top ynode, pc *models.Publiccode) {
	if org := r.field(top, "organisation"); r.mapping(org, false) {
		name, uri := r.organisation(org, false)
		if name != "" {
			pc.Owners = append([]string{name}, pc.Owners...)
		}
		pc.OrganisationURI = uri
	}
	for _, funder := range r.list(r.field(top, "fundedBy"), false) {
		if r.mapping(funder, true) {
			r.organisation(funder, true)
		}
	}
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
	var p models.Problems
	p.Add(field, "%s", msg)
	return p.ErrWithCode(models.EINVALID, "the publiccode.yml file is not valid")
}

// fields lists the problems p holds.
func fields(p models.Problems) []models.FieldError {
	var e *models.Error
	if errors.As(p.ErrWithCode(models.EINVALID, ""), &e) {
		return e.Fields
	}
	return nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (r yreader) description(top ynode, pc *models.Publiccode) {
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
	var hasLong, hasFeatures bool // each is required in at least one language
	for _, lang := range langs {
		ln := r.field(desc, lang)
		if !validLanguage(lang) {
			r.p.Add(ln.path, "is not a BCP 47 language tag with an ISO 639 language, such as en or en-GB")
		}
		if !r.mapping(ln, true) {
			continue
		}
		short := r.str(r.field(ln, "shortDescription"), true, maxShortDescription)
		longNode := r.field(ln, "longDescription")
		long := r.str(longNode, false, maxLongDescription)
		if n := utf8.RuneCountInString(long); n > 0 && n < minLongDescription {
			r.strictly(longNode.path, "is %d characters; the standard asks for at least %d", n, minLongDescription)
		}
		docs := r.url(r.field(ln, "documentation"), false)
		r.url(r.field(ln, "apiDocumentation"), false)
		r.str(r.field(ln, "localisedName"), false, 0)
		if generic := r.field(ln, "genericName"); generic.n != nil {
			r.warn(generic.path, "is deprecated and can be dropped")
			if v := r.str(generic, false, 0); utf8.RuneCountInString(v) > maxGenericName {
				r.strictly(generic.path, "must be at most %d characters", maxGenericName)
			}
		}
		features := r.strs(r.field(ln, "features"), false, 0)
		hasLong, hasFeatures = hasLong || long != "", hasFeatures || len(features) > 0
		r.strs(r.field(ln, "screenshots"), false, 0)
		r.strs(r.field(ln, "awards"), false, 0)
		for _, v := range r.list(r.field(ln, "videos"), false) {
			r.url(v, true)
		}
		if lang == pc.Language {
			pc.ShortDescription, pc.LongDescription, pc.Documentation = short, long, optional(docs)
		}
	}
	if !hasLong {
		r.strictly(desc.path+"."+pc.Language+".longDescription", "is required in at least one language: describe the software in %d to %d characters", minLongDescription, maxLongDescription)
	}
	if !hasFeatures {
		r.strictly(desc.path+"."+pc.Language+".features", "are required in at least one language: list what the software does")
	}
}

func (r yreader) legal(top ynode, pc *models.Publiccode) {
	legal := r.field(top, "legal")
	if !r.mapping(legal, true) {
		return
	}
	lic := r.field(legal, "license")
	switch pc.License = r.str(lic, true, 100); {
	case pc.License == "":
	case pc.License == "NOASSERTION" || pc.License == "NONE":
		r.strictly(lic.path, "is %s, which says nothing of the licence: name it as an SPDX expression such as EUPL-1.2", pc.License)
	case !validLicence(pc.License):
		r.p.Add(lic.path, "%q is not an SPDX licence expression with identifiers from https://spdx.org/licenses, such as EUPL-1.2 or (MIT OR Apache-2.0)", pc.License)
	}
	for _, key := range []string{"repoOwner", "mainCopyrightOwner"} {
		if owner := r.str(r.field(legal, key), false, 200); owner != "" {
			pc.Owners = append(pc.Owners, owner)
		}
	}
	if owner := r.field(legal, "repoOwner"); owner.n != nil {
		r.warn(owner.path, "is deprecated: use organisation.name")
	}
	if authors := r.field(legal, "authorsFile"); authors.n != nil {
		r.warn(authors.path, "is deprecated and can be dropped")
		r.logo(authors) // a path inside the repository, or a URL
	}
}

func (r yreader) maintenance(top ynode, pc *models.Publiccode) {
	m, ok := r.section(top, "maintenance", "say who maintains the software, e.g. maintenance.type: community")
	if !ok {
		return
	}
	t := r.field(m, "type")
	pc.Maintenance.Type = r.enum(t, true, MaintenanceTypes)
	for _, c := range r.list(r.field(m, "contacts"), false) {
		if !r.mapping(c, true) {
			continue
		}
		pc.Maintenance.Contacts = append(pc.Maintenance.Contacts, models.PubliccodeContact{
			Name: r.str(r.field(c, "name"), true, 200), Email: r.email(r.field(c, "email")),
			Phone: r.str(r.field(c, "phone"), false, 50), Affiliation: r.str(r.field(c, "affiliation"), false, 200),
		})
	}
	contractors := r.field(m, "contractors")
	for _, c := range r.list(contractors, false) {
		if !r.mapping(c, true) {
			continue
		}
		until := r.field(c, "until")
		ct := models.PubliccodeContractor{Name: r.str(r.field(c, "name"), true, 200), Until: r.str(until, true, 10),
			Email: r.email(r.field(c, "email")), Website: r.url(r.field(c, "website"), false)}
		if ct.Until != "" && !models.ValidDate(ct.Until) {
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
	if pc.Maintenance.Type != "" && pc.Maintenance.Type != "contract" && contractors.n != nil && !isNull(contractors.n) {
		r.strictly(contractors.path, "must not be given unless maintenance.type is contract")
	}
}

func (r yreader) localisation(top ynode) {
	l, ok := r.section(top, "localisation", "say whether the software can be translated and which languages it has")
	if !ok {
		return
	}
	if ready := r.field(l, "localisationReady"); ready.n == nil || isNull(ready.n) {
		r.strictly(ready.path, "is required: true or false")
	} else {
		r.boolean(ready)
	}
	langs := r.field(l, "availableLanguages")
	items := r.list(langs, false)
	if len(items) == 0 {
		r.strictly(langs.path, "must list at least one language, e.g. en")
	}
	for _, item := range items {
		if v := r.str(item, true, 50); v != "" && !validLanguage(v) {
			r.p.Add(item.path, "%q is not a BCP 47 language tag with an ISO 639 language, such as en or en-GB", v)
		}
	}
}

func (r yreader) intendedAudience(top ynode) {
	a := r.field(top, "intendedAudience")
	if !r.mapping(a, false) {
		return
	}
	for i, scope := range r.strs(r.field(a, "scope"), false, 100) {
		if !slices.Contains(Scopes, scope) {
			r.strictly(index("intendedAudience.scope", i), "%q is not a scope of the publiccode.yml standard (see https://yml.publiccode.tools/scope-list.html)", scope)
		}
	}
	for _, key := range []string{"countries", "unsupportedCountries"} {
		for _, item := range r.list(r.field(a, key), false) {
			switch v := r.str(item, true, 10); {
			case v == "":
			case !validCountry(v):
				r.p.Add(item.path, "%q is not an ISO 3166-1 alpha-2 country code such as GB or IT", v)
			case v != strings.ToUpper(v):
				r.warn(item.path, "lowercase country codes are deprecated: use %s", strings.ToUpper(v))
			}
		}
	}
}

// organisation reads the publishing organisation, whose uri the standard
// requires, or a funder, whose name it requires.
func (r yreader) organisation(org ynode, funder bool) (name, uri string) {
	name = r.str(r.field(org, "name"), funder, 200)
	u := r.field(org, "uri")
	if uri = r.str(u, false, 2000); uri == "" && !funder {
		r.strictly(u.path, "is required: a URI that identifies the organisation, such as its website")
	} else if parsed, err := url.Parse(uri); uri != "" && (err != nil || parsed.Scheme == "" || parsed.Host == "" && parsed.Opaque == "") {
		r.p.Add(u.path, "must be a URI such as https://www.example.gov.uk or urn:x-italian-pa:c_h501")
	}
	return name, uri
}

// countrySection checks the Italian extension's spelling: IT, once.
func (r yreader) countrySection(top ynode) {
	lower, upper := r.field(top, "it"), r.field(top, "IT")
	if lower.n != nil {
		r.warn(lower.path, "lowercase country sections are deprecated: use IT")
		if upper.n != nil {
			r.p.Add(lower.path, "is given as well as IT: keep one")
		}
	}
	for _, it := range []ynode{upper, lower} {
		if r.mapping(it, false) {
			if c := r.field(it, "conforme"); c.n != nil {
				r.warn(c.path, "is deprecated and can be dropped")
			}
		}
	}
}

func (r yreader) dependsOn(top ynode, pc *models.Publiccode) {
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
				pc.Dependencies = append(pc.Dependencies, models.PubliccodeDependency{Kind: kind, Name: name})
			}
		}
	}
}

// ynode is a YAML node and its path from the top of the file; n is nil when absent.
type ynode struct {
	n    *yaml.Node
	path string
}

// yreader reads typed values from YAML nodes, recording every problem with its
// path: p holds what refuses the file, w the warnings.
type yreader struct {
	p, w   *models.Problems
	strict bool
}

// strictly records what the standard's parser refuses in strict mode only: a
// problem when strict, else a warning.
func (r yreader) strictly(path, format string, args ...any) {
	if r.strict {
		r.p.Add(path, format, args...)
	} else {
		r.w.Add(path, format+" (refused in strict mode)", args...)
	}
}

// warn records a warning, such as a deprecated key, in either mode.
func (r yreader) warn(path, format string, args ...any) { r.w.Add(path, format, args...) }

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

// checkKeys reports keys given twice in a mapping, and keys its schema (and
// the schemas of the mappings and lists inside it) does not know.
func (r yreader) checkKeys(m ynode, s schema) {
	seen := map[string]bool{}
	for _, k := range keysOf(m.n) {
		if seen[k] {
			r.p.Add(r.field(m, k).path, "is given twice")
		}
		seen[k] = true
		sub, known := s[k]
		if !known {
			sub, known = s["*"]
		}
		if !known {
			r.strictly(r.field(m, k).path, "is not a key of the publiccode.yml standard")
			continue
		}
		r.checkValue(r.field(m, k), sub)
	}
}

func (r yreader) checkValue(v ynode, s schema) {
	if v.n == nil || s == nil {
		return
	}
	switch v.n.Kind {
	case yaml.MappingNode:
		r.checkKeys(v, s)
	case yaml.SequenceNode:
		if items, ok := s[item]; ok {
			for i, n := range v.n.Content {
				r.checkValue(ynode{n: resolve(n), path: index(v.path, i)}, items)
			}
		}
	}
}

// section is top's mapping key, a section the standard requires: without it
// the file is told what it should say (why), refused in strict mode. It
// reports whether there is a mapping to read.
func (r yreader) section(top ynode, key, why string) (ynode, bool) {
	y := r.field(top, key)
	if y.n == nil || isNull(y.n) {
		r.strictly(y.path, "is required: %s", why)
		return y, false
	}
	return y, r.mapping(y, true)
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
	case max > 0 && utf8.RuneCountInString(v) > max:
		r.p.Add(y.path, "must be at most %d characters; it is %d", max, utf8.RuneCountInString(v))
	}
	return v
}

func (r yreader) url(y ynode, required bool) string {
	v := r.str(y, required, 2000)
	if v != "" && !models.ValidHTTPURL(v) {
		r.p.Add(y.path, "must be an absolute http or https URL")
		return ""
	}
	return v
}

func (r yreader) email(y ynode) string {
	v := r.str(y, false, 200)
	if v != "" && !validEmail(v) {
		r.p.Add(y.path, "%q is not an email address such as someone@example.gov.uk", v)
	}
	return v
}

// logo reads a path inside the repository or an http(s) URL.
func (r yreader) logo(y ynode) string {
	v := r.str(y, false, 2000)
	switch {
	case v == "":
	case strings.HasPrefix(v, "/") || strings.HasPrefix(strings.ToLower(v), "file:"):
		r.p.Add(y.path, "is an absolute path or a file URL: give a path inside the repository or an http or https URL")
	case strings.Contains(v, "://") && !models.ValidHTTPURL(v) || strings.Contains(v, ".."):
		r.p.Add(y.path, "must be a path inside the repository or an absolute http or https URL")
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
