package models

import "slices"

// ObsoleteLifecycles are the component lifecycles that mean nobody should adopt
// it any more. The store builds its SQL lists from this slice.
var ObsoleteLifecycles = []string{"deprecated", "retired"}

// Obsolete reports whether a lifecycle means nobody should adopt the component any more.
func Obsolete(lifecycle string) bool { return slices.Contains(ObsoleteLifecycles, lifecycle) }

// Deprecates reports whether moving a component's lifecycle from before to after
// deprecates it: the change announced as component.retiring.
func Deprecates(before, after string) bool { return after == "deprecated" && before != "deprecated" }
