package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
	"github.com/council-components/registry/store/storetest"
)

// probeStore is a blank store with one table, probe, whose names are unique.
func probeStore(t *testing.T) *Store {
	t.Helper()
	st := openBlank(t)
	ddl := `CREATE TABLE probe (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`
	if st.postgres {
		ddl = `CREATE TABLE probe (id SERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE)`
	}
	if err := st.w.Exec(ddl).Error; err != nil {
		t.Fatal(err)
	}
	return st
}

func insertProbe(tx *gorm.DB, name string) error {
	return tx.Exec("INSERT INTO probe (name) VALUES (?)", name).Error
}

// probeNames are the names in probe, sorted, read through the read pool.
func probeNames(t *testing.T, st *Store) []string {
	t.Helper()
	var names []string
	if err := st.r.Raw("SELECT name FROM probe ORDER BY name").Scan(&names).Error; err != nil {
		t.Fatal(err)
	}
	return names
}

// commits is how many COMMITs the group committer has issued (SQLite).
func commits(st *Store) int64 { return st.writes.commits.Load() }

// busyCommitter holds the committer in a write until the returned release is
// called, and returns once that write is running: writes sent meanwhile queue.
func busyCommitter(t *testing.T, st *Store, name string) (release func(), done <-chan error) {
	t.Helper()
	running, gate, out := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	var once sync.Once
	go func() {
		out <- st.write(context.Background(), func(tx *gorm.DB) error {
			once.Do(func() { close(running) })
			<-gate
			return insertProbe(tx, name)
		})
	}()
	<-running
	return sync.OnceFunc(func() { close(gate) }), out
}

// busyProbeStore is a probeStore whose committer is held busy, as
// busyCommitter does; PostgreSQL, which has no committer, skips the test.
func busyProbeStore(t *testing.T) (st *Store, release func(), done <-chan error) {
	t.Helper()
	if storetest.Postgres() {
		t.Skip("PostgreSQL commits each write in its own transaction, with no committer")
	}
	st = probeStore(t)
	release, done = busyCommitter(t, st, "first")
	return st, release, done
}

// waitQueued waits until n writes are queued behind the committer.
func waitQueued(t *testing.T, st *Store, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); len(st.writes.reqs) < n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d writes queued; want %d", len(st.writes.reqs), n)
		}
	}
}

// TestConcurrentWritesGetTheirOwnOutcome: writers running together, some
// failing (a UNIQUE violation against a committed row or one written earlier
// in the same batch, a models error after an insert), each get their own
// outcome, and the table holds exactly the successful writes afterwards.
func TestConcurrentWritesGetTheirOwnOutcome(t *testing.T) {
	st := probeStore(t)
	ctx := context.Background()
	if err := st.write(ctx, func(tx *gorm.DB) error { return insertProbe(tx, "taken") }); err != nil {
		t.Fatal(err)
	}
	type outcome int
	const (
		ok outcome = iota
		conflict
		invalid
		raced // one of its pair succeeds, the other conflicts
	)
	type writer struct {
		name string
		want outcome
		fn   func(tx *gorm.DB) error
	}
	var writers []writer
	for i := range 120 {
		name := fmt.Sprintf("w%03d", i)
		switch i % 6 {
		case 0, 1, 2:
			writers = append(writers, writer{name, ok, func(tx *gorm.DB) error {
				if err := insertProbe(tx, name); err != nil {
					return err
				}
				return insertProbe(tx, name+"-second")
			}})
		case 3: // inserts, then fails on the committed row: nothing of it stays
			writers = append(writers, writer{name, conflict, func(tx *gorm.DB) error {
				if err := insertProbe(tx, name); err != nil {
					return err
				}
				return insertProbe(tx, "taken")
			}})
		case 4: // inserts, then refuses: nothing of it stays
			writers = append(writers, writer{name, invalid, func(tx *gorm.DB) error {
				if err := insertProbe(tx, name); err != nil {
					return err
				}
				return models.Errorf(models.EINVALID, "%s is refused", name)
			}})
		case 5: // two writers race for one new name
			pair := fmt.Sprintf("pair%03d", i)
			for range 2 {
				writers = append(writers, writer{pair, raced, func(tx *gorm.DB) error { return insertProbe(tx, pair) }})
			}
		}
	}
	before := int64(0)
	if st.writes != nil {
		before = commits(st)
	}
	errs := make([]error, len(writers))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, w := range writers {
		wg.Go(func() {
			<-start
			errs[i] = st.write(ctx, w.fn)
		})
	}
	close(start)
	wg.Wait()

	want := []string{"taken"}
	won := map[string]int{}
	for i, w := range writers {
		err := errs[i]
		switch w.want {
		case ok:
			if err != nil {
				t.Errorf("%s: %v; want success", w.name, err)
			}
			want = append(want, w.name, w.name+"-second")
		case conflict:
			if models.ErrorCode(err) != models.ECONFLICT {
				t.Errorf("%s: %v; want its own conflict", w.name, err)
			}
		case invalid:
			if models.ErrorCode(err) != models.EINVALID || !strings.Contains(err.Error(), w.name+" is refused") {
				t.Errorf("%s: %v; want its own refusal", w.name, err)
			}
		case raced:
			switch {
			case err == nil:
				won[w.name]++
			case models.ErrorCode(err) != models.ECONFLICT:
				t.Errorf("%s: %v; want success or a conflict", w.name, err)
			}
		}
	}
	for i, w := range writers {
		if w.want == raced && i > 0 && writers[i-1].name == w.name {
			if won[w.name] != 1 {
				t.Errorf("%s: %d of the two racing writers succeeded; want 1", w.name, won[w.name])
			}
			want = append(want, w.name)
		}
	}
	slices.Sort(want)
	if got := probeNames(t, st); !slices.Equal(got, want) {
		t.Errorf("the table holds %d names; want the %d the successful writes wrote\n got %v\nwant %v", len(got), len(want), got, want)
	}
	if st.writes != nil {
		t.Logf("%d writes, %d commits", len(writers), commits(st)-before)
	}
}

