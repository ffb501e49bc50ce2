// Package storetest gives tests a fresh database of their own on the engine
// the suite runs on: SQLite by default, PostgreSQL when
// REGISTRY_TEST_ENGINE=postgres. Without a reachable PostgreSQL server those
// tests skip, saying so.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for creating and dropping test databases
)

// DefaultPostgresURL is the server CI starts: trust auth on 127.0.0.1, database test.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Postgres reports whether this run uses PostgreSQL.
func Postgres() bool { return os.Getenv("REGISTRY_TEST_ENGINE") == "postgres" }

// Engine names the engine this run uses.
func Engine() string {
	if Postgres() {
		return "postgres"
	}
	return "sqlite"
}

func adminURL() string {
	if u := os.Getenv("REGISTRY_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

var admin struct {
	once sync.Once
	db   *sql.DB
	err  error
}

// adminDB connects to the server's maintenance database, or skips the test.
func adminDB(t testing.TB) *sql.DB {
	t.Helper()
	admin.once.Do(func() {
		admin.db, admin.err = sql.Open("pgx", adminURL())
		if admin.err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			admin.err = admin.db.PingContext(ctx)
		}
	})
	if admin.err != nil {
		t.Skipf("SKIPPED on PostgreSQL: no server at %s (%v); start it, or run without REGISTRY_TEST_ENGINE=postgres for SQLite", adminURL(), admin.err)
	}
	return admin.db
}

// dsnFor is the admin URL pointed at another database.
func dsnFor(name string) string {
	u, _ := url.Parse(adminURL())
	u.Path = "/" + name
	return u.String()
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + "_" + strconv.Itoa(os.Getpid()) + "_" + hex.EncodeToString(b)
}

// NewDSN returns an empty database for one test, removed when it ends.
func NewDSN(t testing.TB) string {
	t.Helper()
	if !Postgres() {
		return filepath.Join(t.TempDir(), "registry.db")
	}
	return createDB(t, "")
}

func createDB(t testing.TB, template string) string {
	t.Helper()
	db := adminDB(t)
	name := randomName("registry_test")
	stmt := "CREATE DATABASE " + name
	if template != "" {
		stmt += " TEMPLATE " + template
	}
	if _, err := db.Exec(stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
	t.Cleanup(func() { dropDB(name) })
	return dsnFor(name)
}

func dropDB(name string) {
	if admin.db != nil {
		admin.db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	}
}

var templates struct {
	mu    sync.Mutex
	made  map[string]string // name → SQLite path or PostgreSQL database name
	dirs  []string
	names []string
}

// Clone returns a copy, for this test alone, of a database that prepare fills
// once per test run (for example, migrated and seeded). prepare gets the
// template's DSN and must close its connections before returning.
func Clone(t testing.TB, name string, prepare func(dsn string) error) string {
	t.Helper()
	if Postgres() {
		adminDB(t)
	}
	templates.mu.Lock()
	defer templates.mu.Unlock()
	if templates.made == nil {
		templates.made = map[string]string{}
	}
	src, ok := templates.made[name]
	if !ok {
		if Postgres() {
			src = randomName("registry_template_" + name)
			if _, err := admin.db.Exec("CREATE DATABASE " + src); err != nil {
				t.Fatal(err)
			}
			templates.names = append(templates.names, src)
			if err := prepare(dsnFor(src)); err != nil {
				t.Fatalf("prepare template %s: %v", name, err)
			}
		} else {
			dir, err := os.MkdirTemp("", "registry-template-")
			if err != nil {
				t.Fatal(err)
			}
			templates.dirs = append(templates.dirs, dir)
			src = filepath.Join(dir, name+".db")
			if err := prepare(src); err != nil {
				t.Fatalf("prepare template %s: %v", name, err)
			}
		}
		templates.made[name] = src
	}
	if Postgres() {
		return createDB(t, src)
	}
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "registry.db")
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}

// Cleanup removes the templates; call it from TestMain after m.Run.
func Cleanup() {
	templates.mu.Lock()
	defer templates.mu.Unlock()
	for _, d := range templates.dirs {
		os.RemoveAll(d)
	}
	for _, n := range templates.names {
		dropDB(n)
	}
}

// Rebind rewrites ? placeholders as $1, $2… for PostgreSQL's driver.
func Rebind(query string) string {
	if !Postgres() {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Banner says which engine the run uses, for the test log.
func Banner() string {
	if Postgres() {
		return "storage engine under test: PostgreSQL (" + adminURL() + ")"
	}
	return "storage engine under test: SQLite (PostgreSQL skipped in this run; REGISTRY_TEST_ENGINE=postgres runs it)"
}

// Main runs a package's tests as its TestMain: it says which engine runs them
// and removes the templates afterwards.
func Main(m *testing.M) {
	fmt.Println(Banner())
	code := m.Run()
	Cleanup()
	os.Exit(code)
}
