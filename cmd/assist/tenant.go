package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/auth"
	"github.com/assistd/assist/store/sqlite"
)

// TenantCmd manages the shops (tenants) of an installation: what a
// platform operator does from the command line (the same as the
// /v1/platform API).
type TenantCmd struct {
	Create       TenantCreateCmd `cmd:"" help:"Create a shop: its tenant, customer-signing secret and, with --admin-email, its first admin."`
	List         TenantListCmd   `cmd:"" help:"List the shops."`
	RotateSecret TenantRotateCmd `cmd:"" name:"rotate-secret" help:"Give a shop a new customer-signing secret; the old one works for --overlap more."`
}

// withAuth opens the database of store.path and runs fn with its auth
// service.
func withAuth(g *Globals, create bool, fn func(ctx context.Context, a *auth.Service) error) error {
	cfg, err := g.LoadConfig(nil)
	if err != nil {
		return err
	}
	if create {
		if err := os.MkdirAll(filepath.Dir(cfg.Store.Path), 0o700); err != nil {
			return fmt.Errorf("data folder: %w", err)
		}
	}
	db, err := sqlite.Open(g.Ctx, cfg.Store.Path)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(g.Ctx, newAuthService(db, cfg))
}

// TenantCreateCmd creates a shop.
type TenantCreateCmd struct {
	Slug       string `arg:"" help:"The shop's slug: 1-64 lowercase letters, digits or '-'."`
	Name       string `help:"The shop's display name (default: the slug)."`
	AdminEmail string `name:"admin-email" help:"Create the shop's first admin with this e-mail and a random password (printed once)." placeholder:"EMAIL"`
}

// Run implements the command. The customer-signing secret and the
// admin's password are printed once and never again.
func (c *TenantCreateCmd) Run(g *Globals) error {
	return withAuth(g, true, func(ctx context.Context, a *auth.Service) error {
		t, secret, err := a.CreateTenant(ctx, c.Slug, c.Name)
		if err != nil {
			return fmt.Errorf("tenant create: %s", assist.ErrorMessage(err))
		}
		fmt.Fprintf(g.Stdout, "tenant %s created (id %s)\ncustomer secret (shown once; the shop's server signs customer_ref with it): %s\n", t.Slug, t.ID, secret)
		if c.AdminEmail == "" {
			return nil
		}
		var b [18]byte
		if _, err := rand.Read(b[:]); err != nil {
			return err
		}
		password := base64.RawURLEncoding.EncodeToString(b[:])
		u, err := a.CreateUser(ctx, t.ID, auth.NewUser{Email: c.AdminEmail, Name: c.AdminEmail, Role: assist.RoleAdmin, Password: password})
		if err != nil {
			return fmt.Errorf("tenant create: the tenant exists, its admin could not be made: %s", assist.ErrorMessage(err))
		}
		fmt.Fprintf(g.Stdout, "admin %s created; password (shown once): %s\n", u.Email, password)
		return nil
	})
}

// TenantListCmd lists the shops.
type TenantListCmd struct{}

// Run implements the command.
func (TenantListCmd) Run(g *Globals) error {
	return withAuth(g, false, func(ctx context.Context, a *auth.Service) error {
		ts, err := a.ListTenants(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(g.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "SLUG\tNAME\tID\tCREATED")
		for _, t := range ts {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", t.Slug, t.Name, t.ID, t.CreatedAt.Format(time.RFC3339))
		}
		return w.Flush()
	})
}

// TenantRotateCmd rotates a shop's customer-signing secret.
type TenantRotateCmd struct {
	Slug    string        `arg:"" help:"The shop's slug."`
	Overlap time.Duration `help:"How long the current secret keeps working (at most 720h)." default:"24h"`
}

// Run implements the command.
func (c *TenantRotateCmd) Run(g *Globals) error {
	return withAuth(g, false, func(ctx context.Context, a *auth.Service) error {
		t, err := a.Store.TenantBySlug(ctx, c.Slug)
		if err != nil {
			return fmt.Errorf("tenant rotate-secret: %s", assist.ErrorMessage(err))
		}
		secret, sec, err := a.RotateCustomerSecret(ctx, t.ID, c.Overlap)
		if err != nil {
			return fmt.Errorf("tenant rotate-secret: %s", assist.ErrorMessage(err))
		}
		fmt.Fprintf(g.Stdout, "new customer secret of %s (shown once): %s\nthe previous secrets work until %s\n", t.Slug, secret, sec.CreatedAt.Add(c.Overlap).Format(time.RFC3339))
		return nil
	})
}
