package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/routing"
	"github.com/assistd/assist/store/storetest"
)

func TestRoutingStore(t *testing.T) {
	storetest.Routing(t, func(t *testing.T) routing.Store {
		return NewRoutingStore(openTest(t))
	})
}

// Owned lists conversations by owner across tenants, for reconciliation.
func TestRoutingOwned(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	convs, rs := NewConversationStore(db), NewRoutingStore(db)
	now := time.Now().UTC()
	want := map[string]bool{}
	for i, owner := range []assist.Owner{assist.OwnerQueue, assist.OwnerBot, assist.OwnerQueue, assist.OwnerAgent} {
		c := &assist.Conversation{ID: newID(), TenantID: newID(), Channel: "web", Owner: owner, CreatedAt: now.Add(time.Duration(i) * time.Second), UpdatedAt: now}
		if err := convs.CreateConversation(ctx, c); err != nil {
			t.Fatal(err)
		}
		if owner == assist.OwnerQueue {
			want[c.TenantID+"/"+c.ID] = true
		}
	}
	got, err := rs.Owned(ctx, assist.OwnerQueue)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("Owned(queue) returned %d, want %d", len(got), len(want))
	}
	for _, c := range got {
		if !want[c.TenantID+"/"+c.ID] || c.Owner != assist.OwnerQueue {
			t.Errorf("unexpected conversation %s owner %s", c.ID, c.Owner)
		}
	}
	if _, err := rs.Owned(ctx, "nobody"); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("unknown owner: %v, want EINVALID", err)
	}
}
