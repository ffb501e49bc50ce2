package store

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/publiccode"
)

// publiccodeRow is the publiccode.yml a component was last imported from.
type publiccodeRow struct {
	ComponentID int64 `gorm:"primaryKey;autoIncrement:false"`
	Document    string
	ImportedAt  time.Time
}

func (publiccodeRow) TableName() string { return "component_publiccode" }

// inTx is the store working inside tx: its methods' own transactions become
// savepoints, so several of them commit or roll back together. It carries
// every field of Store but two: its writes are savepoints of tx, not group
// commits, and its use counts are its own, as tx's uncommitted rows are not
// the catalogue every other reader sees.
func inTx(s *Store, tx *gorm.DB) *Store {
	return &Store{w: tx, r: tx, postgres: s.postgres, Now: s.Now, FreshMonths: s.FreshMonths, Names: s.Names, Webhooks: s.Webhooks,
		lists: &useCountCache{}}
}

// ImportPubliccode creates or updates a component from a publiccode.yml file,
// through the same rules (and audit entries) as the component API, and keeps
// the file for exports. Importing a file that changes nothing writes nothing.
// What the file means (the component, its vendor, capabilities and
// dependencies) is worked out by reads; the write transaction then holds only
// the component's write and the file, and is begun again from the reads, a few
// times, if the component changed in between.
func (s *Store) ImportPubliccode(ctx context.Context, actor models.Actor, pc *models.Publiccode, opt models.PubliccodeOptions) (models.PubliccodeImport, error) {
	for attempt := 0; attempt < 3; attempt++ {
		plan, err := planPubliccode(s.r.WithContext(ctx), actor, pc, opt)
		if err != nil {
			return models.PubliccodeImport{}, translate(err)
		}
		out, err := s.writePubliccode(ctx, actor, pc, plan)
		if !errors.Is(err, errChangedSincePlanned) {
			return out, err
		}
	}
	return models.PubliccodeImport{}, models.Errorf(models.ECONFLICT, "the component kept changing while the file was imported; import it again")
}

// errChangedSincePlanned stops a write whose plan the database no longer bears out.
var errChangedSincePlanned = errors.New("changed since the import was planned")

// publiccodePlan is what importing a publiccode.yml file writes, worked out by reads.
type publiccodePlan struct {
	slug     string
	existing *models.Component      // the component the file is about; nil for a new one
	create   *models.ComponentInput // a new component
	update   *models.ComponentInput // changes to existing; nil when there are none
}

// planPubliccode decides, reading through db, what the file makes of the component.
func planPubliccode(db *gorm.DB, actor models.Actor, pc *models.Publiccode, opt models.PubliccodeOptions) (publiccodePlan, error) {
	slug, existing, err := publiccodeTarget(db, pc, opt)
	if err != nil {
		return publiccodePlan{}, err
	}
	plan := publiccodePlan{slug: slug, existing: existing}
	if existing != nil { // checked before anything is compared, so a refused caller learns nothing
		var newVendor *string
		if opt.Vendor != "" {
			newVendor = &opt.Vendor
		}
		if err := actor.CanWriteComponent(existing.Vendor, newVendor); err != nil {
			return plan, err
		}
	}
	vendor, err := publiccodeVendor(db, actor, pc, opt, existing)
	if err != nil {
		return plan, err
	}
	caps, err := publiccodeCapabilities(db, pc, opt, existing)
	if err != nil {
		return plan, err
	}
	deps, err := publiccodeDependencies(db, pc, slug)
	if err != nil {
		return plan, err
	}
	current := ""
	if existing != nil {
		current = existing.Lifecycle
	}
	want := models.Component{Slug: slug, Name: pc.Name, Summary: pc.ShortDescription, Description: pc.LongDescription,
		Vendor: vendor, Capabilities: caps, Licence: publiccode.LicenceOf(pc.License),
		Lifecycle: publiccode.LifecycleForStatus(pc.DevelopmentStatus, current), URL: pc.LandingURL,
		RepositoryURL: &pc.URL, DocsURL: pc.Documentation, DependsOn: deps}
	if existing != nil && pc.ShortDescription == publiccode.ShortDescription(existing.Summary) {
		want.Summary = existing.Summary // the export shortened a summary longer than the standard allows
	}
	if existing == nil {
		in := componentInputFrom(want)
		openSource := publiccode.NamesALicence(pc.License)
		in.OpenSource = &openSource
		plan.create = &in
		return plan, publiccode.FieldPaths(in.Validate(true), pc.Language)
	}
	if in, changed := componentChanges(*existing, want); changed {
		plan.update = &in
		return plan, publiccode.FieldPaths(in.Validate(false), pc.Language)
	}
	return plan, nil
}

