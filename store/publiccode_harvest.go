package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/harvest"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/publiccode"
)

// errDryRun rolls back a harvested file's write once its outcome is known.
var errDryRun = errors.New("dry run")

// HarvestPubliccode applies the files of a publiccode.yml harvest, each in its
// own transaction through ImportPubliccode (the same rules and audit entries
// as POST /api/v1/components/import): a file creates or updates the component
// with its repository, and an admin's run first makes the file's owner a
// vendor when none matches. A file that fails changes nothing. Then every
// component harvested before from one of these entries that this run did not
// find is flagged with harvest_missing_since; none is deleted. A dry run
// reports the same and writes nothing.
func (s *Store) HarvestPubliccode(ctx context.Context, actor models.Actor, files []models.HarvestedFile, dryRun bool) (models.PubliccodeHarvestReport, error) {
	rep := models.PubliccodeHarvestReport{DryRun: dryRun, VendorsCreated: []string{}, Missing: []string{},
		UnmappedCategories: []string{}, Files: []models.PubliccodeHarvestFile{},
		Matched: map[string]string{}, Skipped: []string{}, Unmatched: []string{}}
	entries, found := []string{}, []string{}
	unmapped := map[string]bool{}
	for _, f := range files {
		item, err := s.harvestPubliccodeFile(ctx, actor, f, dryRun)
		if err != nil {
			return rep, err
		}
		entries = append(entries, f.Entry)
		if item.Component != nil && item.Outcome != models.HarvestInvalid {
			found = append(found, *item.Component)
		}
		if item.VendorCreated != nil && !slices.Contains(rep.VendorsCreated, *item.VendorCreated) {
			rep.VendorsCreated = append(rep.VendorsCreated, *item.VendorCreated)
		}
		for _, c := range item.UnmappedCategories {
			unmapped[c] = true
		}
		switch item.Outcome {
		case models.HarvestCreated:
			rep.Created++
		case models.HarvestUpdated:
			rep.Updated++
		case models.HarvestUnchanged:
			rep.Unchanged++
		case models.HarvestInvalid:
			rep.Invalid++
			rep.Skipped = append(rep.Skipped, f.Entry)
		default:
			rep.Unreachable++
			rep.Unmatched = append(rep.Unmatched, f.Entry)
		}
		if item.Component != nil && item.Outcome != models.HarvestInvalid && item.Outcome != models.HarvestUnreachable {
			rep.Matched[f.Entry] = *item.Component
		}
		rep.Files = append(rep.Files, item)
	}
	for _, c := range publiccode.Categories {
		if unmapped[c] {
			rep.UnmappedCategories = append(rep.UnmappedCategories, c)
		}
	}
	missing, err := s.flagHarvestMissing(ctx, actor, entries, found, dryRun)
	rep.Missing, rep.NoLongerListed = missing, len(missing)
	return rep, err
}

