package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// endpoint is one kind of request in a phase: a pool of GET paths, or writes.
type endpoint struct {
	Name   string
	Paths  []string    // GET: cycled through
	Writes *writeSpec  // writes: what kinds, and whether each is read back
	Weight int         // share of a mixed phase
	Class  string      // "read", "write" or "read after write" (the writes' read-backs)
	after  int         // writes: the phase's index of the "read after write" endpoint, or -1
	writer *writerPool // writes: the state shared by the phase's connections
}

// sample is one answered request.
type sample struct {
	endpoint int
	latency  time.Duration
	miss     bool // the server said X-Cache: miss (or sent no X-Cache: computed)
}

// phaseResult is what one closed-loop phase measured.
type phaseResult struct {
	Elapsed  time.Duration
	Samples  []sample
	Errors   map[int]int // by endpoint: transport errors and unexpected statuses
	Status5x int         // answers with a 5xx status
	Stale    int         // reads after a write that did not show it
	FirstErr string
	CPU      time.Duration // the server's CPU time (user + system) over the phase
}

// captured holds the first good answer to each request (and to each route, for
// the ceiling's writes and read-backs), so the ceiling server can send the very
// same bytes.
type captured struct {
	mu     sync.Mutex
	bodies map[string]capturedBody
}

type capturedBody struct {
	Status      int    `json:"status"`
	ContentType string `json:"content_type"`
	Body        []byte `json:"body"`
}

func (c *captured) keep(method, uri string, status int, ct string, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range []string{method + " " + uri, routeKey(method, uri)} {
		if _, ok := c.bodies[k]; !ok {
			c.bodies[k] = capturedBody{status, ct, bytes.Clone(body)}
		}
	}
}

func (c *captured) has(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.bodies[key]
	return ok
}

// routeKey names the route of a request, for answers the ceiling cannot hold
// one by one (writes, and reads of what the writes made): the path without its
// query and, below a collection, without its last segment.
func routeKey(method, uri string) string {
	path, _, _ := strings.Cut(uri, "?")
	if strings.Count(path, "/") >= 4 { // /api/v1/things/ID
		path = path[:strings.LastIndex(path, "/")] + "/*"
	}
	return "route " + method + " " + path
}

func newClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			MaxConnsPerHost:     conns,
			DisableCompression:  true,
			IdleConnTimeout:     time.Minute,
		},
	}
}

// dest is a server under load: the registry (whose answers are captured and
// whose read-backs are checked) or the ceiling.
type dest struct {
	base, key string
	pid       int
	capture   *captured // the registry only
	ceiling   bool
}

// conn is one closed-loop connection's view of a phase.
type conn struct {
	t      dest
	client *http.Client
	id     int
	buf    *bytes.Buffer
	local  []sample
	errs   map[int]int
	status int // 5xx answers
	stale  int
	first  string
}

func (c *conn) fail(ei int, msg string) {
	c.errs[ei]++
	if c.first == "" {
		c.first = msg
	}
}

// do sends one request and reads its answer; it records the sample under ei
// when the status is want, and an error otherwise. It returns the body (valid
// until the next do) and whether the answer was good.
func (c *conn) do(ei int, method, uri string, body []byte, want int) ([]byte, bool) {
	var rdr io.Reader
	if body != nil {
		rdr = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, c.t.base+uri, rdr)
	if err != nil {
		c.fail(ei, fmt.Sprintf("%s %s: %v", method, uri, err))
		return nil, false
	}
	if method != http.MethodGet {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+c.t.key)
	}
	t0 := time.Now()
	resp, err := c.client.Do(req)
	if err != nil {
		c.fail(ei, fmt.Sprintf("%s %s: %v", method, uri, err))
		return nil, false
	}
	c.buf.Reset()
	_, err = io.Copy(c.buf, resp.Body)
	resp.Body.Close()
	lat := time.Since(t0)
	if resp.StatusCode >= 500 {
		c.status++
	}
	if err != nil || resp.StatusCode != want {
		c.fail(ei, fmt.Sprintf("%s %s: status %d (want %d) %v %.300s", method, uri, resp.StatusCode, want, err, c.buf.String()))
		return nil, false
	}
	c.local = append(c.local, sample{ei, lat, resp.Header.Get("X-Cache") != "hit"})
	if c.t.capture != nil {
		c.t.capture.keep(method, uri, resp.StatusCode, resp.Header.Get("Content-Type"), c.buf.Bytes())
	}
	return c.buf.Bytes(), true
}