// writePubliccode carries out plan in one transaction, unless the component
// has changed (or come to exist) since it was read: errChangedSincePlanned.
func (s *Store) writePubliccode(ctx context.Context, actor models.Actor, pc *models.Publiccode, plan publiccodePlan) (models.PubliccodeImport, error) {
	var out models.PubliccodeImport
	err := s.write(ctx, func(tx *gorm.DB) error {
		ts := inTx(s, tx)
		planned := 0
		if plan.existing != nil {
			planned = plan.existing.Version
		}
		var version int
		if err := forUpdate(tx).Table("components").Select("version").Where("slug = ?", plan.slug).Scan(&version).Error; err != nil {
			return err
		}
		if version != planned {
			return errChangedSincePlanned
		}
		var c models.Component
		var err error
		switch {
		case plan.create != nil:
			c, err = ts.CreateComponent(ctx, actor, *plan.create)
			out.Created, out.Changed = true, true
		case plan.update != nil:
			c, err = ts.UpdateComponent(ctx, actor, plan.slug, *plan.update, nil)
			out.Changed = true
		default:
			c = *plan.existing
		}
		if err != nil {
			return publiccode.FieldPaths(err, pc.Language)
		}
		if out.DocumentChanged, err = storePubliccode(tx, actor, s.Now(), c, pc); err != nil {
			return err
		}
		out.Component = c
		out.Publiccode = publiccode.Extras(pc)
		return nil
	})
	return out, err
}

// storePubliccode keeps the file as the component's publiccode.yml unless the
// stored one would export the same, and reports whether it changed.
func storePubliccode(tx *gorm.DB, actor models.Actor, now time.Time, c models.Component, pc *models.Publiccode) (bool, error) {
	var id int64
	if err := tx.Table("components").Select("id").Where("slug = ?", c.Slug).Scan(&id).Error; err != nil {
		return false, err
	}
	var row publiccodeRow
	res := tx.Where("component_id = ?", id).Limit(1).Find(&row)
	if res.Error != nil {
		return false, res.Error
	}
	src, err := publiccodeSource(tx, c, pc.Document)
	if err != nil {
		return false, err
	}
	next, err := publiccode.Render(src)
	if err != nil {
		return false, err
	}
	var before any
	if res.RowsAffected > 0 {
		src.Document = []byte(row.Document)
		if src.Matches, err = matchComponentNames(tx, publiccode.DependencyNames(src.Document)); err != nil {
			return false, err
		}
		prev, err := publiccode.Render(src)
		if err != nil {
			return false, err
		}
		if bytes.Equal(prev, next) {
			return false, nil
		}
		if old, err := publiccode.Parse(src.Document); err == nil {
			before = publiccode.Extras(old)
		}
		err = tx.Model(&publiccodeRow{}).Where("component_id = ?", id).
			Updates(map[string]any{"document": string(pc.Document), "imported_at": now}).Error
		if err != nil {
			return false, err
		}
	} else if err := tx.Create(&publiccodeRow{ComponentID: id, Document: string(pc.Document), ImportedAt: now}).Error; err != nil {
		return false, err
	}
	return true, audit(tx, actor, now, "component", c.Slug, "publiccode_imported", before, publiccode.Extras(pc))
}

