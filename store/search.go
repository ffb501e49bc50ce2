package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"math"
	"sort"
	"strings"
	"unicode"

	"gorm.io/gorm"

	"github.com/council-components/registry/models"
)

// Column weights for ranking, in component_search's column order: a word in
// a component's name counts ten times one in its description.
var searchWeights = []float64{10, 4, 1, 3, 2} // name, summary, description, capabilities, vendor

// exactNameBonus puts a component whose whole name is the query above any other hit.
const exactNameBonus = 1000

// reindexComponentsWhere rewrites the search entries of the components matching
// cond (which must qualify columns with "components.").
func reindexComponentsWhere(tx *gorm.DB, cond string, args ...any) error {
	if err := tx.Exec("DELETE FROM component_search WHERE docid IN (SELECT components.id FROM components WHERE "+cond+")", args...).Error; err != nil {
		return err
	}
	if isPostgres(tx) {
		return tx.Exec(`INSERT INTO component_search (docid, doc)
		SELECT components.id,
			setweight(to_tsvector('english', components.name), 'A') ||
			setweight(to_tsvector('english', components.summary), 'B') ||
			setweight(to_tsvector('english', coalesce((SELECT string_agg(cap.name, ' ') FROM component_capabilities cc
				JOIN capabilities cap ON cap.id = cc.capability_id WHERE cc.component_id = components.id), '')), 'B') ||
			setweight(to_tsvector('english', v.name), 'C') ||
			setweight(to_tsvector('english', components.description), 'D')
		FROM components JOIN vendors v ON v.id = components.vendor_id WHERE `+cond, args...).Error
	}
	return tx.Exec(`INSERT INTO component_search (docid, name, summary, description, capabilities, vendor)
		SELECT components.id, components.name, components.summary, components.description,
			coalesce((SELECT group_concat(cap.name, ' ') FROM component_capabilities cc
				JOIN capabilities cap ON cap.id = cc.capability_id WHERE cc.component_id = components.id), ''),
			v.name
		FROM components JOIN vendors v ON v.id = components.vendor_id WHERE `+cond, args...).Error
}

func isPostgres(db *gorm.DB) bool { return db.Dialector.Name() == "postgres" }

type searchHit struct {
	ID   int64
	Name string
	Rank float64 // text relevance: from FTS4 matchinfo (SQLite) or ts_rank (PostgreSQL)
}

// searchHits finds the components matching the query words and f's filters,
// with their text relevance.
func searchHits(db *gorm.DB, f models.ComponentFilter, match string) ([]searchHit, error) {
	var q *gorm.DB
	if isPostgres(db) {
		// PostgreSQL ranks with the A-D weights given to the columns when indexing.
		q = db.Table("components").
			Select("components.id, components.name, ts_rank(component_search.doc, plainto_tsquery('english', ?)) * 10 AS rank", match).
			Joins("JOIN component_search ON component_search.docid = components.id").
			Where("component_search.doc @@ plainto_tsquery('english', ?)", match)
	} else {
		q = db.Table("components").
			Select("components.id, components.name, matchinfo(component_search, 'pcnx') AS info").
			Joins("JOIN component_search ON component_search.docid = components.id").
			Where("component_search MATCH ?", match)
	}
	// Scanned by hand: a broad query matches thousands of components, and gorm's
	// reflection per row would cost more than the query.
	rows, err := componentWhere(f)(q).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hits []searchHit
	var info sql.RawBytes // read in place: a broad query's matchinfo would be megabytes of copies
	for rows.Next() {
		var h searchHit
		var err error
		if isPostgres(db) {
			err = rows.Scan(&h.ID, &h.Name, &h.Rank)
		} else {
			err = rows.Scan(&h.ID, &h.Name, &info)
			h.Rank = matchScore(info)
		}
		if err != nil {
			return nil, err
		}
		hits = append(hits, h)
	}
	return hits, rows.Err()
}

// ftsQuery turns free text into an FTS4 query that ANDs its words. Only letters
// and digits survive, so no caller can inject FTS syntax.
func ftsQuery(q string) string {
	words := strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
	if len(words) > 12 {
		words = words[:12]
	}
	return strings.Join(words, " ")
}

// searchComponents ranks the components matching f.Q (and f's other filters)
// by weighted term frequency and inverse document frequency.
func (s *Store) searchComponents(ctx context.Context, f models.ComponentFilter, p models.Page) (models.List[models.Component], error) {
	db := s.r.WithContext(ctx)
	out := models.List[models.Component]{Items: []models.Component{}}
	if _, err := models.CursorOffset(p.Cursor); err != nil {
		return out, err
	}
	match := ftsQuery(f.Q)
	if match == "" {
		return out, nil
	}
	hits, err := searchHits(db, f, match)
	if err != nil {
		return out, translate(err)
	}
	counts, err := s.useCounts(ctx) // how many use each, as the list pages count them
	if err != nil {
		return out, err
	}
	type ranked struct {
		id    int64
		name  string
		score float64
	}
	rs := make([]ranked, len(hits))
	for i, h := range hits {
		// Among equally relevant components, the one more councils use comes first.
		score := h.Rank * (1 + 0.1*math.Log1p(float64(counts.component[h.ID])))
		if strings.EqualFold(strings.TrimSpace(h.Name), strings.TrimSpace(f.Q)) {
			score += exactNameBonus
		}
		rs[i] = ranked{h.ID, h.Name, score}
	}
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].score != rs[j].score {
			return rs[i].score > rs[j].score
		}
		if rs[i].name != rs[j].name {
			return rs[i].name < rs[j].name
		}
		return rs[i].id < rs[j].id
	})
	ids := make([]int64, len(rs))
	for i, r := range rs {
		ids[i] = r.id
	}
	return pageOfIDs(db, ids, p, func(r componentRow) int64 { return r.ID }, componentModels)
}

// matchScore reads FTS4 matchinfo 'pcnx' (phrases, columns, rows, then per
// phrase and column: hits in this row, hits in all rows, rows with a hit).
func matchScore(info []byte) float64 {
	u := func(i int) float64 { return float64(binary.NativeEndian.Uint32(info[4*i:])) }
	if len(info) < 12 {
		return 0
	}
	phrases, cols, rows := int(u(0)), int(u(1)), u(2)
	if len(info) < 4*(3+3*phrases*cols) {
		return 0
	}
	score := 0.0
	for ph := 0; ph < phrases; ph++ {
		for c := 0; c < cols && c < len(searchWeights); c++ {
			base := 3 + 3*(ph*cols+c)
			tf, docs := u(base), u(base+2)
			if tf == 0 {
				continue
			}
			idf := math.Log(1 + (rows-docs+0.5)/(docs+0.5))
			score += searchWeights[c] * (1 + math.Log(tf)) * idf
		}
	}
	return score
}
