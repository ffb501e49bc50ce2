package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// Reorganisations: historic ones are derived from mySociety's register on every seed
// (seedReorganisations); admins register planned ones, which vest or are withdrawn. Vesting
// carries the predecessors' adoptions in use to the successors (carryOver).

type reorganisationRow struct {
	ID            int64
	NaturalKey    *string // historic: "historic:<vesting date>:<successor codes>"; planned: NULL
	Status        string
	Source        string
	VestingDate   string
	SuccessorCode *string
	SuccessorName string
	SuccessorType string
	Notes         string
	VestedAt      *time.Time
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (reorganisationRow) TableName() string { return "reorganisations" }

type reorganisationCouncilRow struct {
	ReorganisationID int64
	CouncilID        int64
	Role             string // predecessor or successor
}

func (reorganisationCouncilRow) TableName() string { return "reorganisation_councils" }

type carryOverRow struct {
	ReorganisationID int64
	FromAdoptionID   int64
	ToAdoptionID     int64
	Status           string // the predecessor adoption's status when it was carried over
}

func (carryOverRow) TableName() string { return "reorganisation_carryovers" }

const (
	rolePredecessor = "predecessor"
	roleSuccessor   = "successor"
)

// seedActor is who vests historic reorganisations: the seed run.
var seedActor = models.Actor{Key: "seed", Role: models.RoleAdmin}

// ListReorganisations returns reorganisations in id order.
func (s *Store) ListReorganisations(ctx context.Context, f models.ReorganisationFilter, p models.Page) (models.List[models.Reorganisation], error) {
	db := s.r.WithContext(ctx)
	where := func(q *gorm.DB) *gorm.DB {
		if f.Status != "" {
			q = q.Where("status = ?", f.Status)
		}
		if f.Council != "" {
			q = q.Where(`(id IN (SELECT rc.reorganisation_id FROM reorganisation_councils rc
				JOIN councils c ON c.id = rc.council_id WHERE c.code = ?) OR successor_code = ?)`, f.Council, f.Council)
		}
		return q
	}
	rows, total, next, err := keyset(db, "id", p, func(r reorganisationRow) int64 { return r.ID }, where)
	if err != nil {
		return models.List[models.Reorganisation]{}, err
	}
	items, err := reorganisationModels(db, rows)
	return models.List[models.Reorganisation]{Items: items, Total: total, Next: next}, err
}

// GetReorganisation returns one reorganisation.
func (s *Store) GetReorganisation(ctx context.Context, id int64) (models.Reorganisation, error) {
	return getReorganisation(s.r.WithContext(ctx), id)
}

func getReorganisation(db *gorm.DB, id int64) (models.Reorganisation, error) {
	var row reorganisationRow
	if err := db.Take(&row, id).Error; err != nil {
		return models.Reorganisation{}, notFoundAs(err, "reorganisation", fmt.Sprint(id))
	}
	rs, err := reorganisationModels(db, []reorganisationRow{row})
	if err != nil {
		return models.Reorganisation{}, err
	}
	return rs[0], nil
}

// reorganisationModels converts rows, filling in councils, names and carry-over counts.
func reorganisationModels(db *gorm.DB, rows []reorganisationRow) ([]models.Reorganisation, error) {
	out := make([]models.Reorganisation, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rows))
	index := map[int64]int{}
	var planned []string
	for i, r := range rows {
		ids[i], index[r.ID] = r.ID, i
		out[i] = models.Reorganisation{ID: r.ID, Status: r.Status, Source: r.Source, VestingDate: r.VestingDate,
			Predecessors: []string{}, Successors: []string{}, Names: map[string]string{}, Notes: r.Notes,
			VestedAt: r.VestedAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version}
		if r.Source == "admin" {
			out[i].Successor = &models.ReorganisationSuccessor{Code: r.SuccessorCode, Name: r.SuccessorName, Type: r.SuccessorType}
		}
		if r.SuccessorCode != nil {
			planned = append(planned, *r.SuccessorCode)
		}
	}
	var links []struct {
		ReorganisationID int64
		Role, Code, Name string
	}
	if err := db.Raw(`SELECT rc.reorganisation_id, rc.role, c.code, c.name FROM reorganisation_councils rc
		JOIN councils c ON c.id = rc.council_id WHERE rc.reorganisation_id IN ? ORDER BY c.code`, ids).Scan(&links).Error; err != nil {
		return nil, translate(err)
	}
	for _, l := range links {
		r := &out[index[l.ReorganisationID]]
		if l.Role == rolePredecessor {
			r.Predecessors = append(r.Predecessors, l.Code)
		} else {
			r.Successors = append(r.Successors, l.Code)
		}
		r.Names[l.Code] = l.Name
	}
	names := map[string]string{}
	if len(planned) > 0 {
		var cs []councilRow
		if err := db.Select("code, name").Where("code IN ?", planned).Find(&cs).Error; err != nil {
			return nil, translate(err)
		}
		for _, c := range cs {
			names[c.Code] = c.Name
		}
	}
	for i, row := range rows { // a planned successor: the council's own name once it exists, else the admin's
		code := row.SuccessorCode
		if code == nil {
			continue
		}
		r := &out[i]
		if !slices.Contains(r.Successors, *code) {
			r.Successors = append(r.Successors, *code)
			slices.Sort(r.Successors)
		}
		r.Names[*code] = row.SuccessorName
		if n, ok := names[*code]; ok {
			r.Names[*code] = n
		}
	}
	var counts []struct {
		ReorganisationID int64
		N                int
	}
	if err := db.Raw(`SELECT reorganisation_id, count(DISTINCT from_adoption_id) AS n FROM reorganisation_carryovers
		WHERE reorganisation_id IN ? GROUP BY reorganisation_id`, ids).Scan(&counts).Error; err != nil {
		return nil, translate(err)
	}
	for _, c := range counts {
		out[index[c.ReorganisationID]].CarriedOver = c.N
	}
	return out, nil
}