// PubliccodeSource gathers what an export of the component needs.
func (s *Store) PubliccodeSource(ctx context.Context, slug string) (models.PubliccodeSource, error) {
	db := s.r.WithContext(ctx)
	var row componentRow
	if err := takeBySlug(db, &row, "component", slug); err != nil {
		return models.PubliccodeSource{}, err
	}
	cs, err := componentModels(db, []componentRow{row})
	if err != nil {
		return models.PubliccodeSource{}, err
	}
	var doc publiccodeRow
	res := db.Where("component_id = ?", row.ID).Limit(1).Find(&doc)
	if res.Error != nil {
		return models.PubliccodeSource{}, translate(res.Error)
	}
	var document []byte
	if res.RowsAffected > 0 {
		document = []byte(doc.Document)
	}
	src, err := publiccodeSource(db, cs[0], document)
	return src, translate(err)
}

// publiccodeSource names the component's vendor and dependencies, and matches
// the dependencies the document names to components.
func publiccodeSource(db *gorm.DB, c models.Component, document []byte) (models.PubliccodeSource, error) {
	src := models.PubliccodeSource{Component: c, Document: document, Dependencies: map[string]models.PubliccodeDependencyRef{}}
	var v vendorRow
	if err := db.Where("slug = ?", c.Vendor).Limit(1).Find(&v).Error; err != nil {
		return src, err
	}
	src.VendorName, src.VendorWebsite = v.Name, v.Website
	if len(c.DependsOn) > 0 {
		var deps []struct {
			Slug       string
			Name       string
			OpenSource bool
		}
		if err := db.Table("components").Select("slug, name, open_source").Where("slug IN ?", c.DependsOn).Scan(&deps).Error; err != nil {
			return src, err
		}
		names := make([]string, len(deps))
		for i, d := range deps {
			names[i] = d.Name
		}
		// A name another component shares would not find its way back: use the slug.
		matches, err := matchComponentNames(db, names)
		if err != nil {
			return src, err
		}
		for _, d := range deps {
			name := d.Name
			if matches[d.Name] != d.Slug {
				name = d.Slug
			}
			src.Dependencies[d.Slug] = models.PubliccodeDependencyRef{Name: name, OpenSource: d.OpenSource}
		}
	}
	var err error
	src.Matches, err = matchComponentNames(db, publiccode.DependencyNames(document))
	return src, err
}

// matchComponentNames maps each name to the component it stands for: the one
// with that slug, else the only one with that name (any case); "" for none.
func matchComponentNames(db *gorm.DB, names []string) (map[string]string, error) {
	out := map[string]string{}
	if len(names) == 0 {
		return out, nil
	}
	lower := make([]string, len(names))
	for i, n := range names {
		lower[i] = strings.ToLower(n)
	}
	var found []struct{ Slug, Name string }
	if err := db.Table("components").Select("slug, name").Where("slug IN ? OR lower(name) IN ?", names, lower).Scan(&found).Error; err != nil {
		return nil, err
	}
	slugs := map[string]bool{}
	byName := map[string][]string{}
	for _, f := range found {
		slugs[f.Slug] = true
		byName[strings.ToLower(f.Name)] = append(byName[strings.ToLower(f.Name)], f.Slug)
	}
	for _, n := range names {
		switch named := byName[strings.ToLower(n)]; {
		case slugs[n]:
			out[n] = n
		case len(named) == 1:
			out[n] = named[0]
		default:
			out[n] = ""
		}
	}
	return out, nil
}

