package api

import (
	"github.com/council-components/registry/reuse"
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
