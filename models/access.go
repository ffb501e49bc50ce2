package models

import "slices"

// Who may write what. api/policy.go admits or refuses a route by role before
// the store is reached; these are the object-level rules the store applies
// inside the write's transaction, once it has the record.

// refuseFormerCouncil is the rule that a former council may not write: once its
// reorganisation vests, its duties (and records) belong to its successors, so its
// key still reads as anyone may but records, settles and states nothing.
func (a Actor) refuseFormerCouncil() error {
	if a.Role != RoleCouncil || a.Former == nil {
		return nil
	}
	return Errorf(EFORBIDDEN, "%s", a.Former.keyRefusal())
}

// CanOwnCouncilKey refuses a new key for a council whose status is former: its
// key could not write (refuseFormerCouncil), so the successor gets the key
// instead. former describes the council as its keys are told, read only when
// it is former.
func CanOwnCouncilKey(status string, former func() (*FormerCouncil, error)) error {
	if status != "former" {
		return nil
	}
	f, err := former()
	if err != nil {
		return err
	}
	var p Problems
	p.Add("org", "%s; make the key for the successor instead", f)
	return p.ErrWithCode(EUNPROCESSABLE, "the key's owner is a former council")
}

// CanWriteAdoption is the ownership rule for adoption writes. council and
// vendor are the adoption's council and its component's vendor; source and
// verified are the stored record's ("" and false for a new adoption).
func (a Actor) CanWriteAdoption(council, vendor, source string, verified bool) error {
	switch a.Role {
	case RoleAdmin:
		return nil
	case RoleCouncil:
		if err := a.refuseFormerCouncil(); err != nil {
			return err
		}
		if a.Org == council {
			return nil
		}
		return Errorf(EFORBIDDEN, "a council key records and edits only its own council's adoptions")
	case RoleVendor:
		if a.Org != vendor {
			return Errorf(EFORBIDDEN, "a vendor key may claim adoptions only of its own components")
		}
		if source != "" && (source != "vendor" || verified) {
			return Errorf(EFORBIDDEN, "a vendor may edit only its own claims, and only until the council verifies them")
		}
		return nil
	}
	return Errorf(EFORBIDDEN, "this key may not write adoptions")
}

// CanSettleClaim is who may verify, reject, reconfirm an adoption about
// council or clear its rejection: that council or an admin. action names the
// write, as a key of councilActions.
func (a Actor) CanSettleClaim(council, action string) error {
	if err := a.refuseFormerCouncil(); err != nil {
		return err
	}
	if a.Role == RoleAdmin || (a.Role == RoleCouncil && a.Org == council) {
		return nil
	}
	return Errorf(EFORBIDDEN, "only council %s or an admin may %s this adoption", council, councilActions[action])
}

// councilActions is what each write only the council or an admin may make does, as a verb.
var councilActions = map[string]string{
	"verified": "verify", "rejected": "reject", "confirmed": "confirm", "cleared": "clear the rejection of",
}

// EventActor is who made an adoption event, as the caller reading the history may see them.
type EventActor struct {
	Role string `json:"role" example:"council"`
	Org  string `json:"org,omitempty" example:"E09000022"`
	// Key is the visible prefix of the key behind the event (or the harvest or
	// seed run that made it), shown to admins only.
	Key string `json:"key,omitempty" example:"ccr_k3j9x2ab"`
}

// SeenBy is a, who made an event, as viewer may see them: everyone sees the
// role and organisation, as the change feed shows; only an admin, who lists
// and revokes keys, sees which key it was.
func (a Actor) SeenBy(viewer Actor) EventActor {
	e := EventActor{Role: a.Role, Org: a.Org}
	if viewer.Role == RoleAdmin {
		e.Key = a.Key
	}
	return e
}

// CanWriteNeed is who may state or edit a need of council: that council or an admin.
func (a Actor) CanWriteNeed(council string) error {
	if err := a.refuseFormerCouncil(); err != nil {
		return err
	}
	switch {
	case a.Role == RoleAdmin:
		return nil
	case a.Role == RoleCouncil && a.Org == council:
		return nil
	case a.Role == RoleCouncil:
		return Errorf(EFORBIDDEN, "a council key states and edits only its own council's needs")
	}
	return Errorf(EFORBIDDEN, "only councils (and admins) state needs")
}