// run drives t with conns closed-loop connections for at most d and at most
// maxRequests operations, choosing endpoints by pick. Every request runs to
// its answer before its connection sends the next one. The server's CPU time
// is read before and after.
func run(t dest, eps []*endpoint, pick func(worker, n int) int, conns int, d time.Duration, maxRequests int64) phaseResult {
	client := newClient(conns)
	defer client.CloseIdleConnections()
	var issued atomic.Int64
	counters := make([]atomic.Int64, len(eps))
	res := phaseResult{Errors: map[int]int{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	cpu0, _ := procCPU(t.pid)
	start := time.Now()
	deadline := start.Add(d)
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &conn{t: t, client: client, id: w, buf: bytes.NewBuffer(make([]byte, 0, 64<<10)), errs: map[int]int{}}
			writers := map[int]*writer{}
			for n := 0; time.Now().Before(deadline) && issued.Add(1) <= maxRequests; n++ {
				ei := pick(w, n)
				e := eps[ei]
				if e.Writes == nil {
					c.do(ei, http.MethodGet, e.Paths[int(counters[ei].Add(1)-1)%len(e.Paths)], nil, http.StatusOK)
					continue
				}
				wr := writers[ei]
				if wr == nil {
					wr = e.writer.connection(c, ei)
					writers[ei] = wr
				}
				wr.write(c, ei, e.after)
			}
			mu.Lock()
			res.Samples = append(res.Samples, c.local...)
			for k, v := range c.errs {
				res.Errors[k] += v
			}
			res.Status5x += c.status
			res.Stale += c.stale
			if res.FirstErr == "" {
				res.FirstErr = c.first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	if cpu1, err := procCPU(t.pid); err == nil {
		res.CPU = cpu1 - cpu0
	}
	return res
}

// coldAfterWrite alternates, on one connection, a write and then one read of
// a list not read since it: every read is the first after a write, so it is
// computed afresh. It stops after perList reads of each list or after d.
func coldAfterWrite(t dest, writes *endpoint, lists []*endpoint, perList int, d time.Duration) phaseResult {
	client := newClient(1)
	defer client.CloseIdleConnections()
	res := phaseResult{Errors: map[int]int{}}
	c := &conn{t: t, client: client, buf: bytes.NewBuffer(make([]byte, 0, 64<<10)), errs: map[int]int{}}
	wi := len(lists) // the writes are recorded after the lists
	wr := writes.writer.connection(c, wi)
	start := time.Now()
	for n := 0; n < perList*len(lists) && time.Since(start) < d; n++ {
		wr.write(c, wi, -1)
		li := n % len(lists)
		c.do(li, http.MethodGet, lists[li].Paths[(n/len(lists))%len(lists[li].Paths)], nil, http.StatusOK)
	}
	res.Elapsed = time.Since(start)
	res.Samples, res.Errors, res.Status5x, res.FirstErr = c.local, c.errs, c.status, c.first
	return res
}

// stats summarises one endpoint's samples in a phase.
type stats struct {
	Requests  int     `json:"requests"`
	Errors    int     `json:"errors"`
	RPS       float64 `json:"requests_per_second"`
	P50ms     float64 `json:"p50_ms"`
	P99ms     float64 `json:"p99_ms"`
	MaxMs     float64 `json:"max_ms"`
	Misses    int     `json:"cache_misses"`
	MissP99ms float64 `json:"cache_miss_p99_ms"`
}

// summarise gathers the samples of the endpoints for which in says yes.
func summarise(res phaseResult, in func(endpoint int) bool) stats {
	var lat, miss []time.Duration
	for _, s := range res.Samples {
		if in(s.endpoint) {
			lat = append(lat, s.latency)
			if s.miss {
				miss = append(miss, s.latency)
			}
		}
	}
	st := stats{Requests: len(lat), Misses: len(miss)}
	for ei, n := range res.Errors {
		if in(ei) {
			st.Errors += n
		}
	}
	if res.Elapsed > 0 {
		st.RPS = round(float64(len(lat))/res.Elapsed.Seconds(), 1)
	}
	st.P50ms, st.P99ms, st.MaxMs = quantile(lat, 0.50), quantile(lat, 0.99), quantile(lat, 1)
	st.MissP99ms = quantile(miss, 0.99)
	return st
}

func only(i int) func(int) bool { return func(e int) bool { return e == i } }

func quantile(d []time.Duration, q float64) float64 {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	i := int(q*float64(len(d))+0.5) - 1
	i = max(0, min(i, len(d)-1))
	return round(float64(d[i].Microseconds())/1000, 3)
}

func round(x float64, places int) float64 {
	p := 1.0
	for range places {
		p *= 10
	}
	if x < 0 {
		return -float64(int64(-x*p+0.5)) / p
	}
	return float64(int64(x*p+0.5)) / p
}
