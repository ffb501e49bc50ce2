package models

// Outcomes of one file in a publiccode.yml harvest.
const (
	HarvestCreated     = "created"     // a new component
	HarvestUpdated     = "updated"     // the component or its stored file changed
	HarvestUnchanged   = "unchanged"   // the file says what the registry already holds
	HarvestInvalid     = "invalid"     // the file was read but is not a usable publiccode.yml; nothing written
	HarvestUnreachable = "unreachable" // the file could not be read; nothing written
)

// HarvestedFile is one entry of a harvest list and what reading it gave: the
// file's bytes, or the outcome (invalid or unreachable) and why.
type HarvestedFile struct {
	Entry   string // as the list gives it: a repository URL, a raw file URL or a local path
	URL     string // what was read: the raw file URL, or the path
	Body    []byte
	Outcome string // "" when Body was read; else HarvestInvalid or HarvestUnreachable
	Problem string
}

// PubliccodeHarvestReport is what a publiccode.yml harvest did, file by file.
type PubliccodeHarvestReport struct {
	DryRun      bool `json:"dry_run"`
	Created     int  `json:"created"`
	Updated     int  `json:"updated"`
	Unchanged   int  `json:"unchanged"`
	Invalid     int  `json:"invalid"`
	Unreachable int  `json:"unreachable"`
	// VendorsCreated are the owners made vendors by this run, by slug.
	VendorsCreated []string `json:"vendors_created"`
	// Missing are the components harvested before from an entry of this list
	// whose file this run did not find (unreachable, invalid, or now about
	// another repository): flagged with harvest_missing_since, never deleted.
	Missing []string `json:"missing"`
	// The fields every harvest's --json report has (../shared/CONTRACT.md):
	// NoLongerListed counts Missing; Matched is each entry whose file was read
	// and applied, to its component's slug; Skipped the entries whose file was
	// read but is not a usable publiccode.yml (invalid); Unmatched those that
	// could not be read (unreachable).
	NoLongerListed int               `json:"no_longer_listed"`
	Matched        map[string]string `json:"matched"`
	Skipped        []string          `json:"skipped"`
	Unmatched      []string          `json:"unmatched"`
	// UnmappedCategories are the categories the files name that map to no
	// registry capability (publiccode.UnmappedCategories), in the standard's order.
	UnmappedCategories []string                `json:"unmapped_categories"`
	Files              []PubliccodeHarvestFile `json:"files"`
}

// PubliccodeHarvestFile is the outcome of one entry of the list.
type PubliccodeHarvestFile struct {
	Entry     string  `json:"entry" example:"https://github.com/Amsterdam/signals-frontend"`
	URL       string  `json:"url" example:"https://raw.githubusercontent.com/Amsterdam/signals-frontend/HEAD/publiccode.yml"`
	Outcome   string  `json:"outcome" enums:"created,updated,unchanged,invalid,unreachable" example:"created"`
	Component *string `json:"component" extensions:"x-nullable" example:"signalen"`
	// VendorCreated is the vendor this file's owner became, when this run created it.
	VendorCreated      *string      `json:"vendor_created" extensions:"x-nullable"`
	UnmappedCategories []string     `json:"unmapped_categories"`
	Message            string       `json:"message,omitempty"`
	Problems           []FieldError `json:"problems"` // the validator's messages, each with its YAML path
	Warnings           []FieldError `json:"warnings"` // what the standard deprecates or only strict mode refuses, each with its YAML path
}
