package store

import (
	"net"
	"reflect"
	"slices"
	"testing"
	"time"
)

// TestInTxCarriesEveryField fails when Store gains a field that inTx, which
// runs store methods inside one outer transaction, does not pass on. The
// group committer (writes) is left behind on purpose: inside tx a write is
// a savepoint of tx; so are the kept use counts (lists): tx's rows are not
// yet everyone's.
func TestInTxCarriesEveryField(t *testing.T) {
	carried := []string{"w", "r", "postgres", "Now", "FreshMonths", "Names", "Webhooks"}
	st := reflect.TypeFor[Store]()
	for i := range st.NumField() {
		if name := st.Field(i).Name; name != "writes" && name != "lists" && !slices.Contains(carried, name) {
			t.Errorf("Store has a new field %q: make inTx (store/publiccode.go) carry it", name)
		}
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := &Store{postgres: true, writes: &committer{}, Now: func() time.Time { return now }, Webhooks: WebhookConfig{Resolver: net.DefaultResolver},
		lists: &useCountCache{}}
	if c := inTx(s, nil); !c.postgres || c.Now() != now || c.Webhooks != s.Webhooks {
		t.Error("inTx does not carry the engine, the clock or the webhook settings")
	} else if c.writes != nil {
		t.Error("inTx carries the group committer: its writes would leave tx for a transaction of their own")
	} else if c.lists == nil || c.lists == s.lists {
		t.Error("inTx shares the store's use counts (or has none): counts read inside tx would be served to everyone")
	}
}
