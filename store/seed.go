package store

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// SeedData is a full set of reference data, already parsed and validated.
type SeedData struct {
	Councils     []models.Council
	Vendors      []SeedVendor
	Capabilities []models.Capability
	Components   []SeedComponent
	Adoptions    []models.Adoption // each with Source "evidence" or "demo"
	Needs        []SeedNeed
	// Programmes, their members' evidence and the real projects: store/programmes.go.
	Programmes       []models.Programme
	ProgrammeMembers []SeedMember
	Projects         []models.Project
	Unmatched        []string // rows of the data files the seed could not place, never guessed
}

// SeedVendor is a vendor with its synthetic flag.
type SeedVendor struct {
	models.Vendor
	Synthetic bool
}

// SeedComponent is a component with its synthetic flag.
type SeedComponent struct {
	models.Component
	Synthetic bool
}

// SeedNeed is a need with its source ("demo" for the demo world).
type SeedNeed struct {
	models.Need
	Source string
}

// SeedReport counts what a seed run changed.
type SeedReport struct {
	Created, Updated, Unchanged map[string]int
	Unmatched                   []string // rows that could not be placed: reported, never guessed
}

func (r SeedReport) String() string {
	var b strings.Builder
	for _, kind := range []string{"councils", "successions", "vendors", "capabilities", "components", "adoptions", "needs", "reorganisations", "carried_over",
		"programmes", "programme_members", "projects"} {
		fmt.Fprintf(&b, "%s: %d created, %d updated, %d unchanged\n", kind, r.Created[kind], r.Updated[kind], r.Unchanged[kind])
	}
	for _, u := range r.Unmatched {
		fmt.Fprintf(&b, "unmatched: %s\n", u)
	}
	return strings.TrimRight(b.String(), "\n")
}

func (r SeedReport) changed() bool {
	for _, m := range []map[string]int{r.Created, r.Updated} {
		for _, n := range m {
			if n > 0 {
				return true
			}
		}
	}
	return false
}

func (r *SeedReport) count(kind string, created, changed bool) {
	switch {
	case created:
		r.Created[kind]++
	case changed:
		r.Updated[kind]++
	default:
		r.Unchanged[kind]++
	}
}

// CountCouncils reports how many councils are stored (0 means never seeded).
func (s *Store) CountCouncils(ctx context.Context) (int, error) {
	var n int64
	err := s.r.WithContext(ctx).Model(&councilRow{}).Count(&n).Error
	return int(n), translate(err)
}

// Seed writes d in one transaction: rows are created or brought up to date by
// their natural keys, so a second run with the same data changes nothing, and
// any failure leaves the database as it was.
func (s *Store) Seed(ctx context.Context, d SeedData) (SeedReport, error) {
	rep := SeedReport{Created: map[string]int{}, Updated: map[string]int{}, Unchanged: map[string]int{}}
	now := s.Now()
	err := s.write(ctx, func(tx *gorm.DB) error {
		historic, err := prepareReorganisations(tx, &d)
		if err != nil {
			return err
		}
		sd := seeding{tx: tx, now: now, rep: &rep}
		for _, step := range []func(SeedData) error{sd.councils, sd.vendorsAndCapabilities, sd.components, sd.records} {
			if err := step(d); err != nil {
				return err
			}
		}
		if err := seedProgrammes(tx, d, now, &rep); err != nil {
			return err
		}
		if err := seedReorganisations(tx, historic, now, &rep); err != nil {
			return err
		}
		if rep.changed() {
			// One entry for the whole load: it moves the database version, so caches and engines reload.
			return audit(tx, models.Actor{Key: "seed", Role: models.RoleAdmin}, now, "reference_data", "seed", "loaded", nil, rep)
		}
		return nil
	})
	return rep, err
}

// seeding is one seed run inside its transaction: each step writes one kind
// of reference data and counts what it changed.
type seeding struct {
	tx        *gorm.DB
	now       time.Time
	rep       *SeedReport
	vendorIDs map[string]int64
}

