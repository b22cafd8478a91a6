package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/auth"
)

// Auth runs the conformance suite of auth.Store. open returns a new, empty
// store for each subtest.
func Auth(t *testing.T, open func(t *testing.T) auth.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s auth.Store)
	}{
		{"Tenants", testTenants},
		{"Users", testUsers},
		{"UserByEmail", testUserByEmail},
		{"UserConflicts", testUserConflicts},
		{"APIKeys", testAPIKeys},
		{"Sessions", testSessions},
		{"CustomerSecrets", testCustomerSecrets},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, open(t)) })
	}
}

func normTenant(t assist.Tenant) assist.Tenant {
	t.CreatedAt = normTime(t.CreatedAt)
	return t
}

func normUser(u assist.User) assist.User {
	u.CreatedAt = normTime(u.CreatedAt)
	return u
}

func normAPIKey(k auth.APIKey) auth.APIKey {
	k.CreatedAt = normTime(k.CreatedAt)
	k.Hash = normBytes(k.Hash)
	return k
}

func normSession(s auth.Session) auth.Session {
	s.CreatedAt, s.ExpiresAt = normTime(s.CreatedAt), normTime(s.ExpiresAt)
	s.Hash = normBytes(s.Hash)
	return s
}

func createTenant(t *testing.T, s auth.Store, slug string) *assist.Tenant {
	t.Helper()
	tn := &assist.Tenant{ID: newID(), Slug: slug, Name: strings.ToUpper(slug), CreatedAt: t0}
	must(t, s.CreateTenant(t.Context(), tn))
	return tn
}

func createUser(t *testing.T, s auth.Store, tenantID, email string, role assist.Role) *assist.User {
	t.Helper()
	u := &assist.User{
		ID: newID(), TenantID: tenantID, Email: email, Name: email, Role: role,
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", CreatedAt: at(1),
	}
	must(t, s.CreateUser(t.Context(), u))
	return u
}

func emails(list []*assist.User) []string {
	out := ids(list, func(u *assist.User) string { return u.Email })
	slices.Sort(out)
	return out
}

func testTenants(t *testing.T, s auth.Store) {
	acme := &assist.Tenant{ID: newID(), Slug: "acme", Name: "ACME 商城", CreatedAt: t0}
	must(t, s.CreateTenant(t.Context(), acme))
	globex := createTenant(t, s, "globex")

	t.Run("get", func(t *testing.T) {
		for _, want := range []*assist.Tenant{acme, globex} {
			got, err := s.Tenant(t.Context(), want.ID)
			must(t, err)
			same(t, "Tenant", got, want, normTenant)
			got, err = s.TenantBySlug(t.Context(), want.Slug)
			must(t, err)
			same(t, "TenantBySlug", got, want, normTenant)
		}
	})
	t.Run("not found", func(t *testing.T) {
		_, err := s.Tenant(t.Context(), newID())
		wantCode(t, err, assist.ENOTFOUND)
		_, err = s.TenantBySlug(t.Context(), "initech")
		wantCode(t, err, assist.ENOTFOUND)
	})
	tests := []struct {
		name string
		t    *assist.Tenant
	}{
		{"duplicate slug", &assist.Tenant{ID: newID(), Slug: "acme", Name: "Other", CreatedAt: t0}},
		{"duplicate id", &assist.Tenant{ID: acme.ID, Slug: "initech", Name: "Initech", CreatedAt: t0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, s.CreateTenant(t.Context(), tt.t), assist.ECONFLICT)
		})
	}
	got, err := s.TenantBySlug(t.Context(), "acme")
	must(t, err)
	same(t, "TenantBySlug after conflicts", got, acme, normTenant)
	_, err = s.TenantBySlug(t.Context(), "initech")
	wantCode(t, err, assist.ENOTFOUND)
}

