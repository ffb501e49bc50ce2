package publiccode

import (
	"bytes"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/council-components/registry/models"
)

// Version is the version of the standard a fresh export follows.
const Version = "0.5"

// Render writes a component as publiccode.yml. A component imported
// from a file gets that file back with the registry's fields brought up to date,
// so what the registry does not model (features, screenshots, contacts,
// country sections, comments) survives; importing the result changes nothing.
func Render(src models.PubliccodeSource) ([]byte, error) {
	c := src.Component
	if c.RepositoryURL == nil {
		return nil, models.Errorf(models.ECONFLICT, "component %q has no repository_url: publiccode.yml identifies software by its source repository, so set repository_url first", c.Slug)
	}
	doc := &yaml.Node{Kind: yaml.DocumentNode}
	fresh := src.Document == nil
	if !fresh {
		if err := yaml.Unmarshal(src.Document, doc); err != nil || len(doc.Content) != 1 || resolve(doc.Content[0]).Kind != yaml.MappingNode {
			return nil, models.Errorf(models.EINTERNAL, "the stored publiccode.yml of %q cannot be read", c.Slug)
		}
	} else {
		doc.Content = []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}
	}
	root := resolve(doc.Content[0])

	if fresh {
		setKey(root, "publiccodeYmlVersion", str(Version))
	}
	setKey(root, "name", str(c.Name))
	setKey(root, "url", str(*c.RepositoryURL))
	setOrDelete(root, "landingURL", c.URL)
	if fresh {
		softwareType := "standalone/other"
		if c.Hosting == "saas" {
			softwareType = "standalone/web"
		}
		setKey(root, "softwareType", str(softwareType))
		setKey(root, "platforms", strList([]string{"web"})) // required by the standard; the registry lists web services
	}
	if cats := exportCategories(scalarList(lookup(root, "categories")), c.Capabilities); len(cats) > 0 {
		setKey(root, "categories", strList(cats))
	} else {
		deleteKey(root, "categories")
	}
	current := ""
	if n := lookup(root, "developmentStatus"); n != nil {
		current = n.Value
	}
	setKey(root, "developmentStatus", str(StatusForLifecycle(c.Lifecycle, current)))

	desc := ensureMapping(root, "description")
	lang := ChooseLanguage(keysOf(desc))
	if lang == "" {
		lang = "en"
	}
	text := ensureMapping(desc, lang)
	setKey(text, "shortDescription", str(ShortDescription(c.Summary)))
	if c.Description != "" {
		setKey(text, "longDescription", str(c.Description))
	} else {
		deleteKey(text, "longDescription")
	}
	setOrDelete(text, "documentation", c.DocsURL)

	licence := "NOASSERTION"
	if c.Licence != nil {
		licence = *c.Licence
	}
	setKey(ensureMapping(root, "legal"), "license", str(licence))
	if fresh && src.VendorName != "" {
		org := ensureMapping(root, "organisation")
		setKey(org, "name", str(src.VendorName))
		if src.VendorWebsite != "" {
			setKey(org, "uri", str(src.VendorWebsite))
		}
	}
	exportDependencies(root, c.DependsOn, src)
	return encode(doc)
}

