package models

// ExportTables are the files of a full export, in the order they are written.
var ExportTables = []string{"councils", "vendors", "capabilities", "components", "adoptions"}

// ExportSink receives a full export from one consistent snapshot: Begin names
// each table before its records arrive, in the order of ExportTables.
type ExportSink struct {
	Begin      func(table string) error
	Council    func(Council) error
	Vendor     func(Vendor) error
	Capability func(Capability) error
	Component  func(Component) error
	Adoption   func(Adoption) error
}