// CreateReorganisation registers a planned reorganisation. The predecessors must be current
// councils; the successor may be an existing current council or, with a code not yet in use,
// a council created on vesting.
func (s *Store) CreateReorganisation(ctx context.Context, actor models.Actor, in models.ReorganisationInput) (models.Reorganisation, error) {
	var id int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := in.Validate(true); err != nil {
			return err
		}
		var r models.Reorganisation
		in.Apply(&r)
		preds, err := checkPlan(tx, r)
		if err != nil {
			return err
		}
		now := s.Now()
		row := reorganisationRow{Status: r.Status, Source: r.Source, VestingDate: r.VestingDate, SuccessorCode: r.Successor.Code,
			SuccessorName: r.Successor.Name, SuccessorType: r.Successor.Type, Notes: r.Notes, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		id = row.ID
		if err := linkCouncils(tx, id, rolePredecessor, preds); err != nil {
			return err
		}
		return auditReorganisation(tx, actor, now, "created", nil, id)
	})
	if err != nil {
		return models.Reorganisation{}, err
	}
	return getReorganisation(s.w.WithContext(ctx), id)
}

// UpdateReorganisation changes a planned reorganisation; once vested or withdrawn it is history.
func (s *Store) UpdateReorganisation(ctx context.Context, actor models.Actor, id int64, in models.ReorganisationInput, ifVersion *int) (models.Reorganisation, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := in.Validate(false); err != nil {
			return err
		}
		row, before, err := loadPlanned(tx, id, "changed")
		if err != nil {
			return err
		}
		if err := checkVersion(row.Version, ifVersion); err != nil {
			return err
		}
		next := before
		in.Apply(&next)
		if code := next.Successor.Code; code != nil && slices.Contains(next.Predecessors, *code) {
			var p models.Problems
			p.Add("successor.code", "%s is also a predecessor; a council cannot succeed itself", *code)
			return p.Err()
		}
		preds, err := checkPlan(tx, next)
		if err != nil {
			return err
		}
		row.VestingDate, row.SuccessorCode, row.SuccessorName = next.VestingDate, next.Successor.Code, next.Successor.Name
		row.SuccessorType, row.Notes = next.Successor.Type, next.Notes
		predsChanged := !slices.Equal(sorted(next.Predecessors), before.Predecessors)
		if !predsChanged && samePlan(before, next) {
			return nil
		}
		if predsChanged {
			if err := tx.Where("reorganisation_id = ? AND role = ?", id, rolePredecessor).Delete(&reorganisationCouncilRow{}).Error; err != nil {
				return err
			}
			if err := linkCouncils(tx, id, rolePredecessor, preds); err != nil {
				return err
			}
		}
		row.Version++
		row.UpdatedAt = s.Now()
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		return auditReorganisation(tx, actor, row.UpdatedAt, "updated", &before, id)
	})
	if err != nil {
		return models.Reorganisation{}, err
	}
	return getReorganisation(s.w.WithContext(ctx), id)
}

