package sqlite

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/store/storetest"
	"github.com/assistd/assist/ticket"
)

func TestTicketStore(t *testing.T) {
	storetest.Tickets(t, func(t *testing.T) ticket.Store {
		return NewTicketStore(openTest(t))
	})
}

// The audit log refuses changes to what it holds, even through SQL.
func TestAuditLogAppendOnly(t *testing.T) {
	db := openTest(t)
	s := NewTicketStore(db)
	ctx := context.Background()
	rec := &ticket.Audit{ID: newID(), TenantID: newID(), Entity: ticket.EntityTicket, EntityID: "x", Field: "status", Old: "new", New: "open", At: time.Now()}
	if err := s.AppendAudit(ctx, rec); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE audit_log SET new = 'closed'`, `DELETE FROM audit_log`} {
		_, err := db.write.ExecContext(ctx, q)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want the append-only refusal", q, err)
		}
	}
	log, err := s.AuditLog(ctx, rec.TenantID, ticket.EntityTicket, "x")
	if err != nil || len(log) != 1 || log[0].New != "open" {
		t.Errorf("audit after the refused changes = %+v, %v", log, err)
	}
}

// BenchmarkTicketCreate measures creating a ticket with its summary note
// and audit record through the store, from parallel goroutines (the
// group-commit writer batches them), at synchronous=NORMAL and FULL.
func BenchmarkTicketCreate(b *testing.B) {
	for _, sync := range []Synchronous{SyncNormal, SyncFull} {
		b.Run(string(sync), func(b *testing.B) {
			s := NewTicketStore(openTest(b, WithSynchronous(sync)))
			tenant := newID()
			var n atomic.Int64
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					now := time.Now()
					tk := &ticket.Ticket{ID: newID(), TenantID: tenant, Subject: fmt.Sprint("Parcel late ", i), Priority: ticket.PriorityNormal,
						Status: ticket.StatusNew, Version: 1, CreatedAt: now, UpdatedAt: now, Tags: []string{"escalation"},
						SLA: ticket.SLA{FirstResponse: ticket.Timer{State: ticket.TimerRunning, Target: time.Hour, Since: now, DueAt: now.Add(time.Hour)}}}
					c := ticket.Change{
						Comments: []*ticket.Comment{{ID: newID(), TenantID: tenant, TicketID: tk.ID, Internal: true, Body: "summary of the bot part", CreatedAt: now}},
						Audit:    []*ticket.Audit{{ID: newID(), TenantID: tenant, Entity: ticket.EntityTicket, EntityID: tk.ID, Field: "ticket", New: "created", At: now}},
					}
					if _, _, err := s.CreateTicket(context.Background(), tk, c); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkTicketOpenFromEscalation measures the whole escalation path of
// the ticket service on SQLite (synchronous=NORMAL): summary, priority,
// SLA due times on business hours, and the write with its note and audit
// record.
func BenchmarkTicketOpenFromEscalation(b *testing.B) {
	db := openTest(b, WithSynchronous(SyncNormal))
	svc := &ticket.Service{Store: NewTicketStore(db), Warning: ticket.Warning{Fraction: 0.8}}
	tenant := newID()
	office := &ticket.Hours{TimeZone: "Asia/Shanghai", Holidays: []string{"2026-10-01"}}
	for d := time.Monday; d <= time.Friday; d++ {
		office.Weekly[d] = []ticket.Span{{Start: 9 * 60, End: 12 * 60}, {Start: 13 * 60, End: 18 * 60}}
	}
	sup := assist.Principal{TenantID: tenant, UserID: "sup", Role: assist.RoleSupervisor}
	if err := svc.SetHours(context.Background(), sup, ticket.DefaultTeam, office); err != nil {
		b.Fatal(err)
	}
	part := []*assist.Message{
		{ID: newID(), Author: assist.AuthorCustomer, Text: "我的包裹三天没动了", CreatedAt: time.Now()},
		{ID: newID(), Author: assist.AuthorBot, Text: "抱歉，我帮您查一下。", CreatedAt: time.Now()},
		{ID: newID(), Author: assist.AuthorCustomer, Text: "我要投诉，转人工", CreatedAt: time.Now()},
	}
	var n atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			conv := assist.Conversation{ID: fmt.Sprint("conv-", n.Add(1)), TenantID: tenant, Channel: "web", Lang: "zh"}
			if _, err := svc.OpenFromEscalation(context.Background(), conv, "complaint", part); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkTicketCustomerReplied measures what every customer message in a
// conversation with a ticket costs the ticket service on SQLite: the
// conversation's tickets listed, each read again with its SLA policy and
// its timers updated when the reply changes them (a reply while the
// ticket waits for its first response changes nothing).
func BenchmarkTicketCustomerReplied(b *testing.B) {
	db := openTest(b, WithSynchronous(SyncNormal))
	svc := &ticket.Service{Store: NewTicketStore(db), Warning: ticket.Warning{Fraction: 0.8}}
	tenant := newID()
	conv := assist.Conversation{ID: "conv-replied", TenantID: tenant, Channel: "web", Lang: "zh"}
	part := []*assist.Message{{ID: newID(), Author: assist.AuthorCustomer, Text: "我要投诉，转人工", CreatedAt: time.Now()}}
	if _, err := svc.OpenFromEscalation(context.Background(), conv, "complaint", part); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := svc.CustomerReplied(context.Background(), tenant, conv.ID); err != nil {
			b.Fatal(err)
		}
	}
}
