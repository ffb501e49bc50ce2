// Package store keeps the registry's data in SQLite (embedded, the default) or
// PostgreSQL. It is the only package that knows about gorm and SQL.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/council-components/registry/models"
)

//go:embed migrations
var migrations embed.FS

// Store reads through a pool of connections and writes through one, so
// SQLite never sees two writers racing for its lock.
type Store struct {
	w     *gorm.DB // single writer
	r     *gorm.DB // read pool
	Now   func() time.Time
	reuse reuseState
}

// Open connects to the database named by dsn: a SQLite file path, or (later) a
// postgres:// URL. It does not migrate; call Migrate.
func Open(dsn string) (*Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return nil, models.Errorf(models.EINVALID, "PostgreSQL is not supported by this build yet")
	}
	return openSQLite(dsn)
}

func openSQLite(path string) (*Store, error) {
	if path == "" {
		return nil, models.Errorf(models.EINVALID, "database path is empty")
	}
	// Every connection: WAL so readers never block the writer, a generous busy
	// timeout instead of "database is locked", foreign keys enforced, and
	// synchronous=FULL so an acknowledged commit survives power loss.
	common := url.Values{}
	common.Set("_journal_mode", "WAL")
	common.Set("_busy_timeout", "10000")
	common.Set("_foreign_keys", "on")
	common.Set("_synchronous", "FULL")
	common.Set("_loc", "UTC")

	wq := cloneValues(common)
	wq.Set("_txlock", "immediate") // take the write lock at BEGIN, not mid-transaction
	w, err := gormOpen(sqlite.Open("file:" + path + "?" + wq.Encode()))
	if err != nil {
		return nil, err
	}
	wdb, _ := w.DB()
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)

	rq := cloneValues(common)
	rq.Set("_query_only", "1")
	r, err := gormOpen(sqlite.Open("file:" + path + "?" + rq.Encode()))
	if err != nil {
		wdb.Close()
		return nil, err
	}
	rdb, _ := r.DB()
	n := max(4, 2*runtime.NumCPU())
	rdb.SetMaxOpenConns(n)
	rdb.SetMaxIdleConns(n)

	s := &Store{w: w, r: r, Now: func() time.Time { return time.Now().UTC() }}
	// Touch the file through the writer so WAL mode is set before readers open it.
	if err := wdb.Ping(); err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

func gormOpen(d gorm.Dialector) (*gorm.DB, error) {
	return gorm.Open(d, &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true, // we open our own write transactions
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string{}, vs...)
	}
	return out
}

// Today is the store's clock, for computations that depend on the date.
func (s *Store) Today() time.Time { return s.Now() }

// Close closes both pools.
func (s *Store) Close() error {
	var errs []error
	for _, g := range []*gorm.DB{s.r, s.w} {
		if db, err := g.DB(); err == nil {
			errs = append(errs, db.Close())
		}
	}
	return errors.Join(errs...)
}

// Ping reports whether the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	return s.r.WithContext(ctx).Exec("SELECT 1").Error
}

// Migrate applies every pending schema migration, in order, and reports how many ran.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	db, err := s.w.DB()
	if err != nil {
		return 0, err
	}
	sub, err := fs.Sub(migrations, "migrations/sqlite")
	if err != nil {
		return 0, err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, sub)
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	return len(res), nil
}

// SQLDB exposes the writer's *sql.DB for operations such as backup.
func (s *Store) SQLDB() (*sql.DB, error) { return s.w.DB() }

// write runs fn in one immediate write transaction and maps database errors
// to the registry's error codes.
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	err := s.w.WithContext(ctx).Transaction(fn)
	return translate(err)
}

// notFoundAs names a missing record; other errors are translated as usual.
func notFoundAs(err error, kind, key string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return models.NotFound(kind, key)
	}
	return translate(err)
}

// translate turns driver errors into *models.Error; others pass through as internal.
func translate(err error) error {
	var me *models.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &me):
		return err
	case errors.Is(err, gorm.ErrRecordNotFound):
		return models.Errorf(models.ENOTFOUND, "not found")
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return models.Errorf(models.ECONFLICT, "a record with that key already exists")
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return models.Errorf(models.ECONFLICT, "the record is still referenced by others")
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return fmt.Errorf("database: %w", err)
}
