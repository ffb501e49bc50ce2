package api_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/council-components/registry/api"
	"github.com/council-components/registry/store/storetest"
)

func TestReadyzFailsWhenTheDatabaseIsGone(t *testing.T) {
	e := newEnv(t)
	e.do("GET", "/readyz", nil, "").wantStatus(http.StatusOK)
	e.st.Close()
	e.do("GET", "/readyz", nil, "").wantProblem(http.StatusServiceUnavailable)
	e.do("GET", "/healthz", nil, "").wantStatus(http.StatusOK) // the process is still up
}

func TestMetrics(t *testing.T) {
	e := newEnv(t)
	e.fixture()
	e.do("GET", "/api/v1/components/govuk-pay", nil, "").wantStatus(http.StatusOK)
	e.do("GET", "/api/v1/components/nope", nil, "").wantStatus(http.StatusNotFound)
	body := e.do("GET", "/metrics", nil, "").wantStatus(http.StatusOK).Body.String()
	wants := []string{
		`registry_http_requests_total{method="GET",route="/api/v1/components/:slug",status="200"} 1`,
		`registry_http_requests_total{method="GET",route="/api/v1/components/:slug",status="404"} 1`,
		`registry_http_request_duration_seconds_bucket{method="GET",route="/api/v1/components/:slug",le="0.005"}`,
		`go_sql_open_connections{db_name="writer"}`,
		`go_goroutines`,
	}
	if !storetest.Postgres() { // SQLite reads through a pool of its own
		wants = append(wants, `go_sql_open_connections{db_name="reader"}`)
	}
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, `route="/api/v1/components/nope"`) {
		t.Error("raw paths leak into metric labels")
	}
}

// TestShutdownDrainsInFlightRequests: cancelling the server's context (what
// SIGTERM does) lets a request already being served finish before Serve returns.
func TestShutdownDrainsInFlightRequests(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "finished")
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- api.Serve(ctx, ln, slow, slog.New(slog.NewTextHandler(io.Discard, nil)), 5*time.Second)
	}()
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String())
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(b)
	}()
	<-started
	cancel()
	if body := <-got; body != "finished" {
		t.Fatalf("in-flight request got %q, want it to finish", body)
	}
	if err := <-done; err != nil {
		t.Fatalf("Serve returned %v", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String()); err == nil {
		t.Fatal("server still accepts connections after shutdown")
	}
}

// TestBuildInfoMetric: /metrics says which release and commit is running.
func TestBuildInfoMetric(t *testing.T) {
	e := newEnvWith(t, storetest.NewDSN(t), api.Config{Build: api.BuildInfo{Version: "v1.2.3", Revision: "abc123", GoVersion: "go1.26.8"}})
	body := e.do("GET", "/metrics", nil, "").wantStatus(http.StatusOK).Body.String()
	if want := `registry_build_info{goversion="go1.26.8",revision="abc123",version="v1.2.3"} 1`; !strings.Contains(body, want) {
		t.Errorf("/metrics lacks %s", want)
	}
}
