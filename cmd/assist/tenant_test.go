package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist/conversation"
)

// A platform operator creates a shop from the command line, lists it,
// signs a customer with its secret and rotates the secret.
func TestTenantCommands(t *testing.T) {
	set := []string{"--set", "store.path=" + filepath.Join(t.TempDir(), "assist.db"), "--set", "log.level=error", "--set", "auth.bcrypt_cost=4"}
	cli := func(args ...string) string {
		t.Helper()
		out, errb, code := runCLI(t, append(set, args...)...)
		if code != 0 {
			t.Fatalf("assist %s: exit %d: %s%s", strings.Join(args, " "), code, out, errb)
		}
		return out
	}
	secretRe := regexp.MustCompile(`cs\.[A-Za-z0-9_-]{43}`)
	out := cli("tenant", "create", "acme", "--name", "Acme Shoes", "--admin-email", "boss@acme.example")
	first := secretRe.FindString(out)
	if first == "" || !strings.Contains(out, "password (shown once)") {
		t.Fatalf("create printed %q, want a secret and the admin's password", out)
	}
	if _, errb, code := runCLI(t, append(set, "tenant", "create", "acme")...); code == 0 || !strings.Contains(errb, "already exists") {
		t.Errorf("creating acme twice: exit %d, %q", code, errb)
	}
	if out := cli("tenant", "list"); !strings.Contains(out, "acme") || !strings.Contains(out, "Acme Shoes") {
		t.Errorf("list printed %q", out)
	}
	verifies := func(secret string) bool {
		var f customerFields
		if err := json.Unmarshal([]byte(cli("sign-customer", "--tenant", "acme", "--ref", "c-1")), &f); err != nil {
			t.Fatal(err)
		}
		return conversation.VerifyCustomer([]byte(secret), "acme", "c-1", conversation.CustomerSignature{Sig: f.CustomerSig, Expires: f.CustomerExpires}, time.Now()) == nil
	}
	if !verifies(first) {
		t.Error("sign-customer did not sign with the tenant's secret")
	}
	out = cli("tenant", "rotate-secret", "acme", "--overlap", "1h")
	second := secretRe.FindString(out)
	if second == "" || second == first {
		t.Fatalf("rotate printed %q, want a new secret", out)
	}
	if !verifies(second) {
		t.Error("sign-customer did not sign with the new secret")
	}
	if _, errb, code := runCLI(t, append(set, "tenant", "rotate-secret", "acme", "--overlap", "721h")...); code == 0 || !strings.Contains(errb, "overlap") {
		t.Errorf("a 721h overlap: exit %d, %q", code, errb)
	}
}
