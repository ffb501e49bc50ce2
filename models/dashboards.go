package models

// DeclineUse is one current council's counted, in-use adoption of a deprecated
// or retired component, for the migrations dashboard.
type DeclineUse struct {
	Component, Council, Capability, CapabilityName string
	ContractEndOn                                  *string
}

// DeclineMove counts the councils that retired their adoption of a component
// in decline and now use another, not in decline, for the same capability.
type DeclineMove struct {
	From, To, ToName string
	Councils         int
}
