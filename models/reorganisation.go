package models

import (
	"regexp"
	"slices"
	"time"
)

// Reorganisation statuses. A historic one comes from mySociety's register; an
// admin registers a planned one, which then vests or is withdrawn.
var ReorganisationStatuses = []string{"historic", "planned", "vested", "withdrawn"}

// TakenEffectStatuses are those of a reorganisation that has happened: one
// from the register, or a plan that vested. Its predecessors are former councils.
var TakenEffectStatuses = []string{"historic", "vested"}

// Reorganisation is councils (predecessors) replaced by others (successors) on
// a vesting date: a merger, a county split between two unitaries, or both.
type Reorganisation struct {
	ID           int64                    `json:"id" example:"11"`
	Status       string                   `json:"status" example:"planned"` // historic, planned, vested or withdrawn
	Source       string                   `json:"source" example:"admin"`   // "reference" (mySociety's register) or "admin" (a plan an admin entered, not a fact from the register)
	Predecessors []string                 `json:"predecessors" example:"E07000163,E07000164"`
	Successors   []string                 `json:"successors" example:"E06000065"`
	VestingDate  string                   `json:"vesting_date" example:"2027-04-01" format:"date"`
	Successor    *ReorganisationSuccessor `json:"successor" extensions:"x-nullable"` // as the admin gave it; null for historic ones
	Names        map[string]string        `json:"names"`                             // code → name of every council named above
	Notes        string                   `json:"notes"`
	CarriedOver  int                      `json:"carried_over"` // predecessor adoptions carried to a successor
	VestedAt     *time.Time               `json:"vested_at" extensions:"x-nullable" format:"date-time"`
	CreatedAt    time.Time                `json:"created_at" format:"date-time" example:"2026-11-29T12:00:00Z"`
	UpdatedAt    time.Time                `json:"updated_at" format:"date-time" example:"2026-11-29T12:00:00Z"`
	Version      int                      `json:"-"`
}

// ReorganisationSuccessor is the council a planned reorganisation creates or
// enlarges. Code may be unknown until shortly before vesting; Type is the type
// a new council gets (see README, "Reorganisation").
type ReorganisationSuccessor struct {
	Code *string `json:"code" example:"E06000099" extensions:"x-nullable"`
	Name string  `json:"name" example:"North Example Council"`
	Type string  `json:"type,omitempty" example:"unitary"`
}

// ReorganisationInput is the body of a planned reorganisation's create or update.
type ReorganisationInput struct {
	Predecessors *[]string       `json:"predecessors,omitempty" extensions:"x-nullable"`
	Successor    *SuccessorInput `json:"successor,omitempty" extensions:"x-nullable"`
	VestingDate  *string         `json:"vesting_date,omitempty" example:"2027-04-01" extensions:"x-nullable" format:"date"`
	Notes        *string         `json:"notes,omitempty" extensions:"x-nullable"`
}

// SuccessorInput names the successor of a planned reorganisation; code may be
// null until it is known, and type applies only to a council that does not exist yet.
type SuccessorInput struct {
	Code NullString `json:"code,omitempty" swaggertype:"string" extensions:"x-nullable"`
	Name *string    `json:"name,omitempty" extensions:"x-nullable"`
	Type NullString `json:"type,omitempty" swaggertype:"string" extensions:"x-nullable"`
}

// councilCode matches GSS codes (E06000065) and mySociety's codes for
// authorities that never had one (NIR-A).
var councilCode = regexp.MustCompile(`^[A-Z][A-Z0-9-]{1,19}$`)

// Validate checks the input's shape; the store checks that the councils exist and are current.
func (in ReorganisationInput) Validate(create bool) error {
	var p Problems
	if in.Predecessors == nil {
		if create {
			p.Add("predecessors", "is required: the codes of the councils being replaced")
		}
	} else {
		preds := *in.Predecessors
		switch {
		case len(preds) == 0:
			p.Add("predecessors", "must name at least one council")
		case len(preds) > 50:
			p.Add("predecessors", "must name at most 50 councils")
		}
		seen := map[string]bool{}
		for _, c := range preds {
			if !councilCode.MatchString(c) {
				p.Add("predecessors", "%q is not a council code such as E07000163", c)
			} else if seen[c] {
				p.Add("predecessors", "%q is listed twice", c)
			}
			seen[c] = true
		}
	}
	if in.Successor == nil {
		if create {
			p.Add("successor", "is required: {\"code\", \"name\"} of the council that takes over")
		}
	} else {
		s := in.Successor
		checkMandatoryText(&p, "successor.name", s.Name, create, 200)
		if s.Code.Set && s.Code.Value != nil {
			code := *s.Code.Value
			if !councilCode.MatchString(code) {
				p.Add("successor.code", "must be a council code such as E06000065, or null until it is known")
			} else if in.Predecessors != nil && slices.Contains(*in.Predecessors, code) {
				p.Add("successor.code", "%s is also a predecessor; a council cannot succeed itself", code)
			}
		}
		if s.Type.Set && s.Type.Value != nil {
			checkEnum(&p, "successor.type", s.Type.Value, false, CouncilTypeSlugs())
		}
	}
	if in.VestingDate == nil {
		if create {
			p.Add("vesting_date", "is required: the day the successor takes over, YYYY-MM-DD")
		}
	} else {
		checkDate(&p, "vesting_date", in.VestingDate)
	}
	checkProse(&p, "notes", in.Notes, false, 5000)
	return p.Err()
}

// Apply copies the sent fields onto r; a new one is a planned reorganisation entered by an admin.
func (in ReorganisationInput) Apply(r *Reorganisation) {
	if in.Predecessors != nil {
		r.Predecessors = Dedupe(*in.Predecessors)
	}
	if in.Successor != nil {
		if r.Successor == nil {
			r.Successor = &ReorganisationSuccessor{}
		}
		s := *r.Successor
		setNull(&s.Code, in.Successor.Code)
		set(&s.Name, in.Successor.Name)
		if in.Successor.Type.Set {
			s.Type = ""
			if in.Successor.Type.Value != nil {
				s.Type = *in.Successor.Type.Value
			}
		}
		r.Successor = &s
	}
	set(&r.VestingDate, in.VestingDate)
	set(&r.Notes, in.Notes)
	if r.Status == "" {
		r.Status, r.Source = "planned", "admin"
	}
}

// ReorganisationFilter narrows a reorganisation list: by status, and by a
// council that is a predecessor or successor.
type ReorganisationFilter struct {
	Status, Council string
}

// DayBefore is the date one day before a YYYY-MM-DD date ("" for a bad date).
func DayBefore(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, -1).Format(time.DateOnly)
}
