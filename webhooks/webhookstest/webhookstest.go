// Package webhookstest holds what tests of webhooks share: a resolver that
// answers from a table, so no test looks a name up off the machine, and a fixed
// key for webhook secrets.
package webhookstest

import (
	"context"
	"net"
	"net/netip"
	"sync"
)

// Resolver answers LookupNetIP from its table; a name not in it does not exist.
// Set may change an answer while it is in use, as a DNS record can.
type Resolver struct {
	mu    sync.Mutex
	names map[string][]netip.Addr
}

// NewResolver is a Resolver answering each name with its addresses.
func NewResolver(names map[string][]string) *Resolver {
	r := &Resolver{names: map[string][]netip.Addr{}}
	for name, addrs := range names {
		r.Set(name, addrs...)
	}
	return r
}

// Set makes name resolve to addrs.
func (r *Resolver) Set(name string, addrs ...string) {
	parsed := make([]netip.Addr, len(addrs))
	for i, a := range addrs {
		parsed[i] = netip.MustParseAddr(a)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names[name] = parsed
}

// LookupNetIP answers from the table, as net.Resolver would.
func (r *Resolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	addrs, ok := r.names[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return append([]netip.Addr{}, addrs...), nil
}

// PublicAddress is what the test names resolve to when they should be allowed:
// a global unicast address (example.com's) that no test dials, because a test
// that delivers routes the connection to its own local receiver.
const PublicAddress = "93.184.215.14"

// Key is a fixed 32-byte key for webhook secrets (webhooks.NewSecretKey), so a
// test can reopen its database with it. It is bytes, not a webhooks.SecretKey,
// so the webhooks package's own tests can use this package.
func Key() []byte { return []byte("webhookstest-key-0123456789abcde") }
