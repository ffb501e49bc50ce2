package publiccode

import (
	"net/mail"
	"regexp"
	"slices"
	"strings"

	"github.com/github/go-spdx/v2/spdxexp"
	"golang.org/x/text/language"
)

// The rules below follow the standard (https://yml.publiccode.tools) as its
// own Go parser, github.com/italia/publiccode-parser-go (v5), applies them:
// its v0.go struct tags (required fields, oneof lists, umax/umin lengths),
// validators/common.go (SPDX with go-spdx, ISO 3166-1 alpha-2 countries,
// lengths counted as characters) and fields.go (deprecation warnings).

// Versions are the publiccodeYmlVersion values the standard has released;
// the parser reads every one of them as the latest.
var Versions = []string{"0", "0.2", "0.2.0", "0.2.1", "0.2.2", "0.3", "0.3.0", "0.4", "0.4.0", "0.5", "0.5.0"}

// Character limits of the standard, counted in characters, not bytes.
const (
	maxShortDescription = 150
	minLongDescription  = 150
	maxLongDescription  = 10000
	maxGenericName      = 35
)

// schema names every key the standard defines: a mapping's keys map to the
// schema of their values; "*" stands for any key (description languages), and
// item for the items of a list. A nil schema is a scalar or a list of scalars.
type schema map[string]schema

const item = "[]"

var (
	orgSchema        = schema{"name": nil, "uri": nil}
	dependencySchema = schema{item: {"name": nil, "version": nil, "versionMin": nil, "versionMax": nil, "optional": nil}}
	countrySchemaIT  = schema{
		"countryExtensionVersion": nil,
		"conforme":                {"lineeGuidaDesign": nil, "modelloInteroperabilita": nil, "misureMinimeSicurezza": nil, "gdpr": nil},
		"riuso":                   {"codiceIPA": nil},
		"piattaforme":             {"spid": nil, "pagopa": nil, "cie": nil, "anpr": nil, "io": nil},
	}
	topSchema = schema{
		"publiccodeYmlVersion": nil, "name": nil, "applicationSuite": nil, "url": nil, "landingURL": nil,
		"isBasedOn": nil, "softwareVersion": nil, "releaseDate": nil, "logo": nil, "monochromeLogo": nil,
		"organisation": orgSchema, "inputTypes": nil, "outputTypes": nil, "platforms": nil, "categories": nil,
		"usedBy": nil, "fundedBy": {item: orgSchema}, "roadmap": nil, "developmentStatus": nil, "softwareType": nil,
		"intendedAudience": {"scope": nil, "countries": nil, "unsupportedCountries": nil},
		"description": {"*": {
			"localisedName": nil, "genericName": nil, "shortDescription": nil, "longDescription": nil,
			"documentation": nil, "apiDocumentation": nil, "features": nil, "screenshots": nil, "videos": nil, "awards": nil,
		}},
		"legal": {"license": nil, "mainCopyrightOwner": nil, "repoOwner": nil, "authorsFile": nil},
		"maintenance": {
			"type":        nil,
			"contractors": {item: {"name": nil, "email": nil, "website": nil, "until": nil}},
			"contacts":    {item: {"name": nil, "email": nil, "affiliation": nil, "phone": nil}},
		},
		"localisation": {"localisationReady": nil, "availableLanguages": nil},
		"dependsOn":    {"open": dependencySchema, "proprietary": dependencySchema, "hardware": dependencySchema},
		"IT":           countrySchemaIT,
		"it":           countrySchemaIT,
	}
)

// validLicence reports whether s is an SPDX licence expression, such as
// "EUPL-1.2" or "(MIT OR Apache-2.0)", with identifiers from the SPDX list.
func validLicence(s string) bool {
	ok, _ := spdxexp.ValidateLicenses([]string{s})
	return ok
}

// notCountries are ISO 3166-1 codes that are reserved rather than assigned to
// a country ("UK" is reserved for the United Kingdom, whose code is GB);
// X-codes are for private use.
var notCountries = []string{"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "FX", "IC", "SU", "TA", "UK", "UN"}

// validCountry reports whether s is an ISO 3166-1 alpha-2 country code, in
// either case.
func validCountry(s string) bool {
	up := strings.ToUpper(s)
	if len(s) != 2 || up[0] == 'X' || slices.Contains(notCountries, up) {
		return false
	}
	r, err := language.ParseRegion(up)
	return err == nil && r.IsCountry() && r.String() == up
}

var languageShape = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)

// validLanguage reports whether s is a BCP 47 language tag whose language is an
// ISO 639 code in its shortest form: "en", "en-GB", "nl", but not "eng" or "xx".
func validLanguage(s string) bool {
	if !languageShape.MatchString(s) {
		return false
	}
	primary, _, _ := strings.Cut(s, "-")
	base, err := language.ParseBase(primary)
	if err != nil || base.String() != strings.ToLower(primary) {
		return false
	}
	_, err = language.Parse(s)
	return err == nil
}

// validEmail reports whether s is a bare email address such as a@b.example.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}

var mimePattern = regexp.MustCompile(`^ *([A-Za-z0-9][A-Za-z0-9!#$&^_-]{0,126})/([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}) *$`)
