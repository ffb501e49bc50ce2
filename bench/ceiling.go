package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// serveCeiling is the harness's other process: a minimal net/http server that
// answers every request the registry was sent with the very bytes the
// registry answered, from memory. Loading it the same way as the registry
// shows the most this machine can serve for those payloads.
func serveCeiling(file string) error {
	raw, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var bodies map[string]capturedBody
	if err := json.Unmarshal(raw, &bodies); err != nil {
		return err
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		b, ok := bodies[r.Method+" "+r.URL.RequestURI()]
		if !ok { // writes, and reads of what they made: the route's first answer
			b, ok = bodies[routeKey(r.Method, r.URL.RequestURI())]
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", b.ContentType)
		w.WriteHeader(b.Status)
		w.Write(b.Body)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 2 * time.Minute}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}
