package webhook_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/webhook"
)

// fakeBackend records the request and answers with its fields.
type fakeBackend struct {
	got flow.Request
	res flow.Result
	err error
}

func (f *fakeBackend) Call(_ context.Context, r flow.Request) (flow.Result, error) {
	f.got = r
	return f.res, f.err
}

func TestServer(t *testing.T) {
	body := `{"tenant_id":"t1","params":{"order_id":"DD1"}}`
	now := time.Unix(1_800_000_000, 0)
	signed := func(h http.Header, b string) {
		h.Set(webhook.HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
		h.Set(webhook.HeaderSignature, webhook.Sign("k", now.Unix(), []byte(b)))
	}
	tests := []struct {
		name    string
		path    string
		body    string
		headers func(http.Header, string)
		backend fakeBackend
		status  int
		code    string
	}{
		{name: "ok", path: "/actions/get_order", body: body, headers: signed, backend: fakeBackend{res: flow.Result{Status: "ok"}}, status: 200},
		{name: "unsigned", path: "/actions/get_order", body: body, status: 401, code: assist.EUNAUTHORIZED},
		{name: "signed for another body", path: "/actions/get_order", body: body, headers: func(h http.Header, _ string) { signed(h, "{}") }, status: 401, code: assist.EUNAUTHORIZED},
		{name: "backend invalid", path: "/actions/get_order", body: body, headers: signed, backend: fakeBackend{err: assist.Errorf(assist.EINVALID, "no")}, status: 400, code: assist.EINVALID},
		{name: "backend unknown action", path: "/actions/get_order", body: body, headers: signed, backend: fakeBackend{err: assist.Errorf(assist.ENOTFOUND, "no")}, status: 404, code: assist.ENOTFOUND},
		{name: "backend conflict", path: "/actions/get_order", body: body, headers: signed, backend: fakeBackend{err: assist.Errorf(assist.ECONFLICT, "no")}, status: 409, code: assist.ECONFLICT},
		{name: "backend down", path: "/actions/get_order", body: body, headers: signed, backend: fakeBackend{err: assist.Errorf(assist.EUNAVAILABLE, "down")}, status: 503, code: assist.EUNAVAILABLE},
		{name: "too large", path: "/actions/get_order", body: `{"x":"` + strings.Repeat("a", webhook.MaxRequestBytes) + `"}`, status: 413, code: assist.ETOOLARGE},
		{name: "key mismatch", path: "/actions/get_order", body: `{"idempotency_key":"a"}`, headers: func(h http.Header, b string) { signed(h, b); h.Set(webhook.HeaderIdempotencyKey, "b") }, status: 400, code: assist.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.backend
			srv := &webhook.Server{Backend: &b, Secret: "k", Now: func() time.Time { return now }}
			r := httptest.NewRequest("POST", tt.path, strings.NewReader(tt.body))
			if tt.headers != nil {
				tt.headers(r.Header, tt.body)
			}
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, r)
			if w.Code != tt.status {
				t.Fatalf("status %d (%s), want %d", w.Code, w.Body, tt.status)
			}
			if tt.code != "" {
				var e struct{ Code, Message string }
				if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Code != tt.code || e.Message == "" {
					t.Errorf("error body %s, want code %s", w.Body, tt.code)
				}
			}
			if tt.status == 200 && (b.got.Action != "get_order" || b.got.TenantID != "t1" || b.got.Params["order_id"] != "DD1") {
				t.Errorf("backend got %+v", b.got)
			}
		})
	}
}

func TestServerTakesKeyFromHeader(t *testing.T) {
	b := &fakeBackend{res: flow.Result{Status: "ok"}}
	r := httptest.NewRequest("POST", "/actions/cancel_order", strings.NewReader(`{"tenant_id":"t1"}`))
	r.Header.Set(webhook.HeaderIdempotencyKey, "from-header")
	w := httptest.NewRecorder()
	(&webhook.Server{Backend: b}).ServeHTTP(w, r)
	if w.Code != 200 || b.got.IdempotencyKey != "from-header" {
		t.Errorf("status %d, key %q", w.Code, b.got.IdempotencyKey)
	}
}
