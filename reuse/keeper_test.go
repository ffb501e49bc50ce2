package reuse_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/reuse"
	"github.com/council-components/registry/store"
	"github.com/council-components/registry/store/storetest"
	"github.com/council-components/registry/store/storetest/testdb"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// seededStore is a real database of this test's own holding the reference data.
func seededStore(t *testing.T) *store.Store {
	t.Helper()
	return testdb.Open(t, testdb.Seeded(t, false))
}

// flakySource is the real store, except that its reads can be made to fail
// or to wait.
type flakySource struct {
	*store.Store
	cutLoad    atomic.Bool   // LoadWorld's reads are cut short
	cutChanges atomic.Bool   // WorldChanges's reads are cut short
	release    chan struct{} // when set, LoadWorld waits for it
	loadCtxErr chan error    // the loader's context error once it is released
	loads      atomic.Int32
}

func (f *flakySource) LoadWorld(ctx context.Context) (models.World, error) {
	f.loads.Add(1)
	if f.release != nil {
		<-f.release
		f.loadCtxErr <- ctx.Err()
	}
	if f.cutLoad.Load() {
		return f.Store.LoadWorld(cancelledMidway(ctx))
	}
	return f.Store.LoadWorld(ctx)
}

func (f *flakySource) WorldChanges(ctx context.Context, since, until int64) (models.WorldChanges, error) {
	if f.cutChanges.Load() {
		return f.Store.WorldChanges(cancelledMidway(ctx), since, until)
	}
	return f.Store.WorldChanges(ctx, since, until)
}

// cancelledMidway is a context that ends while the store reads through it:
// the first query gets going, then it is cancelled, as when a connection dies.
func cancelledMidway(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	return &cutAfter{Context: ctx, cancel: cancel, n: 3}
}

// cutAfter cancels itself on the nth look at Done: the database layer looks
// each time it takes a connection or starts reading rows.
type cutAfter struct {
	context.Context
	cancel func()
	n      int32
	calls  atomic.Int32
}

func (c *cutAfter) Done() <-chan struct{} {
	if c.calls.Add(1) == c.n {
		c.cancel()
	}
	return c.Context.Done()
}

func TestKeeperReportsACutReadAndServesNothingTruncated(t *testing.T) {
	st := seededStore(t)
	ctx := context.Background()
	src := &flakySource{Store: st}
	k := reuse.NewKeeper(src)

	src.cutLoad.Store(true)
	if eng, err := k.Engine(ctx); !errors.Is(err, context.Canceled) || eng != nil {
		t.Fatalf("a load cut short: engine %v, error %v; want no engine and context.Canceled", eng != nil, err)
	}
	src.cutLoad.Store(false)
	eng, err := k.Engine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := st.LoadWorld(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := eng.Size(); got.Councils != len(want.Councils) || got.Adoptions != len(want.Adoptions) {
		t.Fatalf("after a failed load the engine holds %+v; the database %d councils, %d adoptions",
			got, len(want.Councils), len(want.Adoptions))
	}

	// A catch-up whose read is cut short applies nothing and is retried whole.
	council := want.Councils[0].Code
	if _, err := st.CreateNeed(ctx, models.Actor{Role: "admin"}, models.NeedInput{
		Council: &council, Capability: &want.Capabilities[0].Slug, NeededBy: ptr("2027-06-30")}); err != nil {
		t.Fatal(err)
	}
	src.cutChanges.Store(true)
	if _, err := k.Engine(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("a catch-up cut short: %v; want context.Canceled", err)
	}
	src.cutChanges.Store(false)
	eng, err = k.Engine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := eng.Size().Needs; got != len(want.Needs)+1 {
		t.Fatalf("after the retried catch-up the engine has %d needs, want %d", got, len(want.Needs)+1)
	}
}

func TestKeeperRebuildOutlivesACallerHangingUp(t *testing.T) {
	st := seededStore(t)
	src := &flakySource{Store: st, release: make(chan struct{}), loadCtxErr: make(chan error, 1)}
	k := reuse.NewKeeper(src)

	hangUp, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { _, err := k.Engine(hangUp); first <- err }()
	for src.loads.Load() == 0 { // the first caller has started the load
		time.Sleep(time.Millisecond)
	}
	second := make(chan *reuse.Engine, 1)
	go func() {
		eng, err := k.Engine(context.Background())
		if err != nil {
			t.Error(err)
		}
		second <- eng
	}()

	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Fatalf("the caller who hung up got %v, want context.Canceled", err)
	}
	close(src.release)
	if err := <-src.loadCtxErr; err != nil {
		t.Fatalf("the load ran under the first caller's context: %v", err)
	}
	eng := <-second
	if eng == nil || eng.Size().Councils == 0 {
		t.Fatal("the caller still waiting got no engine")
	}
	if n := src.loads.Load(); n != 1 {
		t.Fatalf("the world was loaded %d times for two callers, want once", n)
	}
}

func ptr[T any](v T) *T { return &v }
