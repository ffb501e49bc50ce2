package main

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"
)

// freshPostgres makes (unless reuse finds it) the database name on the
// PostgreSQL server dsn names, dropping any earlier one of that name, and
// gives its DSN and whether it must be filled. The database dsn names is only
// connected to, never changed.
func freshPostgres(dsn, name string, reuse bool) (string, bool, error) {
	if !regexp.MustCompile(`^bench_[a-z0-9_]+$`).MatchString(name) {
		return "", false, fmt.Errorf("refusing to make a database named %q", name)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", false, err
	}
	if "/"+name == u.Path {
		return "", false, fmt.Errorf("-db names %s itself: name the database to connect to for making it (e.g. /postgres or /test)", name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", false, fmt.Errorf("connecting to %s: %w", u.Redacted(), err)
	}
	defer conn.Close(ctx)
	target := *u
	target.Path = "/" + name
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", false, err
	}
	if reuse && exists {
		return target.String(), false, nil
	}
	if exists {
		logf("dropping the PostgreSQL database %s left by an earlier run", name)
		if _, err := conn.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			return "", false, err
		}
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", false, err
	}
	logf("made the empty PostgreSQL database %s", name)
	return target.String(), true, nil
}
