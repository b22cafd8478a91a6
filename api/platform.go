package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/assistd/assist"
	"github.com/assistd/assist/auth"
)

// The platform API (/v1/platform/...) is for the operator of an
// installation, above every shop: it creates shops and rotates their
// customer-signing secrets. Its credential is Config.OperatorToken, sent
// as a Bearer token; staff tokens of any shop are refused.

// TenantJSON is a shop as the platform API shows it.
type TenantJSON struct {
	ID        string    `json:"id"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// TenantsResponse lists the shops.
type TenantsResponse struct {
	Tenants []TenantJSON `json:"tenants"`
}

// CreateTenantRequest creates a shop.
type CreateTenantRequest struct {
	Slug string `json:"slug"`
	Name string `json:"name,omitempty"`
}

// CreateTenantResponse is the new shop and its customer-signing secret,
// shown only here.
type CreateTenantResponse struct {
	Tenant         TenantJSON `json:"tenant"`
	CustomerSecret string     `json:"customer_secret"`
}

// RotateSecretRequest says how long the shop's current secrets keep
// working (0 or absent: auth.DefaultSecretOverlap).
type RotateSecretRequest struct {
	OverlapSeconds int64 `json:"overlap_seconds,omitempty"`
}

// RotateSecretResponse is the new secret, shown only here, and until when
// the previous ones still verify.
type RotateSecretResponse struct {
	CustomerSecret     string    `json:"customer_secret"`
	PreviousValidUntil time.Time `json:"previous_valid_until"`
}

func toTenant(t *assist.Tenant) TenantJSON {
	return TenantJSON{ID: t.ID, Slug: t.Slug, Name: t.Name, CreatedAt: t.CreatedAt}
}

// requireOperator lets through only the platform operator's token,
// compared in constant time.
func (s *Server) requireOperator(next gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.cfg.OperatorToken == "" {
			s.writeError(c, assist.Errorf(assist.EFORBIDDEN, "the platform API is off: set auth.operator_token"))
			return
		}
		tok := headerToken(c)
		if tok == "" {
			s.writeError(c, assist.Errorf(assist.EUNAUTHORIZED, "missing credentials: send Authorization: Bearer <operator token>"))
			return
		}
		want, got := sha256.Sum256([]byte(s.cfg.OperatorToken)), sha256.Sum256([]byte(tok))
		if subtle.ConstantTimeCompare(want[:], got[:]) != 1 {
			s.writeError(c, assist.Errorf(assist.EUNAUTHORIZED, "invalid operator token"))
			return
		}
		next(c)
	}
}

func (s *Server) platformTenants(c *gin.Context) {
	ts, err := s.Auth.ListTenants(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	out := TenantsResponse{Tenants: []TenantJSON{}}
	for _, t := range ts {
		out.Tenants = append(out.Tenants, toTenant(t))
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) platformCreateTenant(c *gin.Context) {
	var req CreateTenantRequest
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	t, secret, err := s.Auth.CreateTenant(c.Request.Context(), req.Slug, req.Name)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, CreateTenantResponse{Tenant: toTenant(t), CustomerSecret: secret})
}

func (s *Server) platformRotateSecret(c *gin.Context) {
	var req RotateSecretRequest
	if c.Request.ContentLength != 0 {
		if err := bind(c, &req); err != nil {
			s.writeError(c, err)
			return
		}
	}
	overlap := auth.DefaultSecretOverlap
	if req.OverlapSeconds != 0 {
		if req.OverlapSeconds < 0 || req.OverlapSeconds > int64(auth.MaxSecretOverlap/time.Second) {
			s.writeError(c, assist.Errorf(assist.EINVALID, "overlap_seconds must be between 0 and %d", int64(auth.MaxSecretOverlap/time.Second)))
			return
		}
		overlap = time.Duration(req.OverlapSeconds) * time.Second
	}
	ctx := c.Request.Context()
	t, err := s.Auth.Store.TenantBySlug(ctx, c.Param("slug"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	secret, sec, err := s.Auth.RotateCustomerSecret(ctx, t.ID, overlap)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, RotateSecretResponse{CustomerSecret: secret, PreviousValidUntil: sec.CreatedAt.Add(overlap)})
}
