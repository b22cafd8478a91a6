package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/assistd/assist/analytics"
)

// seedAnalytics writes a week of a busy shop straight into the tables:
// conversations spread over 7 days, three customer messages and two bot
// replies each, a dialog state with two intents, and every tenth one
// handed off (an escalation ticket, an agent reply, a close decision).
func seedAnalytics(tb testing.TB, db *DB, tenant string, n int, end time.Time) {
	tb.Helper()
	ctx := context.Background()
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for i := range n {
			at := end.Add(-time.Duration(i) * 7 * 24 * time.Hour / time.Duration(n))
			id := fmt.Sprintf("%s-c%06d", tenant, i)
			if _, err := tx.ExecContext(ctx, `INSERT INTO conversations (id, tenant_id, channel, owner, created_at, updated_at) VALUES (?, ?, 'web', 'bot', ?, ?)`,
				id, tenant, formatTime(at), formatTime(at)); err != nil {
				return err
			}
			for j := range 5 {
				author := "customer"
				if j%2 == 1 {
					author = "bot"
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO messages (id, tenant_id, conversation_id, author, text, created_at) VALUES (?, ?, ?, ?, 'text', ?)`,
					fmt.Sprintf("%s-m%d", id, j), tenant, id, author, formatTime(at.Add(time.Duration(j)*time.Second))); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO dialog_states (tenant_id, conversation_id, state, updated_at) VALUES (?, ?, ?, ?)`,
				tenant, id, []byte(`{"turns":3,"intents":[{"turn":1,"label":"order_status","confidence":0.9},{"turn":2,"label":"return_request","confidence":0.8}],"fallbacks":0,"sentiment":{}}`), formatTime(at)); err != nil {
				return err
			}
			if i%10 != 0 {
				continue
			}
			h := at.Add(10 * time.Second)
			if _, err := tx.ExecContext(ctx, `INSERT INTO tickets (id, tenant_id, number, subject, conversation_id, escalation_key, reason, priority, status, version, created_at, updated_at)
				VALUES (?, ?, ?, 's', ?, ?, 'anger', 'high', 'open', 1, ?, ?)`, "t"+id, tenant, i+1, id, "e"+id, formatTime(h), formatTime(h)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO messages (id, tenant_id, conversation_id, author, text, created_at) VALUES (?, ?, ?, 'agent', 'hello', ?)`,
				id+"-agent", tenant, id, formatTime(h.Add(90*time.Second))); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO routing_decisions (id, tenant_id, conversation_id, at, action, rule) VALUES (?, ?, ?, ?, 'close', 'closed')`,
				"d"+id, tenant, id, formatTime(h.Add(10*time.Minute))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// The store's records add up to the report a supervisor reads.
func TestAnalyticsStore(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	end := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	seedAnalytics(t, db, "shop", 100, end)
	seedAnalytics(t, db, "other", 10, end) // another tenant's: never counted
	s := &analytics.Service{Store: NewAnalyticsStore(db), Now: func() time.Time { return end }}
	r, err := s.Report(t.Context(), "shop", end.Add(-7*24*time.Hour), end.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if r.Conversations != 100 || r.Handoffs != 10 || r.Deflected != 90 {
		t.Errorf("conversations %d, hand-offs %d, deflected %d; want 100, 10, 90", r.Conversations, r.Handoffs, r.Deflected)
	}
	if r.FirstResponse.Count != 10 || r.FirstResponse.MedianSeconds != 90 || r.Handling.MedianSeconds != 510 {
		t.Errorf("first response %+v, handling %+v; want 10 at 90 s, handling 510 s", r.FirstResponse, r.Handling)
	}
	if len(r.TopIntents) != 2 || r.TopIntents[0].Count != 100 {
		t.Errorf("top intents %v", r.TopIntents)
	}
	if err := s.Store.AddRating(t.Context(), analytics.Rating{TenantID: "shop", ConversationID: "shop-c000001", Score: 5, At: end}); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.AddRating(t.Context(), analytics.Rating{TenantID: "shop", ConversationID: "shop-c000001", Score: 1, At: end}); err == nil {
		t.Error("a second rating of one conversation was stored")
	}
	if err := s.Store.AddRating(t.Context(), analytics.Rating{TenantID: "shop", ConversationID: "nope", Score: 1, At: end}); err == nil {
		t.Error("a rating of no conversation was stored")
	}
	ts, err := s.Tenants(t.Context())
	if err != nil || len(ts) != 0 {
		t.Errorf("tenants %v, %v: the seed writes no tenant rows", ts, err)
	}
}

// BenchmarkAnalyticsReport measures GET /v1/analytics's work for a week of
// 10,000 conversations (50,000 messages, 1,000 hand-offs) and the hourly
// volume of five weeks for the forecast, and each of its reads.
func BenchmarkAnalyticsReport(b *testing.B) {
	db, err := Open(b.Context(), filepath.Join(b.TempDir(), "a.db"), WithSynchronous(SyncNormal))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	end := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	seedAnalytics(b, db, "shop", 10000, end)
	s := &analytics.Service{Store: NewAnalyticsStore(db), Now: func() time.Time { return end }}
	st := NewAnalyticsStore(db)
	from, to := end.Add(-7*24*time.Hour), end.Add(time.Hour)
	b.Run("conversations", func(b *testing.B) {
		for b.Loop() {
			st.Conversations(b.Context(), "shop", from, to)
		}
	})
	b.Run("handoffs", func(b *testing.B) {
		for b.Loop() {
			st.Handoffs(b.Context(), "shop", from, to)
		}
	})
	b.Run("volume", func(b *testing.B) {
		for b.Loop() {
			st.HourlyVolume(b.Context(), "shop", end.Add(-35*24*time.Hour), to)
		}
	})
	b.Run("report", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Report(b.Context(), "shop", from, to); err != nil {
				b.Fatal(err)
			}
		}
	})
}