func testUsers(t *testing.T, s auth.Store) {
	a, b := createTenant(t, s, "a"), createTenant(t, s, "b")
	ua := createUser(t, s, a.ID, "li.wei@example.com", assist.RoleAgent)
	ua2 := createUser(t, s, a.ID, "admin@example.com", assist.RoleAdmin)
	ub := createUser(t, s, b.ID, "li.wei@example.com", assist.RoleSupervisor)

	t.Run("get", func(t *testing.T) {
		for _, want := range []*assist.User{ua, ua2, ub} {
			got, err := s.User(t.Context(), want.TenantID, want.ID)
			must(t, err)
			same(t, "User", got, want, normUser)
		}
	})
	t.Run("tenant isolation", func(t *testing.T) {
		_, err := s.User(t.Context(), b.ID, ua.ID)
		wantCode(t, err, assist.ENOTFOUND)
		_, err = s.User(t.Context(), a.ID, ub.ID)
		wantCode(t, err, assist.ENOTFOUND)
		got, err := s.UserByEmail(t.Context(), b.ID, "li.wei@example.com")
		must(t, err)
		same(t, "UserByEmail(b)", got, ub, normUser)
		_, err = s.UserByEmail(t.Context(), b.ID, "admin@example.com")
		wantCode(t, err, assist.ENOTFOUND)
	})
	t.Run("not found", func(t *testing.T) {
		_, err := s.User(t.Context(), a.ID, newID())
		wantCode(t, err, assist.ENOTFOUND)
		_, err = s.UserByEmail(t.Context(), a.ID, "nobody@example.com")
		wantCode(t, err, assist.ENOTFOUND)
	})
	t.Run("list", func(t *testing.T) {
		tests := []struct {
			tenant string
			want   []*assist.User
		}{
			{a.ID, []*assist.User{ua2, ua}},
			{b.ID, []*assist.User{ub}},
			{newID(), nil},
		}
		for _, tt := range tests {
			list, err := s.ListUsers(t.Context(), tt.tenant)
			must(t, err)
			sameIDs(t, "ListUsers", emails(list), emails(tt.want))
			for _, u := range list {
				i := slices.IndexFunc(tt.want, func(w *assist.User) bool { return w.ID == u.ID })
				if i < 0 {
					t.Errorf("ListUsers(%s) returned user %s of tenant %s", tt.tenant, u.ID, u.TenantID)
					continue
				}
				same(t, "ListUsers", u, tt.want[i], normUser)
			}
		}
	})
}

func testUserByEmail(t *testing.T, s auth.Store) {
	a := createTenant(t, s, "a")
	u := createUser(t, s, a.ID, "Li.Wei@Example.com", assist.RoleAgent)
	tests := []struct {
		email string
		found bool
	}{
		{"Li.Wei@Example.com", true},
		{"li.wei@example.com", true},
		{"LI.WEI@EXAMPLE.COM", true},
		{"lI.wEi@eXaMpLe.CoM", true},
		{"li.wei@example.co", false},
		{"liwei@example.com", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.email, func(t *testing.T) {
			got, err := s.UserByEmail(t.Context(), a.ID, tt.email)
			if !tt.found {
				wantCode(t, err, assist.ENOTFOUND)
				return
			}
			must(t, err)
			same(t, "UserByEmail", got, u, normUser)
		})
	}
}

func testUserConflicts(t *testing.T, s auth.Store) {
	a, b := createTenant(t, s, "a"), createTenant(t, s, "b")
	u := createUser(t, s, a.ID, "li.wei@example.com", assist.RoleAgent)
	tests := []struct {
		name string
		u    *assist.User
		code string // "" for success
	}{
		{"same e-mail", &assist.User{ID: newID(), TenantID: a.ID, Email: "li.wei@example.com"}, assist.ECONFLICT},
		{"same e-mail in other case", &assist.User{ID: newID(), TenantID: a.ID, Email: "LI.Wei@Example.COM"}, assist.ECONFLICT},
		{"same id", &assist.User{ID: u.ID, TenantID: a.ID, Email: "other@example.com"}, assist.ECONFLICT},
		{"unknown tenant", &assist.User{ID: newID(), TenantID: newID(), Email: "x@example.com"}, assist.ENOTFOUND},
		{"same e-mail in other tenant", &assist.User{ID: newID(), TenantID: b.ID, Email: "LI.WEI@example.com"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.u.Name, tt.u.Role, tt.u.CreatedAt = "someone", assist.RoleAgent, t0
			err := s.CreateUser(t.Context(), tt.u)
			if tt.code == "" {
				must(t, err)
				return
			}
			wantCode(t, err, tt.code)
		})
	}
	list, err := s.ListUsers(t.Context(), a.ID)
	must(t, err)
	sameIDs(t, "ListUsers(a)", emails(list), []string{"li.wei@example.com"})
}

