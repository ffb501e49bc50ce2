package store

import (
	"strconv"
	"strings"
	"time"

	"github.com/council-components/registry/models"
)

// Rows mirror tables one to one. They never leave this package: callers get models.

type councilRow struct {
	ID                    int64
	Code                  string
	AuthorityCode         string
	Name                  string
	ShortName             string
	Type                  string
	TypeName              string
	Region                string
	Nation                string
	LowerOrUnitary        bool
	DeliversServices      bool
	Powers                string
	CountyCode            *string
	CombinedAuthorityCode *string
	Population            *int
	Latitude              *float64
	Longitude             *float64
	GovUKSlug             *string `gorm:"column:gov_uk_slug"`
	HomepageURL           *string `gorm:"column:homepage_url"`
	Status                string
	StartDate             *string
	EndDate               *string
	FormerGSSCodes        string `gorm:"column:former_gss_codes"`
	Synthetic             bool
}

func (councilRow) TableName() string { return "councils" }

func (r councilRow) model() models.Council {
	return models.Council{
		Code: r.Code, Name: r.Name, ShortName: r.ShortName, Type: r.Type, TypeName: r.TypeName,
		Region: r.Region, Nation: r.Nation, AuthorityCode: r.AuthorityCode,
		LowerOrUnitary: r.LowerOrUnitary, DeliversServices: r.DeliversServices, Powers: r.Powers,
		County: r.CountyCode, CombinedAuthority: r.CombinedAuthorityCode, Population: r.Population,
		Latitude: r.Latitude, Longitude: r.Longitude, GovUKSlug: r.GovUKSlug, HomepageURL: r.HomepageURL,
		Status: r.Status, StartDate: r.StartDate, EndDate: r.EndDate,
		FormerGSSCodes: splitList(r.FormerGSSCodes), Successors: []string{}, Predecessors: []string{},
	}
}

type vendorRow struct {
	ID          int64
	Slug        string
	Name        string
	Website     string
	Kind        string
	Description string
	Synthetic   bool
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (vendorRow) TableName() string { return "vendors" }

func (r vendorRow) model() models.Vendor {
	return models.Vendor{Slug: r.Slug, Name: r.Name, Website: r.Website, Kind: r.Kind,
		Description: r.Description, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version}
}

type capabilityRow struct {
	ID          int64
	Slug        string
	Name        string
	Category    string
	Description string
	LGSLCodes   string `gorm:"column:lgsl_codes"`
	Synthetic   bool
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (capabilityRow) TableName() string { return "capabilities" }

func (r capabilityRow) model() models.Capability {
	codes := []int{}
	for _, s := range splitList(r.LGSLCodes) {
		if n, err := strconv.Atoi(s); err == nil {
			codes = append(codes, n)
		}
	}
	return models.Capability{Slug: r.Slug, Name: r.Name, Category: r.Category, Description: r.Description,
		LGSLCodes: codes, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version}
}

func joinInts(ns []int) string {
	ss := make([]string, len(ns))
	for i, n := range ns {
		ss[i] = strconv.Itoa(n)
	}
	return strings.Join(ss, ",")
}

type componentRow struct {
	ID            int64
	Slug          string
	Name          string
	Summary       string
	Description   string
	VendorID      int64
	Licence       *string
	OpenSource    bool
	Hosting       string
	Pricing       string
	Lifecycle     string
	URL           *string `gorm:"column:url"`
	RepositoryURL *string `gorm:"column:repository_url"`
	DocsURL       *string `gorm:"column:docs_url"`
	Synthetic     bool
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// Kept by publiccode.yml harvests (store/publiccode_harvest.go).
	HarvestSource       *string
	HarvestMissingSince *time.Time
}

func (componentRow) TableName() string { return "components" }

type adoptionRow struct {
	ID            int64
	CouncilID     int64
	ComponentID   int64
	CapabilityID  int64
	Status        string
	StartedOn     *string
	EndedOn       *string
	ContractEndOn *string
	Notes         string
	EvidenceURL   *string `gorm:"column:evidence_url"`
	PublicContact *string
	// ContractValueGBP, ContractSupplier (a vendor slug) and ContractReference: migration 00012.
	ContractValueGBP  *int64 `gorm:"column:contract_value_gbp"`
	ContractSupplier  *string
	ContractReference *string
	Source            string
	Verified          bool
	RejectedAt        *time.Time
	RejectionReason   string
	VerifiedOn        *string
	ConfirmedOn       *string
	// RejectionClearedAt is set when the council or an admin lets a rejected claim be filed again.
	RejectionClearedAt *time.Time
	Version            int
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

func (adoptionRow) TableName() string { return "adoptions" }

type needRow struct {
	ID           int64
	CouncilID    int64
	CapabilityID int64
	NeededBy     string
	Status       string
	Notes        string
	Source       string
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (needRow) TableName() string { return "needs" }

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}
