package publiccode

import "slices"

// UnmappedCategories are the categories of the standard's list (Categories)
// that map to no registry capability: too broad for one capability, or about
// work the registry does not catalogue. With CategoryMap they cover the whole
// list, each category once (TestEveryCategoryMapsOrIsNamedUnmapped), so a
// harvest can name every category it could not place.
var UnmappedCategories = []string{
	"accounting", "agile-project-management", "applicant-tracking", "application-development", "backup",
	"billing-and-invoicing", "blog", "budgeting", "business-process-management", "cad", "cloud-management",
	"collaboration", "communications", "compliance-management", "data-analytics", "data-collection", "design",
	"digital-asset-management", "digital-citizenship", "donor-management", "e-commerce", "e-signature",
	"educational-content", "email-management", "email-marketing", "employee-management",
	"enterprise-project-management", "enterprise-social-networking", "erp", "event-management",
	"facility-management", "financial-reporting", "fleet-management", "fundraising", "gamification",
	"grant-management", "graphic-design", "help-desk", "hr", "ide", "instant-messaging", "inventory-management",
	"it-asset-management", "it-development", "it-management", "it-security", "it-service-management",
	"knowledge-management", "learning-management-system", "marketing", "mind-mapping", "mobile-marketing",
	"network-management", "office", "online-community", "other", "payroll", "predictive-analysis", "procurement",
	"productivity-suite", "project-collaboration", "project-management", "property-management",
	"real-estate-management", "regulations-and-directives", "remote-support", "resource-management",
	"sales-management", "seo", "service-desk", "social-media-management", "talent-management", "task-management",
	"test-management", "time-management", "time-tracking", "translation", "video-conferencing", "video-editing",
	"visitor-management", "warehouse-management", "web-collaboration", "web-conferencing", "whistleblowing",
}

// Unmapped lists the categories of cats that map to no capability, in the
// order given, each once.
func Unmapped(cats []string) []string {
	out := []string{}
	for _, c := range cats {
		if CapabilityForCategory(c) == "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}