func testAPIKeys(t *testing.T, s auth.Store) {
	a, b := createTenant(t, s, "a"), createTenant(t, s, "b")
	ua := createUser(t, s, a.ID, "bot@a.example", assist.RoleAgent)
	ub := createUser(t, s, b.ID, "bot@b.example", assist.RoleAdmin)
	ka := &auth.APIKey{ID: newID(), TenantID: a.ID, UserID: ua.ID, Name: "shop backend", Role: assist.RoleAgent, Hash: hash("secret-a"), CreatedAt: t0}
	kb := &auth.APIKey{ID: newID(), TenantID: b.ID, UserID: ub.ID, Name: "importer", Role: assist.RoleKnowledge, Hash: hash("secret-b"), CreatedAt: at(1)}
	must(t, s.CreateAPIKey(t.Context(), ka))
	must(t, s.CreateAPIKey(t.Context(), kb))

	tests := []struct {
		name   string
		secret string
		want   *auth.APIKey // nil: not found
	}{
		{"tenant a", "secret-a", ka},
		{"tenant b", "secret-b", kb},
		{"unknown", "secret-c", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.APIKeyByHash(t.Context(), hash(tt.secret))
			if tt.want == nil {
				wantCode(t, err, assist.ENOTFOUND)
				return
			}
			must(t, err)
			same(t, "APIKeyByHash", got, tt.want, normAPIKey)
		})
	}
	t.Run("duplicate hash", func(t *testing.T) {
		dup := *kb
		dup.ID = newID()
		wantCode(t, s.CreateAPIKey(t.Context(), &dup), assist.ECONFLICT)
		got, err := s.APIKeyByHash(t.Context(), kb.Hash)
		must(t, err)
		same(t, "APIKeyByHash after conflict", got, kb, normAPIKey)
	})
}

func testSessions(t *testing.T, s auth.Store) {
	a := createTenant(t, s, "a")
	u := createUser(t, s, a.ID, "agent@a.example", assist.RoleAgent)
	live := &auth.Session{Hash: hash("live"), TenantID: a.ID, UserID: u.ID, Role: assist.RoleAgent, CreatedAt: at(1), ExpiresAt: at(60 * 24 * 365 * 100)}
	expired := &auth.Session{Hash: hash("expired"), TenantID: a.ID, UserID: u.ID, Role: assist.RoleAgent, CreatedAt: t0, ExpiresAt: at(1)}
	must(t, s.CreateSession(t.Context(), live))
	must(t, s.CreateSession(t.Context(), expired))

	lookup := func(t *testing.T, want *auth.Session, h []byte) {
		t.Helper()
		got, err := s.SessionByHash(t.Context(), h)
		if want == nil {
			wantCode(t, err, assist.ENOTFOUND)
			return
		}
		must(t, err)
		same(t, "SessionByHash", got, want, normSession)
	}
	t.Run("get", func(t *testing.T) {
		lookup(t, live, live.Hash)
		lookup(t, expired, expired.Hash)
		lookup(t, nil, hash("unknown"))
	})
	t.Run("duplicate", func(t *testing.T) {
		dup := *live
		dup.ExpiresAt = at(2)
		wantCode(t, s.CreateSession(t.Context(), &dup), assist.ECONFLICT)
		lookup(t, live, live.Hash)
	})
	t.Run("delete", func(t *testing.T) {
		must(t, s.DeleteSession(t.Context(), live.Hash))
		lookup(t, nil, live.Hash)
		lookup(t, expired, expired.Hash)
		wantCode(t, s.DeleteSession(t.Context(), live.Hash), assist.ENOTFOUND)
		wantCode(t, s.DeleteSession(t.Context(), hash("unknown")), assist.ENOTFOUND)
	})
	t.Run("delete expired", func(t *testing.T) {
		b := createTenant(t, s, "b-expiring")
		ub := createUser(t, s, b.ID, "agent@b.example", assist.RoleAgent)
		old := &auth.Session{Hash: hash("old-b"), TenantID: b.ID, UserID: ub.ID, Role: assist.RoleAgent, CreatedAt: t0, ExpiresAt: at(2)}
		fresh := &auth.Session{Hash: hash("fresh-b"), TenantID: b.ID, UserID: ub.ID, Role: assist.RoleAgent, CreatedAt: t0, ExpiresAt: at(10)}
		must(t, s.CreateSession(t.Context(), old))
		must(t, s.CreateSession(t.Context(), fresh))
		n, err := s.DeleteExpiredSessions(t.Context(), at(2))
		must(t, err)
		if n != 2 { // "expired" of tenant a (at 1) and "old-b" (at 2), of any tenant
			t.Fatalf("DeleteExpiredSessions = %d, want 2", n)
		}
		lookup(t, nil, expired.Hash)
		lookup(t, nil, old.Hash)
		lookup(t, fresh, fresh.Hash)
		n, err = s.DeleteExpiredSessions(t.Context(), at(2))
		must(t, err)
		if n != 0 {
			t.Fatalf("second DeleteExpiredSessions = %d, want 0", n)
		}
	})
	t.Run("delete a user's sessions", func(t *testing.T) {
		c := createTenant(t, s, "c-revoking")
		uc := createUser(t, s, c.ID, "agent@c.example", assist.RoleAgent)
		other := createUser(t, s, c.ID, "other@c.example", assist.RoleAgent)
		one := &auth.Session{Hash: hash("one-c"), TenantID: c.ID, UserID: uc.ID, Role: assist.RoleAgent, CreatedAt: t0, ExpiresAt: at(100)}
		two := &auth.Session{Hash: hash("two-c"), TenantID: c.ID, UserID: uc.ID, Role: assist.RoleAgent, CreatedAt: t0, ExpiresAt: at(100)}
		kept := &auth.Session{Hash: hash("kept-c"), TenantID: c.ID, UserID: other.ID, Role: assist.RoleAgent, CreatedAt: t0, ExpiresAt: at(100)}
		for _, x := range []*auth.Session{one, two, kept} {
			must(t, s.CreateSession(t.Context(), x))
		}
		// Another tenant's id for the user deletes nothing.
		n, err := s.DeleteUserSessions(t.Context(), a.ID, uc.ID)
		must(t, err)
		if n != 0 {
			t.Fatalf("DeleteUserSessions in the wrong tenant = %d, want 0", n)
		}
		n, err = s.DeleteUserSessions(t.Context(), c.ID, uc.ID)
		must(t, err)
		if n != 2 {
			t.Fatalf("DeleteUserSessions = %d, want 2", n)
		}
		lookup(t, nil, one.Hash)
		lookup(t, nil, two.Hash)
		lookup(t, kept, kept.Hash)
	})
}

