package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/api"
	"github.com/assistd/assist/web"
)

// A browser signs in with the cookie only: the page script never sees the
// token, the cookie is HttpOnly and SameSite=Strict, staff routes accept
// it, state changes need the CSRF header, and logout ends it.
func TestStaffCookieSession(t *testing.T) {
	e := newEnv(t)
	s := e.newShop("cookies")
	email := "agent@cookies.example"
	r := e.post("/v1/auth/login", "", api.LoginRequest{Tenant: "cookies", Email: email, Password: password, Cookie: true})
	res := decode[api.LoginResponse](t, r, http.StatusOK)
	if res.Token != "" {
		t.Fatalf("a cookie login returned the token %q in its body", res.Token)
	}
	var ck *http.Cookie
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == api.SessionCookie {
			ck = c
		}
	}
	if ck == nil || ck.Value == "" {
		t.Fatalf("no %s cookie in %v", api.SessionCookie, r.Header["Set-Cookie"])
	}
	if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" || ck.MaxAge <= 0 {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Strict, Path=/ and a lifetime", ck)
	}
	cookie := map[string]string{"Cookie": api.SessionCookie + "=" + ck.Value}

	me := decode[api.MeResponse](t, e.send(request{method: http.MethodGet, path: "/v1/me", header: cookie}), http.StatusOK)
	if me.UserID != s.AgentID || me.Role != "agent" {
		t.Errorf("/v1/me by cookie: %+v, want the agent", me)
	}

	// A state change by cookie alone, as a form on another site would send it.
	presence := map[string]string{"presence": "online"}
	forged := map[string]string{"Cookie": cookie["Cookie"], "Origin": "https://evil.example"}
	wantError(t, e.send(request{method: http.MethodPost, path: "/v1/auth/logout", header: forged}), http.StatusForbidden, "forbidden", api.CSRFHeader)
	wantError(t, e.send(request{method: http.MethodPut, path: "/v1/agents/me/presence", body: presence, header: cookie}), http.StatusForbidden, "forbidden", api.CSRFHeader)
	// The page's own requests: the header, or the server's own Origin.
	withHeader := map[string]string{"Cookie": cookie["Cookie"], api.CSRFHeader: "1"}
	if r := e.send(request{method: http.MethodPost, path: "/v1/conversations", body: api.CreateConversationRequest{Tenant: "cookies"}, header: withHeader}); r.Status != http.StatusCreated {
		t.Fatalf("create conversation with cookie and header: %d %s", r.Status, r.Body)
	} else if c := decode[api.CreateConversationResponse](t, r, http.StatusCreated); c.Token == "" {
		t.Error("a conversation started next to a staff cookie is not a customer's")
	}
	sameOrigin := map[string]string{"Cookie": cookie["Cookie"], "Origin": e.HTTP.URL}
	if r := e.send(request{method: http.MethodPost, path: "/v1/tickets", body: map[string]string{"subject": "x"}, header: sameOrigin}); r.Status == http.StatusForbidden {
		t.Errorf("same-origin request refused: %s", r.Body)
	}
	// A bearer token needs no CSRF header: it is not sent by the browser on its own.
	if r := e.send(request{method: http.MethodPost, path: "/v1/nlu/parse", token: s.Agent, body: map[string]string{"text": "hi"}, header: map[string]string{"Cookie": "x=y"}}); r.Status == http.StatusForbidden {
		t.Errorf("bearer request refused: %s", r.Body)
	}

	// Logout clears the cookie and ends the session.
	out := e.send(request{method: http.MethodPost, path: "/v1/auth/logout", header: withHeader})
	if out.Status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", out.Status, out.Body)
	}
	if sc := strings.Join(out.Header["Set-Cookie"], "; "); !strings.Contains(sc, api.SessionCookie+"=;") || !strings.Contains(sc, "Max-Age=0") {
		t.Errorf("logout Set-Cookie %q does not clear the cookie", sc)
	}
	wantError(t, e.send(request{method: http.MethodGet, path: "/v1/me", header: cookie}), http.StatusUnauthorized, "unauthorized", "")
	// A login without "cookie" still returns the token, for API clients.
	if res := decode[api.LoginResponse](t, e.post("/v1/auth/login", "", api.LoginRequest{Tenant: "cookies", Email: email, Password: password}), http.StatusOK); res.Token == "" {
		t.Error("an API login returned no token")
	}
}

