package auth_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/auth"
	"github.com/assistd/assist/store/sqlite"
)

var t0 = time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)

// clock is a settable time for Service.Now.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func newService(t *testing.T) (*auth.Service, *clock) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "auth.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &clock{t: t0}
	return &auth.Service{Store: sqlite.NewAuthStore(db), Now: clk.Now, BcryptCost: 4}, clk
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := assist.ErrorCode(err); got != code {
		t.Errorf("error = %v (code %q), want code %q", err, got, code)
	}
}

const password = "correct horse battery"

// shop creates the tenant "shop" with an admin and an agent.
func shop(t *testing.T, s *auth.Service) (tenant *assist.Tenant, admin, agent *assist.User) {
	t.Helper()
	ctx := context.Background()
	tenant, _, err := s.EnsureTenant(ctx, "shop", "The Shop")
	if err != nil {
		t.Fatal(err)
	}
	admin, err = s.CreateUser(ctx, tenant.ID, auth.NewUser{Email: "admin@shop.example", Name: "Ada", Role: assist.RoleAdmin, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	agent, err = s.CreateUser(ctx, tenant.ID, auth.NewUser{Email: "Ann@Shop.example", Name: "Ann", Role: assist.RoleAgent, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	return tenant, admin, agent
}

func TestEnsureTenant(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	first, created, err := s.EnsureTenant(ctx, "shop-1", "Shop One")
	if err != nil || !created || first.Slug != "shop-1" || first.Name != "Shop One" || !first.CreatedAt.Equal(t0) {
		t.Fatalf("EnsureTenant = %+v, %v, %v; want a new tenant", first, created, err)
	}
	again, created, err := s.EnsureTenant(ctx, "shop-1", "Renamed")
	if err != nil || created || again.ID != first.ID || again.Name != "Shop One" {
		t.Errorf("second EnsureTenant = %+v, %v, %v; want the existing tenant", again, created, err)
	}
	for _, slug := range []string{"", "Shop", "shop 1", "shop_1", "商店", strings.Repeat("a", 65)} {
		_, _, err := s.EnsureTenant(ctx, slug, "x")
		wantCode(t, err, assist.EINVALID)
	}
}

func TestCreateUser(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	tenant, _, _ := shop(t, s)
	ok := auth.NewUser{Email: "bob@shop.example", Name: "Bob", Role: assist.RoleSupervisor, Password: password}
	with := func(f func(*auth.NewUser)) auth.NewUser { u := ok; f(&u); return u }
	tests := []struct {
		name     string
		in       auth.NewUser
		wantCode string
	}{
		{"valid", ok, ""},
		{"knowledge manager", with(func(u *auth.NewUser) { u.Email = "kim@shop.example"; u.Role = assist.RoleKnowledge }), ""},
		{"password of exactly 10 characters", with(func(u *auth.NewUser) { u.Email = "p10@shop.example"; u.Password = "0123456789" }), ""},
		{"password of 10 chinese characters", with(func(u *auth.NewUser) { u.Email = "zh@shop.example"; u.Password = "一二三四五六七八九十" }), ""},
		{"password of 72 bytes", with(func(u *auth.NewUser) { u.Email = "p72@shop.example"; u.Password = strings.Repeat("x", 72) }), ""},
		{"password too short", with(func(u *auth.NewUser) { u.Password = "012345678" }), assist.EINVALID},
		{"password over 72 bytes", with(func(u *auth.NewUser) { u.Password = strings.Repeat("x", 73) }), assist.EINVALID},
		{"not an address", with(func(u *auth.NewUser) { u.Email = "bob" }), assist.EINVALID},
		{"address with a display name", with(func(u *auth.NewUser) { u.Email = "Bob <bob@shop.example>" }), assist.EINVALID},
		{"empty address", with(func(u *auth.NewUser) { u.Email = "" }), assist.EINVALID},
		{"address too long", with(func(u *auth.NewUser) { u.Email = strings.Repeat("b", 250) + "@shop.example" }), assist.EINVALID},
		{"customer role", with(func(u *auth.NewUser) { u.Role = assist.RoleCustomer }), assist.EINVALID},
		{"unknown role", with(func(u *auth.NewUser) { u.Role = "owner" }), assist.EINVALID},
		{"no role", with(func(u *auth.NewUser) { u.Role = "" }), assist.EINVALID},
		{"name too long", with(func(u *auth.NewUser) { u.Name = strings.Repeat("n", 101) }), assist.EINVALID},
		{"name not UTF-8", with(func(u *auth.NewUser) { u.Name = "B\xffb" }), assist.EINVALID},
		{"e-mail taken, other case", with(func(u *auth.NewUser) { u.Email = "ANN@shop.example" }), assist.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := s.CreateUser(ctx, tenant.ID, tt.in)
			if tt.wantCode != "" {
				wantCode(t, err, tt.wantCode)
				return
			}
			if err != nil {
				t.Fatalf("CreateUser: %v", err)
			}
			if u.ID == "" || u.TenantID != tenant.ID || u.Role != tt.in.Role || u.Name != tt.in.Name || !u.CreatedAt.Equal(t0) {
				t.Errorf("CreateUser = %+v", u)
			}
			if u.PasswordHash == "" || strings.Contains(u.PasswordHash, tt.in.Password) {
				t.Errorf("password stored as %q, want a hash", u.PasswordHash)
			}
		})
	}
	// Addresses are kept in lower case.
	u, err := s.Store.UserByEmail(ctx, tenant.ID, "ann@shop.example")
	if err != nil || u.Email != "ann@shop.example" {
		t.Errorf("UserByEmail = %+v, %v; want the address lower-cased", u, err)
	}
}

func TestLogin(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	tenant, _, agent := shop(t, s)
	if _, _, err := s.EnsureTenant(ctx, "other", "Other"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, tenant, email, password string
		ok                            bool
	}{
		{"right password", "shop", "ann@shop.example", password, true},
		{"e-mail in another case, with spaces", "shop", "  ANN@shop.EXAMPLE ", password, true},
		{"wrong password", "shop", "ann@shop.example", password + "!", false},
		{"empty password", "shop", "ann@shop.example", "", false},
		{"unknown e-mail", "shop", "nobody@shop.example", password, false},
		{"user of another tenant", "other", "ann@shop.example", password, false},
		{"unknown tenant", "nope", "ann@shop.example", password, false},
	}
	var msgs []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, sess, u, err := s.Login(ctx, tt.tenant, tt.email, tt.password)
			if !tt.ok {
				wantCode(t, err, assist.EUNAUTHORIZED)
				if tok != "" || sess != nil || u != nil {
					t.Errorf("failed Login returned %q, %+v, %+v", tok, sess, u)
				}
				msgs = append(msgs, assist.ErrorMessage(err))
				return
			}
			if err != nil {
				t.Fatalf("Login: %v", err)
			}
			if !strings.HasPrefix(tok, auth.SessionPrefix) || u.ID != agent.ID {
				t.Errorf("Login = %q for %s, want a session token for %s", tok, u.ID, agent.ID)
			}
			want := auth.Session{TenantID: tenant.ID, UserID: agent.ID, Role: assist.RoleAgent, CreatedAt: t0, ExpiresAt: t0.Add(12 * time.Hour)}
			if sess.TenantID != want.TenantID || sess.UserID != want.UserID || sess.Role != want.Role ||
				!sess.CreatedAt.Equal(want.CreatedAt) || !sess.ExpiresAt.Equal(want.ExpiresAt) {
				t.Errorf("session = %+v, want %+v", sess, want)
			}
			if string(sess.Hash) != string(auth.HashToken(tok)) {
				t.Errorf("session hash is not the token's hash")
			}
			p, err := s.Authenticate(ctx, tok)
			if err != nil || p != (assist.Principal{TenantID: tenant.ID, UserID: agent.ID, Role: assist.RoleAgent}) {
				t.Errorf("Authenticate(session) = %+v, %v", p, err)
			}
		})
	}
	// Every failure reads the same: nothing tells which part was wrong.
	for _, m := range msgs {
		if m != msgs[0] {
			t.Errorf("login failures differ: %q vs %q", m, msgs[0])
		}
	}
}