// publiccodeTarget decides which component the file is about: the slug asked
// for, else the component with the file's repository, else a slug of its name.
func publiccodeTarget(tx *gorm.DB, pc *models.Publiccode, opt models.PubliccodeOptions) (string, *models.Component, error) {
	slug := opt.Slug
	repo := normaliseRepoURL(pc.URL)
	if slug == "" {
		var found []string
		if err := tx.Table("components").Where("lower(repository_url) IN ?", repoURLVariants(repo)).Order("slug").Pluck("slug", &found).Error; err != nil {
			return "", nil, err
		}
		switch len(found) {
		case 0:
			if slug = models.Slugify(pc.Name); slug == "" {
				var p models.Problems
				p.Add("name", "has no letters or digits to make a slug from; choose one with ?slug=")
				return "", nil, p.Err()
			}
		case 1:
			slug = found[0]
		default:
			return "", nil, models.Errorf(models.ECONFLICT, "components %s all have the repository %s; choose one with ?slug=", strings.Join(found, ", "), pc.URL)
		}
	}
	var row componentRow
	res := tx.Where("slug = ?", slug).Limit(1).Find(&row)
	if res.Error != nil || res.RowsAffected == 0 {
		return slug, nil, res.Error
	}
	cs, err := componentModels(tx, []componentRow{row})
	if err != nil {
		return "", nil, err
	}
	c := cs[0]
	if opt.Slug == "" && c.RepositoryURL != nil && normaliseRepoURL(*c.RepositoryURL) != repo {
		return "", nil, models.Errorf(models.ECONFLICT,
			"component %q already exists with the repository %s; to update it from this file pass ?slug=%s, or choose another slug", slug, *c.RepositoryURL, slug)
	}
	return slug, &c, nil
}

// normaliseRepoURL lets https://host/org/repo, https://host/org/repo.git and
// http://host/org/repo/ name the same repository.
func normaliseRepoURL(u string) string {
	u = strings.ToLower(strings.TrimSpace(u))
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	return strings.TrimSuffix(strings.TrimSuffix(u, "/"), ".git")
}

func repoURLVariants(normalised string) []string {
	var out []string
	for _, scheme := range []string{"https://", "http://"} {
		for _, suffix := range []string{"", "/", ".git", ".git/"} {
			out = append(out, scheme+normalised+suffix)
		}
	}
	return out
}

// publiccodeVendor chooses the vendor: the one asked for, the component's own,
// the caller's (a vendor key), else a vendor named by the file's owners.
func publiccodeVendor(tx *gorm.DB, actor models.Actor, pc *models.Publiccode, opt models.PubliccodeOptions, existing *models.Component) (string, error) {
	switch {
	case opt.Vendor != "":
		return opt.Vendor, nil
	case existing != nil:
		return existing.Vendor, nil
	}
	if own, ok := actor.OwnVendor(); ok {
		return own, nil
	}
	for _, owner := range pc.Owners {
		var slugs []string
		err := tx.Table("vendors").Where("lower(name) = ? OR slug = ?", strings.ToLower(owner), models.Slugify(owner)).
			Order("slug").Pluck("slug", &slugs).Error
		if err != nil {
			return "", err
		}
		if len(slugs) > 0 {
			return slugs[0], nil
		}
	}
	if pc.OrganisationURI != "" {
		var slugs []string
		if err := tx.Table("vendors").Where("website = ?", pc.OrganisationURI).Order("slug").Pluck("slug", &slugs).Error; err != nil {
			return "", err
		}
		if len(slugs) > 0 {
			return slugs[0], nil
		}
	}
	var p models.Problems
	if len(pc.Owners) == 0 {
		p.Add("vendor", "the file names no owner (organisation.name, legal.repoOwner or legal.mainCopyrightOwner); choose the vendor with ?vendor=SLUG")
	} else {
		p.Add("vendor", "no vendor is called %s; create the vendor first, or choose one with ?vendor=SLUG", strings.Join(quoteAll(pc.Owners), " or "))
	}
	return "", p.ErrWithCode(models.EUNPROCESSABLE, "the file's owner is not a vendor in the registry")
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = `"` + s + `"`
	}
	return out
}