// harvestPubliccodeFile applies one file; only a failure of the database is an error.
func (s *Store) harvestPubliccodeFile(ctx context.Context, actor models.Actor, f models.HarvestedFile, dryRun bool) (models.PubliccodeHarvestFile, error) {
	item := models.PubliccodeHarvestFile{Entry: f.Entry, URL: f.URL, Outcome: f.Outcome, Message: f.Problem,
		UnmappedCategories: []string{}, Problems: []models.FieldError{}, Warnings: []models.FieldError{}}
	if f.Outcome != "" {
		return item, nil
	}
	pc, err := publiccode.Parse(f.Body)
	if err != nil {
		return invalidHarvest(item, err)
	}
	item.UnmappedCategories = publiccode.Unmapped(pc.Categories)
	item.Warnings = append(item.Warnings, pc.Warnings...)
	var res models.PubliccodeImport
	var vendor string
	err = s.write(ctx, func(tx *gorm.DB) error {
		ts := inTx(s, tx)
		var err error
		res, err = ts.ImportPubliccode(ctx, actor, pc, models.PubliccodeOptions{})
		if ownerNotAVendor(err) && actor.MayAddVendors() {
			if vendor, err = harvestVendor(ctx, ts, actor, f.Entry, pc); err != nil {
				return err
			}
			res, err = ts.ImportPubliccode(ctx, actor, pc, models.PubliccodeOptions{Vendor: vendor})
		}
		if err != nil {
			return err
		}
		if err := markHarvested(tx, actor, s.Now(), res.Component.Slug, f.Entry); err != nil {
			return err
		}
		if dryRun {
			return errDryRun
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return invalidHarvest(item, err)
	}
	item.Component = &res.Component.Slug
	if vendor != "" {
		item.VendorCreated = &vendor
	}
	switch {
	case res.Created:
		item.Outcome = models.HarvestCreated
	case res.Changed || res.DocumentChanged:
		item.Outcome = models.HarvestUpdated
	default:
		item.Outcome = models.HarvestUnchanged
	}
	return item, nil
}

// invalidHarvest reports a file the validator or the import refused, with
// their messages; any other error is the database's, and stops the harvest.
func invalidHarvest(item models.PubliccodeHarvestFile, err error) (models.PubliccodeHarvestFile, error) {
	var e *models.Error
	if !errors.As(err, &e) || e.Code == models.EINTERNAL {
		return item, err
	}
	item.Outcome, item.Message = models.HarvestInvalid, e.Message
	item.Problems = append(item.Problems, e.Fields...)
	return item, nil
}

// ownerNotAVendor reports the import refusing a new component because no
// vendor matches the file's owners.
func ownerNotAVendor(err error) bool {
	var e *models.Error
	return errors.As(err, &e) && e.Code == models.EUNPROCESSABLE && slices.ContainsFunc(e.Fields,
		func(f models.FieldError) bool { return f.Field == "vendor" })
}

// harvestVendor makes the file's owner a vendor: organisation.name, else
// legal.repoOwner (or mainCopyrightOwner), else the code host's account. Its
// website is organisation.uri, else the account's page, else the repository.
// An existing vendor with the owner's slug is used rather than duplicated.
func harvestVendor(ctx context.Context, s *Store, actor models.Actor, entry string, pc *models.Publiccode) (string, error) {
	hostOwner, page := harvest.CodeHostOwner(pc.URL)
	name := hostOwner
	if len(pc.Owners) > 0 {
		name = pc.Owners[0]
	}
	slug := models.Slugify(name)
	if slug == "" {
		var p models.Problems
		p.Add("vendor", "the file names no owner (organisation.name or legal.repoOwner) and its repository is not on a known code host, so no vendor could be made for it")
		return "", p.ErrWithCode(models.EUNPROCESSABLE, "the file's owner is not a vendor in the registry")
	}
	var n int64
	if err := s.r.WithContext(ctx).Table("vendors").Where("slug = ?", slug).Count(&n).Error; err != nil || n > 0 {
		return slug, err
	}
	website := pc.OrganisationURI
	for _, w := range []string{page, pc.URL} {
		if !models.ValidHTTPURL(website) {
			website = w
		}
	}
	desc := fmt.Sprintf("Added by a publiccode.yml harvest of %s, as the owner its file names.", entry)
	in := models.VendorInput{Slug: &slug, Name: &name, Website: &website, Description: &desc}
	if err := in.Validate(true); err != nil {
		return "", publiccode.FieldPaths(err, pc.Language)
	}
	v, err := s.CreateVendor(ctx, actor, in)
	return v.Slug, err
}

// markHarvested records that the component was harvested from entry, and
// clears its missing flag (an audit entry, since the API shows the flag).
func markHarvested(tx *gorm.DB, actor models.Actor, now time.Time, slug, entry string) error {
	var row componentRow
	if err := tx.Where("slug = ?", slug).Take(&row).Error; err != nil {
		return err
	}
	if row.HarvestSource != nil && *row.HarvestSource == entry && row.HarvestMissingSince == nil {
		return nil
	}
	if err := tx.Model(&componentRow{}).Where("id = ?", row.ID).
		Updates(map[string]any{"harvest_source": entry, "harvest_missing_since": nil}).Error; err != nil {
		return err
	}
	if row.HarvestMissingSince == nil {
		return nil
	}
	return audit(tx, actor, now, "component", slug, "harvest_found",
		map[string]any{"harvest_missing_since": row.HarvestMissingSince}, map[string]any{"harvest_missing_since": nil})
}

// flagHarvestMissing flags the components harvested from one of entries
// that are not among found, and lists them (flagged now or before) by slug.
func (s *Store) flagHarvestMissing(ctx context.Context, actor models.Actor, entries, found []string, dryRun bool) ([]string, error) {
	missing := []string{}
	if len(entries) == 0 {
		return missing, nil
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		q := tx.Where("harvest_source IN ?", entries)
		if len(found) > 0 {
			q = q.Where("slug NOT IN ?", found)
		}
		var rows []componentRow
		if err := q.Order("slug").Find(&rows).Error; err != nil {
			return err
		}
		now := s.Now()
		for _, r := range rows {
			missing = append(missing, r.Slug)
			if r.HarvestMissingSince != nil || dryRun {
				continue
			}
			if err := tx.Model(&componentRow{}).Where("id = ?", r.ID).Update("harvest_missing_since", now).Error; err != nil {
				return err
			}
			err := audit(tx, actor, now, "component", r.Slug, "harvest_missing",
				map[string]any{"harvest_missing_since": nil}, map[string]any{"harvest_missing_since": now})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return missing, err
}
