package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/api"
	"github.com/assistd/assist/conversation"
)

const operatorToken = "op-0123456789abcdef0123456789abcdef"

// A platform operator creates a shop and rotates its customer-signing
// secret; signatures made with the old secret are accepted during the
// overlap and refused after it; shops' staff cannot use this API.
func TestPlatformTenantsAndSecretRotation(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.cfg.OperatorToken = operatorToken })
	now := time.Now().UTC()
	e.Auth.Now = func() time.Time { return now }
	e.Convs.Secrets = e.Auth
	staff := e.newShop("other")

	wantError(t, e.post("/v1/platform/tenants", staff.Admin, api.CreateTenantRequest{Slug: "acme"}), http.StatusUnauthorized, assist.EUNAUTHORIZED, "operator")
	wantError(t, e.post("/v1/platform/tenants", "", api.CreateTenantRequest{Slug: "acme"}), http.StatusUnauthorized, assist.EUNAUTHORIZED, "")
	created := decode[api.CreateTenantResponse](t, e.post("/v1/platform/tenants", operatorToken, api.CreateTenantRequest{Slug: "acme", Name: "Acme"}), http.StatusCreated)
	if created.Tenant.Slug != "acme" || !strings.HasPrefix(created.CustomerSecret, "cs.") {
		t.Fatalf("created %+v", created)
	}
	wantError(t, e.post("/v1/platform/tenants", operatorToken, api.CreateTenantRequest{Slug: "acme"}), http.StatusConflict, assist.ECONFLICT, "")
	wantError(t, e.post("/v1/platform/tenants", operatorToken, api.CreateTenantRequest{Slug: "Not A Slug"}), http.StatusBadRequest, assist.EINVALID, "slug")
	list := decode[api.TenantsResponse](t, e.get("/v1/platform/tenants", operatorToken), http.StatusOK)
	if len(list.Tenants) != 2 || list.Tenants[0].Slug != "acme" || list.Tenants[1].Slug != "other" {
		t.Fatalf("tenants %+v", list)
	}

	// A customer signed in at the shop, with the shop's secret.
	start := func(secret string) response {
		t.Helper()
		exp := now.Add(time.Hour)
		sig := conversation.SignCustomer([]byte(secret), "acme", "cust-9", exp)
		return e.post("/v1/conversations", "", map[string]any{"tenant": "acme", "customer_ref": "cust-9", "customer_sig": sig, "customer_expires": exp.Unix()})
	}
	if r := start(created.CustomerSecret); r.Status != http.StatusCreated {
		t.Fatalf("signed with the shop's secret: %d %s", r.Status, r.Body)
	}
	if r := start("cs.some-other-shops-secret"); r.Status != http.StatusForbidden {
		t.Fatalf("signed with another secret: %d %s", r.Status, r.Body)
	}
	rot := decode[api.RotateSecretResponse](t, e.post("/v1/platform/tenants/acme/customer-secret", operatorToken, api.RotateSecretRequest{OverlapSeconds: 3600}), http.StatusOK)
	if rot.CustomerSecret == created.CustomerSecret || !rot.PreviousValidUntil.Equal(now.Add(time.Hour)) {
		t.Fatalf("rotation %+v", rot)
	}
	for _, secret := range []string{created.CustomerSecret, rot.CustomerSecret} {
		if r := start(secret); r.Status != http.StatusCreated {
			t.Fatalf("during the overlap: %d %s", r.Status, r.Body)
		}
	}
	now = now.Add(time.Hour + time.Second)
	if r := start(created.CustomerSecret); r.Status != http.StatusForbidden {
		t.Errorf("the old secret after the overlap: %d %s", r.Status, r.Body)
	}
	if r := start(rot.CustomerSecret); r.Status != http.StatusCreated {
		t.Errorf("the new secret after the overlap: %d %s", r.Status, r.Body)
	}
	wantError(t, e.post("/v1/platform/tenants/"+url.PathEscape("nope")+"/customer-secret", operatorToken, nil), http.StatusNotFound, assist.ENOTFOUND, "")
	wantError(t, e.post("/v1/platform/tenants/acme/customer-secret", operatorToken, api.RotateSecretRequest{OverlapSeconds: -1}), http.StatusBadRequest, assist.EINVALID, "overlap")
}

// Without an operator token configured the platform API is off.
func TestPlatformOff(t *testing.T) {
	e := newEnv(t)
	wantError(t, e.get("/v1/platform/tenants", "anything"), http.StatusForbidden, assist.EFORBIDDEN, "operator_token")
}

// The installation's auth.customer_secret signs customers only of shops
// without a secret of their own: a shop made by the operator accepts its
// own secrets (current or in their overlap) and refuses the
// installation's, before and after a rotation, while a shop without its
// own secret still accepts the installation's.
func TestInstallationSecretDoesNotSignShopsWithTheirOwn(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.cfg.OperatorToken = operatorToken })
	install := []byte("the-installation-secret-0123456789abcdef")
	e.Convs.CustomerSecret = install
	e.Convs.Secrets = e.Auth
	e.newShop("legacy") // no secret of its own
	created := decode[api.CreateTenantResponse](t, e.post("/v1/platform/tenants", operatorToken, api.CreateTenantRequest{Slug: "acme"}), http.StatusCreated)

	start := func(tenant string, secret []byte) response {
		t.Helper()
		exp := time.Now().Add(time.Hour)
		sig := conversation.SignCustomer(secret, tenant, "victim-1", exp)
		return e.post("/v1/conversations", "", map[string]any{"tenant": tenant, "customer_ref": "victim-1", "customer_sig": sig, "customer_expires": exp.Unix()})
	}
	wantError(t, start("acme", install), http.StatusForbidden, assist.EFORBIDDEN, "")
	if r := start("acme", []byte(created.CustomerSecret)); r.Status != http.StatusCreated {
		t.Fatalf("acme's own secret: %d %s", r.Status, r.Body)
	}
	if r := start("legacy", install); r.Status != http.StatusCreated {
		t.Fatalf("the installation secret for a shop without its own: %d %s", r.Status, r.Body)
	}
	wantError(t, start("legacy", []byte(created.CustomerSecret)), http.StatusForbidden, assist.EFORBIDDEN, "")

	rot := decode[api.RotateSecretResponse](t, e.post("/v1/platform/tenants/acme/customer-secret", operatorToken, api.RotateSecretRequest{OverlapSeconds: 3600}), http.StatusOK)
	wantError(t, start("acme", install), http.StatusForbidden, assist.EFORBIDDEN, "")
	for _, s := range []string{created.CustomerSecret, rot.CustomerSecret} {
		if r := start("acme", []byte(s)); r.Status != http.StatusCreated {
			t.Errorf("acme's secret during the overlap: %d %s", r.Status, r.Body)
		}
	}
}
