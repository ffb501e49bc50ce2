package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// Reorganisations: historic ones are derived from mySociety's register on every seed
// (seed_reorganisations.go); admins register planned ones here, which vest (vesting.go: the
// predecessors' adoptions in use carry to the successors) or are withdrawn. What the reuse
// engine reads of them is in reorganisations_reuse.go.

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
	return keysetModels(db, "id", p, func(r reorganisationRow) int64 { return r.ID }, where, reorganisationModels)
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
	if err := namePlannedSuccessors(db, rows, out, planned); err != nil {
		return nil, err
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

// namePlannedSuccessors adds each plan's successor (codes in planned) to out: by the council's
// own name once it exists, else the admin's.
func namePlannedSuccessors(db *gorm.DB, rows []reorganisationRow, out []models.Reorganisation, planned []string) error {
	names := map[string]string{}
	if len(planned) > 0 {
		var cs []councilRow
		if err := db.Select("code, name").Where("code IN ?", planned).Find(&cs).Error; err != nil {
			return translate(err)
		}
		for _, c := range cs {
			names[c.Code] = c.Name
		}
	}
	for i, row := range rows {
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
	return nil
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
	return getReorganisation(s.r.WithContext(ctx), id)
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
		if err := next.CheckSelfSuccession(); err != nil {
			return err
		}
		preds, err := checkPlan(tx, next)
		if err != nil {
			return err
		}
		row.VestingDate, row.SuccessorCode, row.SuccessorName = next.VestingDate, next.Successor.Code, next.Successor.Name
		row.SuccessorType, row.Notes = next.Successor.Type, next.Notes
		predsChanged := !slices.Equal(sorted(next.Predecessors), before.Predecessors)
		if !predsChanged && before.SamePlan(next) {
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
		return revisePlan(tx, actor, row, before, "updated", s.Now())
	})
	if err != nil {
		return models.Reorganisation{}, err
	}
	return getReorganisation(s.r.WithContext(ctx), id)
}

// WithdrawReorganisation abandons a planned reorganisation; it stays on record as withdrawn.
func (s *Store) WithdrawReorganisation(ctx context.Context, actor models.Actor, id int64) (models.Reorganisation, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		row, before, err := loadPlanned(tx, id, "withdrawn")
		if err != nil {
			return err
		}
		row.Status = "withdrawn"
		return revisePlan(tx, actor, row, before, "withdrawn", s.Now())
	})
	if err != nil {
		return models.Reorganisation{}, err
	}
	return getReorganisation(s.r.WithContext(ctx), id)
}

// loadPlanned reads a reorganisation for a write that only a planned one allows.
func loadPlanned(tx *gorm.DB, id int64, action string) (reorganisationRow, models.Reorganisation, error) {
	var row reorganisationRow
	if err := forUpdate(tx).Take(&row, id).Error; err != nil {
		return row, models.Reorganisation{}, notFoundAs(err, "reorganisation", fmt.Sprint(id))
	}
	if err := models.PlannedOnly(id, row.Status, action); err != nil {
		return row, models.Reorganisation{}, err
	}
	r, err := getReorganisation(tx, id)
	return row, r, err
}

// revisePlan saves row as the plan's next version, changed at, and audits the change from before.
func revisePlan(tx *gorm.DB, actor models.Actor, row reorganisationRow, before models.Reorganisation, action string, at time.Time) error {
	row.Version++
	row.UpdatedAt = at
	if err := tx.Save(&row).Error; err != nil {
		return err
	}
	return auditReorganisation(tx, actor, row.UpdatedAt, action, &before, row.ID)
}

// checkPlan checks a planned reorganisation's councils against the register and returns the
// predecessors' rows.
func checkPlan(tx *gorm.DB, r models.Reorganisation) ([]councilRow, error) {
	var preds []councilRow
	if err := tx.Where("code IN ?", r.Predecessors).Order("code").Find(&preds).Error; err != nil {
		return nil, err
	}
	found := map[string]models.Council{}
	for _, c := range preds {
		found[c.Code] = c.model()
	}
	var successor *models.Council
	if code := r.Successor.Code; code != nil {
		var c councilRow
		err := tx.Where("code = ?", *code).Take(&c).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound): // a new council, created on vesting
		case err != nil:
			return nil, err
		default:
			m := c.model()
			successor = &m
		}
	}
	return preds, r.CheckPlanCouncils(found, successor)
}

func linkCouncils(tx *gorm.DB, id int64, role string, councils []councilRow) error {
	for _, c := range councils {
		if err := tx.Exec(insertIgnore(tx, "reorganisation_councils (reorganisation_id, council_id, role) VALUES (?, ?, ?)"), id, c.ID, role).Error; err != nil {
			return err
		}
	}
	return nil
}

// auditReorganisation logs a reorganisation write with the record before and as it now stands.
func auditReorganisation(tx *gorm.DB, actor models.Actor, at time.Time, action string, before *models.Reorganisation, id int64) error {
	return auditRecord(tx, actor, at, "reorganisation", id, action, before, getReorganisation)
}