func (sd *seeding) councils(d SeedData) error {
	councilIDs := map[string]int64{}
	for _, c := range d.Councils {
		row := councilRowOf(c)
		created, changed, err := upsert(sd.tx, &row, "code = ?", c.Code, func(old *councilRow) { row.ID = old.ID })
		if err != nil {
			return fmt.Errorf("council %s: %w", c.Code, err)
		}
		councilIDs[c.Code] = row.ID
		sd.rep.count("councils", created, changed)
	}
	for _, c := range d.Councils {
		for _, succ := range c.Successors {
			sid, ok := councilIDs[succ]
			if !ok {
				return fmt.Errorf("council %s: successor %s is not in the data", c.Code, succ)
			}
			res := sd.tx.Exec(insertIgnore(sd.tx, "council_successions (predecessor_id, successor_id) VALUES (?, ?)"), councilIDs[c.Code], sid)
			if res.Error != nil {
				return res.Error
			}
			sd.rep.count("successions", res.RowsAffected == 1, false)
		}
	}
	return nil
}

func (sd *seeding) vendorsAndCapabilities(d SeedData) error {
	now := sd.now
	sd.vendorIDs = map[string]int64{}
	for _, v := range d.Vendors {
		row := vendorRow{Slug: v.Slug, Name: v.Name, Website: v.Website, Kind: v.Kind, Description: v.Description,
			Synthetic: v.Synthetic, Version: 1, CreatedAt: now, UpdatedAt: now}
		created, changed, err := upsert(sd.tx, &row, "slug = ?", v.Slug, func(old *vendorRow) {
			row.ID, row.CreatedAt, row.Version, row.UpdatedAt = old.ID, old.CreatedAt, old.Version, old.UpdatedAt
		})
		if err != nil {
			return fmt.Errorf("vendor %s: %w", v.Slug, err)
		}
		sd.vendorIDs[v.Slug] = row.ID
		sd.rep.count("vendors", created, changed)
	}
	for _, c := range d.Capabilities {
		row := capabilityRow{Slug: c.Slug, Name: c.Name, Category: c.Category, Description: c.Description,
			LGSLCodes: joinInts(c.LGSLCodes), Version: 1, CreatedAt: now, UpdatedAt: now}
		created, changed, err := upsert(sd.tx, &row, "slug = ?", c.Slug, func(old *capabilityRow) {
			row.ID, row.CreatedAt, row.Version, row.UpdatedAt = old.ID, old.CreatedAt, old.Version, old.UpdatedAt
		})
		if err != nil {
			return fmt.Errorf("capability %s: %w", c.Slug, err)
		}
		sd.rep.count("capabilities", created, changed)
	}
	return nil
}

// components writes components in two passes, so depends_on may name a
// component later in the list.
func (sd *seeding) components(d SeedData) error {
	ids, dirty := map[string]int64{}, map[string]bool{}
	for _, c := range d.Components {
		row := componentRow{Slug: c.Slug, Version: 1, CreatedAt: sd.now, UpdatedAt: sd.now, Synthetic: c.Synthetic}
		fillComponentRow(&row, c.Component, sd.vendorIDs[c.Vendor])
		created, changed, err := upsert(sd.tx, &row, "slug = ?", c.Slug, func(old *componentRow) {
			row.ID, row.CreatedAt, row.Version, row.UpdatedAt = old.ID, old.CreatedAt, old.Version, old.UpdatedAt
		})
		if err != nil {
			return fmt.Errorf("component %s: %w", c.Slug, err)
		}
		ids[c.Slug], dirty[c.Slug] = row.ID, created || changed
		sd.rep.count("components", created, changed)
	}
	for _, c := range d.Components {
		current, err := componentModels(sd.tx, []componentRow{{ID: ids[c.Slug]}})
		if err != nil {
			return err
		}
		if !dirty[c.Slug] && slices.Equal(current[0].Capabilities, sorted(c.Capabilities)) &&
			slices.Equal(current[0].Standards, sorted(c.Standards)) && slices.Equal(current[0].DependsOn, sorted(c.DependsOn)) {
			continue
		}
		refs, err := resolveComponentRefs(sd.tx, c.Component)
		if err != nil {
			return fmt.Errorf("component %s: %w", c.Slug, err)
		}
		if err := writeComponentLinks(sd.tx, ids[c.Slug], c.Component, refs); err != nil {
			return err
		}
	}
	return nil
}

