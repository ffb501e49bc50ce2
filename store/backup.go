package store

import (
	"context"
	"fmt"
	"os"

	"github.com/council-components/registry/models"
)

// Backup writes a consistent copy of a SQLite database to path while it keeps
// serving: VACUUM INTO reads one snapshot (WAL lets writers carry on) and
// writes a compact, self-contained file. PostgreSQL is backed up with pg_dump.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.postgres {
		return models.Errorf(models.EINVALID, "backup is for SQLite databases; back up PostgreSQL with pg_dump (see the README)")
	}
	if _, err := os.Stat(path); err == nil {
		return models.Errorf(models.ECONFLICT, "%s already exists; choose a new file so no backup is overwritten", path)
	}
	if err := s.w.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		os.Remove(path)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// IntegrityCheck runs SQLite's integrity and foreign key checks and returns
// "ok", or what they found.
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	if s.postgres {
		return "ok", nil // PostgreSQL checks its own pages and constraints
	}
	var result string
	if err := s.w.WithContext(ctx).Raw("PRAGMA integrity_check").Row().Scan(&result); err != nil {
		return "", err
	}
	if result != "ok" {
		return result, nil
	}
	var fk []map[string]any
	if err := s.w.WithContext(ctx).Raw("PRAGMA foreign_key_check").Scan(&fk).Error; err != nil {
		return "", err
	}
	if len(fk) > 0 {
		return fmt.Sprintf("%d rows break foreign keys", len(fk)), nil
	}
	return "ok", nil
}
