package reuse

import (
	"context"
	"runtime/debug"
	"sync"
	"time"

	"github.com/council-components/registry/models"
)

// Source is where a Keeper reads the world from; the store implements it.
// The version is the database's: it moves with every write on any replica.
type Source interface {
	Version(ctx context.Context) (int64, error)
	LoadWorld(ctx context.Context) (models.World, error)
	WorldChanges(ctx context.Context, since, until int64) (models.WorldChanges, error)
}

// refreshTimeout bounds one catch-up or rebuild. It runs under its own
// context, not a caller's, so a client hanging up aborts nothing that others
// wait on; at national scale a rebuild takes a few seconds.
const refreshTimeout = 2 * time.Minute

// Keeper holds the reuse engine and keeps it current with the database: each
// caller gets an engine that has seen every write made before it asked.
type Keeper struct {
	src Source

	mu      sync.Mutex
	eng     *Engine
	seen    int64    // the version eng has applied
	running *refresh // the catch-up or rebuild in flight, if any
}

// refresh is one catch-up or rebuild that callers wait on together.
type refresh struct {
	target int64
	done   chan struct{}
	eng    *Engine // set before done is closed
	err    error
}

// NewKeeper returns a keeper that loads its engine from src on first use.
func NewKeeper(src Source) *Keeper { return &Keeper{src: src} }

// Engine returns the engine, first applying any writes (from this replica or
// another) that it has not seen. A caller whose context ends stops waiting;
// the refresh goes on for the others.
func (k *Keeper) Engine(ctx context.Context) (*Engine, error) {
	// The version is read before taking the lock, so concurrent readers do not
	// queue behind one another's queries.
	latest, err := k.src.Version(ctx)
	if err != nil {
		return nil, err
	}
	for {
		k.mu.Lock()
		if k.eng != nil && latest <= k.seen {
			eng := k.eng
			k.mu.Unlock()
			return eng, nil
		}
		r := k.running
		if r == nil {
			r = &refresh{target: latest, done: make(chan struct{})}
			k.running = r
			go k.run(r, k.eng, k.seen)
		}
		k.mu.Unlock()
		select {
		case <-r.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if r.err != nil {
			return nil, r.err
		}
		if r.target >= latest {
			return r.eng, nil
		}
		// That refresh started before this caller's version: go again.
	}
}

// run brings eng (nil for none) from version seen to r.target and publishes
// the result. On any error nothing is published: the next caller starts again
// from the last good state, and nobody is served a half-read world.
func (k *Keeper) run(r *refresh, eng *Engine, seen int64) {
	ctx, cancel := context.WithTimeout(context.Background(), refreshTimeout)
	defer cancel()
	r.eng, r.err = k.catchUp(ctx, eng, seen, r.target)
	k.mu.Lock()
	if r.err == nil {
		k.eng, k.seen = r.eng, r.target
	}
	k.running = nil
	k.mu.Unlock()
	close(r.done)
}

// catchUp applies the changes between seen and target to eng, or builds a new
// engine when there is none or the changes are too broad to apply piecemeal.
func (k *Keeper) catchUp(ctx context.Context, eng *Engine, seen, target int64) (*Engine, error) {
	if eng != nil {
		ch, err := k.src.WorldChanges(ctx, seen, target)
		if err != nil {
			return nil, err
		}
		if !ch.Rebuild {
			eng.Apply(ch)
			return eng, nil
		}
		// Let the old engine go as soon as in-flight requests are done with it.
		k.mu.Lock()
		k.eng = nil
		k.mu.Unlock()
	}
	w, err := k.src.LoadWorld(ctx)
	if err != nil {
		return nil, err
	}
	eng = New(w.Councils, w.Capabilities, w.Components, w.Adoptions, w.Needs)
	eng.SetReorganisations(w.Planned) // planned mergers show in collaborations
	// The rows it was built from (at national scale, more than the engine itself)
	// are garbage now: collect them and return the memory, or the collector would
	// let the heap grow to twice the size it had while loading.
	debug.FreeOSMemory()
	return eng, nil
}
