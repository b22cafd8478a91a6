package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/assistd/assist"
)

// CustomerSecretPrefix starts every customer-signing secret.
const CustomerSecretPrefix = "cs."

// Customer-secret rotation limits.
const (
	DefaultSecretOverlap = 24 * time.Hour      // how long the old secret still works after a rotation
	MaxSecretOverlap     = 30 * 24 * time.Hour // the longest overlap RotateCustomerSecret accepts
)

// CreateTenant creates a shop, for a platform operator: the tenant and
// its first customer-signing secret (shown once, for the shop's server).
// A slug already taken is ECONFLICT; a malformed one EINVALID.
func (s *Service) CreateTenant(ctx context.Context, slug, name string) (*assist.Tenant, string, error) {
	if !validSlug(slug) {
		return nil, "", assist.Errorf(assist.EINVALID, "tenant slug must be 1-64 lowercase letters, digits or '-'")
	}
	if name == "" {
		name = slug
	}
	if len(name) > 200 {
		return nil, "", assist.Errorf(assist.EINVALID, "tenant name must be at most 200 bytes")
	}
	t := &assist.Tenant{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, Name: name, CreatedAt: s.now()}
	if err := s.Store.CreateTenant(ctx, t); err != nil {
		return nil, "", err
	}
	secret, _, err := s.RotateCustomerSecret(ctx, t.ID, 0)
	if err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// ListTenants returns every tenant, by slug.
func (s *Service) ListTenants(ctx context.Context) ([]*assist.Tenant, error) {
	return s.Store.ListTenants(ctx)
}

// RotateCustomerSecret gives the tenant a new customer-signing secret
// (returned once) and keeps its current ones working for overlap more
// (0: none), so the shop can switch its servers over without refused
// signatures. overlap over MaxSecretOverlap or negative is EINVALID; an
// unknown tenant ENOTFOUND.
func (s *Service) RotateCustomerSecret(ctx context.Context, tenantID string, overlap time.Duration) (string, *CustomerSecret, error) {
	if overlap < 0 || overlap > MaxSecretOverlap {
		return "", nil, assist.Errorf(assist.EINVALID, "the overlap must be between 0 and %s", MaxSecretOverlap)
	}
	tok, _, err := newSecret(CustomerSecretPrefix)
	if err != nil {
		return "", nil, err
	}
	now := s.now()
	sec := &CustomerSecret{ID: uuid.Must(uuid.NewV7()).String(), TenantID: tenantID, Secret: []byte(tok), CreatedAt: now}
	if err := s.Store.RotateCustomerSecret(ctx, sec, now.Add(overlap)); err != nil {
		return "", nil, fmt.Errorf("rotating the customer secret: %w", err)
	}
	return tok, sec, nil
}

// CustomerSecrets returns the secrets the tenant's customer signatures
// are checked with now: the newest first, then those still in their
// overlap.
func (s *Service) CustomerSecrets(ctx context.Context, tenantID string) ([][]byte, error) {
	cs, err := s.Store.CustomerSecrets(ctx, tenantID, s.now())
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(cs))
	for i, c := range cs {
		out[i] = c.Secret
	}
	return out, nil
}

// KeepCustomerSecret makes secret, made elsewhere, the tenant's
// customer-signing secret and retires its others at once: the demo
// tenant's, kept in the demo credentials so signatures already handed
// out stay good across restarts. A secret shorter than 32 bytes is
// EINVALID.
func (s *Service) KeepCustomerSecret(ctx context.Context, tenantID, secret string) error {
	if len(secret) < 32 {
		return assist.Errorf(assist.EINVALID, "a customer secret must be at least 32 characters")
	}
	now := s.now()
	sec := &CustomerSecret{ID: uuid.Must(uuid.NewV7()).String(), TenantID: tenantID, Secret: []byte(secret), CreatedAt: now}
	if err := s.Store.RotateCustomerSecret(ctx, sec, now); err != nil {
		return fmt.Errorf("keeping the customer secret: %w", err)
	}
	return nil
}
