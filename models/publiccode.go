package models

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Publiccode is what the registry reads from a publiccode.yml file
// (https://yml.publiccode.tools); package publiccode reads and writes the
// file. The file itself is kept too, so an export can give back everything the
// registry does not model.
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
	// Warnings are what the standard deprecates and, unless the file was read
	// strictly, what only strict mode refuses; each names its YAML path.
	Warnings []FieldError
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
	Website string `json:"website,omitempty" format:"uri"`
}

// PubliccodeDependency is one entry of dependsOn; Component is the registry
// component it names, when it names one.
type PubliccodeDependency struct {
	Kind      string  `json:"kind" example:"open"` // open, proprietary or hardware
	Name      string  `json:"name" example:"PostgreSQL"`
	Component *string `json:"component" extensions:"x-nullable"`
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
	// Warnings are what the standard deprecates and what only strict mode
	// (?strict=true) would refuse, each named by its YAML path.
	Warnings []FieldError `json:"warnings"`
}

// PubliccodeExtras is what the file says that the component record does not hold; an export gives it back.
type PubliccodeExtras struct {
	Version      string                 `json:"publiccode_yml_version" example:"0.4"`
	Language     string                 `json:"language" example:"en"` // the description language the summary came from
	SoftwareType string                 `json:"software_type" example:"standalone/web"`
	Platforms    []string               `json:"platforms"`
	Logo         *string                `json:"logo" extensions:"x-nullable"`
	Categories   []CategoryMapping      `json:"categories"`
	Maintenance  PubliccodeMaintenance  `json:"maintenance"`
	Dependencies []PubliccodeDependency `json:"dependencies"`
}

// CategoryMapping is one publiccode.yml category and the registry capability it maps to (null when none).
type CategoryMapping struct {
	Category   string  `json:"category" example:"payment-gateway"`
	Capability *string `json:"capability" example:"online-card-payments" extensions:"x-nullable"`
}

// PubliccodeSource is everything an export needs: the component, its vendor,
// what its dependencies are called, and the file it was last imported from.
type PubliccodeSource struct {
	Component     Component
	VendorName    string
	VendorWebsite string
	// Dependencies describes every component in Component.DependsOn, by slug.
	Dependencies map[string]PubliccodeDependencyRef
	// Matches gives, for each open or proprietary dependency named in Document,
	// the slug of the component that name stands for ("" for none).
	Matches  map[string]string
	Document []byte // nil for a component never imported
}

// PubliccodeDependencyRef is how an export names a registry component in dependsOn.
type PubliccodeDependencyRef struct {
	Name       string // the component's name, or its slug when another component has the same name
	OpenSource bool
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
