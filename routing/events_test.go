package routing

import (
	"testing"

	"github.com/assistd/assist"
)

func TestBus(t *testing.T) {
	b := &Bus{Buffer: 2}
	agentA := b.Subscribe("t1", "a", assist.RoleAgent)
	agentB := b.Subscribe("t1", "b", assist.RoleAgent)
	sup := b.Subscribe("t1", "s", assist.RoleSupervisor)
	otherSup := b.Subscribe("t2", "s2", assist.RoleSupervisor)
	defer agentA.Close()
	defer agentB.Close()
	defer sup.Close()
	defer otherSup.Close()

	b.Publish(Event{Type: EventOffer, TenantID: "t1", ConversationID: "c1", To: []string{"a"}, Roles: supervisorRoles})
	tests := []struct {
		name string
		sub  *Subscription
		want int
	}{
		{"addressed agent", agentA, 1},
		{"other agent", agentB, 0},
		{"supervisor of the tenant", sup, 1},
		{"supervisor of another tenant", otherSup, 0},
	}
	for _, tt := range tests {
		if got := len(tt.sub.C); got != tt.want {
			t.Errorf("%s got %d events, want %d", tt.name, got, tt.want)
		}
	}
	// A subscriber that falls behind is dropped; the others are not.
	b.Publish(Event{Type: EventQueue, TenantID: "t1", Roles: supervisorRoles})
	b.Publish(Event{Type: EventQueue, TenantID: "t1", Roles: supervisorRoles})
	if !sup.Lagged() || agentA.Lagged() {
		t.Errorf("lagged: supervisor %v, agent %v; want true, false", sup.Lagged(), agentA.Lagged())
	}
	n := 0
	for range sup.C {
		n++
	}
	if n != 2 {
		t.Errorf("lagging subscriber drained %d events before its channel closed, want 2", n)
	}
	if b.Subscribers() != 3 {
		t.Errorf("%d subscribers, want 3", b.Subscribers())
	}
}