// records writes the evidence (or demo) adoptions and needs.
func (sd *seeding) records(d SeedData) error {
	for _, a := range d.Adoptions {
		created, changed, err := seedAdoption(sd.tx, a, sd.now)
		if err != nil {
			return fmt.Errorf("adoption %s × %s: %w", a.Council, a.Component, err)
		}
		sd.rep.count("adoptions", created, changed)
	}
	for _, n := range d.Needs {
		created, changed, err := seedNeed(sd.tx, n, sd.now)
		if err != nil {
			return fmt.Errorf("need %s × %s: %w", n.Council, n.Capability, err)
		}
		sd.rep.count("needs", created, changed)
	}
	return nil
}

// upsert inserts row, or when a row matches where, keeps the stored identity
// (via keep) and writes row only if anything differs.
func upsert[R any](tx *gorm.DB, row *R, where string, key any, keep func(old *R)) (created, changed bool, err error) {
	var old R
	err = tx.Where(where, key).Take(&old).Error
	if err == gorm.ErrRecordNotFound {
		return true, false, tx.Create(row).Error
	}
	if err != nil {
		return false, false, err
	}
	keep(&old)
	if reflect.DeepEqual(old, *row) {
		return false, false, nil
	}
	return false, true, tx.Save(row).Error
}

