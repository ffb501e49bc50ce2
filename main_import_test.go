package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/council-components/registry/seed"
	"github.com/council-components/registry/store"
	"github.com/council-components/registry/store/storetest"
)

func TestImportAdoptionsCommand(t *testing.T) {
	ctx := context.Background()
	db := storetest.NewDSN(t)
	seedReference(t, db)
	adoptions := func() int {
		t.Helper()
		st, err := store.Open(db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		sqlDB, err := st.SQLDB()
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := sqlDB.QueryRow("SELECT count(*) FROM adoptions WHERE source = 'admin'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	sheet := filepath.Join("api", "testdata", "adoptions", "central-team.csv")

	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"import", "adoptions", sheet, "--dry-run", "--db", db}, noEnv, &out, &errOut); err != nil {
		t.Fatalf("dry run: %v", err)
	}
	for _, want := range []string{"row 5: capability: is required", "row 6: council: no council", "row 9: status: cannot move from live to piloting",
		"9 rows: 3 created, 1 updated, 0 unchanged, 5 failed (dry run, nothing written)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out.String())
		}
	}
	if errOut.Len() != 0 {
		t.Errorf("a progress bar or message on a stderr that is not a terminal: %q", errOut.String())
	}
	if adoptions() != 0 {
		t.Fatal("the dry run wrote adoptions")
	}

	out.Reset()
	err := run(ctx, []string{"import", "adoptions", "--strict", "--db", db, sheet}, noEnv, &out, io.Discard)
	if err == nil || !strings.Contains(out.String(), "(strict, nothing written)") || adoptions() != 0 {
		t.Fatalf("strict run with bad rows: %v, %d admin adoptions\n%s", err, adoptions(), out.String())
	}

	out.Reset()
	err = run(ctx, []string{"import", "adoptions", sheet, "--db", db}, noEnv, &out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "5 of 9 rows") || !strings.Contains(out.String(), "(applied)") {
		t.Fatalf("run with bad rows: %v\n%s", err, out.String())
	}
	if n := adoptions(); n != 3 {
		t.Fatalf("%d adoptions created, want the 3 valid new rows", n)
	}

	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("council,component\nE09000022,govuk-pay\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	errOut.Reset()
	if err := run(ctx, []string{"import", "adoptions", bad, "--db", db}, noEnv, io.Discard, &errOut); err == nil ||
		!strings.Contains(errOut.String(), `header has no "status" column`) {
		t.Errorf("an unusable file: %v, %q", err, errOut.String())
	}
	for _, args := range [][]string{{"import"}, {"import", "adoptions"}, {"import", "needs", sheet}, {"import", "adoptions", sheet, "extra"}} {
		if err := run(ctx, args, noEnv, io.Discard, io.Discard); !errors.Is(err, errUsage) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}

// seedReference loads the reference data without the cited evidence (the
// small, fixed world the import's rows are written against).
func seedReference(t *testing.T, dsn string) {
	t.Helper()
	st, err := store.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Reference().Load(context.Background(), st, false); err != nil {
		t.Fatal(err)
	}
}
