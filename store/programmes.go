package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// Programmes and commitments (not software, so not components), their
// members' evidence, and the real multi-council projects.

type programmeRow struct {
	ID        int64
	Slug      string
	Name      string
	Kind      string
	Owner     string
	Summary   string
	URL       string `gorm:"column:url"`
	SourceURL string `gorm:"column:source_url"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (programmeRow) TableName() string { return "programmes" }

func (r programmeRow) model() models.Programme {
	return models.Programme{Slug: r.Slug, Name: r.Name, Kind: r.Kind, Owner: r.Owner, Summary: r.Summary,
		URL: r.URL, SourceURL: r.SourceURL}
}

type programmeMemberRow struct {
	ID          int64
	ProgrammeID int64
	CouncilID   int64
	Source      string
	URL         string `gorm:"column:url"`
	Quote       string
	ObservedOn  string
	Current     bool
	CreatedAt   time.Time
}

func (programmeMemberRow) TableName() string { return "programme_members" }

type projectRow struct {
	ID            int64
	Slug          string
	Name          string
	LeadCouncilID *int64
	LeadName      string
	Theme         string
	ComponentID   *int64
	ProgrammeID   *int64
	CapabilityID  *int64
	StartedOn     *string
	EndedOn       *string
	Funding       string
	SourceURL     string `gorm:"column:source_url"`
	Quote         string
	Notes         string
	CreatedAt     time.Time
}

func (projectRow) TableName() string { return "projects" }

// SeedMember is one piece of evidence that a council is a member of a programme.
type SeedMember struct {
	Programme, Council string
	Item               models.EvidenceItem
}

// seedIDs are the stored ids of what seeded projects and members refer to, by natural key.
type seedIDs struct {
	councils, components, capabilities, programmes map[string]int64
}

func loadSeedIDs(tx *gorm.DB) (seedIDs, error) {
	ids := seedIDs{programmes: map[string]int64{}}
	var err error
	for _, t := range []struct {
		dst        *map[string]int64
		table, key string
	}{{&ids.councils, "councils", "code"}, {&ids.components, "components", "slug"}, {&ids.capabilities, "capabilities", "slug"}} {
		var rows []struct {
			ID  int64
			Key string
		}
		if err = tx.Raw("SELECT id, " + t.key + " AS key FROM " + t.table).Scan(&rows).Error; err != nil {
			return ids, err
		}
		*t.dst = make(map[string]int64, len(rows))
		for _, r := range rows {
			(*t.dst)[r.Key] = r.ID
		}
	}
	return ids, nil
}

// seedProgrammes writes the programmes, their members' evidence and the
// projects, each by its natural key, so a second run changes nothing.
func seedProgrammes(tx *gorm.DB, d SeedData, now time.Time, rep *SeedReport) error {
	rep.Unmatched = append(rep.Unmatched, d.Unmatched...)
	ids, err := loadSeedIDs(tx)
	if err != nil {
		return err
	}
	for _, p := range d.Programmes {
		row := programmeRow{Slug: p.Slug, Name: p.Name, Kind: p.Kind, Owner: p.Owner, Summary: p.Summary,
			URL: p.URL, SourceURL: p.SourceURL, CreatedAt: now, UpdatedAt: now}
		created, changed, err := upsert(tx, &row, "slug = ?", p.Slug, func(old *programmeRow) {
			row.ID, row.CreatedAt, row.UpdatedAt = old.ID, old.CreatedAt, old.UpdatedAt
		})
		if err != nil {
			return fmt.Errorf("programme %s: %w", p.Slug, err)
		}
		ids.programmes[p.Slug] = row.ID
		rep.count("programmes", created, changed)
	}
	for _, m := range d.ProgrammeMembers {
		created, changed, err := seedMember(tx, m, ids, now)
		if err != nil {
			return fmt.Errorf("programme %s member %s: %w", m.Programme, m.Council, err)
		}
		rep.count("programme_members", created, changed)
	}
	for _, p := range d.Projects {
		created, changed, err := seedProject(tx, p, ids, now)
		if err != nil {
			return fmt.Errorf("project %s: %w", p.Slug, err)
		}
		rep.count("projects", created, changed)
	}
	return nil
}

// seedMember records one item of membership evidence. A harvest may since have
// seen a newer date or marked the item no longer current: the seed's older
// file never overrides that.
func seedMember(tx *gorm.DB, m SeedMember, ids seedIDs, now time.Time) (bool, bool, error) {
	pid, cid := ids.programmes[m.Programme], ids.councils[m.Council]
	if pid == 0 || cid == 0 {
		return false, false, fmt.Errorf("unknown programme or council")
	}
	var old programmeMemberRow
	err := tx.Where("programme_id = ? AND council_id = ? AND source = ? AND url = ? AND quote = ?",
		pid, cid, m.Item.Source, m.Item.URL, m.Item.Quote).Take(&old).Error
	if err == gorm.ErrRecordNotFound {
		row := programmeMemberRow{ProgrammeID: pid, CouncilID: cid, Source: m.Item.Source, URL: m.Item.URL,
			Quote: m.Item.Quote, ObservedOn: m.Item.ObservedOn, Current: true, CreatedAt: now}
		return true, false, tx.Create(&row).Error
	}
	if err != nil || m.Item.ObservedOn <= old.ObservedOn {
		return false, false, err
	}
	return false, true, tx.Model(&old).Update("observed_on", m.Item.ObservedOn).Error
}

// seedProject creates or refreshes a project and the councils taking part.
func seedProject(tx *gorm.DB, p models.Project, ids seedIDs, now time.Time) (bool, bool, error) {
	ref := func(m map[string]int64, key *string) *int64 {
		if key == nil || m[*key] == 0 {
			return nil
		}
		id := m[*key]
		return &id
	}
	row := projectRow{Slug: p.Slug, Name: p.Name, Theme: p.Theme, StartedOn: p.StartedOn, EndedOn: p.EndedOn,
		SourceURL: p.SourceURL, Quote: p.Quote, Notes: p.Notes, CreatedAt: now,
		ComponentID: ref(ids.components, p.Component), ProgrammeID: ref(ids.programmes, p.Programme)}
	if p.Lead != nil {
		row.LeadName, row.LeadCouncilID = p.Lead.Name, ref(ids.councils, p.Lead.Code)
	}
	if p.Funding != nil {
		row.Funding = *p.Funding
	}
	if p.Capability != nil {
		row.CapabilityID = ref(ids.capabilities, &p.Capability.Slug)
	}
	created, changed, err := upsert(tx, &row, "slug = ?", p.Slug, func(old *projectRow) { row.ID, row.CreatedAt = old.ID, old.CreatedAt })
	if err != nil {
		return false, false, err
	}
	want := make([]int64, 0, len(p.Councils))
	for _, code := range p.Councils {
		id := ids.councils[code]
		if id == 0 {
			return false, false, fmt.Errorf("council %s is not in the data", code)
		}
		want = append(want, id)
	}
	slices.Sort(want)
	want = slices.Compact(want)
	var have []int64
	if err := tx.Raw("SELECT council_id FROM project_councils WHERE project_id = ? ORDER BY council_id", row.ID).Scan(&have).Error; err != nil {
		return false, false, err
	}
	if slices.Equal(have, want) {
		return created, changed, nil
	}
	if err := tx.Exec("DELETE FROM project_councils WHERE project_id = ?", row.ID).Error; err != nil {
		return false, false, err
	}
	for _, id := range want {
		if err := tx.Exec("INSERT INTO project_councils (project_id, council_id) VALUES (?, ?)", row.ID, id).Error; err != nil {
			return false, false, err
		}
	}
	return created, !created, nil
}

// ListProgrammes returns programmes and commitments in slug order.
func (s *Store) ListProgrammes(ctx context.Context, p models.Page) (models.List[models.Programme], error) {
	db := s.r.WithContext(ctx)
	rows, total, next, err := keyset(db, "slug", p, func(r programmeRow) string { return r.Slug }, nil)
	if err != nil {
		return models.List[models.Programme]{}, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var counts []struct{ ProgrammeID, N int64 }
	if len(ids) > 0 {
		if err := db.Raw(`SELECT programme_id, count(DISTINCT council_id) AS n FROM programme_members
			WHERE programme_members.current AND programme_id IN ? GROUP BY programme_id`, ids).Scan(&counts).Error; err != nil {
			return models.List[models.Programme]{}, translate(err)
		}
	}
	list := models.List[models.Programme]{Items: make([]models.Programme, len(rows)), Total: total, Next: next}
	for i, r := range rows {
		list.Items[i] = r.model()
		for _, c := range counts {
			if c.ProgrammeID == r.ID {
				list.Items[i].MemberCount = int(c.N)
			}
		}
	}
	return list, nil
}

// memberView is one item of membership evidence with its council and programme.
type memberView struct {
	Code, CouncilName, Slug, ProgrammeName, Kind string
	Source, URL, Quote, ObservedOn               string
	Current                                      bool
}

func membersQuery(db *gorm.DB) *gorm.DB {
	return db.Table("programme_members m").
		Select(`c.code, c.name AS council_name, p.slug, p.name AS programme_name, p.kind,
			m.source, m.url, m.quote, m.observed_on, m.current`).
		Joins("JOIN councils c ON c.id = m.council_id").
		Joins("JOIN programmes p ON p.id = m.programme_id")
}

func (v memberView) item() models.EvidenceItem {
	return models.EvidenceItem{Source: v.Source, URL: v.URL, Quote: v.Quote, ObservedOn: v.ObservedOn, Current: v.Current}
}

// GetProgramme returns one programme with every member (in council code
// order) and each member's evidence, newest first.
func (s *Store) GetProgramme(ctx context.Context, slug string) (models.ProgrammeWithMembers, error) {
	db := s.r.WithContext(ctx)
	var row programmeRow
	if err := takeBySlug(db, &row, "programme", slug); err != nil {
		return models.ProgrammeWithMembers{}, err
	}
	var views []memberView
	if err := membersQuery(db).Where("m.programme_id = ?", row.ID).
		Order("c.code, m.observed_on DESC, m.id").Scan(&views).Error; err != nil {
		return models.ProgrammeWithMembers{}, translate(err)
	}
	out := models.ProgrammeWithMembers{Programme: row.model(), Members: []models.ProgrammeMember{}}
	for i, v := range views {
		if i == 0 || views[i-1].Code != v.Code {
			out.Members = append(out.Members, models.ProgrammeMember{Council: models.CouncilRef{Code: v.Code, Name: v.CouncilName}})
		}
		m := &out.Members[len(out.Members)-1]
		m.Items = append(m.Items, v.item())
	}
	for _, m := range out.Members {
		if slices.ContainsFunc(m.Items, func(it models.EvidenceItem) bool { return it.Current }) {
			out.MemberCount++
		}
	}
	return out, nil
}

// CouncilProgrammes lists the programmes a council belongs to, in slug order,
// with the evidence. An unknown council is not found.
func (s *Store) CouncilProgrammes(ctx context.Context, code string) ([]models.Membership, error) {
	db := s.r.WithContext(ctx)
	councilID, err := councilIDOf(db, code)
	if err != nil {
		return nil, err
	}
	var views []memberView
	if err := membersQuery(db).Where("m.council_id = ?", councilID).
		Order("p.slug, m.observed_on DESC, m.id").Scan(&views).Error; err != nil {
		return nil, translate(err)
	}
	out := []models.Membership{}
	for i, v := range views {
		if i == 0 || views[i-1].Slug != v.Slug {
			out = append(out, models.Membership{Programme: models.ProgrammeRef{Slug: v.Slug, Name: v.ProgrammeName, Kind: v.Kind}})
		}
		m := &out[len(out)-1]
		m.Items = append(m.Items, v.item())
	}
	return out, nil
}

func councilIDOf(db *gorm.DB, code string) (int64, error) {
	var row councilRow
	if err := db.Select("id").Where("code = ?", code).Take(&row).Error; err != nil {
		return 0, notFoundAs(err, "council", code)
	}
	return row.ID, nil
}

// projectFilter narrows projects by a council taking part, a component or a programme.
func projectFilter(f models.ProjectFilter) func(*gorm.DB) *gorm.DB {
	return func(q *gorm.DB) *gorm.DB {
		if f.Council != "" {
			q = q.Where(`projects.id IN (SELECT pc.project_id FROM project_councils pc
				JOIN councils c ON c.id = pc.council_id WHERE c.code = ?)`, f.Council)
		}
		if f.Component != "" {
			q = q.Where("projects.component_id IN (SELECT id FROM components WHERE slug = ?)", f.Component)
		}
		if f.Programme != "" {
			q = q.Where("projects.programme_id IN (SELECT id FROM programmes WHERE slug = ?)", f.Programme)
		}
		return q
	}
}

// ListProjects returns real projects in slug order.
func (s *Store) ListProjects(ctx context.Context, f models.ProjectFilter, p models.Page) (models.List[models.Project], error) {
	return keysetModels(s.r.WithContext(ctx), "projects.slug", p, func(r projectRow) string { return r.Slug }, projectFilter(f), projectModels)
}

// CouncilProjects returns the projects a council takes part in; an unknown council is not found.
func (s *Store) CouncilProjects(ctx context.Context, code string, p models.Page) (models.List[models.Project], error) {
	if _, err := councilIDOf(s.r.WithContext(ctx), code); err != nil {
		return models.List[models.Project]{}, err
	}
	return s.ListProjects(ctx, models.ProjectFilter{Council: code}, p)
}

// CollaborationProjects returns every project listed under a capability,
// for the collaborations list: newest start first, undated last, then by slug.
func (s *Store) CollaborationProjects(ctx context.Context) ([]models.Project, error) {
	db := s.r.WithContext(ctx)
	var rows []projectRow
	if err := db.Where("capability_id IS NOT NULL").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out, err := projectModels(db, rows)
	slices.SortFunc(out, func(x, y models.Project) int {
		if (x.StartedOn == nil) != (y.StartedOn == nil) {
			return cmp.Compare(boolInt(x.StartedOn == nil), boolInt(y.StartedOn == nil))
		}
		if x.StartedOn != nil && *x.StartedOn != *y.StartedOn {
			return cmp.Compare(*y.StartedOn, *x.StartedOn)
		}
		return cmp.Compare(x.Slug, y.Slug)
	})
	return out, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// projectModels converts rows, naming what their ids refer to and the councils taking part (in code order).
func projectModels(db *gorm.DB, rows []projectRow) ([]models.Project, error) {
	out := make([]models.Project, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var refs []struct {
		ID                             int64
		LeadCode, Component, Programme *string
		CapabilitySlug, CapabilityName *string
	}
	if err := db.Raw(`SELECT p.id, lc.code AS lead_code, co.slug AS component, pr.slug AS programme,
			ca.slug AS capability_slug, ca.name AS capability_name
		FROM projects p LEFT JOIN councils lc ON lc.id = p.lead_council_id
		LEFT JOIN components co ON co.id = p.component_id LEFT JOIN programmes pr ON pr.id = p.programme_id
		LEFT JOIN capabilities ca ON ca.id = p.capability_id WHERE p.id IN ?`, ids).Scan(&refs).Error; err != nil {
		return nil, translate(err)
	}
	var members []struct {
		ProjectID int64
		Code      string
	}
	if err := db.Raw(`SELECT pc.project_id, c.code FROM project_councils pc JOIN councils c ON c.id = pc.council_id
		WHERE pc.project_id IN ? ORDER BY c.code`, ids).Scan(&members).Error; err != nil {
		return nil, translate(err)
	}
	index := make(map[int64]int, len(rows))
	for i, r := range rows {
		index[r.ID] = i
		out[i] = r.model()
	}
	for _, ref := range refs {
		p := &out[index[ref.ID]]
		p.Component, p.Programme = ref.Component, ref.Programme
		if p.Lead != nil {
			p.Lead.Code = ref.LeadCode
		}
		if ref.CapabilitySlug != nil {
			p.Capability = &models.Ref{Slug: *ref.CapabilitySlug, Name: *ref.CapabilityName}
		}
	}
	for _, m := range members {
		p := &out[index[m.ProjectID]]
		p.Councils = append(p.Councils, m.Code)
	}
	return out, nil
}

func (r projectRow) model() models.Project {
	p := models.Project{ProjectRef: models.ProjectRef{Slug: r.Slug, Name: r.Name, SourceURL: r.SourceURL,
		StartedOn: r.StartedOn, EndedOn: r.EndedOn}, Councils: []string{}, Theme: r.Theme, Quote: r.Quote, Notes: r.Notes}
	if r.LeadName != "" || r.LeadCouncilID != nil {
		p.Lead = &models.ProjectLead{Name: r.LeadName}
	}
	if r.Funding != "" {
		funding := r.Funding
		p.Funding = &funding
	}
	return p
}