// seedAdoption creates or refreshes an evidence or demo adoption, with its
// evidence items. A record the council or a vendor made through the API wins
// over reference data: the evidence is added to it, its status left as theirs.
func seedAdoption(tx *gorm.DB, a models.Adoption, now time.Time) (bool, bool, error) {
	var ids struct{ Council, Component, Capability int64 }
	err := tx.Raw(`SELECT (SELECT id FROM councils WHERE code = ?) AS council,
		(SELECT id FROM components WHERE slug = ?) AS component,
		(SELECT id FROM capabilities WHERE slug = ?) AS capability`, a.Council, a.Component, a.Capability).Scan(&ids).Error
	if err != nil {
		return false, false, err
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	if ids.Council == 0 || ids.Component == 0 || ids.Capability == 0 {
		return false, false, fmt.Errorf("unknown council, component or capability")
	}
	row := adoptionRow{CouncilID: ids.Council, ComponentID: ids.Component, CapabilityID: ids.Capability,
		Status: a.Status, StartedOn: a.StartedOn, EndedOn: a.EndedOn, ContractEndOn: a.ContractEndOn, Notes: a.Notes,
		EvidenceURL: a.EvidenceURL, Source: a.Source, Verified: a.Verified, Version: 1, CreatedAt: a.CreatedAt, UpdatedAt: a.CreatedAt}
	var old adoptionRow
	err = tx.Where("council_id = ? AND component_id = ? AND source = ?", ids.Council, ids.Component, a.Source).Order("id DESC").Take(&old).Error
	switch {
	case err == gorm.ErrRecordNotFound:
		return seedNewAdoption(tx, row, a.Evidence, now)
	case err != nil:
		return false, false, err
	}
	if carried, err := carriedOver(tx, old.ID); err != nil || carried {
		return false, false, err // carried to a successor when a reorganisation vested: it stays as history
	}
	row.ID, row.Version, row.CreatedAt, row.UpdatedAt = old.ID, old.Version, old.CreatedAt, old.UpdatedAt
	row.RejectedAt, row.RejectionReason, row.RejectionClearedAt = old.RejectedAt, old.RejectionReason, old.RejectionClearedAt
	row.VerifiedOn, row.ConfirmedOn = old.VerifiedOn, old.ConfirmedOn
	row.PublicContact = old.PublicContact // the council's, which seeding never sets
	changed, err := seedEvidence(tx, &row, a.Evidence, now)
	if err != nil || (!changed && reflect.DeepEqual(old, row)) {
		return false, false, err
	}
	return false, true, saveSeeded(tx, old, row, now)
}

// seedNewAdoption creates row, unless someone recorded the adoption
// themselves: then the evidence goes to their record.
func seedNewAdoption(tx *gorm.DB, row adoptionRow, items []models.EvidenceItem, now time.Time) (bool, bool, error) {
	var theirs adoptionRow
	err := tx.Where("council_id = ? AND component_id = ? AND "+currentAdoption(""),
		row.CouncilID, row.ComponentID).Order("id DESC").Take(&theirs).Error
	if err == nil {
		old := theirs
		changed, err := seedEvidence(tx, &theirs, items, now)
		if err != nil || !changed {
			return false, false, err
		}
		return false, true, saveSeeded(tx, old, theirs, now)
	}
	if err != gorm.ErrRecordNotFound {
		return false, false, err
	}
	if err := tx.Create(&row).Error; err != nil {
		return false, false, err
	}
	if _, err := seedEvidence(tx, &row, items, now); err != nil {
		return false, false, err
	}
	if err := tx.Save(&row).Error; err != nil {
		return false, false, err
	}
	return true, false, recordEvent(tx, row.ID, models.Actor{Role: models.RoleSeed}, now, "seeded", createdChanges(row))
}

// seedEvidence adds items to the adoption and settles it; it reports whether
// any evidence was added or changed.
func seedEvidence(tx *gorm.DB, row *adoptionRow, items []models.EvidenceItem, now time.Time) (bool, error) {
	added, changed, err := addEvidence(tx, row.ID, items, now)
	if err != nil {
		return false, err
	}
	if _, err := settleEvidence(tx, row); err != nil {
		return false, err
	}
	return added+changed > 0, nil
}

// saveSeeded writes a refreshed adoption and records what the seed changed.
func saveSeeded(tx *gorm.DB, old, row adoptionRow, now time.Time) error {
	row.Version++
	row.UpdatedAt = now
	if err := tx.Save(&row).Error; err != nil {
		return err
	}
	return recordEvent(tx, row.ID, models.Actor{Role: models.RoleSeed}, now, "seeded", diffAdoption(old, row))
}

func seedNeed(tx *gorm.DB, n SeedNeed, now time.Time) (bool, bool, error) {
	var ids struct{ Council, Capability int64 }
	err := tx.Raw(`SELECT (SELECT id FROM councils WHERE code = ?) AS council,
		(SELECT id FROM capabilities WHERE slug = ?) AS capability`, n.Council, n.Capability).Scan(&ids).Error
	if err != nil {
		return false, false, err
	}
	if n.CreatedAt.IsZero() {
		n.CreatedAt = now
	}
	if ids.Council == 0 || ids.Capability == 0 {
		return false, false, fmt.Errorf("unknown council or capability")
	}
	var old needRow
	err = tx.Where("council_id = ? AND capability_id = ? AND source = ?", ids.Council, ids.Capability, n.Source).Take(&old).Error
	row := needRow{CouncilID: ids.Council, CapabilityID: ids.Capability, NeededBy: n.NeededBy, Status: n.Status,
		Notes: n.Notes, Source: n.Source, Version: 1, CreatedAt: n.CreatedAt, UpdatedAt: n.CreatedAt}
	if err == gorm.ErrRecordNotFound {
		return true, false, tx.Create(&row).Error
	}
	if err != nil {
		return false, false, err
	}
	row.ID, row.Version, row.CreatedAt, row.UpdatedAt = old.ID, old.Version, old.CreatedAt, old.UpdatedAt
	if reflect.DeepEqual(old, row) {
		return false, false, nil
	}
	return false, true, tx.Save(&row).Error
}

func councilRowOf(c models.Council) councilRow {
	return councilRow{Code: c.Code, AuthorityCode: c.AuthorityCode, Name: c.Name, ShortName: c.ShortName,
		Type: c.Type, TypeName: c.TypeName, Region: c.Region, Nation: c.Nation, LowerOrUnitary: c.LowerOrUnitary,
		DeliversServices: c.DeliversServices, Powers: c.Powers, CountyCode: c.County,
		CombinedAuthorityCode: c.CombinedAuthority, Population: c.Population, Latitude: c.Latitude,
		Longitude: c.Longitude, GovUKSlug: c.GovUKSlug, HomepageURL: c.HomepageURL, Status: c.Status,
		StartDate: c.StartDate, EndDate: c.EndDate, FormerGSSCodes: strings.Join(c.FormerGSSCodes, ",")}
}

func insertIgnore(tx *gorm.DB, rest string) string {
	if isPostgres(tx) {
		return "INSERT INTO " + rest + " ON CONFLICT DO NOTHING"
	}
	return "INSERT OR IGNORE INTO " + rest
}

func sorted(ss []string) []string {
	out := append([]string{}, ss...)
	slices.Sort(out)
	return out
}
