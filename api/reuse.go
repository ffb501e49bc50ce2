package api

import (
	"sync"

	"github.com/council-components/registry/reuse"
	"github.com/council-components/registry/seed"
	"github.com/council-components/registry/store"
)

// storeAndReuse is the store with the reuse keeper beside it, which follows
// the store's version: what the reuse handlers, harmonisation and the pages
// ask for.
type storeAndReuse struct {
	*store.Store
	*reuse.Keeper
}

func withReuse(st *store.Store) storeAndReuse {
	return storeAndReuse{Store: st, Keeper: reuse.NewKeeper(st)}
}

// ServiceTiers is GOV.UK's providing tier for each LGSL service, from the
// reference data shipped with the binary, read once: what the council pages
// leave out gaps by.
func (storeAndReuse) ServiceTiers() (map[int]string, error) { return serviceTiers() }

var serviceTiers = sync.OnceValues(seed.ServiceTiers)
