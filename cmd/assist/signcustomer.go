package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/assistd/assist/conversation"
)

// SignCustomerCmd prints a signed customer_ref, what a shop's server adds
// to the create-conversation request of its logged-in customer.
type SignCustomerCmd struct {
	Tenant string        `help:"The tenant's slug (default: demo.tenant)." placeholder:"SLUG"`
	Ref    string        `help:"The shop's customer reference." required:"" placeholder:"REF"`
	TTL    time.Duration `name:"ttl" help:"How long the signature is good for (at most 24h)." default:"1h"`
}

// Run implements the command. The secret is auth.customer_secret or, when
// that is empty, the demo's (demo-credentials.json next to store.path).
func (s *SignCustomerCmd) Run(g *Globals) error {
	cfg, err := g.LoadConfig(nil)
	if err != nil {
		return err
	}
	tenant := s.Tenant
	if tenant == "" {
		tenant = cfg.Demo.Tenant
	}
	switch {
	case strings.TrimSpace(s.Ref) == "":
		return fmt.Errorf("--ref is empty")
	case tenant == "":
		return fmt.Errorf("--tenant is empty")
	case s.TTL <= 0 || s.TTL > conversation.MaxCustomerTTL:
		return fmt.Errorf("--ttl must be more than 0 and at most %s", conversation.MaxCustomerTTL)
	}
	secret, err := customerSecret(cfg)
	if err != nil {
		return err
	}
	f := signCustomer(secret, tenant, s.Ref, time.Now().Add(s.TTL))
	b, _ := json.MarshalIndent(f, "", "  ")
	fmt.Fprintf(g.Stdout, "%s\n", b)
	return nil
}

// customerSecret is the secret customer signatures are checked with:
// auth.customer_secret, else the one `serve --demo` keeps in the demo
// credentials.
func customerSecret(cfg Config) (string, error) {
	if cfg.Auth.CustomerSecret != "" {
		return cfg.Auth.CustomerSecret, nil
	}
	path := demoCredentialsPath(cfg)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("no customer secret: set auth.customer_secret, or run `assist serve --demo` once to make the demo's (%s)", path)
	}
	if err != nil {
		return "", fmt.Errorf("demo credentials: %w", err)
	}
	var creds demoCredentials
	if err := json.Unmarshal(b, &creds); err != nil {
		return "", fmt.Errorf("demo credentials %s: %w", path, err)
	}
	if creds.CustomerSecret == "" {
		return "", fmt.Errorf("no customer secret in %s: set auth.customer_secret, or run `assist serve --demo` once to add the demo's", path)
	}
	return creds.CustomerSecret, nil
}
