package api_test

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/assistd/assist/api"
)

func TestBadInput(t *testing.T) {
	const maxBody, maxRunes = 1024, 100
	e := newEnv(t, func(o *envOptions) {
		o.cfg.MaxBodyBytes = maxBody
		o.maxRunes = maxRunes
	})
	s := e.newShop("shop")
	c, tok := e.start("shop")
	msgs := "/v1/conversations/" + c.ID + "/messages"
	big := `{"text":"` + strings.Repeat("a", 2*maxBody) + `"}`

	tests := []struct {
		name   string
		req    request
		status int
		code   string
		msg    string
	}{
		{"body over the limit, with Content-Length",
			request{method: "POST", path: msgs, token: tok, body: big},
			413, "too_large", "over the limit of 1024 bytes"},
		{"body over the limit, chunked",
			request{method: "POST", path: msgs, token: tok, body: io.MultiReader(strings.NewReader(big))},
			413, "too_large", "over the limit of 1024 bytes"},
		{"body over the limit on a public route",
			request{method: "POST", path: "/v1/conversations", body: io.MultiReader(strings.NewReader(big))},
			413, "too_large", "over the limit"},
		{"malformed JSON",
			request{method: "POST", path: msgs, token: tok, body: `{"text": "hi"`},
			400, "invalid", "malformed JSON"},
		{"not an object",
			request{method: "POST", path: msgs, token: tok, body: `"hi"`},
			400, "invalid", "malformed JSON"},
		{"wrong type",
			request{method: "POST", path: msgs, token: tok, body: `{"text": 42}`},
			400, "invalid", `"text" must be a string, not number`},
		{"an array for the body: no server type names",
			request{method: "POST", path: msgs, token: tok, body: `[1,2]`},
			400, "invalid", "malformed JSON: the body must be a JSON object, not array"},
		{"unknown field",
			request{method: "POST", path: msgs, token: tok, body: `{"text": "hi", "colour": "red"}`},
			400, "invalid", `unknown field "colour"`},
		{"two objects",
			request{method: "POST", path: msgs, token: tok, body: `{"text": "hi"} {"text": "again"}`},
			400, "invalid", "unexpected data after the object"},
		{"non-UTF-8 bytes",
			request{method: "POST", path: msgs, token: tok, body: []byte("{\"text\": \"caf\xe9\"}")},
			400, "invalid", "not valid UTF-8"},
		{"no body",
			request{method: "POST", path: msgs, token: tok},
			400, "invalid", "request body is empty"},
		{"blank body",
			request{method: "POST", path: msgs, token: tok, body: "  \n"},
			400, "invalid", "request body is empty"},
		{"empty text",
			request{method: "POST", path: msgs, token: tok, body: api.PostMessageRequest{Text: ""}},
			400, "invalid", "text is empty"},
		{"text of spaces and control characters",
			request{method: "POST", path: msgs, token: tok, body: api.PostMessageRequest{Text: " \u0000\u0007 "}},
			400, "invalid", "text is empty"},
		{"text over the character limit",
			request{method: "POST", path: msgs, token: tok, body: api.PostMessageRequest{Text: strings.Repeat("字", maxRunes+1)}},
			413, "too_large", "the limit is 100"},
		{"idempotency key with a space",
			request{method: "POST", path: msgs, token: tok, body: api.PostMessageRequest{Text: "hi"}, header: map[string]string{"Idempotency-Key": "my key"}},
			400, "invalid", "idempotency key"},
		{"idempotency key too long",
			request{method: "POST", path: msgs, token: tok, body: api.PostMessageRequest{Text: "hi", IdempotencyKey: strings.Repeat("k", 129)}},
			400, "invalid", "idempotency key"},
		{"unknown conversation, staff token",
			request{method: "GET", path: "/v1/conversations/no-such-id", token: s.Agent},
			404, "not_found", "conversation not found"},
		{"unknown conversation, customer token",
			request{method: "POST", path: "/v1/conversations/no-such-id/messages", token: tok, body: api.PostMessageRequest{Text: "hi"}},
			404, "not_found", "conversation not found"},
		{"no token",
			request{method: "GET", path: msgs},
			401, "unauthorized", "missing credentials"},
		{"garbage token",
			request{method: "GET", path: msgs, token: "garbage"},
			401, "unauthorized", "invalid or expired credentials"},
		{"forged staff token",
			request{method: "GET", path: "/v1/conversations", token: "st.forged"},
			401, "unauthorized", "invalid or expired credentials"},
		{"malformed customer token",
			request{method: "GET", path: msgs, token: "ct.garbage"},
			401, "unauthorized", "invalid customer token"},
		{"not a bearer header",
			request{method: "GET", path: "/v1/me", header: map[string]string{"Authorization": "Basic " + s.Agent}},
			401, "unauthorized", "missing credentials"},
		{"bad limit",
			request{method: "GET", path: "/v1/conversations?limit=ten", token: s.Agent},
			400, "invalid", "limit"},
		{"bad owner filter",
			request{method: "GET", path: "/v1/conversations?owner=robot", token: s.Agent},
			400, "invalid", "unknown owner"},
		{"unknown route",
			request{method: "GET", path: "/v1/nothing-here"},
			404, "not_found", "no route GET /v1/nothing-here"},
		{"unknown method on a route",
			request{method: "DELETE", path: "/v1/conversations"},
			405, "method_not_allowed", "method not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(e.messages(c.ID, s.Agent, ""))
			wantError(t, e.send(tt.req), tt.status, tt.code, tt.msg)
			if after := len(e.messages(c.ID, s.Agent, "")); after != before {
				t.Errorf("a refused request stored %d messages", after-before)
			}
		})
	}
	// A 405 says which methods the route has.
	r := e.send(request{method: "DELETE", path: "/v1/conversations"})
	if allow := strings.Split(r.Header.Get("Allow"), ", "); !slices.Equal(slices.Sorted(slices.Values(allow)), []string{"GET", "POST"}) {
		t.Errorf("405 Allow header %q, want GET and POST", r.Header.Get("Allow"))
	}

	// A body exactly at the limit is read (the padding is trimmed off the text).
	body := `{"text":"` + strings.Repeat(" ", maxBody-len(`{"text":"a"}`)) + `a"}`
	if len(body) != maxBody {
		t.Fatalf("body of %d bytes", len(body))
	}
	e.assign(c.ID, s.Tenant.ID, s.AgentID)
	res := decode[api.PostMessageResponse](t, e.send(request{method: "POST", path: msgs, token: s.Agent, body: body}), http.StatusCreated)
	if res.Message.Text != "a" {
		t.Errorf("stored %q, want %q", res.Message.Text, "a")
	}
}