func samePlan(a, b models.Reorganisation) bool {
	same := func(x, y *string) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.VestingDate == b.VestingDate && a.Notes == b.Notes && a.Successor.Name == b.Successor.Name &&
		a.Successor.Type == b.Successor.Type && same(a.Successor.Code, b.Successor.Code)
}

// WithdrawReorganisation abandons a planned reorganisation; it stays on record as withdrawn.
func (s *Store) WithdrawReorganisation(ctx context.Context, actor models.Actor, id int64) (models.Reorganisation, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		row, before, err := loadPlanned(tx, id, "withdrawn")
		if err != nil {
			return err
		}
		row.Status = "withdrawn"
		row.Version++
		row.UpdatedAt = s.Now()
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		return auditReorganisation(tx, actor, row.UpdatedAt, "withdrawn", &before, id)
	})
	if err != nil {
		return models.Reorganisation{}, err
	}
	return getReorganisation(s.w.WithContext(ctx), id)
}

// VestReorganisation makes a planned reorganisation happen, on or after its vesting date: the
// successor council is created if it does not exist yet, the predecessors become former councils
// linked to it, and their adoptions in use are carried over (see carryOver). All in one transaction.
func (s *Store) VestReorganisation(ctx context.Context, actor models.Actor, id int64) (models.Reorganisation, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		row, before, err := loadPlanned(tx, id, "vested")
		if err != nil {
			return err
		}
		now := s.Now()
		if today := *dateOf(now); row.VestingDate > today {
			return models.Errorf(models.ECONFLICT, "reorganisation %d vests on %s; it cannot vest before then (today is %s)", id, row.VestingDate, today)
		}
		if row.SuccessorCode == nil {
			return models.Errorf(models.ECONFLICT, "reorganisation %d has no successor code yet; set successor.code before vesting", id)
		}
		var preds []councilRow
		if err := forUpdate(tx).Where("id IN (SELECT council_id FROM reorganisation_councils WHERE reorganisation_id = ? AND role = ?)",
			id, rolePredecessor).Order("code").Find(&preds).Error; err != nil {
			return err
		}
		for _, p := range preds {
			if p.Status != "current" {
				return models.Errorf(models.ECONFLICT, "predecessor %s is no longer a current council; change the predecessors or withdraw reorganisation %d", p.Code, id)
			}
		}
		succ, err := successorFor(tx, row, preds)
		if err != nil {
			return err
		}
		lastDay := models.DayBefore(row.VestingDate)
		predIDs := make([]int64, len(preds))
		targets := map[int64][]int64{}
		for i, p := range preds {
			predIDs[i] = p.ID
			targets[p.ID] = []int64{succ.ID}
			if err := tx.Exec(insertIgnore(tx, "council_successions (predecessor_id, successor_id) VALUES (?, ?)"), p.ID, succ.ID).Error; err != nil {
				return err
			}
		}
		if err := tx.Model(&councilRow{}).Where("id IN ?", predIDs).
			Updates(map[string]any{"status": "former", "end_date": lastDay}).Error; err != nil {
			return err
		}
		if err := linkCouncils(tx, id, roleSuccessor, []councilRow{succ}); err != nil {
			return err
		}
		if _, err := carryOver(tx, id, row.VestingDate, targets, actor, now); err != nil {
			return err
		}
		row.Status, row.VestedAt = "vested", &now
		row.Version++
		row.UpdatedAt = now
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		// A reorganisation entry makes the reuse engine rebuild: council statuses have changed.
		return auditReorganisation(tx, actor, now, "vested", &before, id)
	})
	if err != nil {
		return models.Reorganisation{}, err
	}
	return getReorganisation(s.w.WithContext(ctx), id)
}