// publiccodeCapabilities maps the file's categories to capabilities and adds
// the ones asked for. On an update the component keeps the capabilities no
// category can express, since the file cannot speak about them.
func publiccodeCapabilities(tx *gorm.DB, pc *models.Publiccode, opt models.PubliccodeOptions, existing *models.Component) ([]string, error) {
	var mapped []string
	for _, cat := range pc.Categories {
		if capability := publiccode.CapabilityForCategory(cat); capability != "" && !slices.Contains(mapped, capability) {
			mapped = append(mapped, capability)
		}
	}
	_, missing, err := idsInOrder(tx, "capabilities", mapped) // an admin may have removed one the table names
	if err != nil {
		return nil, err
	}
	out := slices.DeleteFunc(mapped, func(capability string) bool { return slices.Contains(missing, capability) })
	if existing != nil {
		for _, capability := range existing.Capabilities {
			if publiccode.CategoryForCapability(capability) == "" {
				out = append(out, capability)
			}
		}
	}
	out = append(out, opt.Capabilities...)
	out = models.Dedupe(out)
	slices.Sort(out)
	if len(out) == 0 {
		var p models.Problems
		if len(pc.Categories) == 0 {
			p.Add("categories", "the file lists no categories, so the registry cannot tell which capabilities the component provides; name them with ?capabilities=slug,slug")
		} else {
			p.Add("categories", "none of %s maps to a registry capability; name the capabilities with ?capabilities=slug,slug", strings.Join(pc.Categories, ", "))
		}
		return nil, p.ErrWithCode(models.EUNPROCESSABLE, "the file's categories name no registry capability")
	}
	return out, nil
}

// publiccodeDependencies turns the open and proprietary dependencies that name
// registry components into depends_on; the others stay in the file only.
func publiccodeDependencies(tx *gorm.DB, pc *models.Publiccode, self string) ([]string, error) {
	var names []string
	for _, d := range pc.Dependencies {
		if d.Kind != "hardware" {
			names = append(names, d.Name)
		}
	}
	matches, err := matchComponentNames(tx, names)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for i, d := range pc.Dependencies {
		if slug := matches[d.Name]; d.Kind != "hardware" && slug != "" && slug != self {
			pc.Dependencies[i].Component = &slug
			if !slices.Contains(out, slug) {
				out = append(out, slug)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// componentInputFrom is a create input holding every field of c the import sets.
func componentInputFrom(c models.Component) models.ComponentInput {
	caps, deps := c.Capabilities, c.DependsOn
	return models.ComponentInput{Slug: &c.Slug, Name: &c.Name, Summary: &c.Summary, Description: &c.Description,
		Vendor: &c.Vendor, Capabilities: &caps, Licence: models.NullString{Set: true, Value: c.Licence},
		Lifecycle: &c.Lifecycle, URL: models.NullString{Set: true, Value: c.URL},
		RepositoryURL: models.NullString{Set: true, Value: c.RepositoryURL},
		DocsURL:       models.NullString{Set: true, Value: c.DocsURL}, DependsOn: &deps}
}

// componentChanges is an update input holding the fields of want that differ from cur.
func componentChanges(cur, want models.Component) (models.ComponentInput, bool) {
	var in models.ComponentInput
	changed := false
	text := func(dst **string, a, b string) {
		if a != b {
			v := b
			*dst, changed = &v, true
		}
	}
	null := func(dst *models.NullString, a, b *string) {
		if (a == nil) != (b == nil) || (a != nil && *a != *b) {
			*dst, changed = models.NullString{Set: true, Value: b}, true
		}
	}
	list := func(dst **[]string, a, b []string) {
		x, y := slices.Clone(a), slices.Clone(b)
		slices.Sort(x)
		slices.Sort(y)
		if !slices.Equal(x, y) {
			*dst, changed = &y, true
		}
	}
	text(&in.Name, cur.Name, want.Name)
	text(&in.Summary, cur.Summary, want.Summary)
	text(&in.Description, cur.Description, want.Description)
	text(&in.Vendor, cur.Vendor, want.Vendor)
	text(&in.Lifecycle, cur.Lifecycle, want.Lifecycle)
	null(&in.Licence, cur.Licence, want.Licence)
	null(&in.URL, cur.URL, want.URL)
	null(&in.RepositoryURL, cur.RepositoryURL, want.RepositoryURL)
	null(&in.DocsURL, cur.DocsURL, want.DocsURL)
	list(&in.Capabilities, cur.Capabilities, want.Capabilities)
	list(&in.DependsOn, cur.DependsOn, want.DependsOn)
	return in, changed
}
