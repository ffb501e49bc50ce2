package store

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"
)

// TestRowLoopsReportARowStreamCutShort cuts a real query's rows off midway
// (its context is cancelled after ten rows, as when a connection dies) and
// checks that the row loop every world read goes through reports it, rather
// than returning the rows read so far as if they were all.
func TestRowLoopsReportARowStreamCutShort(t *testing.T) {
	st := openBlank(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const q = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) SELECT i FROM n`
	rows, err := st.r.WithContext(ctx).Raw(q).Rows()
	read := 0
	got, err := scanRows(rows, err, func(r *sql.Rows) (i int, err error) {
		err = r.Scan(&i)
		if read++; read == 10 {
			cancel()
			time.Sleep(50 * time.Millisecond) // let database/sql close the rows, as it does when a context ends
		}
		return i, err
	})
	if !errors.Is(err, context.Canceled) || got != nil {
		t.Fatalf("rows cut short after %d: got %d rows and error %v; want none and context.Canceled", read, len(got), err)
	}
	if read >= 100000 {
		t.Fatal("the cut never happened: the test proves nothing")
	}
}
