package store

import (
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// applyMemberships records a harvest's programme memberships (Open Digital
// Planning, read from planning.data.gov.uk) as membership items, the same way
// adoptions get evidence: an item listed again is current, a member of one of
// the run's programmes that the file no longer lists is flagged (current:
// false), never removed. It reports the members changed and those flagged.
func applyMemberships(tx *gorm.DB, h models.HarvestRun, now time.Time) (changed, unlisted int, err error) {
	listed := map[[2]int64]bool{}
	programmes := map[string]int64{}
	touched := map[[2]int64]bool{}
	for _, o := range h.Observations {
		if o.Kind != "membership" {
			continue
		}
		pid, cid, err := memberIDs(tx, programmes, o.Component, o.Council)
		if err != nil {
			return changed, unlisted, err
		}
		if pid == 0 || cid == 0 {
			continue // an unknown programme or council has nothing to record against
		}
		listed[[2]int64{pid, cid}] = true
		n, err := putMemberItem(tx, pid, cid, o.Evidence, now)
		if err != nil {
			return changed, unlisted, err
		}
		if n > 0 && !touched[[2]int64{pid, cid}] {
			touched[[2]int64{pid, cid}] = true
			changed++
		}
	}
	for _, pid := range programmes {
		if pid == 0 {
			continue
		}
		var rows []programmeMemberRow
		if err := tx.Where("programme_id = ? AND source = ? AND current", pid, h.Source).Find(&rows).Error; err != nil {
			return changed, unlisted, err
		}
		flagged := map[int64]bool{}
		for _, r := range rows {
			if listed[[2]int64{pid, r.CouncilID}] {
				continue
			}
			if err := tx.Model(&r).Update("current", false).Error; err != nil {
				return changed, unlisted, err
			}
			flagged[r.CouncilID] = true
		}
		unlisted += len(flagged)
	}
	return changed, unlisted, nil
}

// memberIDs finds a programme (cached in programmes) and a council by key.
func memberIDs(tx *gorm.DB, programmes map[string]int64, programme, council string) (pid, cid int64, err error) {
	pid, ok := programmes[programme]
	if !ok {
		if err := tx.Raw("SELECT id FROM programmes WHERE slug = ?", programme).Scan(&pid).Error; err != nil {
			return 0, 0, err
		}
		programmes[programme] = pid
	}
	err = tx.Raw("SELECT id FROM councils WHERE code = ?", council).Scan(&cid).Error
	return pid, cid, err
}

// putMemberItem adds a membership item, or marks the one it has current and
// moves its date forward; it reports 1 when it wrote anything.
func putMemberItem(tx *gorm.DB, pid, cid int64, it models.EvidenceItem, now time.Time) (int, error) {
	var old programmeMemberRow
	err := tx.Where("programme_id = ? AND council_id = ? AND source = ? AND url = ? AND quote = ?",
		pid, cid, it.Source, it.URL, it.Quote).Take(&old).Error
	switch {
	case err == gorm.ErrRecordNotFound:
		return 1, tx.Create(&programmeMemberRow{ProgrammeID: pid, CouncilID: cid, Source: it.Source, URL: it.URL,
			Quote: it.Quote, ObservedOn: it.ObservedOn, Current: true, CreatedAt: now}).Error
	case err != nil:
		return 0, err
	case old.Current && old.ObservedOn >= it.ObservedOn:
		return 0, nil
	}
	return 1, tx.Model(&old).Updates(map[string]any{"current": true, "observed_on": max(old.ObservedOn, it.ObservedOn)}).Error
}
