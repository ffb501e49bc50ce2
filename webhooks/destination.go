package webhooks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"time"

	"code.dny.dev/ssrf"

	"github.com/council-components/registry/models"
)

// Resolver looks up a host's addresses. *net.Resolver is one; tests give a
// stub (webhookstest.Resolver) so no lookup leaves the machine.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// guardian allows only global unicast addresses on port 443: code.dny.dev/ssrf
// denies every IANA special-purpose range (loopback, RFC 1918, link-local,
// documentation, 100.64.0.0/10, 198.18.0.0/15, 240.0.0.0/4, 0.0.0.0/8, …) and
// any IPv6 address outside 2000::/3 or inside its special ranges (NAT64, 6to4, …).
var guardian = ssrf.New(ssrf.WithPorts(443))

// CheckURL refuses, as a problem with the url field, a webhook URL whose port
// is not 443 or whose host is, or resolves to, an address the guardian denies.
// Every address a name resolves to must be allowed, since a delivery may be
// dialled to any of them; the dial checks again (PublicClient), as DNS answers
// change.
func CheckURL(ctx context.Context, r Resolver, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return urlProblem("is not a URL")
	}
	port := uint64(443)
	if p := u.Port(); p != "" {
		if port, err = strconv.ParseUint(p, 10, 16); err != nil {
			return urlProblem("has a port that is not a number from 0 to 65535")
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second) // a slow DNS server cannot hold the request
	defer cancel()
	addrs, err := lookup(ctx, r, u.Hostname())
	if err != nil {
		return urlProblem("names a host that could not be resolved: %v", err)
	}
	for _, a := range addrs {
		if err := guardian.SafeAddrPort(netip.AddrPortFrom(a, uint16(port))); err != nil {
			return urlProblem("must reach only public addresses on port 443 (%v)", err)
		}
	}
	return nil
}

func urlProblem(format string, args ...any) error {
	var p models.Problems
	p.Add("url", format, args...)
	return p.Err()
}

// lookup is host's addresses: itself when it is an IP literal, else r's answer.
// IPv4 answers come back from net.Resolver as IPv4-mapped IPv6 addresses;
// they are unmapped so the guardian checks them as the IPv4 addresses they are.
func lookup(ctx context.Context, r Resolver, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a.Unmap()}, nil
	}
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("%s has no addresses", host)
	}
	for i := range addrs {
		addrs[i] = addrs[i].Unmap()
	}
	return addrs, nil
}

// publicDialer resolves names itself (through resolver) and dials each address
// through a net.Dialer whose Control asks the guardian about the address
// actually being connected to, before the connection is attempted: a DNS answer
// that changed since registration (DNS rebinding) cannot point a delivery inside.
type publicDialer struct {
	resolver Resolver
	dialer   net.Dialer
}

func (d *publicDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	addrs, err := lookup(ctx, d.resolver, host)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, a := range addrs {
		conn, err := d.dialer.DialContext(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return conn, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

// PublicClient is an HTTP client for webhook deliveries: it follows no
// redirects, uses no proxy (which would dial on its behalf, past the check),
// and connects only to the addresses the guardian allows, looking names up
// through r.
func PublicClient(r Resolver) *http.Client {
	d := &publicDialer{resolver: r, dialer: net.Dialer{Timeout: 10 * time.Second, Control: guardian.Safe}}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DialContext = d.DialContext
	transport.Proxy = nil
	return &http.Client{Transport: transport, Timeout: 15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
