package routing

import (
	"context"
	"testing"

	"github.com/assistd/assist"
)

// A new engine on the same store restores queues, offers and loads; then
// Reconcile adds what the store missed and drops what ended.
func TestRestoreAndReconcile(t *testing.T) {
	ctx := context.Background()
	env := newTestEnv(t, DefaultConfig())
	env.addAgents(tenantA, agentSpec{id: "a", skills: map[string]int{"general": 1}, capacity: 2})
	for _, id := range []string{"c1", "c2", "c3", "c4"} {
		env.escalate(Escalation{ConversationID: id})
	}
	if _, err := env.e.Accept(ctx, agentP(tenantA, "a"), "c1"); err != nil {
		t.Fatal(err)
	}
	posBefore, _ := env.e.Position(tenantA, "c4")

	e2, err := New(DefaultConfig(), env.store, env.convs, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e2.Restore(ctx); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]State{"c1": StateAssigned, "c2": StateOffered, "c3": StateQueued, "c4": StateQueued} {
		en, ok := e2.Entry(tenantA, id)
		if !ok || en.State != want {
			t.Errorf("restored %s: %+v, want %s", id, en, want)
		}
	}
	if pos, _ := e2.Position(tenantA, "c4"); pos.Position != posBefore.Position || pos.Position != 2 {
		t.Errorf("c4 at %d after restore, %d before; want 2", pos.Position, posBefore.Position)
	}
	st, err := e2.AgentStatusOf(tenantA, "a")
	if err != nil || st.Load != 2 || st.Presence != Online {
		t.Fatalf("restored agent %+v, %v", st, err)
	}

	// A crash between the hand-off and the enqueue: the conversation store
	// says queue, routing has nothing. And c3 was closed behind routing's back.
	env.convs.add(tenantA, "lost", assist.OwnerQueue)
	env.convs.add(tenantA, "c3", assist.OwnerClosed)
	n, err := e2.Reconcile(ctx, env.convs)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("reconciled %d, want 2", n)
	}
	if en, ok := e2.Entry(tenantA, "lost"); !ok || en.State != StateQueued {
		t.Errorf("lost conversation: %+v, want queued", en)
	}
	if _, ok := e2.Entry(tenantA, "c3"); ok || env.store.entry(tenantA, "c3") != nil {
		t.Error("closed conversation c3 is still routed")
	}
	if pos, _ := e2.Position(tenantA, "lost"); pos.Position != 2 || pos.Length != 2 {
		t.Errorf("lost: %+v, want 2nd of 2 (behind c4)", pos)
	}
	// Nothing changes the second time.
	if n, err := e2.Reconcile(ctx, env.convs); err != nil || n != 0 {
		t.Errorf("second reconcile: %d, %v; want 0", n, err)
	}
}

// A store that fails makes the call fail, and the failure is reported to
// that caller.
func TestStoreFailure(t *testing.T) {
	env := newTestEnv(t, DefaultConfig())
	env.convs.add(tenantA, "c1", assist.OwnerQueue)
	env.store.fail = assist.Errorf(assist.EUNAVAILABLE, "disk on fire")
	_, err := env.e.Enqueue(context.Background(), Escalation{TenantID: tenantA, ConversationID: "c1"})
	if assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Errorf("enqueue with a failing store: %v, want EUNAVAILABLE", err)
	}
}