// TestAPanicFailsOnlyItsWrite: a write whose fn panics (after an insert)
// panics in its caller's goroutine and leaves nothing; the writes around it
// succeed.
func TestAPanicFailsOnlyItsWrite(t *testing.T) {
	st := probeStore(t)
	ctx := context.Background()
	var release func()
	if st.writes != nil { // the panic in the middle of a batch
		release, _ = busyCommitter(t, st, "first")
	}
	var wg sync.WaitGroup
	errs := make([]error, 10)
	var recovered atomic.Value
	for i := range errs {
		wg.Go(func() {
			defer func() {
				if v := recover(); v != nil {
					recovered.Store(fmt.Sprint(v))
				}
			}()
			name := fmt.Sprintf("w%d", i)
			errs[i] = st.write(ctx, func(tx *gorm.DB) error {
				if err := insertProbe(tx, name); err != nil {
					return err
				}
				if i == 5 {
					panic("boom in w5")
				}
				return nil
			})
		})
	}
	if release != nil {
		waitQueued(t, st, len(errs))
		release()
	}
	wg.Wait()
	if v, _ := recovered.Load().(string); !strings.Contains(v, "boom in w5") {
		t.Errorf("the panicking write's caller recovered %q; want its panic", v)
	}
	want := []string{}
	if release != nil {
		want = append(want, "first")
	}
	for i, err := range errs {
		if i != 5 {
			if err != nil {
				t.Errorf("w%d: %v", i, err)
			}
			want = append(want, fmt.Sprintf("w%d", i))
		}
	}
	slices.Sort(want)
	if got := probeNames(t, st); !slices.Equal(got, want) {
		t.Errorf("got %v; want %v", got, want)
	}
}

// TestACancelledWriteBeforeItsTurnRunsNothing: a write whose context ends
// before its turn is answered at once with the context's error, and its fn
// never runs, not even when the committer reaches it.
func TestACancelledWriteBeforeItsTurnRunsNothing(t *testing.T) {
	st := probeStore(t)
	var ran atomic.Bool
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	err := st.write(cancelled, func(tx *gorm.DB) error { ran.Store(true); return insertProbe(tx, "early") })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("a write sent with its context already cancelled: %v; want context.Canceled", err)
	}
	if st.writes == nil {
		if ran.Load() {
			t.Error("its fn ran")
		}
		return
	}
	release, first := busyCommitter(t, st, "first")
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan error, 1)
	go func() {
		out <- st.write(ctx, func(tx *gorm.DB) error { ran.Store(true); return insertProbe(tx, "queued") })
	}()
	after := make(chan error, 1)
	waitQueued(t, st, 1)
	go func() {
		after <- st.write(context.Background(), func(tx *gorm.DB) error { return insertProbe(tx, "after") })
	}()
	waitQueued(t, st, 2)
	cancel()
	select {
	case err := <-out:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the queued write cancelled: %v; want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the queued write, cancelled, still waits for its turn")
	}
	release()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-after; err != nil {
		t.Fatal(err)
	}
	if ran.Load() {
		t.Error("a cancelled write's fn ran")
	}
	if got, want := probeNames(t, st), []string{"after", "first"}; !slices.Equal(got, want) {
		t.Errorf("got %v; want %v", got, want)
	}
}

