package web

// Template helpers for the market pages.
func init() {
	templateFuncs["minus"] = func(a, b int) int { return a - b }
}
