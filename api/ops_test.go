package api_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/assistd/assist/api"
	"github.com/assistd/assist/dialog"
)

func TestHealthAndReadiness(t *testing.T) {
	e := newEnv(t)
	if r := e.get("/healthz", ""); r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"status":"ok"`) {
		t.Errorf("/healthz = %d %s", r.Status, r.Body)
	}
	if r := e.get("/readyz", ""); r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"status":"ready"`) {
		t.Errorf("/readyz = %d %s", r.Status, r.Body)
	}
	// A failing dependency makes the server unready, without saying why.
	e.Server.Ready = func(context.Context) error { return errors.New("database is on fire at /var/lib/assist") }
	r := e.get("/readyz", "")
	wantError(t, r, http.StatusServiceUnavailable, "unavailable", "not ready")
	if strings.Contains(string(r.Body), "/var/lib") {
		t.Errorf("/readyz reveals the cause: %s", r.Body)
	}
	// Liveness does not depend on readiness.
	if r := e.get("/healthz", ""); r.Status != http.StatusOK {
		t.Errorf("/healthz while unready = %d", r.Status)
	}
}

func TestMetrics(t *testing.T) {
	e := newEnv(t)
	e.newShop("shop")
	c, tok := e.start("shop")
	e.say(c.ID, tok, "hello", http.StatusCreated)
	e.get("/healthz", "")
	e.get("/v1/conversations/"+c.ID+"/messages?token=secret", "")
	for _, m := range []string{"BREW", "BREW2", "PROPFIND"} { // methods a client makes up
		e.send(request{method: m, path: "/v1/conversations"})
	}

	r := e.get("/metrics", "")
	if r.Status != http.StatusOK {
		t.Fatalf("/metrics = %d", r.Status)
	}
	body := string(r.Body)
	for _, want := range []string{
		`assist_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
		`assist_http_requests_total{method="POST",route="/v1/conversations/:id/messages",status="201"} 1`,
		`assist_http_request_duration_seconds_bucket{route="/v1/conversations",`,
		`assist_messages_total{author="customer"} 1`,
		`assist_live_subscriptions 0`,
		`assist_http_requests_total{method="OTHER",route="unmatched",status="405"} 3`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// Labels carry the route pattern, never ids or query strings.
	if strings.Contains(body, c.ID) || strings.Contains(body, "secret") {
		t.Error("/metrics contains a conversation id or a query string")
	}
	if strings.Contains(body, "BREW") || strings.Contains(body, "PROPFIND") {
		t.Error("/metrics has a label value for each method a client made up")
	}
}

func TestRequestID(t *testing.T) {
	e := newEnv(t)
	generated := regexp.MustCompile(`^[0-9a-f]{16}$`)
	tests := []struct {
		name, in string
		echoed   bool
	}{
		{"valid id is echoed", "req-42.abc_DEF", true},
		{"none", "", false},
		{"with a space", "req 42", false},
		{"with a newline attempt", "a%0d%0aSet-Cookie:x", false},
		{"too long", strings.Repeat("a", 65), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.send(request{method: "GET", path: "/healthz", header: map[string]string{"X-Request-ID": tt.in}})
			got := r.Header.Get("X-Request-ID")
			if tt.echoed && got != tt.in {
				t.Errorf("X-Request-ID = %q, want %q echoed", got, tt.in)
			}
			if !tt.echoed && !generated.MatchString(got) {
				t.Errorf("X-Request-ID = %q, want a new id", got)
			}
		})
	}
	// Errors carry one too.
	if r := e.get("/nope", ""); r.Header.Get("X-Request-ID") == "" {
		t.Error("an error response has no X-Request-ID")
	}
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.cfg.RateLimit, o.cfg.RateBurst = 1, 2 })
	// Burst 2 at 1 request/s: one of the first requests is refused unless
	// the machine is so slow that seconds pass between them.
	var limited response
	for range 20 {
		if r := e.get("/v1/me", ""); r.Status == http.StatusTooManyRequests {
			limited = r
			break
		}
	}
	if limited.Status == 0 {
		t.Fatal("no request was rate limited")
	}
	wantError(t, limited, http.StatusTooManyRequests, "rate_limited", "too many requests")
	if secs, err := strconv.Atoi(limited.Header.Get("Retry-After")); err != nil || secs < 1 {
		t.Errorf("Retry-After %q, want a number of seconds", limited.Header.Get("Retry-After"))
	}
	// Probes are never limited.
	for _, p := range []string{"/healthz", "/readyz", "/metrics"} {
		if r := e.get(p, ""); r.Status != http.StatusOK {
			t.Errorf("%s while limited = %d", p, r.Status)
		}
	}
}

// The limiter's clock is synctest's, so the exact behaviour can be checked:
// a burst, a refusal with Retry-After, a refill after a second, and no way
// around it through X-Forwarded-For.
func TestRateLimitBucket(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := api.New(api.Config{RateLimit: 1, RateBurst: 2}, nil, nil, nil, nil, nil)
		get := func(forwardedFor string) *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodGet, "/nothing", nil)
			if forwardedFor != "" {
				req.Header.Set("X-Forwarded-For", forwardedFor)
			}
			w := httptest.NewRecorder()
			srv.Handler().ServeHTTP(w, req)
			return w
		}
		for i, want := range []struct {
			status     int
			retryAfter string
		}{{404, ""}, {404, ""}, {429, "1"}} {
			w := get("")
			if w.Code != want.status || w.Header().Get("Retry-After") != want.retryAfter {
				t.Errorf("request %d: status %d, Retry-After %q; want %d, %q", i, w.Code, w.Header().Get("Retry-After"), want.status, want.retryAfter)
			}
		}
		time.Sleep(500 * time.Millisecond)
		if w := get(""); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "1" {
			t.Errorf("half a second later: status %d, Retry-After %q; want 429 and 1", w.Code, w.Header().Get("Retry-After"))
		}
		if w := get("203.0.113.9"); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "1" {
			t.Errorf("spoofed X-Forwarded-For: status %d, Retry-After %q; want 429 and 1", w.Code, w.Header().Get("Retry-After"))
		}
		time.Sleep(500 * time.Millisecond)
		if got := get("").Code; got != 404 {
			t.Errorf("a second after the burst: status %d, want 404", got)
		}
		if got := get("").Code; got != 429 {
			t.Errorf("then: status %d, want 429", got)
		}
	})
}

// Logs carry ids, routes and statuses, never tokens or what customers wrote.
func TestLogsKeepSecrets(t *testing.T) {
	e := newEnv(t)
	s := e.newShop("shop")
	c, tok := e.start("shop")
	text := "my secret address is 12 Hidden Lane"
	e.say(c.ID, tok, text, http.StatusCreated)
	e.get("/v1/conversations/"+c.ID+"/messages?token="+url.QueryEscape(tok), "")
	conn := e.dial(c.ID, token(tok))
	wantFrames(t, conn, "status:queue", "message:customer:"+text, "message:bot:"+dialog.HandoffText("en"))
	send(t, conn, api.WSClientFrame{Type: "message", Text: text + " again"})
	wantFrames(t, conn, "message:customer:"+text+" again", "ack:customer:"+text+" again")

	logs := e.Log.String()
	if !strings.Contains(logs, `"route":"/v1/conversations/:id/messages"`) || !strings.Contains(logs, c.ID) {
		t.Errorf("request logs lack the route or the conversation id:\n%s", logs)
	}
	for _, secret := range []string{tok, s.Agent, s.Admin, password, "Hidden Lane"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
}

// Customers behind one NAT address each get their own budget; made-up
// tokens do not buy more than the per-IP cap.
func TestRateLimitPerCredentialWithIPCap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := api.New(api.Config{RateLimit: 1, RateBurst: 2, IPRateLimit: 1, IPRateBurst: 5}, nil, nil, nil, nil, nil)
		get := func(tok string) int {
			req := httptest.NewRequest(http.MethodGet, "/nothing", nil)
			if tok != "" {
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			w := httptest.NewRecorder()
			srv.Handler().ServeHTTP(w, req)
			return w.Code
		}
		// Two credentials, two requests each: all within their own bursts.
		for _, tok := range []string{"ct.a", "ct.a", "ct.b", "ct.b"} {
			if got := get(tok); got != http.StatusNotFound {
				t.Fatalf("%s: status %d, want 404 (not limited)", tok, got)
			}
		}
		if got := get("ct.a"); got != http.StatusTooManyRequests {
			t.Fatalf("third request of ct.a: status %d, want 429", got)
		}
		// The refused request cost the IP nothing: one of its 5 is left,
		// then a fresh made-up token is refused.
		if got := get("ct.c"); got != http.StatusNotFound {
			t.Fatalf("fifth request from the IP: status %d, want 404", got)
		}
		if got := get("ct.fresh"); got != http.StatusTooManyRequests {
			t.Fatalf("new token past the IP cap: status %d, want 429", got)
		}
		time.Sleep(time.Second)
		if got := get("ct.fresh"); got != http.StatusNotFound {
			t.Fatalf("a second later: status %d, want 404", got)
		}
	})
}

// Login attempts have a budget of their own per IP, far below the general
// one: each costs a bcrypt check.
func TestLoginRateLimit(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.cfg.LoginRateLimit, o.cfg.LoginRateBurst = 0.001, 2 })
	body := map[string]string{"tenant": "nope", "email": "a@b.example", "password": "wrong password"}
	for i, want := range []int{http.StatusUnauthorized, http.StatusUnauthorized, http.StatusTooManyRequests} {
		if r := e.post("/v1/auth/login", "", body); r.Status != want {
			t.Fatalf("attempt %d: status %d, want %d", i, r.Status, want)
		}
	}
	// Other routes are not affected.
	if r := e.get("/healthz", ""); r.Status != http.StatusOK {
		t.Fatalf("healthz: %d", r.Status)
	}
}

// Every answer, JSON or error, tells the browser not to guess its type.
func TestAnswersAreNosniff(t *testing.T) {
	e := newEnv(t)
	for _, r := range []response{e.get("/healthz", ""), e.get("/v1/no-such-route", ""), e.post("/v1/conversations", "", `[1]`)} {
		if r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("answer %d without nosniff: %v", r.Status, r.Header)
		}
	}
}