// A customer token of one conversation opens nothing of another, and the
// refusal tells nothing about it.
func TestCustomerTokenOfAnotherConversation(t *testing.T) {
	e := newEnv(t)
	e.newShop("shop")
	_, tokA := e.start("shop")
	b, tokB := e.start("shop")
	secret := "my address is 1 Secret Street"
	e.say(b.ID, tokB, secret, http.StatusCreated)

	base := "/v1/conversations/" + b.ID
	for _, req := range []request{
		{method: "GET", path: base},
		{method: "GET", path: base + "/messages"},
		{method: "POST", path: base + "/messages", body: api.PostMessageRequest{Text: "let me in"}},
		{method: "POST", path: base + "/typing"},
		{method: "GET", path: base + "/ws"},
		{method: "GET", path: base + "/ws?token=" + tokA},
	} {
		t.Run(req.method+" "+strings.TrimPrefix(req.path, base), func(t *testing.T) {
			if !strings.Contains(req.path, "token=") {
				req.token = tokA
			}
			r := e.send(req)
			wantError(t, r, http.StatusNotFound, "not_found", "not found")
			for _, leak := range []string{b.ID, secret, tokB} {
				if bytes.Contains(r.Body, []byte(leak)) {
					t.Errorf("refusal %s reveals %q", r.Body, leak)
				}
			}
		})
	}
	if n := len(e.messages(b.ID, tokB, "")); n != 2 {
		t.Errorf("conversation b has %d messages, want its own 2", n)
	}
}
