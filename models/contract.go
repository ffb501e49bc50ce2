package models

import "encoding/json"

// An adoption's optional contract details, as councils publish them under the Local Government
// Transparency Code: its value in whole pounds, the supplier when it is not the component's
// vendor (a reseller, say: a vendor slug), and the council's reference for it.

// MaxContractValueGBP is the largest contract value an adoption takes (a trillion pounds).
const MaxContractValueGBP = 1_000_000_000_000

// NullInt64 is an optional whole number that records whether it was sent, and null apart (see nullable).
type NullInt64 nullable[int64]

// UnmarshalJSON records that the field was sent.
func (n *NullInt64) UnmarshalJSON(b []byte) error {
	return (*nullable[int64])(n).unmarshal(b, func(b []byte, v *int64) error {
		if json.Unmarshal(b, v) != nil {
			*v = -1 // not a whole number: validation refuses it, naming the field
		}
		return nil
	})
}

// checkContract checks the contract fields' shapes; the store checks that the supplier exists.
func checkContract(p *Problems, value NullInt64, supplier, reference NullString) {
	if value.Value != nil && (*value.Value < 0 || *value.Value > MaxContractValueGBP) {
		p.Add("contract_value_gbp", "must be a whole number of pounds from 0 to %d; send null to remove it", int64(MaxContractValueGBP))
	}
	if supplier.Value != nil {
		checkSlug(p, "contract_supplier", supplier.Value, false)
	}
	if reference.Value != nil {
		checkText(p, "contract_reference", reference.Value, false, 200)
	}
}
