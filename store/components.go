package store

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// ListComponents returns components in slug order, or in relevance order when f.Q is set.
func (s *Store) ListComponents(ctx context.Context, f models.ComponentFilter, p models.Page) (models.List[models.Component], error) {
	if f.Q != "" {
		return s.searchComponents(ctx, f, p)
	}
	return keysetModels(s.r.WithContext(ctx), "slug", p, func(r componentRow) string { return r.Slug }, componentWhere(f), componentModels)
}

// componentWhere narrows a query over components by every filter but Q.
func componentWhere(f models.ComponentFilter) func(*gorm.DB) *gorm.DB {
	return func(q *gorm.DB) *gorm.DB {
		q = whereGiven(q, "components.lifecycle = ?", f.Lifecycle)
		q = whereGiven(q, "components.hosting = ?", f.Hosting)
		if f.OpenSource != nil {
			q = q.Where("components.open_source = ?", *f.OpenSource)
		}
		q = whereGiven(q, "components.vendor_id IN (SELECT id FROM vendors WHERE slug = ?)", f.Vendor)
		q = whereGiven(q, `components.id IN (SELECT cc.component_id FROM component_capabilities cc
			JOIN capabilities cap ON cap.id = cc.capability_id WHERE cap.slug = ?)`, f.Capability)
		q = whereGiven(q, "components.id IN (SELECT component_id FROM component_standards WHERE standard = ?)", f.Standard)
		return q
	}
}

// GetComponent returns one component with its links and adoption count.
func (s *Store) GetComponent(ctx context.Context, slug string) (models.Component, error) {
	db := s.r.WithContext(ctx)
	var row componentRow
	if err := takeBySlug(db, &row, "component", slug); err != nil {
		return models.Component{}, err
	}
	return componentModel(db, row)
}

// CreateComponent stores a new component. Unknown vendor, capabilities or
// dependencies are reported together as unprocessable.
func (s *Store) CreateComponent(ctx context.Context, actor models.Actor, in models.ComponentInput) (models.Component, error) {
	var c models.Component
	in.Apply(&c)
	if err := actor.CanCreateComponent(c.Vendor); err != nil {
		return c, err
	}
	var id int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		row := componentRow{Slug: c.Slug, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := writeComponent(tx, tx.Create, &row, c); err != nil {
			return err
		}
		id = row.ID
		after, known := createdComponent(tx, row, c)
		if !known {
			var err error
			if after, err = componentModel(tx, row); err != nil {
				return err
			}
		}
		return audit(tx, actor, now, "component", c.Slug, "created", nil, after)
	})
	if models.ErrorCode(err) == models.ECONFLICT {
		return c, models.Errorf(models.ECONFLICT, "component %q already exists", c.Slug)
	}
	if err != nil {
		return c, err
	}
	return s.getComponentByID(ctx, id)
}

// UpdateComponent applies in to the component, guarded by ifVersion like UpdateVendor.
func (s *Store) UpdateComponent(ctx context.Context, actor models.Actor, slug string, in models.ComponentInput, ifVersion *int) (models.Component, error) {
	var id int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		row, current, err := componentToWrite(tx, true, actor, slug, ifVersion, in.Vendor)
		if err != nil {
			return err
		}
		c := current
		in.Apply(&c)
		row.Version++
		row.UpdatedAt = s.Now()
		after, err := putComponent(tx, tx.Save, &row, c)
		if err != nil {
			return err
		}
		id = row.ID
		return audit(tx, actor, row.UpdatedAt, "component", slug, "updated", current, after)
	})
	if err != nil {
		return models.Component{}, err
	}
	return s.getComponentByID(ctx, id)
}

