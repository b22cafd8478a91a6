package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/assistd/assist"
	"github.com/assistd/assist/auth"
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
}

// seedDemo makes sure the demo tenant exists with an admin and two agents
// and prints their credentials. Passwords are random per installation.
func seedDemo(ctx context.Context, a *auth.Service, cfg Config, out io.Writer) error {
	path := filepath.Join(filepath.Dir(cfg.Store.Path), "demo-credentials.json")
	t, _, err := a.EnsureTenant(ctx, cfg.Demo.Tenant, "Demo Shop")
	if err != nil {
		return fmt.Errorf("demo tenant: %w", err)
	}
	var creds demoCredentials
	fromFile := false
	if b, err := os.ReadFile(path); err == nil {
		fromFile = true
		if err := json.Unmarshal(b, &creds); err != nil {
			return fmt.Errorf("demo credentials %s: %w", path, err)
		}
	}
	if creds.Tenant != cfg.Demo.Tenant || len(creds.Users) == 0 {
		creds = demoCredentials{Tenant: cfg.Demo.Tenant, Users: []demoUser{
			{Email: "admin@demo.shop", Name: "Demo Admin", Role: assist.RoleAdmin},
			{Email: "lin.wei@demo.shop", Name: "林伟 Lin Wei", Role: assist.RoleAgent},
			{Email: "emma.clark@demo.shop", Name: "Emma Clark", Role: assist.RoleAgent},
		}}
		for i := range creds.Users {
			creds.Users[i].Password = randomPassword()
		}
	}
	var missing bool
	for i, u := range creds.Users {
		_, err := a.Store.UserByEmail(ctx, t.ID, u.Email)
		switch assist.ErrorCode(err) {
		case "":
			if !fromFile {
				creds.Users[i].Password = "(set earlier; " + path + " is missing)"
			}
			continue
		case assist.ENOTFOUND:
			if _, err := a.CreateUser(ctx, t.ID, auth.NewUser{Email: u.Email, Name: u.Name, Role: u.Role, Password: u.Password}); err != nil {
				return fmt.Errorf("demo user %s: %w", u.Email, err)
			}
			missing = true
		default:
			return fmt.Errorf("demo user %s: %w", u.Email, err)
		}
	}
	if missing {
		b, _ := json.MarshalIndent(creds, "", "  ")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return fmt.Errorf("demo credentials: %w", err)
		}
	}
	fmt.Fprintf(out, "\nDemo shop (tenant %q), credentials also in %s:\n", creds.Tenant, path)
	for _, u := range creds.Users {
		fmt.Fprintf(out, "  %-18s %-24s password %s\n", u.Role, u.Email, u.Password)
	}
	fmt.Fprintln(out)
	return nil
}

func randomPassword() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
