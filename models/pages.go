package models

// What the web pages read from storage beyond the API's resources: the
// component page's adopter counts and users, and the list pages' orders.

// AdopterCount is how many councils have one adoption status of a component,
// and whether any of them has published a contact.
type AdopterCount struct {
	Status   string
	Count    int
	Contacts bool
}

// ComponentUser is a council using a component, for the component's map.
type ComponentUser struct {
	Council  string // its code
	Verified bool
}

// CouncilSorts are the councils page's orders: by name A to Z (the default),
// by type (its name) or region, then name, or most adoptions first.
var CouncilSorts = []string{"name", "type", "region", "adoptions"}

// ComponentSorts are the components page's orders when nothing is searched
// for: most used first (the default), or by name A to Z.
var ComponentSorts = []string{"adoptions", "name"}
