package auth

import (
	"context"
	"time"

	"github.com/assistd/assist"
)

// Store keeps tenants, staff users, API keys and login sessions.
//
// Errors: a missing row returns an *assist.Error with code
// assist.ENOTFOUND; a duplicate (tenant slug, user e-mail within a tenant)
// returns code assist.ECONFLICT. CreateUser in an unknown tenant and
// DeleteSession of an unknown session return assist.ENOTFOUND.
type Store interface {
	CreateTenant(ctx context.Context, t *assist.Tenant) error
	Tenant(ctx context.Context, id string) (*assist.Tenant, error)
	TenantBySlug(ctx context.Context, slug string) (*assist.Tenant, error)
	// ListTenants returns every tenant, by slug.
	ListTenants(ctx context.Context) ([]*assist.Tenant, error)

	// RotateCustomerSecret stores sec and, in the same transaction, sets
	// the expiry of every other secret of its tenant that has none or a
	// later one to retireAt. An unknown tenant returns ENOTFOUND.
	RotateCustomerSecret(ctx context.Context, sec *CustomerSecret, retireAt time.Time) error
	// CustomerSecrets returns the tenant's secrets that have not expired
	// at now, newest first.
	CustomerSecrets(ctx context.Context, tenantID string, now time.Time) ([]*CustomerSecret, error)

	CreateUser(ctx context.Context, u *assist.User) error
	User(ctx context.Context, tenantID, id string) (*assist.User, error)
	// UserByEmail matches the e-mail case-insensitively.
	UserByEmail(ctx context.Context, tenantID, email string) (*assist.User, error)
	ListUsers(ctx context.Context, tenantID string) ([]*assist.User, error)

	CreateAPIKey(ctx context.Context, k *APIKey) error
	// APIKeyByHash returns the key whose Hash equals hash.
	APIKeyByHash(ctx context.Context, hash []byte) (*APIKey, error)

	CreateSession(ctx context.Context, s *Session) error
	// SessionByHash returns the session whose Hash equals hash, expired or not.
	SessionByHash(ctx context.Context, hash []byte) (*Session, error)
	DeleteSession(ctx context.Context, hash []byte) error
	// DeleteUserSessions deletes every session of the user in the tenant
	// and returns how many; none is not an error.
	DeleteUserSessions(ctx context.Context, tenantID, userID string) (int, error)
	// DeleteExpiredSessions deletes every session, of any tenant, that
	// expired at or before before, and returns how many.
	DeleteExpiredSessions(ctx context.Context, before time.Time) (int, error)
}

// APIKey lets a program act as a staff member. Only the SHA-256 of the
// secret is stored.
type APIKey struct {
	ID        string      `json:"id"`
	TenantID  string      `json:"tenant_id"`
	UserID    string      `json:"user_id"`
	Name      string      `json:"name"`
	Role      assist.Role `json:"role"`
	Hash      []byte      `json:"-"`
	CreatedAt time.Time   `json:"created_at"`
}

// Session is a staff login. Only the SHA-256 of the token is stored.
type Session struct {
	Hash      []byte
	TenantID  string
	UserID    string
	Role      assist.Role
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CustomerSecret is a tenant's secret for the shop's signatures of its
// customers (conversation.CustomerSignature). The shop holds it too.
type CustomerSecret struct {
	ID        string
	TenantID  string
	Secret    []byte
	CreatedAt time.Time
	ExpiresAt time.Time // zero: until the next rotation
}
