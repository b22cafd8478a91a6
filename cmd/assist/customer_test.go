package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
)

// TestDemoCustomerSignature: serve --demo prints a curl command whose
// signed customer_ref is accepted, keeps the secret in the demo
// credentials (0600) and reuses it; an unsigned or re-targeted
// customer_ref is refused; staff may set any.
func TestDemoCustomerSignature(t *testing.T) {
	m, out := testMain(t, true)
	base := m.URL()

	path := demoCredentialsPath(m.Config)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", path, st.Mode().Perm())
	}
	var creds demoCredentials
	b, _ := os.ReadFile(path)
	if err := json.Unmarshal(b, &creds); err != nil || len(creds.CustomerSecret) != 64 {
		t.Fatalf("demo credentials %s: %v, want a 64-digit customer secret", b, err)
	}
	if strings.Contains(out.String(), creds.CustomerSecret) {
		t.Errorf("the customer secret is printed")
	}

	// The printed curl works as printed.
	match := regexp.MustCompile(`curl -s -XPOST http://\S+/v1/conversations -d '([^']+)'`).FindStringSubmatch(out.String())
	if match == nil {
		t.Fatalf("no curl example in:\n%s", out.String())
	}
	var req map[string]any
	if err := json.Unmarshal([]byte(match[1]), &req); err != nil {
		t.Fatalf("curl body %s: %v", match[1], err)
	}
	exp, _ := req["customer_expires"].(float64)
	if d := time.Until(time.Unix(int64(exp), 0)); d < 23*time.Hour || d > conversation.MaxCustomerTTL {
		t.Errorf("the printed signature expires in %s, want about 24 h", d)
	}
	var created struct {
		Conversation struct {
			CustomerRef string `json:"customer_ref"`
		}
	}
	if code := call(t, "POST", base+"/v1/conversations", "", req, &created); code != 201 || created.Conversation.CustomerRef != "demo-customer-1" {
		t.Fatalf("create with the printed body: %d %+v", code, created)
	}

	// Another customer's reference under the same signature, or none.
	req["customer_ref"] = "demo-customer-2"
	var refused struct {
		Error struct{ Code, Message string }
	}
	if code := call(t, "POST", base+"/v1/conversations", "", req, &refused); code != 403 || refused.Error.Code != "forbidden" {
		t.Errorf("re-targeted signature: %d %+v, want 403", code, refused)
	}
	if code := call(t, "POST", base+"/v1/conversations", "", map[string]string{"tenant": "demo", "customer_ref": "demo-customer-2"}, &refused); code != 403 ||
		!strings.Contains(refused.Error.Message, "customer_ref must be signed by the shop (customer_sig) or sent with a staff or API key token") {
		t.Errorf("unsigned customer_ref: %d %+v, want 403", code, refused)
	}

	// The shop's server, with a staff token, needs no signature.
	admin := creds.Users[0]
	var login struct{ Token string }
	if code := call(t, "POST", base+"/v1/auth/login", "", map[string]string{"tenant": "demo", "email": admin.Email, "password": admin.Password}, &login); code != 200 {
		t.Fatalf("login: %d", code)
	}
	if code := call(t, "POST", base+"/v1/conversations", login.Token, map[string]string{"tenant": "demo", "customer_ref": "demo-customer-2"}, &created); code != 201 ||
		created.Conversation.CustomerRef != "demo-customer-2" {
		t.Errorf("staff-created: %d %+v", code, created)
	}

	// sign-customer reads the same secret, and its fields are accepted.
	var so, se bytes.Buffer
	args := []string{"--set", "store.path=" + m.Config.Store.Path, "sign-customer", "--tenant", "demo", "--ref", "demo-customer-2", "--ttl", "10m"}
	if code := run(context.Background(), args, &so, &se); code != 0 {
		t.Fatalf("sign-customer: %d %s", code, se.String())
	}
	var f map[string]any
	if err := json.Unmarshal(so.Bytes(), &f); err != nil || len(f) != 3 {
		t.Fatalf("sign-customer printed %s (%v), want the three fields", so.String(), err)
	}
	f["tenant"] = "demo"
	if code := call(t, "POST", base+"/v1/conversations", "", f, &created); code != 201 || created.Conversation.CustomerRef != "demo-customer-2" {
		t.Errorf("create with sign-customer's fields: %d %+v", code, created)
	}

	// A second start keeps the secret: signatures handed out stay good.
	secret, err := seedDemo(context.Background(), m.Auth, m.Config, io.Discard)
	if err != nil || secret != creds.CustomerSecret {
		t.Errorf("second seed: secret changed (%v)", err)
	}

	// The demo's secret is the demo tenant's own: it signs no customer of
	// another shop.
	if _, _, err := m.Auth.CreateTenant(context.Background(), "acme", "Acme"); err != nil {
		t.Fatal(err)
	}
	soon := time.Now().Add(time.Hour)
	victim := map[string]any{"tenant": "acme", "customer_ref": "victim-1", "customer_expires": soon.Unix(),
		"customer_sig": conversation.SignCustomer([]byte(creds.CustomerSecret), "acme", "victim-1", soon)}
	if code := call(t, "POST", base+"/v1/conversations", "", victim, &refused); code != 403 {
		t.Errorf("another shop's customer signed with the demo's secret: %d, want 403", code)
	}
}