// DeleteComponent removes a component nobody has adopted or depends on.
func (s *Store) DeleteComponent(ctx context.Context, actor models.Actor, slug string, ifVersion *int) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		row, before, err := componentToWrite(tx, false, actor, slug, ifVersion, nil)
		if err != nil {
			return err
		}
		var adoptions, dependents int64
		if err := tx.Model(&adoptionRow{}).Where("component_id = ?", row.ID).Count(&adoptions).Error; err != nil {
			return err
		}
		if adoptions > 0 {
			return models.Errorf(models.ECONFLICT, "component %q has %d adoption records; mark it retired instead", slug, adoptions)
		}
		if err := tx.Table("component_dependencies").Where("depends_on_id = ?", row.ID).Count(&dependents).Error; err != nil {
			return err
		}
		if dependents > 0 {
			return models.Errorf(models.ECONFLICT, "%d other components depend on %q", dependents, slug)
		}
		if err := tx.Exec("DELETE FROM component_search WHERE docid = ?", row.ID).Error; err != nil {
			return err
		}
		if err := tx.Delete(&row).Error; err != nil {
			return err
		}
		return audit(tx, actor, s.Now(), "component", slug, "deleted", before, nil)
	})
}

// componentToWrite reads, in a write's transaction, the component with slug (locked when lock
// is set) as row and model, unless ifVersion is stale or actor may not write it (newVendor, when
// set, is the vendor the write hands it to).
func componentToWrite(tx *gorm.DB, lock bool, actor models.Actor, slug string, ifVersion *int, newVendor *string) (componentRow, models.Component, error) {
	q := tx
	if lock {
		q = forUpdate(tx)
	}
	var row componentRow
	if err := takeBySlug(q, &row, "component", slug); err != nil {
		return row, models.Component{}, err
	}
	if err := checkVersion(row.Version, ifVersion); err != nil {
		return row, models.Component{}, err
	}
	c, err := componentModel(tx, row)
	if err != nil {
		return row, c, err
	}
	return row, c, actor.CanWriteComponent(c.Vendor, newVendor)
}

func (s *Store) getComponentByID(ctx context.Context, id int64) (models.Component, error) {
	db := s.r.WithContext(ctx) // after the commit: WAL readers see every committed write
	var row componentRow
	if err := db.Take(&row, id).Error; err != nil {
		return models.Component{}, translate(err)
	}
	return componentModel(db, row)
}

// componentModel is one row as the API shows it.
func componentModel(db *gorm.DB, row componentRow) (models.Component, error) {
	cs, err := componentModels(db, []componentRow{row})
	if err != nil {
		return models.Component{}, err
	}
	return cs[0], nil
}

// putComponent writes row and c's links as writeComponent does and returns the component as stored.
func putComponent(tx *gorm.DB, save func(any) *gorm.DB, row *componentRow, c models.Component) (models.Component, error) {
	if err := writeComponent(tx, save, row, c); err != nil {
		return models.Component{}, err
	}
	return componentModel(tx, *row)
}

// writeComponent resolves c's references and writes row with save (tx.Create or tx.Save) and c's links.
func writeComponent(tx *gorm.DB, save func(any) *gorm.DB, row *componentRow, c models.Component) error {
	refs, err := resolveComponentRefs(tx, c)
	if err != nil {
		return err
	}
	if err := checkDependencies(tx, c); err != nil {
		return err
	}
	fillComponentRow(row, c, refs.vendorID)
	if err := save(row).Error; err != nil {
		return err
	}
	return writeComponentLinks(tx, row.ID, c, refs)
}

// createdComponent is componentModel(db, row) for the component c just created as row by
// writeComponent, built without reading: its vendor and links are the slugs c names (each
// resolved by its exact slug, a link named twice failing the write), in the byte order SQLite's
// ORDER BY gives them, and nothing has adopted it yet. ok is false on PostgreSQL, whose ORDER BY
// follows the database's collation: the caller reads the links there.
func createdComponent(db *gorm.DB, row componentRow, c models.Component) (models.Component, bool) {
	if isPostgres(db) {
		return models.Component{}, false
	}
	out := componentBase(row)
	out.Vendor = c.Vendor
	sorted := func(ss []string) []string {
		out := append([]string{}, ss...)
		slices.Sort(out)
		return out
	}
	out.Capabilities, out.Standards, out.DependsOn = sorted(c.Capabilities), sorted(c.Standards), sorted(c.DependsOn)
	return out, true
}

