package publiccode

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/council-components/registry/models"
)

// validBase is a small file that both modes accept without a warning. Each
// case below changes one thing in it.
const validBase = `publiccodeYmlVersion: "0.5"
name: Bin Collection Reminders
url: https://github.com/example/bin-reminders.git
platforms:
  - web
developmentStatus: beta
softwareType: standalone/web
intendedAudience:
  countries:
    - GB
description:
  en:
    shortDescription: Reminds residents the evening before their bins are collected.
    longDescription: >
      Residents give their postcode and choose email or text message reminders. The evening before
      each collection they are told which bins go out, and when a round changes after a bank holiday.
    features:
      - Email and text message reminders
legal:
  license: EUPL-1.2
maintenance:
  type: community
  contacts:
    - name: A Maintainer
      email: maintainer@example.org
localisation:
  localisationReady: true
  availableLanguages:
    - en
`

// parserActionFile is a real file: https://github.com/nl-design-system/publiccode-parser-action/blob/main/publiccode.yml
// (the publiccode.yml of the GitHub Action that runs the standard's own parser), as published.
const parserActionFile = `publiccodeYmlVersion: "0.3"
name: publiccode.yml validator GitHub Action
url: "https://github.com/nl-design-system/publiccode-parser-action.git"
softwareVersion: "dev" # Optional
releaseDate: "2023-12-14"
platforms:
  - web
categories:
  - it-development
developmentStatus: development
softwareType: "standalone/desktop"
description:
  en:
    localisedName: publiccode.yml validator GitHub Action
    shortDescription: >
      Make sure your publiccode.yml is valid.
    longDescription: >
      Make sure your publiccode.yml is valid. Make sure your publiccode.yml is valid.
      Make sure your publiccode.yml is valid. Make sure your publiccode.yml is valid.
      Make sure your publiccode.yml is valid. Make sure your publiccode.yml is valid.
    features:
      - Validate one publicccode.yml
      - Validate each publiccode.yml in your repository
legal:
  license: EUPL-1.2
maintenance:
  type: "community"
  contacts:
    - name: Robbert Broersma
localisation:
  localisationReady: true
  availableLanguages:
    - en
`

// edit returns validBase with old replaced by new, failing when old is not in it.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if !strings.Contains(validBase, old) {
		t.Fatalf("the base file has no %q", old)
	}
	return strings.Replace(validBase, old, new, 1)
}

// paths lists the fields of problems, sorted, checking each names a path and says something.
func paths(t *testing.T, fs []models.FieldError) []string {
	t.Helper()
	out := []string{}
	for _, f := range fs {
		if f.Field == "" || f.Message == "" {
			t.Errorf("a message without a path or text: %+v", f)
		}
		out = append(out, f.Field)
	}
	sort.Strings(out)
	return out
}