// Every page answers with its HTML and a Content-Security-Policy that
// allows no inline script; staff pages cannot be framed, the widget can.
func TestPagesServed(t *testing.T) {
	e := newEnv(t)
	for _, p := range web.Pages {
		r := e.get(p.Path, "")
		if r.Status != http.StatusOK {
			t.Errorf("GET %s: %d", p.Path, r.Status)
			continue
		}
		csp := r.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s CSP %q: want scripts from self only", p.Path, csp)
		}
		if r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", p.Path)
		}
		framed := strings.Contains(csp, "frame-ancestors *")
		if framed != p.Framed {
			t.Errorf("%s: frame-ancestors in %q, want framed=%v", p.Path, csp, p.Framed)
		}
		ct := r.Header.Get("Content-Type")
		if strings.HasSuffix(p.Path, ".js") != strings.HasPrefix(ct, "text/javascript") {
			t.Errorf("%s Content-Type %q", p.Path, ct)
		}
	}
	for path, status := range map[string]int{"/assets/common.js": 200, "/assets/app.css": 200, "/assets/": 404, "/assets/nope.js": 404, "/assets/../web.go": 404} {
		if r := e.get(path, ""); r.Status != status {
			t.Errorf("GET %s: %d, want %d", path, r.Status, status)
		}
	}
}

// Login CSRF: a page on another site that posts a login form (text/plain,
// its own Origin) must not sign the victim's browser into the attacker's
// account. A login sets the session cookie only when asked (cookie:
// true), with a JSON body, from the server's own page (or no Origin, as
// a non-browser client sends).
func TestLoginFromAnotherSiteSetsNoCookie(t *testing.T) {
	e := newEnv(t)
	e.newShop("victims")
	email := "agent@victims.example"
	body := `{"tenant":"victims","email":"` + email + `","password":"` + password + `","cookie":true}`
	setsCookie := func(r response) bool {
		for _, c := range (&http.Response{Header: r.Header}).Cookies() {
			if c.Name == api.SessionCookie && c.Value != "" {
				return true
			}
		}
		return false
	}
	login := func(contentType, origin, body string) response {
		t.Helper()
		h := map[string]string{"Content-Type": contentType}
		if origin != "" {
			h["Origin"] = origin
		}
		return e.send(request{method: http.MethodPost, path: "/v1/auth/login", body: body, header: h})
	}
	// The attack: a cross-site form, text/plain, from the attacker's page.
	r := login("text/plain", "http://127.0.0.1:8094", body)
	if setsCookie(r) {
		t.Errorf("a text/plain login from another site set the session cookie")
	}
	wantError(t, r, http.StatusBadRequest, assist.EINVALID, "application/json")
	wantError(t, login("application/json", "http://evil.example", body), http.StatusForbidden, assist.EFORBIDDEN, "origin")
	wantError(t, login("application/json", "null", body), http.StatusForbidden, assist.EFORBIDDEN, "origin")
	// Without cookie: true no cookie is set at all, whatever the request.
	noCookie := strings.Replace(body, `,"cookie":true`, ``, 1)
	if r := login("text/plain", "http://evil.example", noCookie); setsCookie(r) {
		t.Errorf("a login without cookie:true set the session cookie (%d)", r.Status)
	}
	if r := login("application/x-www-form-urlencoded", "", noCookie); r.Status != http.StatusOK || setsCookie(r) {
		t.Errorf("curl -d login: %d, cookie %v; want 200 with the token only", r.Status, setsCookie(r))
	}
	// The staff page's own login.
	if r := login("application/json; charset=utf-8", e.HTTP.URL, body); r.Status != http.StatusOK || !setsCookie(r) {
		t.Errorf("login from the server's own page: %d %s, cookie %v", r.Status, r.Body, setsCookie(r))
	}
}

// Behind a TLS proxy the session cookie is Secure, so the browser never
// sends it over plain http; a client cannot get that by claiming https
// itself when no proxy is trusted.
func TestSessionCookieSecureBehindTLSProxy(t *testing.T) {
	for _, trusted := range []bool{true, false} {
		e := newEnv(t, func(o *envOptions) {
			if trusted {
				o.cfg.TrustedProxies = []string{"127.0.0.1/32", "::1"}
			}
		})
		e.newShop("tls")
		r := e.send(request{method: http.MethodPost, path: "/v1/auth/login", header: map[string]string{"X-Forwarded-Proto": "https"},
			body: api.LoginRequest{Tenant: "tls", Email: "agent@tls.example", Password: password, Cookie: true}})
		var ck *http.Cookie
		for _, c := range (&http.Response{Header: r.Header}).Cookies() {
			if c.Name == api.SessionCookie {
				ck = c
			}
		}
		if ck == nil {
			t.Fatalf("no cookie: %d %s", r.Status, r.Body)
		}
		if ck.Secure != trusted {
			t.Errorf("proxy trusted %v: cookie Secure = %v", trusted, ck.Secure)
		}
	}
}