func fillComponentRow(row *componentRow, c models.Component, vendorID int64) {
	row.Name, row.Summary, row.Description, row.VendorID = c.Name, c.Summary, c.Description, vendorID
	row.Licence, row.OpenSource, row.Hosting, row.Pricing, row.Lifecycle = c.Licence, c.OpenSource, c.Hosting, c.Pricing, c.Lifecycle
	row.URL, row.RepositoryURL, row.DocsURL = c.URL, c.RepositoryURL, c.DocsURL
}

type componentRefs struct {
	vendorID      int64
	capabilityIDs []int64
	dependsOnIDs  []int64
}

// resolveComponentRefs turns the slugs a component names into ids, reporting
// every one that does not exist.
func resolveComponentRefs(tx *gorm.DB, c models.Component) (componentRefs, error) {
	var refs componentRefs
	var p models.Problems
	vendor, err := resolveIDs(tx, "vendors", "vendor", "vendor", []string{c.Vendor}, &p)
	if err != nil {
		return refs, err
	}
	if len(vendor) == 1 {
		refs.vendorID = vendor[0]
	}
	if refs.capabilityIDs, err = resolveIDs(tx, "capabilities", "capabilities", "capability", c.Capabilities, &p); err != nil {
		return refs, err
	}
	if refs.dependsOnIDs, err = resolveIDs(tx, "components", "depends_on", "component", c.DependsOn, &p); err != nil {
		return refs, err
	}
	return refs, p.ErrWithCode(models.EUNPROCESSABLE, "the request refers to things that do not exist")
}

// resolveIDs returns the ids of slugs in table, in order, adding a problem at
// field for each that names no noun.
func resolveIDs(tx *gorm.DB, table, field, noun string, slugs []string, p *models.Problems) ([]int64, error) {
	ids, missing, err := idsInOrder(tx, table, slugs)
	for _, slug := range missing {
		p.Add(field, "no "+noun+" has the slug %q", slug)
	}
	return ids, err
}

// idsInOrder returns, in the order of slugs, the ids of those table holds and the slugs it does not.
func idsInOrder(tx *gorm.DB, table string, slugs []string) (ids []int64, missing []string, err error) {
	if len(slugs) == 0 {
		return nil, nil, nil
	}
	var found []struct {
		ID   int64
		Slug string
	}
	if err := tx.Table(table).Select("id, slug").Where("slug IN ?", slugs).Scan(&found).Error; err != nil {
		return nil, nil, err
	}
	idOf := make(map[string]int64, len(found))
	for _, f := range found {
		idOf[f.Slug] = f.ID
	}
	for _, slug := range slugs {
		if id, ok := idOf[slug]; ok {
			ids = append(ids, id)
		} else {
			missing = append(missing, slug)
		}
	}
	return ids, missing, nil
}

// checkDependencies refuses c's depends_on when it names c or closes a cycle
// through the dependencies stored (models.CheckDependencies).
func checkDependencies(tx *gorm.DB, c models.Component) error {
	if len(c.DependsOn) == 0 {
		return nil
	}
	var edges []struct{ Component, DependsOn string }
	if err := tx.Raw(`SELECT c.slug AS component, d.slug AS depends_on FROM component_dependencies cd
		JOIN components c ON c.id = cd.component_id JOIN components d ON d.id = cd.depends_on_id
		ORDER BY c.slug, d.slug`).Scan(&edges).Error; err != nil {
		return err
	}
	dependsOn := map[string][]string{}
	for _, e := range edges {
		dependsOn[e.Component] = append(dependsOn[e.Component], e.DependsOn)
	}
	return models.CheckDependencies(c.Slug, c.DependsOn, dependsOn)
}

