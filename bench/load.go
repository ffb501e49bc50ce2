package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// endpoint is one kind of request in the mix: a pool of GET paths, or POST bodies.
type endpoint struct {
	Name   string
	Method string
	Paths  []string // GET: cycled through; POST: the one path
	Bodies [][]byte // POST: each sent once, so every write is new
	Want   int      // the status every answer must have
	Weight int      // share of the mixed phase
}

// request is the i-th request of e.
func (e *endpoint) request(base string, i int, key string, cycle bool) (*http.Request, bool) {
	if e.Method == http.MethodPost {
		if cycle {
			i %= len(e.Bodies)
		}
		if i >= len(e.Bodies) {
			return nil, false
		}
		req, _ := http.NewRequest(http.MethodPost, base+e.Paths[0], bytes.NewReader(e.Bodies[i]))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		return req, true
	}
	req, _ := http.NewRequest(http.MethodGet, base+e.Paths[i%len(e.Paths)], nil)
	return req, true
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
	FirstErr string
}

// captured holds the first good answer to each GET path (and one POST answer),
// so the ceiling server can send the very same bytes.
type captured struct {
	mu     sync.Mutex
	bodies map[string]capturedBody
}

type capturedBody struct {
	Status      int    `json:"status"`
	ContentType string `json:"content_type"`
	Body        []byte `json:"body"`
}

func (c *captured) keep(key string, status int, ct string, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.bodies[key]; !ok {
		c.bodies[key] = capturedBody{status, ct, bytes.Clone(body)}
	}
}

func (c *captured) has(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.bodies[key]
	return ok
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

// run drives base with conns closed-loop connections for at most d and at
// most maxRequests, choosing endpoints by pick. Every request runs to its
// answer before its connection sends the next one.
func run(base, key string, eps []*endpoint, pick func(worker, n int) int, conns int, d time.Duration,
	maxRequests int64, capture *captured) phaseResult {
	client := newClient(conns)
	defer client.CloseIdleConnections()
	var issued atomic.Int64
	counters := make([]atomic.Int64, len(eps)) // per endpoint, so POST bodies are each used once
	var exhausted atomic.Int64                 // endpoints whose pool ran out
	res := phaseResult{Errors: map[int]int{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local []sample
			errs := map[int]int{}
			firstErr := ""
			buf := make([]byte, 0, 64<<10)
			for n := 0; time.Now().Before(deadline) && issued.Add(1) <= maxRequests; n++ {
				ei := pick(w, n)
				e := eps[ei]
				i := int(counters[ei].Add(1) - 1)
				req, ok := e.request(base, i, key, capture == nil)
				if !ok {
					if exhausted.Add(1) >= int64(conns) {
						break
					}
					continue
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					errs[ei]++
					if firstErr == "" {
						firstErr = fmt.Sprintf("%s %s: %v", req.Method, req.URL.Path, err)
					}
					continue
				}
				buf = buf[:0]
				b := bytes.NewBuffer(buf)
				_, err = io.Copy(b, resp.Body)
				resp.Body.Close()
				lat := time.Since(t0)
				if err != nil || resp.StatusCode != e.Want {
					errs[ei]++
					if firstErr == "" {
						firstErr = fmt.Sprintf("%s %s: status %d (want %d) %v %.300s", req.Method, req.URL.RequestURI(), resp.StatusCode, e.Want, err, b.String())
					}
					continue
				}
				local = append(local, sample{ei, lat, resp.Header.Get("X-Cache") != "hit"})
				if capture != nil {
					ck := req.Method + " " + req.URL.RequestURI()
					if !capture.has(ck) {
						capture.keep(ck, resp.StatusCode, resp.Header.Get("Content-Type"), b.Bytes())
					}
				}
				buf = b.Bytes()[:0]
			}
			mu.Lock()
			res.Samples = append(res.Samples, local...)
			for k, v := range errs {
				res.Errors[k] += v
			}
			if res.FirstErr == "" {
				res.FirstErr = firstErr
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
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

func summarise(res phaseResult, endpoint int) stats {
	var lat, miss []time.Duration
	for _, s := range res.Samples {
		if s.endpoint == endpoint {
			lat = append(lat, s.latency)
			if s.miss {
				miss = append(miss, s.latency)
			}
		}
	}
	st := stats{Requests: len(lat), Errors: res.Errors[endpoint], Misses: len(miss)}
	if res.Elapsed > 0 {
		st.RPS = round(float64(len(lat))/res.Elapsed.Seconds(), 1)
	}
	st.P50ms, st.P99ms, st.MaxMs = quantile(lat, 0.50), quantile(lat, 0.99), quantile(lat, 1)
	st.MissP99ms = quantile(miss, 0.99)
	return st
}

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
	return float64(int64(x*p+0.5)) / p
}
