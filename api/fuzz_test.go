package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/coder/websocket"
	"github.com/gin-gonic/gin"

	"github.com/assistd/assist"
)

// FuzzBind feeds request bodies to the JSON binding every handler uses:
// whatever the bytes, the answer is the value or an EINVALID/ETOOLARGE
// error, and what was accepted binds again after a round trip.
func FuzzBind(f *testing.F) {
	for _, s := range []string{`{"text":"hi"}`, `{"tenant":"acme","customer_ref":"c","customer_sig":"00","customer_expires":1}`,
		`{"text":"a"} {}`, `{"text":1}`, `{"nope":true}`, "\xff", ``, `   `, `{"text":"\u0000"}`, `[`, `{"question":"q","lang":"zh"}`} {
		f.Add([]byte(s))
	}
	gin.SetMode(gin.ReleaseMode)
	targets := []func() any{
		func() any { return &PostMessageRequest{} },
		func() any { return &CreateConversationRequest{} },
		func() any { return &LoginRequest{} },
		func() any { return &KBAskRequest{} },
		func() any { return &CreateTenantRequest{} },
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, newV := range targets {
			c, _ := gin.CreateTestContext(httptest.NewRecorder())
			c.Request = httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
			v := newV()
			err := bind(c, v)
			if err != nil {
				if code := assist.ErrorCode(err); code != assist.EINVALID && code != assist.ETOOLARGE {
					t.Fatalf("bind %q into %T: code %s (%v)", body, v, code, err)
				}
				continue
			}
			again, _ := json.Marshal(v)
			c.Request = httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(again))
			if err := bind(c, newV()); err != nil {
				t.Fatalf("%T %s accepted, its re-encoding %s refused: %v", v, body, again, err)
			}
		}
	})
}

// FuzzDecodeFrame feeds WebSocket frames to the socket's reader: a frame
// is a client frame or refused, never a panic.
func FuzzDecodeFrame(f *testing.F) {
	for _, s := range []string{`{"type":"message","text":"hi","idempotency_key":"k"}`, `{"type":"typing"}`, `not json {`, `{"type":5}`, "\xff\xfe"} {
		f.Add([]byte(s), true)
	}
	f.Add([]byte{0, 1, 2}, false)
	f.Fuzz(func(t *testing.T, data []byte, text bool) {
		typ := websocket.MessageBinary
		if text {
			typ = websocket.MessageText
		}
		fr, ok := decodeFrame(typ, data)
		if !ok && fr != (WSClientFrame{}) {
			t.Fatalf("refused frame %q decoded to %+v", data, fr)
		}
		if ok && !text {
			t.Fatalf("binary frame %q accepted", data)
		}
	})
}
