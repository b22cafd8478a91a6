package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/api"
	"github.com/assistd/assist/auth"
	"github.com/assistd/assist/conversation"
)

// demoUser is one seeded staff member of the demo shop.
type demoUser struct {
	Email    string      `json:"email"`
	Name     string      `json:"name"`
	Role     assist.Role `json:"role"`
	Password string      `json:"password"`
}

// demoCredentials is written once, readable only by its owner, next to the
// database, so `make run` can print the same credentials every time.
type demoCredentials struct {
	Tenant string     `json:"tenant"`
	Users  []demoUser `json:"users"`
	// CustomerSecret is the demo tenant's own secret its customer_ref
	// is signed with (see conversation.CustomerSignature); the
	// installation's auth.customer_secret does not sign for it.
	CustomerSecret string `json:"customer_secret,omitempty"`
}

// demoCredentialsPath is where seedDemo keeps the demo credentials.
func demoCredentialsPath(cfg Config) string {
	return filepath.Join(filepath.Dir(cfg.Store.Path), "demo-credentials.json")
}

// seedDemo makes sure the demo tenant exists with an admin and two agents
// and prints their credentials, and a curl command that starts a
// conversation for demo-customer-1 with a signed customer_ref. Passwords
// and the customer secret are random per installation. It returns the
// demo tenant's own customer secret (also in the credentials file).
func seedDemo(ctx context.Context, a *auth.Service, cfg Config, out io.Writer) (string, error) {
	path := demoCredentialsPath(cfg)
	t, _, err := a.EnsureTenant(ctx, cfg.Demo.Tenant, "Demo Shop")
	if err != nil {
		return "", fmt.Errorf("demo tenant: %w", err)
	}
	var creds demoCredentials
	fromFile := false
	if b, err := os.ReadFile(path); err == nil {
		fromFile = true
		if err := json.Unmarshal(b, &creds); err != nil {
			return "", fmt.Errorf("demo credentials %s: %w", path, err)
		}
	}
	// The demo tenant signs with a secret of its own, never the
	// installation's (which covers only tenants without one): the one in
	// the credentials file, so signatures already handed out stay good,
	// or, after `assist tenant rotate-secret`, its newest.
	own, err := a.CustomerSecrets(ctx, t.ID)
	if err != nil {
		return "", fmt.Errorf("demo customer secret: %w", err)
	}
	write := false
	switch {
	case len(own) > 0:
		write = creds.CustomerSecret != string(own[0])
		creds.CustomerSecret = string(own[0])
	default:
		if creds.CustomerSecret == "" {
			creds.CustomerSecret = randomSecret()
		}
		if err := a.KeepCustomerSecret(ctx, t.ID, creds.CustomerSecret); err != nil {
			return "", fmt.Errorf("demo customer secret: %w", err)
		}
		write = true
	}
	secret := creds.CustomerSecret
	if creds.Tenant != cfg.Demo.Tenant || len(creds.Users) == 0 {
		creds = demoCredentials{Tenant: cfg.Demo.Tenant, CustomerSecret: secret, Users: []demoUser{
			{Email: "admin@demo.shop", Name: "Demo Admin", Role: assist.RoleAdmin},
			{Email: "lin.wei@demo.shop", Name: "林伟 Lin Wei", Role: assist.RoleAgent},
			{Email: "emma.clark@demo.shop", Name: "Emma Clark", Role: assist.RoleAgent},
		}}
		for i := range creds.Users {
			creds.Users[i].Password = randomPassword()
		}
	}
	for i, u := range creds.Users {
		_, err := a.Store.UserByEmail(ctx, t.ID, u.Email)
		switch assist.ErrorCode(err) {
		case "":
			if !fromFile {
				creds.Users[i].Password = "(set earlier; not in " + path + ")"
			}
			continue
		case assist.ENOTFOUND:
			if _, err := a.CreateUser(ctx, t.ID, auth.NewUser{Email: u.Email, Name: u.Name, Role: u.Role, Password: u.Password}); err != nil {
				return "", fmt.Errorf("demo user %s: %w", u.Email, err)
			}
			write = true
		default:
			return "", fmt.Errorf("demo user %s: %w", u.Email, err)
		}
	}
	if write {
		b, _ := json.MarshalIndent(creds, "", "  ")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return "", fmt.Errorf("demo credentials: %w", err)
		}
	}
	fmt.Fprintf(out, "\nDemo shop (tenant %q), credentials also in %s:\n", creds.Tenant, path)
	for _, u := range creds.Users {
		fmt.Fprintf(out, "  %-18s %-24s password %s\n", u.Role, u.Email, u.Password)
	}
	f := signCustomer(secret, creds.Tenant, "demo-customer-1", time.Now().Add(conversation.MaxCustomerTTL))
	body, _ := json.Marshal(api.CreateConversationRequest{Tenant: creds.Tenant, Channel: "web",
		CustomerRef: f.CustomerRef, CustomerSig: f.CustomerSig, CustomerExpires: f.CustomerExpires})
	fmt.Fprintf(out, "\nA conversation for the shop's logged-in customer demo-customer-1 (signed for 24 h;\n"+
		"more with: assist sign-customer --tenant %s --ref demo-customer-2):\n"+
		"  curl -s -XPOST http://%s/v1/conversations -d '%s'\n\n", creds.Tenant, localAddr(cfg.HTTP.Addr), body)
	return secret, nil
}

// customerFields are the fields that make a create-conversation request
// carry a signed customer_ref.
type customerFields struct {
	CustomerRef     string `json:"customer_ref"`
	CustomerSig     string `json:"customer_sig"`
	CustomerExpires int64  `json:"customer_expires"`
}

func signCustomer(secret, tenant, ref string, expires time.Time) customerFields {
	return customerFields{
		CustomerRef:     ref,
		CustomerSig:     conversation.SignCustomer([]byte(secret), tenant, ref, expires),
		CustomerExpires: expires.Unix(),
	}
}

// localAddr is how a curl on this machine reaches the listen address.
func localAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// randomSecret returns a customer secret: 32 random bytes in hex.
func randomSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func randomPassword() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