func testCustomerSecrets(t *testing.T, s auth.Store) {
	b := createTenant(t, s, "b-secrets")
	a := createTenant(t, s, "a-secrets")
	list, err := s.ListTenants(t.Context())
	must(t, err)
	if len(list) != 2 || list[0].Slug != "a-secrets" || list[1].Slug != "b-secrets" {
		t.Fatalf("ListTenants = %+v, want a-secrets then b-secrets", list)
	}
	secrets := func(tenantID string, now time.Time) []string {
		t.Helper()
		cs, err := s.CustomerSecrets(t.Context(), tenantID, now)
		must(t, err)
		var out []string
		for _, c := range cs {
			if c.TenantID != tenantID {
				t.Fatalf("secret %s of tenant %s listed for %s", c.ID, c.TenantID, tenantID)
			}
			out = append(out, string(c.Secret))
		}
		return out
	}
	first := &auth.CustomerSecret{ID: newID(), TenantID: a.ID, Secret: []byte("first"), CreatedAt: at(0)}
	must(t, s.RotateCustomerSecret(t.Context(), first, at(0)))
	must(t, s.RotateCustomerSecret(t.Context(), &auth.CustomerSecret{ID: newID(), TenantID: b.ID, Secret: []byte("b's"), CreatedAt: at(0)}, at(0)))
	// Rotating at minute 10 with an hour's overlap: both until 70.
	second := &auth.CustomerSecret{ID: newID(), TenantID: a.ID, Secret: []byte("second"), CreatedAt: at(10)}
	must(t, s.RotateCustomerSecret(t.Context(), second, at(70)))
	if got := secrets(a.ID, at(20)); !slices.Equal(got, []string{"second", "first"}) {
		t.Errorf("during the overlap: %q, want second then first", got)
	}
	if got := secrets(a.ID, at(70)); !slices.Equal(got, []string{"second"}) {
		t.Errorf("after the overlap: %q, want second", got)
	}
	// A second rotation never extends an older secret's life.
	third := &auth.CustomerSecret{ID: newID(), TenantID: a.ID, Secret: []byte("third"), CreatedAt: at(20)}
	must(t, s.RotateCustomerSecret(t.Context(), third, at(200)))
	if got := secrets(a.ID, at(100)); !slices.Equal(got, []string{"third", "second"}) {
		t.Errorf("after a second rotation: %q, want third then second", got)
	}
	if got := secrets(b.ID, at(100)); !slices.Equal(got, []string{"b's"}) {
		t.Errorf("the other tenant's secrets: %q", got)
	}
	wantCode(t, s.RotateCustomerSecret(t.Context(), &auth.CustomerSecret{ID: newID(), TenantID: "nope", Secret: []byte("x"), CreatedAt: at(0)}, at(0)), assist.ENOTFOUND)
	wantCode(t, s.RotateCustomerSecret(t.Context(), &auth.CustomerSecret{ID: third.ID, TenantID: a.ID, Secret: []byte("x"), CreatedAt: at(30)}, at(30)), assist.ECONFLICT)
	if got := secrets(a.ID, at(100)); !slices.Equal(got, []string{"third", "second"}) {
		t.Errorf("a refused rotation changed the secrets: %q", got)
	}
}
