package store

import (
	"context"
	"time"

	"github.com/council-components/registry/models"
)

// LastUpdated is when the registry's public data last changed: the time of
// the newest entry in the public change feed (the audit log without API keys
// and webhooks), or the zero time when nothing has been written. The pages
// show it in their footer.
func (s *Store) LastUpdated(ctx context.Context) (time.Time, error) {
	var rows []auditRow
	err := s.r.WithContext(ctx).Select("at").Where("entity NOT IN ?", models.PrivateEntities).
		Order("id DESC").Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return time.Time{}, translate(err)
	}
	return rows[0].At.UTC(), nil
}
