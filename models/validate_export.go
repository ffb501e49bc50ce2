package models

// ValidSPDX reports whether s is an SPDX identifier or simple expression, for
// codecs outside models that check a licence the same way a component does.
func ValidSPDX(s string) bool { return validSPDX(s) }
