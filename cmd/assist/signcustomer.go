package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/store/sqlite"
)

// SignCustomerCmd prints a signed customer_ref, what a shop's server adds
// to the create-conversation request of its logged-in customer.
type SignCustomerCmd struct {
	Tenant string        `help:"The tenant's slug (default: demo.tenant)." placeholder:"SLUG"`
	Ref    string        `help:"The shop's customer reference." required:"" placeholder:"REF"`
	TTL    time.Duration `name:"ttl" help:"How long the signature is good for (at most 24h)." default:"1h"`
}

// Run implements the command. The secret is the tenant's newest own
// secret (assist tenant create, or the demo tenant's from serve --demo),
// or else, for a tenant without one, auth.customer_secret.
func (s *SignCustomerCmd) Run(g *Globals) error {
	cfg, err := g.LoadConfig(nil)
	if err != nil {
		return err
	}
	tenant := tenantSlug(cfg, s.Tenant)
	switch {
	case strings.TrimSpace(s.Ref) == "":
		return fmt.Errorf("--ref is empty")
	case tenant == "":
		return fmt.Errorf("--tenant is empty")
	case s.TTL <= 0 || s.TTL > conversation.MaxCustomerTTL:
		return fmt.Errorf("--ttl must be more than 0 and at most %s", conversation.MaxCustomerTTL)
	}
	secret, err := tenantSecret(g.Ctx, cfg, tenant)
	if err != nil {
		return err
	}
	if secret == "" {
		if secret, err = customerSecret(cfg, tenant); err != nil {
			return err
		}
	}
	f := signCustomer(secret, tenant, s.Ref, time.Now().Add(s.TTL))
	b, _ := json.MarshalIndent(f, "", "  ")
	fmt.Fprintf(g.Stdout, "%s\n", b)
	return nil
}

// tenantSecret is the newest customer-signing secret of the tenant with
// the slug (`assist tenant create`, `rotate-secret`), or "" when the
// database or the tenant has none.
func tenantSecret(ctx context.Context, cfg Config, slug string) (string, error) {
	if _, err := os.Stat(cfg.Store.Path); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	db, err := sqlite.Open(ctx, cfg.Store.Path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	a := newAuthService(db, cfg)
	t, err := a.Store.TenantBySlug(ctx, slug)
	if assist.ErrorCode(err) == assist.ENOTFOUND {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	secrets, err := a.CustomerSecrets(ctx, t.ID)
	if err != nil || len(secrets) == 0 {
		return "", err
	}
	return string(secrets[0]), nil
}

// customerSecret is the installation's secret, auth.customer_secret,
// which signs for the tenants without a secret of their own.
func customerSecret(cfg Config, tenant string) (string, error) {
	if cfg.Auth.CustomerSecret == "" {
		return "", fmt.Errorf("no customer secret for tenant %q: it has none of its own (assist tenant create, or `assist serve --demo` once for the demo tenant; database %s) and auth.customer_secret is empty", tenant, cfg.Store.Path)
	}
	return cfg.Auth.CustomerSecret, nil
}
