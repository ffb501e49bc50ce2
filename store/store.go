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

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"github.com/council-components/registry/models"
)

//go:embed migrations
var migrations embed.FS

// Store reads through a pool of connections and writes through one, so
// SQLite never sees two writers racing for its lock.
type Store struct {
	w        *gorm.DB // SQLite: the single writer; PostgreSQL: the pool
	r        *gorm.DB // SQLite: the read pool; PostgreSQL: the same pool
	postgres bool
	// writes is SQLite's group committer, through which write runs; nil on
	// PostgreSQL and inside another transaction (inTx), where write runs fn itself.
	writes *committer
	Now    func() time.Time
	// FreshMonths is how long a confirmation stays fresh (0: models.DefaultFreshMonths).
	FreshMonths int
	// Names places councils named as people write them (the spreadsheet import);
	// nil leaves codes and exact names only.
	Names *models.CouncilMatcher
	// Webhooks holds the key webhook secrets are sealed under and the resolver for their URLs.
	Webhooks WebhookConfig
	// lists holds the use counts behind the list pages, search ranking and
	// coverage (web_lists.go).
	lists *useCountCache
}

// IsPostgres reports whether dsn names a PostgreSQL database rather than a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database named by dsn: a postgres:// URL, or else a
// SQLite file path. It does not migrate; call Migrate.
func Open(dsn string) (*Store, error) {
	if IsPostgres(dsn) {
		return openPostgres(dsn)
	}
	return openSQLite(dsn)
}

// openPostgres uses one pool for reads and writes: PostgreSQL handles
// concurrent writers itself. The pool is sized for a replica on a small
// machine; several replicas share the server's max_connections.
func openPostgres(dsn string) (*Store, error) {
	db, err := gormOpen(postgres.Open(dsn))
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(20)
	sqlDB.SetMaxIdleConns(10)
	sqlDB.SetConnMaxLifetime(30 * time.Minute)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	return &Store{w: db, r: db, postgres: true, Now: func() time.Time { return time.Now().UTC() }, lists: &useCountCache{}}, nil
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
	// Performance: keep each connection's recent prepared statements (the same
	// few dozen queries run all day) and an 8 MiB page cache instead of 2 MiB.
	common.Set("_stmt_cache_size", "128")
	common.Set("_cache_size", "-8192")

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
	// Enough readers that a few slow reports (coverage over millions of
	// adoptions) do not hold every connection while quick reads queue.
	n := max(8, 4*runtime.NumCPU())
	rdb.SetMaxOpenConns(n)
	rdb.SetMaxIdleConns(n)

	s := &Store{w: w, r: r, Now: func() time.Time { return time.Now().UTC() }, lists: &useCountCache{}}
	// Touch the file through the writer so WAL mode is set before readers open it.
	if err := wdb.Ping(); err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s.writes = newCommitter(w)
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

// Close lets the writes already sent finish, then closes both pools.
func (s *Store) Close() error {
	if s.writes != nil {
		s.writes.stop()
	}
	pools := []*gorm.DB{s.r, s.w}
	if s.postgres {
		pools = pools[:1]
	}
	var errs []error
	for _, g := range pools {
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
	dir, dialect := "migrations/sqlite", goose.DialectSQLite3
	if s.postgres {
		dir, dialect = "migrations/postgres", goose.DialectPostgres
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return 0, err
	}
	var opts []goose.ProviderOption
	if s.postgres {
		// Replicas starting together take turns: an advisory lock held for the whole run.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return 0, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, db, sub, opts...)
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	return len(res), nil
}

// SharedPool reports whether reads and writes share one pool (PostgreSQL).
func (s *Store) SharedPool() bool { return s.postgres }

// ReaderDB exposes the read pool's *sql.DB, for pool metrics.
func (s *Store) ReaderDB() (*sql.DB, error) { return s.r.DB() }

// SQLDB exposes the writer's *sql.DB for operations such as backup.
func (s *Store) SQLDB() (*sql.DB, error) { return s.w.DB() }

// write runs fn in a write transaction and maps database errors to the
// registry's error codes; it returns once fn's work is committed (or not
// done at all). On SQLite concurrent writes share a transaction and its
// commit, each in a savepoint of its own (see committer): fn sees the work
// of the writes before it, as it would had they committed first. On
// PostgreSQL each runs in its own, and one chosen as a deadlock victim or
// failing serialisation is run again, a few times.
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if s.writes != nil {
		return translate(s.writes.do(ctx, fn))
	}
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = s.w.WithContext(ctx).Transaction(fn)
		if !retryable(err) {
			break
		}
	}
	return translate(err)
}

// unstorableText reports PostgreSQL refusing a text value (22021): a NUL byte
// or invalid UTF-8 that reached a query without a field's check, such as a key in a path.
func unstorableText(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "22021"
}

// retryable reports a PostgreSQL deadlock (40P01) or serialisation failure (40001).
func retryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40P01" || pg.Code == "40001")
}

// forUpdate locks the rows a write transaction reads before changing them, so
// concurrent writers on PostgreSQL queue as they do on SQLite, whose write
// transactions already hold the database's lock from BEGIN.
func forUpdate(tx *gorm.DB) *gorm.DB {
	if isPostgres(tx) {
		return tx.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return tx
}

// notFoundAs names a missing record; other errors are translated as usual.
func notFoundAs(err error, kind, key string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return models.NotFound(kind, key)
	}
	return translate(err)
}

// takeBySlug reads into row the kind's row with slug; none is a not-found error naming it.
func takeBySlug(db *gorm.DB, row any, kind, slug string) error {
	return notFoundAs(db.Where("slug = ?", slug).Take(row).Error, kind, slug)
}

// oneRow is, as model makes it, the one row of V that q selects; none is kind id not found.
func oneRow[V, M any](q *gorm.DB, kind string, id int64, model func(V) M) (M, error) {
	var v V
	var none M
	res := q.Limit(1).Scan(&v)
	if res.Error != nil {
		return none, translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return none, models.NotFound(kind, fmt.Sprint(id))
	}
	return model(v), nil
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
	case unstorableText(err):
		return models.Errorf(models.EINVALID, "the request holds text no record can hold: a NUL byte or bytes that are not UTF-8")
	}
	return fmt.Errorf("database: %w", err)
}
