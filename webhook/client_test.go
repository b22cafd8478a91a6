package webhook_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/webhook"
)

// recorder is a test shop: it answers each attempt with the next scripted
// reply and records what it received.
type recorder struct {
	mu      sync.Mutex
	replies []reply
	got     []received
}

type reply struct {
	status   int
	body     string
	block    bool   // wait until the client gives up
	location string // a Location header
}

type received struct {
	path, key, ts, sig string
	body               []byte
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.got = append(r.got, received{req.URL.Path, req.Header.Get(webhook.HeaderIdempotencyKey),
		req.Header.Get(webhook.HeaderTimestamp), req.Header.Get(webhook.HeaderSignature), body})
	rep := reply{status: 200, body: `{"status":"ok"}`}
	if len(r.replies) > 0 {
		rep, r.replies = r.replies[0], r.replies[1:]
	}
	r.mu.Unlock()
	if rep.block {
		<-req.Context().Done()
		return
	}
	if rep.location != "" {
		w.Header().Set("Location", rep.location)
	}
	w.WriteHeader(rep.status)
	io.WriteString(w, rep.body)
}

func (r *recorder) attempts() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

func newShop(t *testing.T, replies ...reply) (*recorder, *httptest.Server) {
	rec := &recorder{replies: replies}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return rec, srv
}

var req = flow.Request{Action: "cancel_order", TenantID: "t1", ConversationID: "conv-9", CustomerRef: "cust-1", Lang: "zh",
	Params: map[string]string{"order_id": "DD202611050002"}, IdempotencyKey: "conv-9:cancel:1"}

func TestRetries(t *testing.T) {
	tests := []struct {
		name     string
		replies  []reply
		retries  int
		attempts int
		code     string // "" for success
	}{
		{"ok at once", nil, 2, 1, ""},
		{"5xx then ok", []reply{{status: 503}, {status: 500, body: "oops"}}, 2, 3, ""},
		{"429 then ok", []reply{{status: 429}}, 2, 2, ""},
		{"5xx exhausted", []reply{{status: 502}, {status: 502}, {status: 502}}, 2, 3, assist.EUNAVAILABLE},
		{"no retries", []reply{{status: 503}}, 0, 1, assist.EUNAVAILABLE},
		{"timeout then ok", []reply{{block: true}}, 1, 2, ""},
		{"timeouts exhausted", []reply{{block: true}, {block: true}}, 1, 2, assist.EUNAVAILABLE},
		{"400 not retried", []reply{{status: 400, body: `{"code":"invalid"}`}}, 2, 1, assist.EINVALID},
		{"404 not retried", []reply{{status: 404}}, 2, 1, assist.ENOTFOUND},
		{"409 not retried", []reply{{status: 409}}, 2, 1, assist.ECONFLICT},
		{"401 not retried", []reply{{status: 401}}, 2, 1, assist.EUNAVAILABLE},
		{"418 not retried", []reply{{status: 418}}, 2, 1, assist.EUNAVAILABLE},
		{"204 is not the contract", []reply{{status: 204}}, 2, 1, assist.EUNAVAILABLE},
		{"redirect not followed", []reply{{status: 302, location: "/elsewhere"}}, 2, 1, assist.EUNAVAILABLE},
		{"bad JSON not retried", []reply{{status: 200, body: "<html>"}}, 2, 1, assist.EUNAVAILABLE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, srv := newShop(t, tt.replies...)
			c := &webhook.Client{URL: srv.URL, Retries: tt.retries, Timeout: 50 * time.Millisecond, Backoff: time.Millisecond}
			res, err := c.Call(context.Background(), req)
			if assist.ErrorCode(err) != tt.code {
				t.Fatalf("Call = %v, %v; want code %q", res, err, tt.code)
			}
			if err == nil && res.Status != "ok" {
				t.Errorf("status = %q", res.Status)
			}
			got := rec.attempts()
			if len(got) != tt.attempts {
				t.Fatalf("%d attempts, want %d", len(got), tt.attempts)
			}
			for i, a := range got {
				if a.key != req.IdempotencyKey || a.path != "/actions/cancel_order" || !bytes.Equal(a.body, got[0].body) {
					t.Errorf("attempt %d: key %q path %q body %s", i+1, a.key, a.path, a.body)
				}
			}
		})
	}
}

