package synth

type region struct {
	region, nation string
	weight         int
}

// Regions weighted roughly by how many councils each has.
var regions = []region{
	{"London", "England", 33}, {"South East", "England", 70}, {"East of England", "England", 50},
	{"South West", "England", 30}, {"West Midlands", "England", 33}, {"East Midlands", "England", 40},
	{"Yorkshire and The Humber", "England", 22}, {"North West", "England", 40}, {"North East", "England", 12},
	{"Scotland", "Scotland", 32}, {"Wales", "Wales", 22}, {"Northern Ireland", "Northern Ireland", 11},
}

// English councils outside London, weighted roughly as they are.
var englishTypes = []string{
	"non-metropolitan-district", "non-metropolitan-district", "non-metropolitan-district",
	"non-metropolitan-district", "unitary", "unitary", "metropolitan-district", "county",
}

// Vendor kinds weighted by share (of 100).
var vendorKinds = []struct {
	kind   string
	weight int
}{{"commercial", 60}, {"public-sector", 14}, {"community", 8}, {"non-profit", 6}, {"in-house", 12}}

var (
	placePrefixes = []string{"Ash", "Bar", "Brook", "Carl", "Dun", "East", "Elm", "Fair", "Glen", "Green", "Hart", "High",
		"Kings", "Lang", "Lin", "Marsh", "Mill", "New", "North", "Oak", "Pen", "Queens", "Red", "Rother", "Salt", "Shep",
		"South", "Stan", "Stone", "Thorn", "Wal", "West", "Whit", "Wick", "Wood", "Yar"}
	placeSuffixes = []string{"borough", "bridge", "bury", "by", "caster", "combe", "dale", "den", "field", "ford", "gate",
		"ham", "hampton", "hill", "holme", "ing", "leigh", "ley", "mouth", "ness", "port", "stead", "stow", "thorpe", "ton",
		"well", "wich", "worth"}
	brands = []string{"Acorn", "Beacon", "Bridge", "Civic", "Compass", "Crest", "Delta", "Ember", "Fern", "Granite",
		"Harbour", "Horizon", "Juniper", "Keystone", "Lantern", "Ledger", "Meridian", "Northstar", "Oakfield", "Orbit",
		"Pioneer", "Quay", "Ridge", "Sage", "Sentinel", "Summit", "Thistle", "Tidal", "Unity", "Vantage", "Willow", "Zenith"}
	vendorWords = []string{"Software", "Digital", "Systems", "Technologies", "Solutions", "Labs", "Cloud", "Data"}
	features    = []string{"an open API", "single sign-on", "audit trails", "accessible forms", "mobile apps",
		"reporting dashboards", "bulk import", "webhooks", "role-based access", "offline working", "Welsh language support",
		"payment integration", "GOV.UK Notify integration", "document storage", "workflow automation"}
	audiences = []string{"for councils", "for local government", "for public services", "for residents and staff", "for front-line teams"}
	licences  = []string{"MIT", "Apache-2.0", "GPL-3.0-or-later", "AGPL-3.0-only", "EUPL-1.2"}
	standards = []string{"wcag-2-2", "open-referral-uk", "openid-connect", "lgsl", "open311", "pci-dss", "iso-27001", "cyber-essentials"}
)
