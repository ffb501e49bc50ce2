package store

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"gorm.io/gorm"
)

// SQLite has one writer and an fsync at every commit (synchronous=FULL), so
// writers taking turns each pay for a commit of their own. The committer
// lets concurrent writers share one: it runs the writes queued behind it in
// one transaction, each in a savepoint of its own, commits once, and only
// then answers them. A write that fails or panics is rolled back to its
// savepoint and fails alone; a lone write commits at once, with no wait for
// company. PostgreSQL keeps a transaction per write.

// maxBatch bounds how many writes share one commit, so the first of a busy
// queue is not kept waiting for an unbounded tail.
const maxBatch = 128

// errStoreClosed answers a write sent after Close.
var errStoreClosed = errors.New("store: closed")

// A committer runs the store's SQLite write transactions, a batch at a time,
// on the one writer connection.
type committer struct {
	w       *gorm.DB
	reqs    chan *writeReq
	mu      sync.RWMutex // closed, against a send racing Close
	closed  bool
	quit    chan struct{}
	stopped chan struct{}
	commits atomic.Int64 // COMMITs issued, for tests
}

// A writeReq is one caller's write: its fn, and once answered the outcome.
type writeReq struct {
	ctx   context.Context
	fn    func(tx *gorm.DB) error
	state atomic.Int32 // reqQueued, then reqTaken by the committer or reqAbandoned by the caller
	done  chan struct{}
	err   error
	panic *writePanic
}

const (
	reqQueued int32 = iota
	reqTaken
	reqAbandoned
)

func newCommitter(w *gorm.DB) *committer {
	c := &committer{w: w, reqs: make(chan *writeReq, maxBatch), quit: make(chan struct{}), stopped: make(chan struct{})}
	go c.run()
	return c
}

// do queues fn and waits for its outcome: nil once it is committed and
// durable, or its own error. A caller whose ctx ends before its fn is taken
// up is answered ctx.Err() and fn never runs; once fn has run, the caller
// waits for the commit, so what is acknowledged is on disk and what is
// reported as failed is not. A panic in fn is raised again here.
func (c *committer) do(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &writeReq{ctx: ctx, fn: fn, done: make(chan struct{})}
	if err := c.send(ctx, r); err != nil {
		return err
	}
	select {
	case <-r.done:
	case <-ctx.Done():
		if r.state.CompareAndSwap(reqQueued, reqAbandoned) {
			return ctx.Err()
		}
		<-r.done // fn is running or has run: its outcome stands
	}
	if r.panic != nil {
		panic(r.panic)
	}
	return r.err
}

func (c *committer) send(ctx context.Context, r *writeReq) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.closed {
		return errStoreClosed
	}
	select {
	case c.reqs <- r:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// stop lets the committer finish what is queued, then ends it; writes sent
// afterwards fail with errStoreClosed.
func (c *committer) stop() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.quit)
	}
	c.mu.Unlock()
	<-c.stopped
}

func (c *committer) run() {
	defer close(c.stopped)
	var queue []*writeReq // writes to take before the channel's: a broken batch's, to run again
	stopping := false
	for {
		if len(queue) == 0 {
			if stopping {
				select {
				case r := <-c.reqs:
					queue = append(queue, r)
				default:
					return
				}
			} else {
				select {
				case r := <-c.reqs:
					queue = append(queue, r)
				case <-c.quit:
					stopping = true // no more sends: finish what is queued
					continue
				}
			}
		}
		queue = c.batch(queue)
	}
}

// batch runs queue's writes, then whatever else is waiting, up to maxBatch,
// in one transaction, commits it and answers them; it returns the writes
// to run in the next batch.
func (c *committer) batch(queue []*writeReq) []*writeReq {
	next := func() *writeReq {
		if len(queue) > 0 {
			r := queue[0]
			queue = queue[1:]
			return r
		}
		select {
		case r := <-c.reqs:
			return r
		default:
			return nil
		}
	}
	var tx *gorm.DB
	var ran, failed []*writeReq
	for n := 0; n < maxBatch; {
		r := next()
		if r == nil {
			break
		}
		if !r.state.CompareAndSwap(reqQueued, reqTaken) {
			continue // its caller stopped waiting before its turn
		}
		n++
		if err := r.ctx.Err(); err != nil {
			r.answer(err)
			continue
		}
		if tx == nil {
			if tx = c.w.Begin(); tx.Error != nil {
				r.answer(tx.Error)
				tx = nil
				continue
			}
		}
		err, broken := runInSavepoint(tx, r)
		if broken {
			// The transaction is gone (SQLite rolls it all back on some
			// errors, such as an interrupted insert): r has its error; the
			// writes that ran before it committed nothing and run again.
			tx.Rollback()
			r.answer(err)
			for _, q := range ran {
				q.state.Store(reqQueued)
			}
			answerAll(failed, nil)
			return append(ran, queue...)
		}
		if err != nil {
			r.err = err
			failed = append(failed, r)
			continue
		}
		ran = append(ran, r)
	}
	var err error
	switch {
	case tx == nil:
	case len(ran) == 0:
		tx.Rollback()
	default:
		err = tx.Commit().Error
		c.commits.Add(1)
	}
	answerAll(ran, err)
	answerAll(failed, nil)
	return queue
}

// runInSavepoint runs r's fn inside tx in a savepoint of its own, released
// when fn succeeds and rolled back when it fails or panics. broken reports
// tx itself no longer usable.
func runInSavepoint(tx *gorm.DB, r *writeReq) (err error, broken bool) {
	if e := tx.Exec("SAVEPOINT write").Error; e != nil {
		return e, true
	}
	err = r.call(tx.WithContext(r.ctx))
	if err == nil {
		if e := tx.Exec("RELEASE write").Error; e != nil {
			return e, true
		}
		return nil, false
	}
	if e := tx.Exec("ROLLBACK TO write").Error; e != nil {
		return err, true
	}
	if e := tx.Exec("RELEASE write").Error; e != nil {
		return err, true
	}
	return err, false
}

// call runs r's fn, turning a panic into an error here (the caller raises it again).
func (r *writeReq) call(tx *gorm.DB) (err error) {
	defer func() {
		if v := recover(); v != nil {
			r.panic = &writePanic{Value: v, Stack: debug.Stack()}
			err = r.panic
		}
	}()
	return r.fn(tx)
}

func (r *writeReq) answer(err error) {
	if r.panic == nil {
		r.err = err
	}
	close(r.done)
}

// answerAll answers every write in rs: err, or (nil) the error each already holds.
func answerAll(rs []*writeReq, err error) {
	for _, r := range rs {
		if err != nil {
			r.err = err
		}
		close(r.done)
	}
}

// A writePanic is a panic in a write's fn, raised again in its caller's
// goroutine; Stack is where the fn panicked.
type writePanic struct {
	Value any
	Stack []byte
}

func (p *writePanic) Error() string {
	return fmt.Sprintf("%v\n\nthe write panicked at:\n%s", p.Value, p.Stack)
}

// Unwrap is the panic's value when that is an error.
func (p *writePanic) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}