func TestGeneratedKeyIsStableAcrossAttempts(t *testing.T) {
	rec, srv := newShop(t, reply{status: 503})
	r := req
	r.IdempotencyKey = ""
	c := &webhook.Client{URL: srv.URL, Retries: 1, Backoff: time.Millisecond}
	if _, err := c.Call(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	got := rec.attempts()
	if len(got) != 2 || got[0].key == "" || got[0].key != got[1].key {
		t.Fatalf("keys %q, %q: want one generated key on both attempts", got[0].key, got[len(got)-1].key)
	}
}

func TestSignature(t *testing.T) {
	rec, srv := newShop(t)
	c := &webhook.Client{URL: srv.URL, Secret: "k3y"}
	if _, err := c.Call(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	a := rec.attempts()[0]
	if !regexp.MustCompile(`^sha256=[0-9a-f]{64}$`).MatchString(a.sig) {
		t.Fatalf("signature header %q", a.sig)
	}
	now := time.Now()
	if err := webhook.Verify("k3y", a.ts, a.sig, a.body, now); err != nil {
		t.Errorf("Verify of the client's request: %v", err)
	}
	for name, check := range map[string]func() error{
		"wrong secret":    func() error { return webhook.Verify("other", a.ts, a.sig, a.body, now) },
		"changed body":    func() error { return webhook.Verify("k3y", a.ts, a.sig, append(bytes.Clone(a.body), ' '), now) },
		"stale":           func() error { return webhook.Verify("k3y", a.ts, a.sig, a.body, now.Add(10*time.Minute)) },
		"from the future": func() error { return webhook.Verify("k3y", a.ts, a.sig, a.body, now.Add(-10*time.Minute)) },
		"no timestamp":    func() error { return webhook.Verify("k3y", "", a.sig, a.body, now) },
		"no signature":    func() error { return webhook.Verify("k3y", a.ts, "", a.body, now) },
	} {
		if err := check(); assist.ErrorCode(err) != assist.EUNAUTHORIZED {
			t.Errorf("%s: Verify = %v, want EUNAUTHORIZED", name, err)
		}
	}
	// A vector computed independently (Python's hmac module).
	if got, want := webhook.Sign("secret", 1700000000, []byte("{}")), "sha256=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163"; got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

// TestHostileResponses: whatever the shop answers with a 200, the client
// returns a contract Result or EUNAVAILABLE.
func TestHostileResponses(t *testing.T) {
	big := `{"status":"ok","data":{"x":"` + strings.Repeat("a", webhook.MaxResponseBytes) + `"}}`
	tests := []struct {
		name, body string
		ok         bool
	}{
		{"plain", `{"status":"ok"}`, true},
		{"with data", `{"status":"not_found","data":{"order_id":"DD1","n":3,"list":[{"a":"b"}]}}`, true},
		{"trailing newline", "{\"status\":\"ok\"}\n", true},
		{"empty", ``, false},
		{"not json", `not json`, false},
		{"html", `<html><body>502</body></html>`, false},
		{"null", `null`, false},
		{"array", `[{"status":"ok"}]`, false},
		{"missing status", `{"data":{}}`, false},
		{"empty status", `{"status":""}`, false},
		{"upper case status", `{"status":"OK"}`, false},
		{"status with spaces", `{"status":"not found"}`, false},
		{"status not a string", `{"status":1}`, false},
		{"long status", `{"status":"` + strings.Repeat("a", 65) + `"}`, false},
		{"unknown field", `{"status":"ok","debug":"x"}`, false},
		{"data not an object", `{"status":"ok","data":[1,2]}`, false},
		{"two objects", `{"status":"ok"}{"status":"ok"}`, false},
		{"trailing garbage", `{"status":"ok"} x`, false},
		{"truncated", `{"status":"ok","data":{"a":`, false},
		{"over 1 MiB", big, false},
		{"non-UTF-8 status", "{\"status\":\"o\xffk\"}", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, srv := newShop(t, reply{status: 200, body: tt.body})
			c := &webhook.Client{URL: srv.URL, Retries: 2, Backoff: time.Millisecond}
			res, err := c.Call(context.Background(), req)
			if tt.ok != (err == nil) {
				t.Fatalf("Call = %v, %v; want ok %v", res, err, tt.ok)
			}
			if err != nil && assist.ErrorCode(err) != assist.EUNAVAILABLE {
				t.Errorf("code %s, want EUNAVAILABLE", assist.ErrorCode(err))
			}
			if n := len(rec.attempts()); n != 1 {
				t.Errorf("%d attempts: an answer outside the contract is not retried", n)
			}
		})
	}
}

// TestNoSecretsInErrorsOrLogs: the parameters, the secret and the URL's
// query never reach an error or a log line.
func TestNoSecretsInErrorsOrLogs(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	secrets := []string{"PARAMVALUE123", "TOPSECRETKEY", "URLTOKEN42"}
	r := req
	r.Params = map[string]string{"order_id": "DD202611050002", "address": secrets[0]}
	_, srv := newShop(t, reply{status: 500, body: secrets[0]}, reply{block: true}, reply{status: 400, body: `{"message":"` + secrets[0] + `"}`})
	for _, url := range []string{srv.URL + "/x?token=" + secrets[2], "http://127.0.0.1:1/?token=" + secrets[2], "http://[::1:bad?token=" + secrets[2]} {
		c := &webhook.Client{URL: url, Secret: secrets[1], Retries: 2, Backoff: time.Millisecond, Timeout: 50 * time.Millisecond, Logger: log}
		_, err := c.Call(context.Background(), r)
		if err == nil {
			t.Fatalf("%s: no error", url)
		}
		for _, s := range secrets {
			if strings.Contains(err.Error(), s) {
				t.Errorf("error %q contains %s", err, s)
			}
		}
	}
	if logs.Len() == 0 {
		t.Fatal("no log lines: the test checks nothing")
	}
	for _, s := range secrets {
		if strings.Contains(logs.String(), s) {
			t.Errorf("logs contain %s:\n%s", s, logs.String())
		}
	}
}

func TestCancelledContextStopsRetrying(t *testing.T) {
	rec, srv := newShop(t, reply{status: 503}, reply{status: 503}, reply{status: 503})
	ctx, cancel := context.WithCancel(context.Background())
	c := &webhook.Client{URL: srv.URL, Retries: 5, Backoff: time.Hour}
	done := make(chan error, 1)
	go func() { _, err := c.Call(ctx, req); done <- err }()
	for len(rec.attempts()) == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Fatalf("Call = %v, want EUNAVAILABLE", err)
	}
	if n := len(rec.attempts()); n != 1 {
		t.Errorf("%d attempts after cancelling during the backoff", n)
	}
}

func TestUnusableURL(t *testing.T) {
	for _, u := range []string{"", "shop.example.com/hook", "ftp://shop.example.com", "http://", "http://[::1:bad"} {
		c := &webhook.Client{URL: u, Retries: 3, Backoff: time.Hour}
		if _, err := c.Call(context.Background(), req); assist.ErrorCode(err) != assist.EUNAVAILABLE {
			t.Errorf("URL %q: %v, want EUNAVAILABLE at once", u, err)
		}
	}
}

func TestMalformedActionIsNotSent(t *testing.T) {
	rec, srv := newShop(t)
	c := &webhook.Client{URL: srv.URL}
	for _, a := range []string{"", "../admin", "Get_Order", "get order", strings.Repeat("a", 65)} {
		r := req
		r.Action = a
		if _, err := c.Call(context.Background(), r); assist.ErrorCode(err) != assist.EINVALID {
			t.Errorf("action %q: %v, want EINVALID", a, err)
		}
	}
	if n := len(rec.attempts()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
