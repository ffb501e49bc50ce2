package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/council-components/registry/store/storetest"
)

func TestSynthCommandFillsAnEmptyDatabaseOnly(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.NewDSN(t)
	args := []string{"synth", "--councils", "30", "--components", "40", "--adoptions", "300", "--seed", "3", "--db", dsn}
	var out, errOut bytes.Buffer
	if err := run(ctx, args, noEnv, &out, &errOut); err != nil {
		t.Fatalf("synth: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "synthesised 30 councils") || !strings.Contains(out.String(), "300 adoptions") {
		t.Fatalf("synth printed %q", out.String())
	}
	if errOut.Len() != 0 { // no progress bar when stderr is not a terminal
		t.Fatalf("synth wrote to stderr: %q", errOut.String())
	}
	err := run(ctx, args, noEnv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "empty database") {
		t.Fatalf("synth on a filled database: %v, want a refusal", err)
	}
	for _, bad := range [][]string{
		{"synth", "--db", dsn},
		{"synth", "--councils", "10", "--components", "0", "--adoptions", "5", "--db", dsn},
		{"synth", "--councils", "x", "--db", dsn},
	} {
		if err := run(ctx, bad, noEnv, io.Discard, io.Discard); !errors.Is(err, errUsage) {
			t.Errorf("%v: %v, want a usage error", bad, err)
		}
	}
}