// CanCreateComponent lets a vendor key list a new component only under its own vendor.
func (a Actor) CanCreateComponent(vendor string) error {
	if a.Role == RoleVendor && vendor != a.Org {
		return vendorFieldError()
	}
	return nil
}

// CanWriteComponent lets a vendor key change only its own components (owner is
// the component's vendor), and never hand one to another vendor (newVendor, when sent).
func (a Actor) CanWriteComponent(owner string, newVendor *string) error {
	if a.Role != RoleVendor {
		return nil
	}
	if owner != a.Org {
		return Errorf(EFORBIDDEN, "a vendor key edits only its own components")
	}
	if newVendor != nil && *newVendor != a.Org {
		return vendorFieldError()
	}
	return nil
}

func vendorFieldError() error {
	var p Problems
	p.Add("vendor", "a vendor key lists components only under its own vendor")
	return p.Err()
}

// OwnVendor is the vendor a vendor key speaks for; ok is false for any other key.
func (a Actor) OwnVendor() (vendor string, ok bool) {
	if a.Role != RoleVendor {
		return "", false
	}
	return a.Org, true
}

// MayAddVendors reports whether the key may list a new vendor: an admin's
// only, as the route policy of POST /api/v1/vendors says, and so a publiccode
// harvest adds a vendor for a file's owner only when an admin runs it.
func (a Actor) MayAddVendors() bool { return a.Role == RoleAdmin }

// CanWriteVendor lets a vendor key edit only its own vendor record.
func (a Actor) CanWriteVendor(slug string) error {
	if a.Role == RoleVendor && a.Org != slug {
		return Errorf(EFORBIDDEN, "a vendor key edits only its own vendor record")
	}
	return nil
}

// Provenance: who recorded a fact, and whether it is confirmed, is set by the
// registry from the key; only an admin may state it.

// CanSetProvenance refuses source and verified in an adoption body from anyone but an admin.
func (a Actor) CanSetProvenance(in AdoptionInput) error {
	if a.Role == RoleAdmin {
		return nil
	}
	var p Problems
	if in.Source != nil {
		p.Add("source", "is set by the registry from who records the adoption")
	}
	if in.Verified != nil {
		p.Add("verified", "is set by verifying or rejecting the adoption, by its council or an admin")
	}
	return p.Err()
}

// CheckEvidenceSource refuses source "evidence" in an adoption write unless
// the adoption rests on current public evidence: this API takes no evidence
// items (harvests bring them), so the body cannot bring its own. evidence
// reads the stored adoption's items, only when needed; nil for a new adoption.
func (in AdoptionInput) CheckEvidenceSource(evidence func() ([]EvidenceItem, error)) error {
	if in.Source == nil || *in.Source != "evidence" {
		return nil
	}
	if evidence != nil {
		items, err := evidence()
		if err != nil {
			return err
		}
		if slices.ContainsFunc(items, func(it EvidenceItem) bool { return it.Current }) {
			return nil
		}
	}
	var p Problems
	p.Add("source", "can be evidence only for an adoption that current public evidence shows; evidence comes from harvests, not from this API, and this adoption has none")
	return p.Err()
}

// NewAdoptionProvenance is the source and verified flag of an adoption a
// records: a council's own is verified at once, a vendor's claim waits for the
// council, and an admin's is verified unless the body says otherwise.
func (a Actor) NewAdoptionProvenance(in AdoptionInput) (source string, verified bool) {
	switch a.Role {
	case RoleCouncil:
		return "council", true
	case RoleVendor:
		return "vendor", false
	}
	return in.provenanceOver("admin", true)
}

// UpdatedProvenance is an adoption's source and verified flag after a writes
// in: an admin may change them, nobody else can.
func (a Actor) UpdatedProvenance(in AdoptionInput, source string, verified bool) (string, bool) {
	if a.Role != RoleAdmin {
		return source, verified
	}
	return in.provenanceOver(source, verified)
}

// provenanceOver is source and verified with whatever of them in sends.
func (in AdoptionInput) provenanceOver(source string, verified bool) (string, bool) {
	if in.Source != nil {
		source = *in.Source
	}
	if in.Verified != nil {
		verified = *in.Verified
	}
	return source, verified
}

// NeedSource is the source of a need a states: "admin" for an admin, else "council".
func (a Actor) NeedSource() string {
	if a.Role == RoleAdmin {
		return "admin"
	}
	return "council"
}
