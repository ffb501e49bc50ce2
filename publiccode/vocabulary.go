package publiccode

import (
	"errors"
	"slices"
	"strings"

	"github.com/council-components/registry/models"
)

// Categories is the standard's controlled vocabulary of categories
// (v0.5.0 of the standard: docs/standard/categories-list.rst, plus "other").
var Categories = []string{
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

// Scopes is the standard's vocabulary for intendedAudience.scope
// (docs/standard/scope-list.rst).
var Scopes = []string{
	"agriculture", "culture", "defence", "education", "emergency-services", "employment", "energy", "environment",
	"finance-and-economic-development", "foreign-affairs", "healthcare", "infrastructures", "justice",
	"local-authorities", "manufacturing", "research", "science-and-technology", "security", "society", "sport",
	"tourism", "transportation", "welfare",
}

// CategoryMap maps publiccode.yml categories to the registry capability
// each one plainly means. Categories too broad for one capability ("communications",
// "collaboration", "data-analytics") or about back-office work the registry does not
// catalogue ("payroll", "hr") map to nothing. Several categories may name one
// capability; the first listed is the one an export writes for it. The README
// shows this table.
var CategoryMap = []struct{ Category, Capability string }{
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
	for _, m := range CategoryMap {
		if m.Category == category {
			return m.Capability
		}
	}
	return ""
}

// CategoryForCapability is the category an export writes for a capability, or "".
func CategoryForCapability(capability string) string {
	for _, m := range CategoryMap {
		if m.Capability == capability {
			return m.Category
		}
	}
	return ""
}

// Development statuses and software types of the standard.
var (
	Statuses      = []string{"concept", "development", "beta", "stable", "obsolete"}
	SoftwareTypes = []string{"standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
		"standalone/backend", "standalone/other", "addon", "library", "configurationFiles",
		"standalone"} // "standalone" is 0.1's, deprecated since 0.2 but still in old files
	MaintenanceTypes = []string{"internal", "contract", "community", "none"}
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
	if current != "" && slices.Contains(Statuses, current) && LifecycleForStatus(current, lifecycle) == lifecycle {
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

// Extras lists what the file says beyond the component record; Dependencies
// are filled in by the store, which knows the components.
func Extras(pc *models.Publiccode) models.PubliccodeExtras {
	x := models.PubliccodeExtras{Version: pc.Version, Language: pc.Language, SoftwareType: pc.SoftwareType,
		Platforms: pc.Platforms, Logo: pc.Logo, Maintenance: pc.Maintenance,
		Categories: []models.CategoryMapping{}, Dependencies: pc.Dependencies}
	for _, c := range pc.Categories {
		m := models.CategoryMapping{Category: c}
		if capability := CapabilityForCategory(c); capability != "" {
			m.Capability = &capability
		}
		x.Categories = append(x.Categories, m)
	}
	if x.Platforms == nil {
		x.Platforms = []string{}
	}
	if x.Dependencies == nil {
		x.Dependencies = []models.PubliccodeDependency{}
	}
	if x.Maintenance.Contacts == nil {
		x.Maintenance.Contacts = []models.PubliccodeContact{}
	}
	if x.Maintenance.Contractors == nil {
		x.Maintenance.Contractors = []models.PubliccodeContractor{}
	}
	return x
}

// FieldPaths renames a component error's fields to the YAML paths they came
// from, so a problem found by the component rules points into the file.
func FieldPaths(err error, lang string) error {
	var e *models.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	paths := map[string]string{
		"name": "name", "summary": "description." + lang + ".shortDescription",
		"description": "description." + lang + ".longDescription", "licence": "legal.license",
		"lifecycle": "developmentStatus", "url": "landingURL", "repository_url": "url",
		"docs_url": "description." + lang + ".documentation", "depends_on": "dependsOn",
	}
	out := &models.Error{Code: e.Code, Message: e.Message}
	for _, f := range e.Fields {
		if p, ok := paths[f.Field]; ok {
			f.Field = p
		}
		out.Fields = append(out.Fields, f)
	}
	return out
}
