package cache

import (
	"context"
	"sync"
	"time"
)

// versionGate shares version reads between concurrent requests without ever
// giving a request a version read before it arrived. One read runs at a time;
// requests that arrive while it runs wait for the next read, which starts
// after all of them arrived, so each sees every write completed before it
// came. Under load that is one query per round trip instead of one per
// request (on PostgreSQL a round trip to the server); when idle, a request
// reads for itself at once.
type versionGate struct {
	read    func(context.Context) (int64, error)
	mu      sync.Mutex
	running bool
	next    *versionRead // the read the requests arriving now will share
}

type versionRead struct {
	done    chan struct{}
	version int64
	err     error
}

func (g *versionGate) get(ctx context.Context) (int64, error) {
	g.mu.Lock()
	if g.running {
		if g.next == nil {
			g.next = &versionRead{done: make(chan struct{})}
		}
		r := g.next
		g.mu.Unlock()
		select {
		case <-r.done:
			return r.version, r.err
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	g.running = true
	g.mu.Unlock()
	v, err := g.read(ctx)
	g.handOver()
	return v, err
}

// handOver starts the read that requests queued for while one ran, or marks the gate idle.
func (g *versionGate) handOver() {
	g.mu.Lock()
	r := g.next
	g.next = nil
	g.running = r != nil
	g.mu.Unlock()
	if r == nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		r.version, r.err = g.read(ctx)
		cancel()
		close(r.done)
		g.handOver()
	}()
}
