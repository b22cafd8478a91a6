package ticket_test

import (
	"context"
	"testing"
	"time"

	"github.com/assistd/assist/ticket"
)

// The escalation ticket follows its conversation: the agent's first
// message meets the first response (new → open, left unassigned so
// the next agent of a transfer sees it), a
// second one before the customer writes changes nothing, closing the
// conversation solves it with the resolution met, and the customer
// writing again reopens it.
func TestTicketFollowsConversation(t *testing.T) {
	svc, _, clk := newService(t)
	ctx := context.Background()
	tk := must[*ticket.Ticket](t)(svc.OpenFromEscalation(ctx, conv(), "anger", botPart()))
	clk.advance(2 * time.Minute)

	changed := must[[]*ticket.Ticket](t)(svc.AgentReplied(ctx, tenant, "conv-1", "alice"))
	if len(changed) != 1 {
		t.Fatalf("agent reply changed %d tickets, want 1", len(changed))
	}
	got := changed[0]
	if got.ID != tk.ID || got.Status != ticket.StatusOpen || got.AssigneeID != "" ||
		got.SLA.FirstResponse.State != ticket.TimerMet || got.SLA.Resolution.State != ticket.TimerRunning {
		t.Errorf("after the agent's first message: status %s assignee %q first response %s resolution %s",
			got.Status, got.AssigneeID, got.SLA.FirstResponse.State, got.SLA.Resolution.State)
	}
	if again := must[[]*ticket.Ticket](t)(svc.AgentReplied(ctx, tenant, "conv-1", "alice")); len(again) != 0 {
		t.Errorf("a second agent message changed %d tickets", len(again))
	}
	audit := must[[]*ticket.Audit](t)(svc.AuditLog(ctx, supervisor, tk.ID))
	if last := audit[len(audit)-1]; last.ActorID != "alice" {
		t.Errorf("audit by %q, want alice", last.ActorID)
	}

	clk.advance(10 * time.Minute)
	got = must[[]*ticket.Ticket](t)(svc.ConversationClosed(ctx, tenant, "conv-1", "alice"))[0]
	if got.Status != ticket.StatusSolved || got.SLA.Resolution.State != ticket.TimerMet || got.SolvedAt.IsZero() {
		t.Errorf("after closing: status %s resolution %s solved at %v", got.Status, got.SLA.Resolution.State, got.SolvedAt)
	}
	if again := must[[]*ticket.Ticket](t)(svc.ConversationClosed(ctx, tenant, "conv-1", "alice")); len(again) != 0 {
		t.Errorf("closing again changed %d tickets", len(again))
	}

	got = must[[]*ticket.Ticket](t)(svc.CustomerReplied(ctx, tenant, "conv-1"))[0]
	if got.Status != ticket.StatusOpen || got.SLA.Resolution.State != ticket.TimerRunning {
		t.Errorf("after the customer wrote again: status %s resolution %s", got.Status, got.SLA.Resolution.State)
	}
}