func TestSessionExpiry(t *testing.T) {
	s, clk := newService(t)
	s.SessionTTL = time.Hour
	ctx := context.Background()
	shop(t, s)
	tok, sess, _, err := s.Login(ctx, "shop", "ann@shop.example", password)
	if err != nil {
		t.Fatal(err)
	}
	if !sess.ExpiresAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("ExpiresAt = %v, want %v", sess.ExpiresAt, t0.Add(time.Hour))
	}
	for _, tt := range []struct {
		at time.Duration
		ok bool
	}{
		{0, true},
		{time.Hour - time.Nanosecond, true},
		{time.Hour, false},
		{48 * time.Hour, false},
	} {
		clk.t = t0.Add(tt.at)
		_, err := s.Authenticate(ctx, tok)
		if tt.ok && err != nil {
			t.Errorf("at +%v: Authenticate = %v, want the session to be valid", tt.at, err)
		}
		if !tt.ok {
			wantCode(t, err, assist.EUNAUTHORIZED)
		}
	}
}

func TestLogout(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	shop(t, s)
	tok, _, _, err := s.Login(ctx, "shop", "ann@shop.example", password)
	if err != nil {
		t.Fatal(err)
	}
	other, _, _, err := s.Login(ctx, "shop", "ann@shop.example", password)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Logout(ctx, tok); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	_, err = s.Authenticate(ctx, tok)
	wantCode(t, err, assist.EUNAUTHORIZED)
	if _, err := s.Authenticate(ctx, other); err != nil {
		t.Errorf("another session of the same user ended too: %v", err)
	}
	if err := s.Logout(ctx, tok); err != nil {
		t.Errorf("second Logout = %v, want nil", err)
	}
	if err := s.Logout(ctx, auth.SessionPrefix+"unknown"); err != nil {
		t.Errorf("Logout of an unknown session = %v, want nil", err)
	}
	wantCode(t, s.Logout(ctx, auth.APIKeyPrefix+"x"), assist.EINVALID)
	wantCode(t, s.Logout(ctx, ""), assist.EINVALID)
}