// loadPlanned reads a reorganisation for a write that only a planned one allows.
func loadPlanned(tx *gorm.DB, id int64, action string) (reorganisationRow, models.Reorganisation, error) {
	var row reorganisationRow
	if err := forUpdate(tx).Take(&row, id).Error; err != nil {
		return row, models.Reorganisation{}, notFoundAs(err, "reorganisation", fmt.Sprint(id))
	}
	if row.Status != "planned" {
		return row, models.Reorganisation{}, models.Errorf(models.ECONFLICT, "reorganisation %d is %s; only a planned one can be %s", id, row.Status, action)
	}
	r, err := getReorganisation(tx, id)
	return row, r, err
}

// checkPlan checks a planned reorganisation's councils against the register and returns the
// predecessors' rows.
func checkPlan(tx *gorm.DB, r models.Reorganisation) ([]councilRow, error) {
	var p models.Problems
	var preds []councilRow
	if err := tx.Where("code IN ?", r.Predecessors).Order("code").Find(&preds).Error; err != nil {
		return nil, err
	}
	found := map[string]councilRow{}
	for _, c := range preds {
		found[c.Code] = c
	}
	for _, code := range r.Predecessors {
		c, ok := found[code]
		switch {
		case !ok:
			p.Add("predecessors", "no council has the code %q", code)
		case c.Status != "current":
			p.Add("predecessors", "%s (%s) is a former council; only current councils can be reorganised", code, c.Name)
		}
	}
	if code := r.Successor.Code; code != nil {
		var c councilRow
		err := tx.Where("code = ?", *code).Take(&c).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound): // a new council, created on vesting
		case err != nil:
			return nil, err
		case c.Status != "current":
			p.Add("successor.code", "%s (%s) is a former council; name a current council or a new code", *code, c.Name)
		case r.Successor.Type != "":
			p.Add("successor.type", "is only for a new council; %s (%s) already exists as a %s", *code, c.Name, c.TypeName)
		}
	}
	return preds, p.ErrWithCode(models.EUNPROCESSABLE, "the reorganisation names councils that do not exist or cannot take part")
}

func linkCouncils(tx *gorm.DB, id int64, role string, councils []councilRow) error {
	for _, c := range councils {
		if err := tx.Exec(insertIgnore(tx, "reorganisation_councils (reorganisation_id, council_id, role) VALUES (?, ?, ?)"), id, c.ID, role).Error; err != nil {
			return err
		}
	}
	return nil
}

func auditReorganisation(tx *gorm.DB, actor models.Actor, at time.Time, action string, before *models.Reorganisation, id int64) error {
	after, err := getReorganisation(tx, id)
	if err != nil {
		return err
	}
	var b any
	if before != nil {
		b = *before
	}
	return audit(tx, actor, at, "reorganisation", fmt.Sprint(id), action, b, after)
}

// successorFor returns the successor's council row, creating it when the code is new. A new
// council takes what the plan and its predecessors say and nothing more: the admin's name and
// type (else the type all predecessors share, else "unitary"), their region and nation where
// they all share one, start date = vesting date; population, location and web links stay
// unknown until the register lists it. Its authority_code is its GSS code, as mySociety has
// not given it one yet.
func successorFor(tx *gorm.DB, plan reorganisationRow, preds []councilRow) (councilRow, error) {
	var c councilRow
	err := forUpdate(tx).Where("code = ?", *plan.SuccessorCode).Take(&c).Error
	if err == nil {
		if c.Status != "current" {
			return c, models.Errorf(models.ECONFLICT, "successor %s is a former council; change successor.code or withdraw reorganisation %d", c.Code, plan.ID)
		}
		return c, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return c, err
	}
	common := func(get func(councilRow) string) string {
		v := ""
		for i, p := range preds {
			if i > 0 && get(p) != v {
				return ""
			}
			v = get(p)
		}
		return v
	}
	commonPtr := func(get func(councilRow) *string) *string {
		v := common(func(c councilRow) string {
			if p := get(c); p != nil {
				return *p
			}
			return ""
		})
		if v == "" {
			return nil
		}
		return &v
	}
	typ := plan.SuccessorType
	if typ == "" {
		typ = common(func(c councilRow) string { return c.Type })
	}
	if typ == "" {
		typ = "unitary"
	}
	typeName := typ
	for _, t := range models.CouncilTypes {
		if t.Slug == typ {
			typeName = t.Name
		}
	}
	nation := common(func(c councilRow) string { return c.Nation })
	region := common(func(c councilRow) string { return c.Region })
	if region == "" {
		region = nation
	}
	lower := typ != "county" && typ != "combined-authority" && typ != "strategic-regional-authority"
	start := plan.VestingDate
	c = councilRow{Code: *plan.SuccessorCode, AuthorityCode: *plan.SuccessorCode, Name: plan.SuccessorName, ShortName: plan.SuccessorName,
		Type: typ, TypeName: typeName, Region: region, Nation: nation, LowerOrUnitary: lower,
		DeliversServices: lower || typ == "county", CombinedAuthorityCode: commonPtr(func(c councilRow) *string { return c.CombinedAuthorityCode }),
		Status: "current", StartDate: &start}
	if typ == "non-metropolitan-district" {
		c.CountyCode = commonPtr(func(c councilRow) *string { return c.CountyCode })
	}
	if err := tx.Create(&c).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return c, models.Errorf(models.ECONFLICT, "council code %s is taken", *plan.SuccessorCode)
		}
		return c, err
	}
	return c, nil
}