// writeComponentLinks replaces the component's capabilities, standards and
// dependencies, then refreshes its search entry.
func writeComponentLinks(tx *gorm.DB, id int64, c models.Component, refs componentRefs) error {
	for _, table := range []string{"component_capabilities", "component_standards", "component_dependencies"} {
		if err := tx.Exec(fmt.Sprintf("DELETE FROM %s WHERE component_id = ?", table), id).Error; err != nil {
			return err
		}
	}
	for _, capID := range refs.capabilityIDs {
		if err := tx.Exec("INSERT INTO component_capabilities (component_id, capability_id) VALUES (?, ?)", id, capID).Error; err != nil {
			return err
		}
	}
	for _, std := range c.Standards {
		if err := tx.Exec("INSERT INTO component_standards (component_id, standard) VALUES (?, ?)", id, std).Error; err != nil {
			return err
		}
	}
	for _, dep := range refs.dependsOnIDs {
		if err := tx.Exec("INSERT INTO component_dependencies (component_id, depends_on_id) VALUES (?, ?)", id, dep).Error; err != nil {
			return err
		}
	}
	return reindexComponentsWhere(tx, "components.id = ?", id)
}

// componentModels converts rows and fills vendor, capabilities, standards,
// dependencies and adoption counts with one query each.
func componentModels(db *gorm.DB, rows []componentRow) ([]models.Component, error) {
	out := make([]models.Component, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rows))
	index := make(map[int64]int, len(rows))
	vendorIDs := make([]int64, 0, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
		index[r.ID] = i
		vendorIDs = append(vendorIDs, r.VendorID)
		out[i] = componentBase(r)
	}
	vendors := map[int64]string{}
	var vs []struct {
		ID   int64
		Slug string
	}
	if err := db.Table("vendors").Select("id, slug").Where("id IN ?", vendorIDs).Scan(&vs).Error; err != nil {
		return nil, translate(err)
	}
	for _, v := range vs {
		vendors[v.ID] = v.Slug
	}
	for i, r := range rows {
		out[i].Vendor = vendors[r.VendorID]
	}
	type link struct {
		ID  int64
		Val string
	}
	fill := func(sql string, into func(*models.Component) *[]string) error {
		var links []link
		if err := db.Raw(sql, ids).Scan(&links).Error; err != nil {
			return translate(err)
		}
		for _, l := range links {
			p := into(&out[index[l.ID]])
			*p = append(*p, l.Val)
		}
		return nil
	}
	if err := fill(`SELECT cc.component_id AS id, c.slug AS val FROM component_capabilities cc
		JOIN capabilities c ON c.id = cc.capability_id WHERE cc.component_id IN ? ORDER BY c.slug`,
		func(c *models.Component) *[]string { return &c.Capabilities }); err != nil {
		return nil, err
	}
	if err := fill(`SELECT component_id AS id, standard AS val FROM component_standards WHERE component_id IN ? ORDER BY standard`,
		func(c *models.Component) *[]string { return &c.Standards }); err != nil {
		return nil, err
	}
	if err := fill(`SELECT d.component_id AS id, c.slug AS val FROM component_dependencies d
		JOIN components c ON c.id = d.depends_on_id WHERE d.component_id IN ? ORDER BY c.slug`,
		func(c *models.Component) *[]string { return &c.DependsOn }); err != nil {
		return nil, err
	}
	counts, err := countAdoptions(db, "component_id", ids, counted(""))
	if err != nil {
		return nil, err
	}
	for id, n := range counts {
		out[index[id]].AdoptionCount = n
	}
	claims, err := countAdoptions(db, "component_id", ids, pendingClaim)
	if err != nil {
		return nil, err
	}
	for id, n := range claims {
		out[index[id]].ClaimedCount = n
	}
	return out, nil
}

// componentBase is the component row r with its columns only: no vendor, links or counts yet.
func componentBase(r componentRow) models.Component {
	return models.Component{
		Slug: r.Slug, Name: r.Name, Summary: r.Summary, Description: r.Description,
		Licence: r.Licence, OpenSource: r.OpenSource, Hosting: r.Hosting, Pricing: r.Pricing,
		Lifecycle: r.Lifecycle, URL: r.URL, RepositoryURL: r.RepositoryURL, DocsURL: r.DocsURL,
		Capabilities: []string{}, Standards: []string{}, DependsOn: []string{},
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version, HarvestMissingSince: r.HarvestMissingSince,
	}
}
