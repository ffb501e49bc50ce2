package store

import (
	"time"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// harvestMembers are a harvest's programme memberships (Open Digital Planning,
// read from planning.data.gov.uk), resolved by reads: how many the run lists,
// the items to record, and the run's programmes by slug (id 0: not in the registry).
type harvestMembers struct {
	listed     int
	items      []memberItem
	programmes map[string]int64
}

// memberItem is one membership item of a programme's member council, by id.
type memberItem struct {
	programme, council int64
	evidence           models.EvidenceItem
}

// planMembers finds the programme and council of each membership the run
// lists; an unknown programme or council has nothing to record against.
func planMembers(db *gorm.DB, h models.HarvestRun) (harvestMembers, error) {
	m := harvestMembers{programmes: map[string]int64{}}
	for _, o := range h.Observations {
		if o.Kind != "membership" {
			continue
		}
		m.listed++
		pid, cid, err := memberIDs(db, m.programmes, o.Component, o.Council)
		if err != nil {
			return m, err
		}
		if pid != 0 && cid != 0 {
			m.items = append(m.items, memberItem{pid, cid, o.Evidence})
		}
	}
	return m, nil
}

// putMembers records membership items the way adoptions get evidence: an item
// listed again is current. It reports the members (programme and council) whose items it changed.
func putMembers(tx *gorm.DB, items []memberItem, now time.Time) ([][2]int64, error) {
	var changed [][2]int64
	for _, it := range items {
		n, err := putMemberItem(tx, it.programme, it.council, it.evidence, now)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			changed = append(changed, [2]int64{it.programme, it.council})
		}
	}
	return changed, nil
}

// flagMembers flags (current: false, never removed) the items of source on the
// members of the run's programmes that it no longer lists, and reports how many members that flagged.
func flagMembers(tx *gorm.DB, source string, m harvestMembers) (int, error) {
	listed := map[[2]int64]bool{}
	for _, it := range m.items {
		listed[[2]int64{it.programme, it.council}] = true
	}
	unlisted := 0
	for _, pid := range m.programmes {
		if pid == 0 {
			continue
		}
		var rows []programmeMemberRow
		if err := tx.Where("programme_id = ? AND source = ? AND current", pid, source).Find(&rows).Error; err != nil {
			return unlisted, err
		}
		flagged := map[int64]bool{}
		for _, r := range rows {
			if listed[[2]int64{pid, r.CouncilID}] {
				continue
			}
			if err := tx.Model(&r).Update("current", false).Error; err != nil {
				return unlisted, err
			}
			flagged[r.CouncilID] = true
		}
		unlisted += len(flagged)
	}
	return unlisted, nil
}

// memberIDs finds a programme (cached in programmes) and a council by key.
func memberIDs(db *gorm.DB, programmes map[string]int64, programme, council string) (pid, cid int64, err error) {
	pid, ok := programmes[programme]
	if !ok {
		if err := db.Raw("SELECT id FROM programmes WHERE slug = ?", programme).Scan(&pid).Error; err != nil {
			return 0, 0, err
		}
		programmes[programme] = pid
	}
	err = db.Raw("SELECT id FROM councils WHERE code = ?", council).Scan(&cid).Error
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