// statusRank orders in-use statuses for merging: a component live at any predecessor is live at the successor.
var statusRank = map[string]int{"exploring": 0, "retiring": 1, "piloting": 2, "live": 3}

// carryOver moves the predecessors' adoptions in use (piloting, live or retiring, not rejected) to
// their successors, as of the vesting date. targets maps each predecessor's council id to its
// successors' (a county split in two has two). For each successor and component:
//
//   - an adoption the successor already has open is kept, its status raised to the best carried
//     one where the lifecycle allows, and its contract end filled in if it had none;
//   - otherwise one new adoption is made from all the predecessors' adoptions of it: the best
//     status (live, piloting, retiring), the earliest start, the latest contract end, verified if
//     any was, and the source, capability and evidence of the one with the best status;
//
// each gets a "carried_over" event per predecessor adoption naming it. The predecessors' records
// are then retired with ended_on the day before vesting (an event each), stay as history, and are
// never carried twice. It returns how many predecessor adoptions were carried.
func carryOver(tx *gorm.DB, reorgID int64, vesting string, targets map[int64][]int64, actor models.Actor, now time.Time) (int, error) {
	predIDs := make([]int64, 0, len(targets))
	councilIDs := []int64{}
	for p, ss := range targets {
		predIDs = append(predIDs, p)
		councilIDs = append(councilIDs, p)
		councilIDs = append(councilIDs, ss...)
	}
	var srcs []adoptionRow
	if err := forUpdate(tx).Where("council_id IN ? AND status IN ? AND rejected_at IS NULL", predIDs, inUseStatuses).
		Order("id").Find(&srcs).Error; err != nil {
		return 0, err
	}
	if len(srcs) == 0 {
		return 0, nil
	}
	var cs []councilRow
	if err := tx.Select("id, code, name").Where("id IN ?", councilIDs).Find(&cs).Error; err != nil {
		return 0, err
	}
	council := map[int64]councilRow{}
	for _, c := range cs {
		council[c.ID] = c
	}
	ref := func(adoption, councilID int64) map[string]any {
		return map[string]any{"adoption": adoption, "council": council[councilID].Code}
	}

	type group struct {
		succ, comp int64
		srcs       []adoptionRow
	}
	var groups []*group
	byKey := map[[2]int64]*group{}
	for _, a := range srcs {
		succs := slices.Clone(targets[a.CouncilID])
		slices.Sort(succs)
		for _, sid := range succs {
			g := byKey[[2]int64{sid, a.ComponentID}]
			if g == nil {
				g = &group{succ: sid, comp: a.ComponentID}
				byKey[[2]int64{sid, a.ComponentID}] = g
				groups = append(groups, g)
			}
			g.srcs = append(g.srcs, a)
		}
	}

	carriedTo := map[int64][]map[string]any{}
	for _, g := range groups {
		best := g.srcs[0]
		for _, a := range g.srcs[1:] {
			if statusRank[a.Status] > statusRank[best.Status] {
				best = a
			}
		}
		var target adoptionRow
		err := forUpdate(tx).Where("council_id = ? AND component_id = ? AND status <> 'retired' AND rejected_at IS NULL", g.succ, g.comp).Take(&target).Error
		var before *models.Adoption
		changes := map[string]models.Change{}
		switch {
		case err == nil: // the successor already has it: merge into its record
			b, err := getAdoption(tx, target.ID)
			if err != nil {
				return 0, err
			}
			before = &b
			old := target
			if statusRank[best.Status] > statusRank[target.Status] && models.CanMove(target.Status, best.Status) {
				target.Status = best.Status
			}
			if target.ContractEndOn == nil {
				target.ContractEndOn = latestContractEnd(g.srcs)
			}
			changes = diffAdoption(old, target)
			if len(changes) > 0 {
				target.Version++
				target.UpdatedAt = now
				if err := tx.Save(&target).Error; err != nil {
					return 0, err
				}
			}
		case errors.Is(err, gorm.ErrRecordNotFound):
			target = mergedAdoption(g.srcs, best, g.succ, vesting, council, now)
			if err := tx.Create(&target).Error; err != nil {
				return 0, err
			}
			changes = createdChanges(target)
		default:
			return 0, err
		}
		for _, a := range g.srcs {
			changes["carried_from"] = models.Change{From: ref(a.ID, a.CouncilID), To: ref(target.ID, g.succ)}
			if err := recordEvent(tx, target.ID, actor, now, "carried_over", changes); err != nil {
				return 0, err
			}
			changes = map[string]models.Change{}
			if err := tx.Create(&carryOverRow{ReorganisationID: reorgID, FromAdoptionID: a.ID, ToAdoptionID: target.ID, Status: a.Status}).Error; err != nil {
				return 0, err
			}
			carriedTo[a.ID] = append(carriedTo[a.ID], ref(target.ID, g.succ))
		}
		if err := auditAdoption(tx, actor, now, "carried_over", before, target.ID); err != nil {
			return 0, err
		}
	}

	ended := models.DayBefore(vesting)
	for _, a := range srcs {
		b, err := getAdoption(tx, a.ID)
		if err != nil {
			return 0, err
		}
		old := a
		a.Status = "retired"
		end := ended
		if a.StartedOn != nil && *a.StartedOn > end { // started after the last day: it ends the day it started
			end = *a.StartedOn
		}
		a.EndedOn = &end
		a.Version++
		a.UpdatedAt = now
		if err := tx.Save(&a).Error; err != nil {
			return 0, err
		}
		changes := diffAdoption(old, a)
		changes["carried_to"] = models.Change{From: ref(a.ID, a.CouncilID), To: carriedTo[a.ID]}
		if err := recordEvent(tx, a.ID, actor, now, "carried_over", changes); err != nil {
			return 0, err
		}
		if err := auditAdoption(tx, actor, now, "carried_over", &b, a.ID); err != nil {
			return 0, err
		}
	}
	return len(srcs), nil
}

