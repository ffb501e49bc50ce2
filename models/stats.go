package models

// Ref names a capability, component or council in reports.
type Ref struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// CoverageItem says how many councils have a capability live, overall and by group.
type CoverageItem struct {
	Capability   Ref             `json:"capability"`
	Category     string          `json:"category"`
	LiveCouncils int             `json:"live_councils" example:"120"`
	Councils     int             `json:"councils" example:"382"`
	Share        float64         `json:"share" example:"0.314"`
	Breakdown    []CoverageGroup `json:"breakdown"`
}

// CoverageGroup is a capability's coverage within one nation, region or council type.
type CoverageGroup struct {
	Group        string  `json:"group" example:"Wales"`
	LiveCouncils int     `json:"live_councils"`
	Councils     int     `json:"councils"`
	Share        float64 `json:"share"`
}

// CoverageBreakdowns are the ways coverage can be broken down.
var CoverageBreakdowns = []string{"nation", "region", "type"}

// MonthCount is how many adoptions were live during one month.
type MonthCount struct {
	Month string `json:"month" example:"2024-05"`
	Live  int    `json:"live" example:"42"`
}

// ComponentUse is how many councils run a component live for a capability.
type ComponentUse struct {
	Capability   Ref
	Component    Ref
	LiveCouncils int
}

// VendorUse is a vendor with how many components it lists and how many
// councils use one or more of them (piloting, live or retiring, counted as
// adoption_count counts: a claim the council has not verified is not).
type VendorUse struct {
	Vendor     Vendor
	Components int
	Councils   int
}

// VendorFilter narrows and orders the vendors page. Empty fields do not
// filter; Sort is one of VendorSorts, name by default.
type VendorFilter struct {
	Kind, Sort string
}

// VendorSorts are the vendors page's orders: by name A to Z, or by the
// councils using the vendor's components, most first.
var VendorSorts = []string{"name", "councils"}