// TestDemoCustomerSecretFromConfig: auth.customer_secret covers only the
// tenants without a secret of their own; the demo tenant has one, and the
// printed curl is signed with it.
func TestDemoCustomerSecretFromConfig(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef-configured"
	m, out := testMainWith(t, func(c *Config) { c.Demo.Seed = true; c.Auth.CustomerSecret = secret })
	match := regexp.MustCompile(`-d '([^']+)'`).FindStringSubmatch(out.String())
	if match == nil {
		t.Fatalf("no curl example in:\n%s", out.String())
	}
	var req struct {
		Ref string `json:"customer_ref"`
		Sig string `json:"customer_sig"`
		Exp int64  `json:"customer_expires"`
	}
	json.Unmarshal([]byte(match[1]), &req)
	var creds demoCredentials
	b, _ := os.ReadFile(demoCredentialsPath(m.Config))
	if err := json.Unmarshal(b, &creds); err != nil || creds.CustomerSecret == secret {
		t.Fatalf("demo credentials %s (%v): want the demo tenant's own secret", b, err)
	}
	if err := conversation.VerifyCustomer([]byte(creds.CustomerSecret), "demo", req.Ref, conversation.CustomerSignature{Sig: req.Sig, Expires: req.Exp}, time.Now()); err != nil {
		t.Errorf("the printed signature is not made with the demo's own secret: %v", err)
	}
	if string(m.Conversations.CustomerSecret) != secret {
		t.Errorf("the service checks with another installation secret")
	}
	exp := time.Now().Add(time.Hour)
	signed := func(tenant string, secret string) int {
		t.Helper()
		return call(t, "POST", m.URL()+"/v1/conversations", "", map[string]any{"tenant": tenant, "customer_ref": "c-1", "customer_expires": exp.Unix(),
			"customer_sig": conversation.SignCustomer([]byte(secret), tenant, "c-1", exp)}, nil)
	}
	if code := signed("demo", secret); code != 403 {
		t.Errorf("the demo's customer signed with auth.customer_secret: %d, want 403", code)
	}
	if _, _, err := m.Auth.EnsureTenant(context.Background(), "legacy", "Legacy"); err != nil {
		t.Fatal(err)
	}
	if code := signed("legacy", secret); code != 201 {
		t.Errorf("a tenant without its own secret, signed with auth.customer_secret: %d, want 201", code)
	}
	if strings.Contains(m.Config.Redacted(), secret) {
		t.Errorf("Redacted() shows auth.customer_secret")
	}
}

func TestSignCustomerCommand(t *testing.T) {
	dir := t.TempDir()
	const secret = "a-configured-secret-of-32-characters!"
	tests := []struct {
		name    string
		args    []string
		code    int
		wantErr string
		tenant  string
	}{
		{name: "config secret", args: []string{"--set", "auth.customer_secret=" + secret, "sign-customer", "--tenant", "shop", "--ref", "c-7"}, tenant: "shop"},
		{name: "default tenant", args: []string{"--set", "auth.customer_secret=" + secret, "sign-customer", "--ref", "c-7", "--ttl", "24h"}, tenant: "demo"},
		{name: "demo.tenant is the default", args: []string{"--set", "auth.customer_secret=" + secret, "--set", "demo.tenant=shop", "sign-customer", "--ref", "c-7"}, tenant: "shop"},
		{name: "ttl too long", args: []string{"--set", "auth.customer_secret=" + secret, "sign-customer", "--ref", "c-7", "--ttl", "25h"}, code: 1, wantErr: "--ttl"},
		{name: "no ref", args: []string{"--set", "auth.customer_secret=" + secret, "sign-customer"}, code: 2, wantErr: "--ref"},
		{name: "short secret", args: []string{"--set", "auth.customer_secret=short", "sign-customer", "--ref", "c-7"}, code: 1, wantErr: "at least 32"},
		{name: "no secret anywhere", args: []string{"--set", "store.path=" + filepath.Join(dir, "assist.db"), "sign-customer", "--ref", "c-7"}, code: 1, wantErr: "serve --demo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(context.Background(), tt.args, &out, &errb); code != tt.code {
				t.Fatalf("exit %d, want %d: %s%s", code, tt.code, out.String(), errb.String())
			}
			if tt.code != 0 {
				if !strings.Contains(errb.String(), tt.wantErr) {
					t.Errorf("stderr %q, want it to say %q", errb.String(), tt.wantErr)
				}
				return
			}
			var f customerFields
			if err := json.Unmarshal(out.Bytes(), &f); err != nil {
				t.Fatalf("output %s: %v", out.String(), err)
			}
			if err := conversation.VerifyCustomer([]byte(secret), tt.tenant, "c-7", conversation.CustomerSignature{Sig: f.CustomerSig, Expires: f.CustomerExpires}, time.Now()); err != nil || f.CustomerRef != "c-7" {
				t.Errorf("printed %+v does not verify for %s: %v", f, tt.tenant, err)
			}
			if err := conversation.VerifyCustomer([]byte(secret), tt.tenant, "c-7", conversation.CustomerSignature{Sig: f.CustomerSig, Expires: f.CustomerExpires},
				time.Now().Add(conversation.MaxCustomerTTL+time.Minute)); assist.ErrorCode(err) != assist.EFORBIDDEN {
				t.Errorf("the signature is still good after its TTL: %v", err)
			}
		})
	}
}