// mergedAdoption is the successor's new adoption made from its predecessors' adoptions of one component.
func mergedAdoption(srcs []adoptionRow, best adoptionRow, succ int64, vesting string, council map[int64]councilRow, now time.Time) adoptionRow {
	row := adoptionRow{CouncilID: succ, ComponentID: best.ComponentID, CapabilityID: best.CapabilityID, Status: best.Status,
		ContractEndOn: latestContractEnd(srcs), EvidenceURL: best.EvidenceURL, Source: best.Source, Version: 1, CreatedAt: now, UpdatedAt: now}
	from := make([]string, len(srcs))
	for i, a := range srcs {
		row.Verified = row.Verified || a.Verified
		if a.StartedOn != nil && (row.StartedOn == nil || *a.StartedOn < *row.StartedOn) {
			row.StartedOn = a.StartedOn
		}
		c := council[a.CouncilID]
		from[i] = fmt.Sprintf("%s (%s, adoption %d)", c.Name, c.Code, a.ID)
	}
	row.Notes = fmt.Sprintf("Carried over on %s, when the reorganisation vested, from %s.", vesting, joinAnd(from))
	if best.Notes != "" {
		row.Notes += "\n\n" + best.Notes
	}
	return row
}

func latestContractEnd(srcs []adoptionRow) *string {
	var out *string
	for _, a := range srcs {
		if a.ContractEndOn != nil && (out == nil || *a.ContractEndOn > *out) {
			out = a.ContractEndOn
		}
	}
	return out
}