// TestValidatorRules holds each rule of the standard's parser that the registry
// applies. The five mistakes are marked "issue 21": they were accepted
// or refused wrongly before. Snippets marked with a source are real: from
// published files the project keeps in api/testdata/publiccode, or from the
// standard's parser's own test files (github.com/italia/publiccode-parser-go,
// testdata/v0/invalid/, commit 0862f94e811fc0b8e12b08d79b7a494f72afb4e2).
func TestValidatorRules(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	amsterdam := string(readPubliccode(t, "amsterdam-design-system.yml"))
	for _, tc := range []struct {
		name string
		// old and new: the base file with old replaced by new; body: a whole file instead.
		old, new, body string
		// refused: the paths refused in the default mode; strict: in strict mode
		// (nil: the same as refused); warned: the default mode's warnings.
		refused, strict, warned []string
	}{
		{name: "the base file", body: validBase},
		{name: "a real file as published (nl-design-system/publiccode-parser-action), version 0.3",
			body: parserActionFile, warned: []string{"publiccodeYmlVersion"}},

		// publiccodeYmlVersion: the standard's versions, read as the latest.
		{name: "issue 21: version 0.9 is not a version of the standard",
			old: `"0.5"`, new: `"0.9"`, refused: []string{"publiccodeYmlVersion"}},
		{name: "version 0.7, as Amsterdam's design system publishes it (api/testdata/publiccode/amsterdam-design-system.yml)",
			body: amsterdam, refused: []string{"publiccodeYmlVersion"}, strict: []string{"intendedAudience.scope[0]"}},
		{name: "version 1 (the parser's publiccodeYmlVersion_invalid.yml)",
			old: `"0.5"`, new: `"1"`, refused: []string{"publiccodeYmlVersion"}},
		{name: "version 0.2.2 is read as the latest, with a warning",
			old: `"0.5"`, new: `"0.2.2"`, warned: []string{"publiccodeYmlVersion"}},
		{name: "version 0 means the latest", old: `"0.5"`, new: `"0"`},
		{name: "version 0.4 unquoted, as aitema|Termin publishes it (api/testdata/publiccode/terminvergabe.yml)",
			old: `"0.5"`, new: `0.4`, warned: []string{"publiccodeYmlVersion"}},

		// legal.license: an SPDX expression, checked with github.com/github/go-spdx.
		{name: "issue 21: GPL3 is not an SPDX identifier",
			old: "EUPL-1.2", new: "GPL3", refused: []string{"legal.license"}},
		{name: "a made-up SPDX-looking identifier",
			old: "EUPL-1.2", new: "Council-Open-1.0", refused: []string{"legal.license"}},
		{name: "Invalid License (the parser's legal_license_invalid.yml)",
			old: "EUPL-1.2", new: "Invalid License", refused: []string{"legal.license"}},
		{name: "issue 21: (MIT OR Apache-2.0) is an SPDX expression",
			old: "EUPL-1.2", new: "(MIT OR Apache-2.0)"},
		{name: "GPL-3.0-or-later WITH an exception",
			old: "EUPL-1.2", new: "GPL-3.0-or-later WITH Classpath-exception-2.0"},
		{name: "NOASSERTION names no licence: refused in strict mode only",
			old: "EUPL-1.2", new: "NOASSERTION", strict: []string{"legal.license"}, warned: []string{"legal.license"}},
		{name: "legal.license is required", old: "  license: EUPL-1.2\n", new: "  mainCopyrightOwner: Someone\n",
			refused: []string{"legal.license"}},

		// Lengths, in characters.
		{name: "issue 21: a 300-character shortDescription",
			old: "Reminds residents the evening before their bins are collected.", new: long(300), refused: []string{"description.en.shortDescription"}},
		{name: "a 150-character shortDescription in two-byte characters",
			old: "Reminds residents the evening before their bins are collected.", new: strings.Repeat("è", 150)},
		{name: "a 151-character shortDescription in two-byte characters",
			old: "Reminds residents the evening before their bins are collected.", new: strings.Repeat("è", 151), refused: []string{"description.en.shortDescription"}},
		{name: "longDescription is required in at least one language: refused in strict mode only",
			old: "    longDescription: >\n      Residents give their postcode and choose email or text message reminders. The evening before\n      each collection they are told which bins go out, and when a round changes after a bank holiday.\n", new: "",
			strict: []string{"description.en.longDescription"}, warned: []string{"description.en.longDescription"}},
		{name: "a second language without longDescription or features",
			old: "legal:", new: "  es:\n    shortDescription: Recordatorios de recogida de basura.\nlegal:"},
		{name: "a longDescription under 150 characters: refused in strict mode only",
			old: "The evening before\n      each collection they are told which bins go out, and when a round changes after a bank holiday.", new: "", strict: []string{"description.en.longDescription"}, warned: []string{"description.en.longDescription"}},
		{name: "a longDescription over 10,000 characters",
			old: "The evening before", new: long(10001), refused: []string{"description.en.longDescription"}},

		// Required fields and sections.
		{name: "name is required", old: "name: Bin Collection Reminders\n", new: "", refused: []string{"name"}},
		{name: "url is required", old: "url: https://github.com/example/bin-reminders.git\n", new: "", refused: []string{"url"}},
		{name: "platforms is required", old: "platforms:\n  - web\n", new: "", refused: []string{"platforms"}},
		{name: "shortDescription is required (the parser's description_en_shortDescription_missing.yml)",
			old: "    shortDescription: Reminds residents the evening before their bins are collected.\n", new: "", refused: []string{"description.en.shortDescription"}},
		{name: "features are required: refused in strict mode only",
			old: "    features:\n      - Email and text message reminders\n", new: "",
			strict: []string{"description.en.features"}, warned: []string{"description.en.features"}},
		{name: "localisation is required: refused in strict mode only",
			old: "localisation:\n  localisationReady: true\n  availableLanguages:\n    - en\n", new: "", strict: []string{"localisation"}, warned: []string{"localisation"}},
		{name: "maintenance is required: refused in strict mode only",
			old: "maintenance:\n  type: community\n  contacts:\n    - name: A Maintainer\n      email: maintainer@example.org\n", new: "", strict: []string{"maintenance"}, warned: []string{"maintenance"}},
		{name: "contacts are required when maintenance.type is community (since 0.2)",
			old: "  contacts:\n    - name: A Maintainer\n      email: maintainer@example.org\n", new: "", refused: []string{"maintenance.contacts"}},

		// Email and URL formats.
		{name: "issue 21: a contact's email that is not an address (the parser's maintenance_contacts_email_invalid.yml)",
			old: "maintainer@example.org", new: "not_an_email", refused: []string{"maintenance.contacts[0].email"}},
		{name: "an email with a display name is not a bare address",
			old: "maintainer@example.org", new: "A Maintainer <maintainer@example.org>",
			refused: []string{"maintenance.contacts[0].email"}},
		{name: "landingURL ??? (the parser's landingURL_invalid.yml)",
			old: "platforms:", new: "landingURL: \"???\"\nplatforms:", refused: []string{"landingURL"}},
		{name: "documentation not_a_url (the parser's description_en_documentation_invalid.yml)",
			old: "    features:", new: "    documentation: not_a_url\n    features:",
			refused: []string{"description.en.documentation"}},
		{name: "a logo given as an absolute path (the parser's logo_absolute_path.yml)",
			old: "platforms:", new: "logo: /img/logo.svg\nplatforms:", refused: []string{"logo"}},
		{name: "an organisation URI that is no URI",
			old: "platforms:", new: "organisation:\n  name: Example Council\n  uri: example council\nplatforms:",
			refused: []string{"organisation.uri"}},
		{name: "a funder without a name (the parser's fundedBy_name_missing.yml)",
			old: "platforms:", new: "fundedBy:\n  - uri: https://www.example.gov.uk\nplatforms:", refused: []string{"fundedBy[0].name"}},
		{name: "a scope not in the standard's list: refused in strict mode only", old: "  countries:", new: "  scope:\n    - local-authorities\n    - bins\n  countries:",
			strict: []string{"intendedAudience.scope[1]"}, warned: []string{"intendedAudience.scope[1]"}},
		{name: "scope government, as Amsterdam's design system publishes it (api/testdata/publiccode/amsterdam-design-system.yml)",
			old: "  countries:", new: "  scope:\n    - government\n  countries:",
			strict: []string{"intendedAudience.scope[0]"}, warned: []string{"intendedAudience.scope[0]"}},
		{name: "an organisation without a URI: refused in strict mode only",
			old: "platforms:", new: "organisation:\n  name: Example Council\nplatforms:",
			strict: []string{"organisation.uri"}, warned: []string{"organisation.uri"}},

		// ISO 3166-1 alpha-2 countries.
		{name: "issue 21: country zz is not assigned", old: "- GB", new: "- zz",
			refused: []string{"intendedAudience.countries[0]"}},
		{name: "country mouseton (the parser's intendedAudience_countries_invalid_country.yml)",
			old: "- GB", new: "- mouseton", refused: []string{"intendedAudience.countries[0]"}},
		{name: "UK is reserved, not the United Kingdom's code (GB)", old: "- GB", new: "- UK",
			refused: []string{"intendedAudience.countries[0]"}},
		{name: "lowercase it, as Web Analytics Italia publishes it (api/testdata/publiccode/wai-portal.yml): deprecated",
			old: "- GB", new: "- it", warned: []string{"intendedAudience.countries[0]"}},

		// ISO 639 languages in BCP 47 tags.
		{name: "a description key that is not a language tag (english)",
			old: "  en:\n", new: "  english:\n", refused: []string{"description.english"}},
		{name: "an ISO 639-2 code where the standard wants the short form (eng, 0.1's style)",
			old: "  en:\n", new: "  eng:\n", refused: []string{"description.eng"}},
		{name: "en-GB as a description key (the parser's valid.minimal.yml)",
			old: "  en:\n", new: "  en-GB:\n"},
		{name: "an availableLanguages entry that is no language",
			old: "    - en\n", new: "    - xx\n", refused: []string{"localisation.availableLanguages[0]"}},

		// Unknown and deprecated keys.
		{name: "issue 21: an unknown key (the parser's unknown_field.yml): refused in strict mode only",
			old: "platforms:", new: "foobar: 1\nplatforms:",
			strict: []string{"foobar"}, warned: []string{"foobar"}},
		{name: "unknown keys deeper down are named by their path",
			body: strings.Replace(strings.Replace(validBase, "    features:", "    summary: x\n    features:", 1),
				"      email: maintainer@example.org\n", "      email: maintainer@example.org\n      twitter: '@someone'\n", 1),
			strict: []string{"description.en.summary", "maintenance.contacts[0].twitter"}, warned: []string{"description.en.summary", "maintenance.contacts[0].twitter"}},
		{name: "legal.repoOwner is deprecated: a warning in both modes",
			old: "  license: EUPL-1.2\n", new: "  license: EUPL-1.2\n  repoOwner: Example Council\n",
			strict: []string{}, warned: []string{"legal.repoOwner"}},
		{name: "IT and it both (the parser's it_IT_duplicated.yml)",
			body: validBase + "IT:\n  countryExtensionVersion: \"1.0\"\nit:\n  countryExtensionVersion: \"1.0\"\n", refused: []string{"it"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := []byte(tc.body)
			if tc.body == "" {
				body = []byte(edit(t, tc.old, tc.new))
			}
			check := func(mode string, parse func([]byte) (*models.Publiccode, error), want []string) *models.Publiccode {
				pc, err := parse(body)
				var got []string
				if err != nil {
					var e *models.Error
					if !errors.As(err, &e) {
						t.Fatalf("%s: error %v is not a *models.Error", mode, err)
					}
					got = paths(t, e.Fields)
				}
				if want == nil {
					want = []string{}
				}
				if got == nil {
					got = []string{}
				}
				if sort.Strings(want); !slices.Equal(got, want) {
					t.Errorf("%s mode refused %v, want %v (%v)", mode, got, want, err)
				}
				return pc
			}
			strict := tc.strict
			if strict == nil {
				strict = tc.refused
			}
			strict = append(slices.Clone(strict), tc.refused...)
			slices.Sort(strict)
			strict = slices.Compact(strict)
			if pc := check("default", Parse, tc.refused); pc != nil {
				want := append([]string{}, tc.warned...)
				if sort.Strings(want); !slices.Equal(paths(t, pc.Warnings), want) {
					t.Errorf("default mode warned of %v, want %v: %+v", paths(t, pc.Warnings), want, pc.Warnings)
				}
			}
			check("strict", ParseStrict, strict)
		})
	}
}

// TestShortDescriptionFitsTheStandard: an export shortens a summary the standard
// cannot hold, and the result is a shortDescription the validator accepts.
func TestShortDescriptionFitsTheStandard(t *testing.T) {
	// The summary of the reference component localgov-openreferral (seed/data/components.json), 151 characters.
	summary := "LocalGov Drupal module that provides endpoints and administration to publish directory content (organisations, services) in the Open Referral standard."
	short := ShortDescription(summary)
	if n := len([]rune(short)); n > maxShortDescription || !strings.HasSuffix(short, "…") || !strings.HasPrefix(summary, strings.TrimSuffix(short, "…")) {
		t.Errorf("%q (%d characters)", short, n)
	}
	if _, err := Parse([]byte(edit(t, "Reminds residents the evening before their bins are collected.", short))); err != nil {
		t.Errorf("the shortened summary is refused: %v", err)
	}
	for _, fits := range []string{"Short.", strings.Repeat("è", 150)} {
		if ShortDescription(fits) != fits {
			t.Errorf("%q was shortened", fits)
		}
	}
}