func TestCreateAPIKey(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	tenant, admin, agent := shop(t, s)
	other, _, err := s.EnsureTenant(ctx, "other", "Other")
	if err != nil {
		t.Fatal(err)
	}

	key, k, err := s.CreateAPIKey(ctx, tenant.ID, agent.ID, "helpdesk bot")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(key, auth.APIKeyPrefix) || k.Role != assist.RoleAgent || k.UserID != agent.ID || k.TenantID != tenant.ID || k.Name != "helpdesk bot" {
		t.Errorf("CreateAPIKey = %q, %+v", key, k)
	}
	if string(k.Hash) != string(auth.HashToken(key)) {
		t.Error("key record does not hold the key's hash")
	}
	p, err := s.Authenticate(ctx, key)
	if err != nil || p != (assist.Principal{TenantID: tenant.ID, UserID: agent.ID, Role: assist.RoleAgent}) {
		t.Errorf("Authenticate(key) = %+v, %v; want the agent", p, err)
	}
	adminKey, _, err := s.CreateAPIKey(ctx, tenant.ID, admin.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if p, err := s.Authenticate(ctx, adminKey); err != nil || p.Role != assist.RoleAdmin {
		t.Errorf("Authenticate(admin key) = %+v, %v", p, err)
	}

	_, _, err = s.CreateAPIKey(ctx, tenant.ID, "no-such-user", "x")
	wantCode(t, err, assist.ENOTFOUND)
	_, _, err = s.CreateAPIKey(ctx, other.ID, agent.ID, "x") // a user of another tenant
	wantCode(t, err, assist.ENOTFOUND)
	_, _, err = s.CreateAPIKey(ctx, tenant.ID, agent.ID, strings.Repeat("n", 101))
	wantCode(t, err, assist.EINVALID)
	_, _, err = s.CreateAPIKey(ctx, tenant.ID, agent.ID, "\xff")
	wantCode(t, err, assist.EINVALID)
}

func TestAuthenticateRefusesUnknownTokens(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	shop(t, s)
	for _, tok := range []string{
		"",
		"garbage",
		auth.APIKeyPrefix,
		auth.APIKeyPrefix + "not-a-key",
		auth.SessionPrefix + "not-a-session",
		"ct.some-tenant.secret", // a customer token is not a staff credential
		"Bearer " + auth.SessionPrefix + "x",
	} {
		p, err := s.Authenticate(ctx, tok)
		wantCode(t, err, assist.EUNAUTHORIZED)
		if p != (assist.Principal{}) {
			t.Errorf("Authenticate(%q) = %+v", tok, p)
		}
	}
}

func TestPurgeExpiredSessions(t *testing.T) {
	s, clk := newService(t)
	s.SessionTTL = time.Hour
	ctx := context.Background()
	shop(t, s)
	oldTok, _, _, err := s.Login(ctx, "shop", "ann@shop.example", password)
	if err != nil {
		t.Fatal(err)
	}
	clk.t = t0.Add(30 * time.Minute)
	newTok, _, _, err := s.Login(ctx, "shop", "admin@shop.example", password)
	if err != nil {
		t.Fatal(err)
	}
	clk.t = t0.Add(time.Hour) // the first session has just expired
	if n, err := s.PurgeExpiredSessions(ctx); err != nil || n != 1 {
		t.Fatalf("PurgeExpiredSessions = %d, %v; want 1", n, err)
	}
	clk.t = t0.Add(time.Hour - time.Minute) // even back in time, the purged one is gone
	if _, err := s.Authenticate(ctx, oldTok); assist.ErrorCode(err) != assist.EUNAUTHORIZED {
		t.Errorf("purged session: %v", err)
	}
	if _, err := s.Authenticate(ctx, newTok); err != nil {
		t.Errorf("live session: %v", err)
	}
}