func joinAnd(ss []string) string {
	if len(ss) < 2 {
		return strings.Join(ss, "")
	}
	return strings.Join(ss[:len(ss)-1], ", ") + " and " + ss[len(ss)-1]
}

// carriedOver reports whether an adoption was carried to a successor: it then stays as history,
// and reference data describing the former council does not bring it back.
func carriedOver(tx *gorm.DB, adoptionID int64) (bool, error) {
	var n int64
	err := tx.Model(&carryOverRow{}).Where("from_adoption_id = ?", adoptionID).Count(&n).Error
	return n > 0, err
}

// historicGroup is one reorganisation in mySociety's register: the predecessors replaced on one
// vesting date by successors, linked through replaced-by. Councils linked directly or through
// each other on the same date form one group, so Cumbria, its six districts, Cumberland and
// Westmorland and Furness are one reorganisation with two successors.
type historicGroup struct {
	vesting string
	preds   []string
	succs   []string
	edges   map[string][]string // predecessor → its successors
}

func (g historicGroup) key() string {
	return "historic:" + g.vesting + ":" + strings.Join(g.succs, ",")
}

// historicGroups derives reorganisations from the register. The vesting date is the successors'
// start date; where the register gives none, the day after the predecessor's end date.
// (mySociety's end dates are the last day for some reorganisations and vesting day for others,
// so the start date is the better witness.) Former councils with no successor in the register,
// such as Northern Ireland's districts before 2015, make no reorganisation.
func historicGroups(councils []models.Council) []historicGroup {
	byCode := map[string]models.Council{}
	for _, c := range councils {
		byCode[c.Code] = c
	}
	type edge struct{ pred, succ string }
	byDate := map[string][]edge{}
	for _, c := range councils {
		for _, s := range c.Successors {
			date := ""
			if sc, ok := byCode[s]; ok && sc.StartDate != nil {
				date = *sc.StartDate
			} else if c.EndDate != nil {
				if t, err := time.Parse(time.DateOnly, *c.EndDate); err == nil {
					date = t.AddDate(0, 0, 1).Format(time.DateOnly)
				}
			}
			if date != "" {
				byDate[date] = append(byDate[date], edge{c.Code, s})
			}
		}
	}
	var out []historicGroup
	for date, edges := range byDate {
		// Union-find over the councils of this date, predecessors and successors kept apart by role.
		parent := map[string]string{}
		var find func(string) string
		find = func(x string) string {
			if parent[x] == "" || parent[x] == x {
				parent[x] = x
				return x
			}
			parent[x] = find(parent[x])
			return parent[x]
		}
		for _, e := range edges {
			parent[find("p:"+e.pred)] = find("s:" + e.succ)
		}
		groups := map[string]*historicGroup{}
		for _, e := range edges {
			root := find("p:" + e.pred)
			g := groups[root]
			if g == nil {
				g = &historicGroup{vesting: date, edges: map[string][]string{}}
				groups[root] = g
			}
			if !slices.Contains(g.preds, e.pred) {
				g.preds = append(g.preds, e.pred)
			}
			if !slices.Contains(g.succs, e.succ) {
				g.succs = append(g.succs, e.succ)
			}
			g.edges[e.pred] = append(g.edges[e.pred], e.succ)
		}
		for _, g := range groups {
			slices.Sort(g.preds)
			slices.Sort(g.succs)
			out = append(out, *g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key() < out[j].key() })
	return out
}

// prepareReorganisations runs at the start of a seed. It derives the historic reorganisations
// from the register, then lays the planned reorganisations that have vested over the register's
// councils, so that a register that does not know of them yet does not bring their predecessors
// back to life: each predecessor it lists as current is former from the day before vesting, and a
// successor it does not list is kept as stored.
func prepareReorganisations(tx *gorm.DB, d *SeedData) ([]historicGroup, error) {
	historic := historicGroups(d.Councils)
	var vested []reorganisationRow
	if err := tx.Where("status = 'vested'").Order("id").Find(&vested).Error; err != nil {
		return nil, err
	}
	if len(vested) == 0 {
		return historic, nil
	}
	rs, err := reorganisationModels(tx, vested)
	if err != nil {
		return nil, err
	}
	councils := slices.Clone(d.Councils)
	index := map[string]int{}
	for i, c := range councils {
		index[c.Code] = i
	}
	taken := map[string]bool{} // predecessor and vesting date of a vested plan
	for _, r := range rs {
		succ := *r.Successor.Code
		for _, p := range r.Predecessors {
			taken[p+"|"+r.VestingDate] = true
			i, ok := index[p]
			if !ok || councils[i].Status != "current" {
				continue
			}
			end := models.DayBefore(r.VestingDate)
			councils[i].Status, councils[i].EndDate = "former", &end
			if !slices.Contains(councils[i].Successors, succ) {
				councils[i].Successors = append(slices.Clone(councils[i].Successors), succ)
			}
		}
		if _, ok := index[succ]; !ok {
			var row councilRow
			if err := tx.Where("code = ?", succ).Take(&row).Error; err != nil {
				return nil, fmt.Errorf("successor %s of reorganisation %d: %w", succ, r.ID, err)
			}
			index[succ] = len(councils)
			councils = append(councils, row.model())
		}
	}
	d.Councils = councils
	// The register may later record a reorganisation first entered as a plan: the plan stays the record.
	kept := historic[:0]
	for _, g := range historic {
		dup := false
		for _, p := range g.preds {
			dup = dup || taken[p+"|"+g.vesting]
		}
		if !dup {
			kept = append(kept, g)
		}
	}
	return kept, nil
}

// seedReorganisations stores the historic reorganisations and vests them: any adoption still in
// use at one of their predecessors (recorded through the API about a former council, or by
// reference data) is carried over to its successors. A second run finds nothing left to carry.
func seedReorganisations(tx *gorm.DB, groups []historicGroup, now time.Time, rep *SeedReport) error {
	codes := []string{}
	for _, g := range groups {
		codes = append(codes, g.preds...)
		codes = append(codes, g.succs...)
	}
	var cs []councilRow
	if len(codes) > 0 {
		if err := tx.Select("id, code").Where("code IN ?", codes).Find(&cs).Error; err != nil {
			return err
		}
	}
	ids := map[string]int64{}
	for _, c := range cs {
		ids[c.Code] = c.ID
	}
	for _, g := range groups {
		key := g.key()
		row := reorganisationRow{NaturalKey: &key, Status: "historic", Source: "reference", VestingDate: g.vesting,
			Notes:   "Derived from mySociety's register of past and current local authorities (end-date, replaced-by and start-date).",
			Version: 1, CreatedAt: now, UpdatedAt: now}
		created, changed, err := upsert(tx, &row, "natural_key = ?", key, func(old *reorganisationRow) {
			row.ID, row.CreatedAt, row.UpdatedAt, row.Version, row.VestedAt = old.ID, old.CreatedAt, old.UpdatedAt, old.Version, old.VestedAt
		})
		if err != nil {
			return fmt.Errorf("reorganisation %s: %w", key, err)
		}
		linked := false
		for role, list := range map[string][]string{rolePredecessor: g.preds, roleSuccessor: g.succs} {
			for _, code := range list {
				res := tx.Exec(insertIgnore(tx, "reorganisation_councils (reorganisation_id, council_id, role) VALUES (?, ?, ?)"), row.ID, ids[code], role)
				if res.Error != nil {
					return res.Error
				}
				linked = linked || res.RowsAffected == 1
			}
		}
		rep.count("reorganisations", created, changed || (linked && !created))
		targets := map[int64][]int64{}
		for p, ss := range g.edges {
			for _, s := range ss {
				targets[ids[p]] = append(targets[ids[p]], ids[s])
			}
		}
		n, err := carryOver(tx, row.ID, g.vesting, targets, seedActor, now)
		if err != nil {
			return fmt.Errorf("reorganisation %s: %w", key, err)
		}
		for range n {
			rep.count("carried_over", true, false)
		}
		if n > 0 {
			if err := auditReorganisation(tx, seedActor, now, "carried_over", nil, row.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