// TestConcurrentWritesShareCommits: writes queued while a commit runs go
// into the next one together, and a lone write commits at once.
func TestConcurrentWritesShareCommits(t *testing.T) {
	if storetest.Postgres() {
		t.Skip("PostgreSQL commits each write in its own transaction")
	}
	st := probeStore(t)
	ctx := context.Background()
	c0 := commits(st)
	for i := range 5 {
		if err := st.write(ctx, func(tx *gorm.DB) error { return insertProbe(tx, fmt.Sprint("lone", i)) }); err != nil {
			t.Fatal(err)
		}
	}
	if got := commits(st) - c0; got != 5 {
		t.Errorf("5 writes one after another: %d commits; want 5", got)
	}

	// 100 writes queued behind a running one commit with it, together.
	release, first := busyCommitter(t, st, "first")
	c1 := commits(st)
	var wg sync.WaitGroup
	var failed atomic.Int64
	for i := range 100 {
		wg.Go(func() {
			if err := st.write(ctx, func(tx *gorm.DB) error { return insertProbe(tx, fmt.Sprint("queued", i)) }); err != nil {
				failed.Add(1)
			}
		})
	}
	waitQueued(t, st, 100)
	release()
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if got := commits(st) - c1; failed.Load() != 0 || got != 1 {
		t.Errorf("101 writes, 100 of them queued behind the first: %d failed, %d commits; want 0 and 1", failed.Load(), got)
	}

	// Free-running writers share commits too.
	c2 := commits(st)
	const writers, each = 32, 20
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				if err := st.write(ctx, func(tx *gorm.DB) error { return insertProbe(tx, fmt.Sprint("free", w, "-", i)) }); err != nil {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	got := commits(st) - c2
	if failed.Load() != 0 || got >= writers*each {
		t.Errorf("%d concurrent writes: %d failed, %d commits; want none failed and fewer commits than writes", writers*each, failed.Load(), got)
	}
	t.Logf("%d concurrent writes in %d commits", writers*each, got)
	if n := len(probeNames(t, st)); n != 5+101+writers*each {
		t.Errorf("%d rows; want %d", n, 5+101+writers*each)
	}
}

// TestABrokenBatchRunsItsOtherWritesAgain: a write that ends the shared
// transaction itself (as SQLite does to an interrupted insert) fails; the
// writes that ran before it in the batch lost nothing: they run again, and
// commit.
func TestABrokenBatchRunsItsOtherWritesAgain(t *testing.T) {
	st, release, first := busyProbeStore(t)
	ctx := context.Background()
	var runs atomic.Int64
	out := make([]chan error, 3)
	for i := range out {
		out[i] = make(chan error, 1)
		go func() {
			out[i] <- st.write(ctx, func(tx *gorm.DB) error {
				switch i {
				case 1:
					if err := tx.Exec("ROLLBACK").Error; err != nil {
						return err
					}
					return errors.New("the transaction is gone")
				default:
					runs.Add(1)
					return insertProbe(tx, fmt.Sprint("w", i))
				}
			})
		}()
		waitQueued(t, st, i+1)
	}
	release()
	if err := <-first; err != nil {
		t.Errorf("first: %v", err)
	}
	if err := <-out[0]; err != nil {
		t.Errorf("w0, before the breaking write: %v", err)
	}
	if err := <-out[1]; err == nil || !strings.Contains(err.Error(), "the transaction is gone") {
		t.Errorf("the breaking write: %v; want its own error", err)
	}
	if err := <-out[2]; err != nil {
		t.Errorf("w2, after the breaking write: %v", err)
	}
	if got, want := probeNames(t, st), []string{"first", "w0", "w2"}; !slices.Equal(got, want) {
		t.Errorf("got %v; want %v", got, want)
	}
	if runs.Load() != 3 {
		t.Errorf("w0 and w2 ran %d times in all; want 3 (w0 twice)", runs.Load())
	}
}

// TestCloseFinishesQueuedWrites: Close waits for the writes already sent;
// a write after Close fails.
func TestCloseFinishesQueuedWrites(t *testing.T) {
	st, release, first := busyProbeStore(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 5)
	for i := range errs {
		wg.Go(func() {
			errs[i] = st.write(ctx, func(tx *gorm.DB) error { return insertProbe(tx, fmt.Sprint("w", i)) })
		})
	}
	waitQueued(t, st, len(errs))
	closed := make(chan struct{})
	go func() {
		st.writes.stop()
		close(closed)
	}()
	release()
	<-closed
	wg.Wait()
	if err := <-first; err != nil {
		t.Error(err)
	}
	for i, err := range errs {
		if err != nil {
			t.Errorf("w%d, queued before Close: %v", i, err)
		}
	}
	if err := st.write(ctx, func(tx *gorm.DB) error { return insertProbe(tx, "late") }); err == nil {
		t.Error("a write after Close succeeded")
	}
	if n := len(probeNames(t, st)); n != 1+len(errs) {
		t.Errorf("%d rows; want %d", n, 1+len(errs))
	}
}
