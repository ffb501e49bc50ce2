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
	"regexp"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/council-components/registry/models"
)

var (
	publiccodeVersionPattern = regexp.MustCompile(`^0(\.[0-9]+){0,2}$`)
	languagePattern          = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)
)

// Parse reads a publiccode.yml file, checking what the standard
// requires and what the registry needs, and reports every problem with its
// YAML path (e.g. "legal.license", "categories[2]").
func Parse(body []byte) (*models.Publiccode, error) {
	root, err := yamlRoot(body)
	if err != nil {
		return nil, err
	}
	var p models.Problems
	r := yreader{p: &p}
	top := ynode{n: root}
	if root.Kind != yaml.MappingNode {
		p.Add("body", "is not a publiccode.yml file: its top level must be a mapping of keys such as publiccodeYmlVersion and name")
		return nil, p.ErrWithCode(models.EINVALID, "the publiccode.yml file is not valid")
	}
	r.checkKeys(top)
	pc := &models.Publiccode{Document: body}

	version := r.field(top, "publiccodeYmlVersion")
	if version.n == nil {
		p.Add(version.path, "is required: every publiccode.yml file starts by naming the version of the standard it follows")
	} else if pc.Version = r.str(version, true, 20); pc.Version != "" && !publiccodeVersionPattern.MatchString(pc.Version) {
		p.Add(version.path, "is %q; this registry reads versions 0 to 0.x of the standard", pc.Version)
	}
	pc.Name = r.str(r.field(top, "name"), true, 200)
	pc.URL = r.url(r.field(top, "url"), true)
	pc.LandingURL = optional(r.url(r.field(top, "landingURL"), false))
	pc.DevelopmentStatus = r.enum(r.field(top, "developmentStatus"), true, Statuses)
	pc.SoftwareType = r.enum(r.field(top, "softwareType"), true, SoftwareTypes)
	if platforms := r.field(top, "platforms"); platforms.n != nil && platforms.n.Kind == yaml.ScalarNode && !isNull(platforms.n) {
		pc.Platforms = []string{r.str(platforms, true, 100)} // the standard allows one platform as a plain string
	} else {
		pc.Platforms = r.strs(platforms, true, 100)
	}
	for i, c := range r.strs(r.field(top, "categories"), false, 100) {
		if !slices.Contains(Categories, c) {
			p.Add(index("categories", i), "%q is not a category of the publiccode.yml standard (see https://yml.publiccode.tools/categories-list.html)", c)
		} else if !slices.Contains(pc.Categories, c) {
			pc.Categories = append(pc.Categories, c)
		}
	}
	if logo := r.str(r.field(top, "logo"), false, 2000); logo != "" {
		if strings.Contains(logo, "://") && !models.ValidHTTPURL(logo) || strings.Contains(logo, "..") {
			p.Add("logo", "must be a path inside the repository or an absolute http or https URL")
		}
		pc.Logo = &logo
	}
	if d := r.str(r.field(top, "releaseDate"), false, 10); d != "" && !models.ValidDate(d) {
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
	if err := p.ErrWithCode(models.EINVALID, "the publiccode.yml file is not valid"); err != nil {
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
	var p models.Problems
	p.Add(field, "%s", msg)
	return p.ErrWithCode(models.EINVALID, "the publiccode.yml file is not valid")
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

func (r yreader) legal(top ynode, pc *models.Publiccode) {
	legal := r.field(top, "legal")
	if !r.mapping(legal, true) {
		return
	}
	lic := r.field(legal, "license")
	if pc.License = r.str(lic, true, 100); pc.License != "" && !models.ValidSPDX(pc.License) {
		r.p.Add(lic.path, "must be an SPDX licence expression such as MIT or AGPL-3.0-or-later")
	}
	for _, key := range []string{"repoOwner", "mainCopyrightOwner"} {
		if owner := r.str(r.field(legal, key), false, 200); owner != "" {
			pc.Owners = append(pc.Owners, owner)
		}
	}
	r.str(r.field(legal, "authorsFile"), false, 0)
}

func (r yreader) maintenance(top ynode, pc *models.Publiccode) {
	m := r.field(top, "maintenance")
	if !r.mapping(m, false) {
		return
	}
	t := r.field(m, "type")
	pc.Maintenance.Type = r.enum(t, true, MaintenanceTypes)
	for _, c := range r.list(r.field(m, "contacts"), false) {
		if !r.mapping(c, true) {
			continue
		}
		pc.Maintenance.Contacts = append(pc.Maintenance.Contacts, models.PubliccodeContact{
			Name: r.str(r.field(c, "name"), true, 200), Email: r.str(r.field(c, "email"), false, 200),
			Phone: r.str(r.field(c, "phone"), false, 50), Affiliation: r.str(r.field(c, "affiliation"), false, 200),
		})
	}
	for _, c := range r.list(r.field(m, "contractors"), false) {
		if !r.mapping(c, true) {
			continue
		}
		until := r.field(c, "until")
		ct := models.PubliccodeContractor{Name: r.str(r.field(c, "name"), true, 200), Until: r.str(until, true, 10),
			Email: r.str(r.field(c, "email"), false, 200), Website: r.url(r.field(c, "website"), false)}
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
}

func (r yreader) localisation(top ynode) {
	l := r.field(top, "localisation")
	if !r.mapping(l, false) {
		return
	}
	r.boolean(r.field(l, "localisationReady"))
	r.strs(r.field(l, "availableLanguages"), false, 50)
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

// yreader reads typed values from YAML nodes, recording every problem with its path.
type yreader struct{ p *models.Problems }

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
	if v != "" && !models.ValidHTTPURL(v) {
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
