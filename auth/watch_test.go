package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/assistd/assist"
)

func ended(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// A watch ends with its session: at logout, when an admin ends the
// user's sessions, or at expiry; never for another session, and Stop
// releases it without ending it.
func TestWatchEndsWithTheSession(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	tenant, _, agent := shop(t, s)
	login := func() string {
		t.Helper()
		tok, _, _, err := s.Login(ctx, tenant.Slug, agent.Email, password)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	one, two := login(), login()
	w1, err := s.Watch(ctx, one)
	if err != nil {
		t.Fatal(err)
	}
	w2, err := s.Watch(ctx, two)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Logout(ctx, one); err != nil {
		t.Fatal(err)
	}
	if !ended(w1.Ended()) || ended(w2.Ended()) {
		t.Fatalf("after logging out one session: ended %v, %v; want true, false", ended(w1.Ended()), ended(w2.Ended()))
	}
	if _, err := s.Watch(ctx, one); assist.ErrorCode(err) != assist.EUNAUTHORIZED {
		t.Errorf("watching a logged-out session: %v, want EUNAUTHORIZED", err)
	}
	n, err := s.EndSessions(ctx, tenant.ID, agent.ID)
	if err != nil || n != 1 || !ended(w2.Ended()) {
		t.Fatalf("EndSessions = %d, %v; watch ended %v", n, err, ended(w2.Ended()))
	}
	w1.Stop()
	w2.Stop()

	s.SessionTTL = 50 * time.Millisecond
	w3, err := s.Watch(ctx, login())
	if err != nil {
		t.Fatal(err)
	}
	defer w3.Stop()
	select {
	case <-w3.Ended():
	case <-time.After(10 * time.Second):
		t.Fatal("the watch outlived its session's expiry")
	}
}