// ShortDescription is a summary as the standard's shortDescription can hold
// it: whole when it fits in 150 characters, else shortened at a word boundary
// and ended with an ellipsis. The registry allows longer summaries; an import
// of a file whose shortDescription is its component's summary so shortened
// keeps the summary.
func ShortDescription(summary string) string {
	runes := []rune(summary)
	if len(runes) <= maxShortDescription {
		return summary
	}
	cut := string(runes[:maxShortDescription-1])
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

// encode writes a YAML document with two-space indents.
func encode(doc *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// exportCategories keeps the file's categories that map to nothing or to a
// capability the component still has, and adds one for each other capability
// that has a category. The importer maps them back to the same capabilities.
func exportCategories(stored, capabilities []string) []string {
	var out []string
	covered := map[string]bool{}
	for _, cat := range stored {
		capability := CapabilityForCategory(cat)
		if (capability == "" || slices.Contains(capabilities, capability)) && !slices.Contains(out, cat) {
			out = append(out, cat)
			covered[capability] = true
		}
	}
	for _, capability := range capabilities {
		if cat := CategoryForCapability(capability); cat != "" && !covered[capability] {
			out = append(out, cat)
			covered[capability] = true
		}
	}
	return out
}

// exportDependencies keeps the file's dependencies that name no registry
// component or one the component still depends on, and adds the others.
func exportDependencies(root *yaml.Node, dependsOn []string, src models.PubliccodeSource) {
	covered := map[string]bool{}
	deps := lookup(root, "dependsOn")
	if deps != nil && deps.Kind == yaml.MappingNode {
		for _, kind := range []string{"open", "proprietary"} {
			list := lookup(deps, kind)
			if list == nil || list.Kind != yaml.SequenceNode {
				continue
			}
			kept := list.Content[:0]
			for _, item := range list.Content {
				slug := ""
				if name := lookup(resolve(item), "name"); name != nil {
					slug = src.Matches[strings.TrimSpace(name.Value)]
				}
				if slug == "" || slices.Contains(dependsOn, slug) {
					kept = append(kept, item)
					covered[slug] = true
				}
			}
			list.Content = kept
		}
	}
	for _, slug := range dependsOn {
		if covered[slug] {
			continue
		}
		ref, ok := src.Dependencies[slug]
		if !ok {
			ref = models.PubliccodeDependencyRef{Name: slug}
		}
		kind := "proprietary"
		if ref.OpenSource {
			kind = "open"
		}
		d := ensureMapping(root, "dependsOn")
		list := lookup(d, kind)
		if list == nil || list.Kind != yaml.SequenceNode {
			list = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			setKey(d, kind, list)
			list = lookup(d, kind)
		}
		item := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		setKey(item, "name", str(ref.Name))
		list.Content = append(list.Content, item)
	}
	if deps = lookup(root, "dependsOn"); deps == nil || deps.Kind != yaml.MappingNode {
		return
	}
	for _, kind := range []string{"open", "proprietary", "hardware"} {
		if list := lookup(deps, kind); list != nil && list.Kind == yaml.SequenceNode && len(list.Content) == 0 {
			deleteKey(deps, kind)
		}
	}
	if len(deps.Content) == 0 {
		deleteKey(root, "dependsOn")
	}
}

func str(v string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
	if strings.Contains(v, "\n") {
		n.Style = yaml.LiteralStyle
	}
	return n
}

func strList(vs []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	for _, v := range vs {
		n.Content = append(n.Content, str(v))
	}
	return n
}

func scalarList(n *yaml.Node) []string {
	var out []string
	if n != nil && n.Kind == yaml.SequenceNode {
		for _, item := range n.Content {
			if item = resolve(item); item.Kind == yaml.ScalarNode {
				out = append(out, strings.TrimSpace(item.Value))
			}
		}
	}
	return out
}

// lookup is the value under key in mapping m, or nil.
func lookup(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return resolve(m.Content[i+1])
		}
	}
	return nil
}

// setKey sets key in mapping m to v, in place when the key exists so its
// comments and position survive, else appended.
func setKey(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			old := m.Content[i+1]
			v.HeadComment, v.LineComment, v.FootComment = old.HeadComment, old.LineComment, old.FootComment
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

func setOrDelete(m *yaml.Node, key string, v *string) {
	if v == nil {
		deleteKey(m, key)
		return
	}
	setKey(m, key, str(*v))
}

func deleteKey(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

// ensureMapping returns the mapping under key, creating it (or replacing a non-mapping) when needed.
func ensureMapping(m *yaml.Node, key string) *yaml.Node {
	if n := lookup(m, key); n != nil && n.Kind == yaml.MappingNode {
		return n
	}
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	setKey(m, key, n)
	return n
}

// DependencyNames lists the open and proprietary dependencies a
// stored publiccode.yml names, for matching to registry components.
func DependencyNames(document []byte) []string {
	var doc yaml.Node
	if yaml.Unmarshal(document, &doc) != nil || len(doc.Content) != 1 {
		return nil
	}
	var names []string
	deps := lookup(resolve(doc.Content[0]), "dependsOn")
	for _, kind := range []string{"open", "proprietary"} {
		if list := lookup(deps, kind); list != nil && list.Kind == yaml.SequenceNode {
			for _, item := range list.Content {
				if name := lookup(resolve(item), "name"); name != nil && name.Kind == yaml.ScalarNode {
					names = append(names, strings.TrimSpace(name.Value))
				}
			}
		}
	}
	return names
}
