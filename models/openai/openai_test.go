package openai_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/models"
	"github.com/assistd/assist/models/openai"
	"github.com/assistd/assist/models/openai/openaitest"
)

const secretPrompt = "my card is 6222020200112233445 and my phone 13812345678"

func newClient(t *testing.T, srv *openaitest.Server, mod func(*openai.Config)) *openai.Client {
	t.Helper()
	cfg := openai.Config{
		BaseURL:      srv.BaseURL(),
		APIKey:       srv.APIKey,
		ChatModel:    "chat-model",
		EmbedModel:   "embed-model",
		Timeout:      5 * time.Second,
		RetryBackoff: time.Millisecond,
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := openai.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func userReq(text string) models.ChatRequest {
	return models.ChatRequest{Messages: []models.ChatMessage{
		{Role: models.ChatSystem, Content: "be brief"},
		{Role: models.ChatUser, Content: text},
	}}
}

// checkClean fails when err's text carries the key or the prompt.
func checkClean(t *testing.T, err error, key string) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	for _, s := range []string{key, secretPrompt, "13812345678", "6222020200112233445"} {
		if s != "" && strings.Contains(msg, s) {
			t.Errorf("error %q leaks %q", msg, s)
		}
	}
}

func TestNew(t *testing.T) {
	for _, cfg := range []openai.Config{
		{BaseURL: "ftp://x"},
		{BaseURL: "not a url"},
		{BaseURL: "http://"},
		{BaseURL: "http://localhost", Timeout: -1},
		{BaseURL: "http://localhost", MaxRetries: -1},
		{BaseURL: "http://localhost", EmbedBatch: -1},
	} {
		if _, err := openai.New(cfg); assist.ErrorCode(err) != assist.EINVALID {
			t.Errorf("New(%+v) = %v, want EINVALID", cfg, err)
		}
	}
	c, err := openai.New(openai.Config{APIKey: "sk-secret", ChatModel: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.String(), "sk-secret") {
		t.Errorf("String() leaks the key: %s", c)
	}
}

func TestChat(t *testing.T) {
	srv := openaitest.NewServer(t)
	c := newClient(t, srv, nil)
	got, err := c.Chat(context.Background(), userReq("hello there"))
	if err != nil {
		t.Fatal(err)
	}
	if got != "echo: hello there" {
		t.Errorf("answer %q", got)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Authorization != "Bearer "+srv.APIKey || reqs[0].Path != "/v1/chat/completions" {
		t.Fatalf("requests %+v", reqs)
	}
	cr := srv.ChatRequests()[0]
	if cr.Model != "chat-model" || cr.Stream || len(cr.Messages) != 2 || cr.Messages[0].Role != "system" || cr.ResponseFormat != nil {
		t.Errorf("request %+v", cr)
	}
}

func TestChatJSONSchema(t *testing.T) {
	srv := openaitest.NewServer(t)
	srv.Chat = func(_ context.Context, r openaitest.ChatRequest) (string, error) {
		return `{"ok":true}`, nil
	}
	c := newClient(t, srv, nil)
	schema := `{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"],"additionalProperties":false}`
	req := userReq("x")
	req.JSONSchema = []byte(schema)
	req.SchemaName = "verdict"
	req.MaxTokens = 20
	if _, err := c.Chat(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	cr := srv.ChatRequests()[0]
	if cr.ResponseFormat == nil || cr.ResponseFormat.Type != "json_schema" || cr.ResponseFormat.JSONSchema == nil {
		t.Fatalf("response_format %+v", cr.ResponseFormat)
	}
	js := cr.ResponseFormat.JSONSchema
	var a, b any
	_ = json.Unmarshal(js.Schema, &a)
	_ = json.Unmarshal([]byte(schema), &b)
	if js.Name != "verdict" || !js.Strict || !reflect.DeepEqual(a, b) || cr.MaxTokens != 20 {
		t.Errorf("json_schema %+v (schema %s), max_tokens %d", js, js.Schema, cr.MaxTokens)
	}

	for _, bad := range []models.ChatRequest{
		{},
		{Messages: []models.ChatMessage{{Role: "tool", Content: "x"}}},
		{Messages: []models.ChatMessage{{Role: models.ChatUser, Content: "x"}}, JSONSchema: []byte("{nope")},
		{Messages: []models.ChatMessage{{Role: models.ChatUser, Content: "x"}}, JSONSchema: []byte("{}"), SchemaName: "bad name!"},
	} {
		if _, err := c.Chat(context.Background(), bad); assist.ErrorCode(err) != assist.EINVALID {
			t.Errorf("Chat(%+v) = %v, want EINVALID", bad, err)
		}
	}
	if len(srv.Requests()) != 1 {
		t.Errorf("invalid requests reached the server")
	}
}

func TestChatErrors(t *testing.T) {
	tests := []struct {
		status int
		typ    string
		want   string
	}{
		{401, "invalid_request_error", assist.EUNAUTHORIZED},
		{403, "permission_error", assist.EUNAUTHORIZED},
		{400, "invalid_request_error", assist.EINVALID},
		{404, "invalid_request_error", assist.EINVALID},
		{413, "invalid_request_error", assist.ETOOLARGE},
		{429, "rate_limit_exceeded", assist.ERATELIMITED},
		{500, "server_error", assist.EUNAVAILABLE},
		{503, "server_error", assist.EUNAVAILABLE},
	}
	for _, tt := range tests {
		srv := openaitest.NewServer(t)
		srv.APIKey = "sk-very-secret-key"
		srv.Chat = func(_ context.Context, r openaitest.ChatRequest) (string, error) {
			// Servers echo parts of the request; none of it may leak.
			return "", &openaitest.Error{Status: tt.status, Type: tt.typ, Message: "bad: " + r.LastUser() + " key sk-very-secret-key"}
		}
		c := newClient(t, srv, nil)
		_, err := c.Chat(context.Background(), userReq(secretPrompt))
		if got := assist.ErrorCode(err); got != tt.want {
			t.Errorf("status %d: code %q (%v), want %q", tt.status, got, err, tt.want)
		}
		checkClean(t, err, srv.APIKey)
		if len(srv.Requests()) != 1 {
			t.Errorf("status %d: %d requests without retries configured", tt.status, len(srv.Requests()))
		}
	}
}

func TestWrongKey(t *testing.T) {
	srv := openaitest.NewServer(t)
	c := newClient(t, srv, func(c *openai.Config) { c.APIKey = "sk-wrong-key" })
	_, err := c.Chat(context.Background(), userReq(secretPrompt))
	if assist.ErrorCode(err) != assist.EUNAUTHORIZED {
		t.Fatalf("err %v", err)
	}
	checkClean(t, err, "sk-wrong-key")
}

func TestNonJSONErrorBody(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>bad gateway</html>", http.StatusBadGateway)
	}))
	defer hs.Close()
	c, err := openai.New(openai.Config{BaseURL: hs.URL + "/v1", APIKey: "k", ChatModel: "m"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Chat(context.Background(), userReq(secretPrompt))
	if assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Fatalf("err %v", err)
	}
}

func TestRetries(t *testing.T) {
	for _, tt := range []struct {
		name     string
		failures int
		status   int
		retries  int
		wantCode string
		wantReqs int
	}{
		{"recovers", 2, 503, 2, "", 3},
		{"gives up", 2, 503, 1, assist.EUNAVAILABLE, 2},
		{"rate limit recovers", 1, 429, 1, "", 2},
		{"client error not retried", 1, 400, 3, assist.EINVALID, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := openaitest.NewServer(t)
			var n atomic.Int32
			srv.Chat = func(_ context.Context, r openaitest.ChatRequest) (string, error) {
				if int(n.Add(1)) <= tt.failures {
					return "", &openaitest.Error{Status: tt.status, Type: "x"}
				}
				return "fine", nil
			}
			c := newClient(t, srv, func(c *openai.Config) { c.MaxRetries = tt.retries })
			got, err := c.Chat(context.Background(), userReq("hi"))
			if assist.ErrorCode(err) != tt.wantCode {
				t.Fatalf("err %v, want code %q", err, tt.wantCode)
			}
			if err == nil && got != "fine" {
				t.Errorf("answer %q", got)
			}
			if len(srv.Requests()) != tt.wantReqs {
				t.Errorf("%d requests, want %d", len(srv.Requests()), tt.wantReqs)
			}
		})
	}
}

func TestConnectionRefused(t *testing.T) {
	hs := httptest.NewServer(http.NotFoundHandler())
	url := hs.URL
	hs.Close()
	c, err := openai.New(openai.Config{BaseURL: url + "/v1", APIKey: "sk-k", ChatModel: "m", EmbedModel: "e", MaxRetries: 1, RetryBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Chat(context.Background(), userReq(secretPrompt))
	if assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Fatalf("chat err %v", err)
	}
	checkClean(t, err, "sk-k")
	if _, err := c.Embed(context.Background(), []string{secretPrompt}); assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Fatalf("embed err %v", err)
	}
	if err := c.ChatStream(context.Background(), userReq("x"), func(string) error { return nil }); assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Fatalf("stream err %v", err)
	}
}

// slowServer answers only when the client gives up.
func slowServer(t *testing.T) *openaitest.Server {
	srv := openaitest.NewServer(t)
	srv.Chat = func(ctx context.Context, r openaitest.ChatRequest) (string, error) {
		<-ctx.Done()
		return "", ctx.Err()
	}
	srv.Embed = func(ctx context.Context, r openaitest.EmbedRequest) ([][]float32, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return srv
}

func TestTimeout(t *testing.T) {
	srv := slowServer(t)
	c := newClient(t, srv, func(c *openai.Config) { c.Timeout = 20 * time.Millisecond })
	_, err := c.Chat(context.Background(), userReq(secretPrompt))
	if assist.ErrorCode(err) != assist.EUNAVAILABLE || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("chat err %v, want EUNAVAILABLE wrapping DeadlineExceeded", err)
	}
	checkClean(t, err, srv.APIKey)
	_, err = c.Embed(context.Background(), []string{"a"})
	if assist.ErrorCode(err) != assist.EUNAVAILABLE || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("embed err %v", err)
	}
}

func TestCallerCancels(t *testing.T) {
	srv := slowServer(t)
	c := newClient(t, srv, func(c *openai.Config) { c.MaxRetries = 3 })
	ctx, cancel := context.WithCancel(context.Background())
	srv.Chat = func(rctx context.Context, r openaitest.ChatRequest) (string, error) {
		cancel()
		<-rctx.Done()
		return "", rctx.Err()
	}
	_, err := c.Chat(ctx, userReq("x"))
	if !errors.Is(err, context.Canceled) || assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Fatalf("err %v, want EUNAVAILABLE wrapping context.Canceled", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests after cancel, want 1 (no retry)", n)
	}
}

func collect(t *testing.T, c *openai.Client, req models.ChatRequest) ([]string, error) {
	t.Helper()
	var got []string
	err := c.ChatStream(context.Background(), req, func(d string) error {
		got = append(got, d)
		return nil
	})
	return got, err
}

func TestChatStream(t *testing.T) {
	srv := openaitest.NewServer(t)
	c := newClient(t, srv, nil)
	got, err := collect(t, c, userReq("你好，我的订单到哪了"))
	if err != nil {
		t.Fatal(err)
	}
	want := openaitest.Chunks("echo: 你好，我的订单到哪了", 4)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("deltas %q, want %q", got, want)
	}
	if cr := srv.ChatRequests()[0]; !cr.Stream {
		t.Errorf("stream flag not sent")
	}
}

func TestChatStreamCallbackError(t *testing.T) {
	srv := openaitest.NewServer(t)
	c := newClient(t, srv, func(c *openai.Config) { c.MaxRetries = 2 })
	stop := errors.New("enough")
	n := 0
	err := c.ChatStream(context.Background(), userReq("a long answer to cut short"), func(string) error {
		n++
		return stop
	})
	if err != stop || n != 1 {
		t.Fatalf("err %v after %d deltas, want the callback's error after 1", err, n)
	}
	if len(srv.Requests()) != 1 {
		t.Errorf("retried after a callback error")
	}
}

func TestChatStreamErrors(t *testing.T) {
	t.Run("http error before the stream", func(t *testing.T) {
		srv := openaitest.NewServer(t)
		srv.Stream = func(ctx context.Context, r openaitest.ChatRequest, send func(string) error) error {
			return &openaitest.Error{Status: 429, Type: "rate_limit_exceeded", Message: r.LastUser()}
		}
		c := newClient(t, srv, nil)
		_, err := collect(t, c, userReq(secretPrompt))
		if assist.ErrorCode(err) != assist.ERATELIMITED {
			t.Fatalf("err %v", err)
		}
		checkClean(t, err, srv.APIKey)
	})
	t.Run("error event mid-stream", func(t *testing.T) {
		srv := openaitest.NewServer(t)
		srv.Stream = func(ctx context.Context, r openaitest.ChatRequest, send func(string) error) error {
			if err := send("partial "); err != nil {
				return err
			}
			return &openaitest.Error{Status: 500, Type: "server_error", Message: "boom " + r.LastUser()}
		}
		c := newClient(t, srv, func(c *openai.Config) { c.MaxRetries = 2 })
		got, err := collect(t, c, userReq(secretPrompt))
		if assist.ErrorCode(err) != assist.EUNAVAILABLE || !reflect.DeepEqual(got, []string{"partial "}) {
			t.Fatalf("got %q, err %v", got, err)
		}
		checkClean(t, err, srv.APIKey)
		if len(srv.Requests()) != 1 {
			t.Errorf("a stream that already delivered was retried")
		}
	})
	t.Run("idle timeout", func(t *testing.T) {
		srv := openaitest.NewServer(t)
		srv.Stream = func(ctx context.Context, r openaitest.ChatRequest, send func(string) error) error {
			if err := send("first"); err != nil {
				return err
			}
			<-ctx.Done()
			return ctx.Err()
		}
		c := newClient(t, srv, func(c *openai.Config) { c.Timeout = 30 * time.Millisecond })
		got, err := collect(t, c, userReq("x"))
		if assist.ErrorCode(err) != assist.EUNAVAILABLE || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err %v", err)
		}
		if !reflect.DeepEqual(got, []string{"first"}) {
			t.Errorf("deltas %q", got)
		}
	})
}

func TestEmbed(t *testing.T) {
	srv := openaitest.NewServer(t)
	srv.Dim = 16
	c := newClient(t, srv, func(c *openai.Config) { c.EmbedBatch = 3 })
	texts := []string{"退货政策", "return policy", "物流到哪了", "where is my parcel", "发票", "invoice", "coupon"}
	got, err := c.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(texts) {
		t.Fatalf("%d vectors for %d texts", len(got), len(texts))
	}
	for i, tx := range texts {
		if !reflect.DeepEqual([]float32(got[i]), openaitest.HashEmbed(tx, 16)) {
			t.Errorf("vector %d is not the one for %q", i, tx)
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3 batches", len(reqs))
	}
	var body struct {
		Model string   `json:"model"`
		Input []string `json:"input"`
	}
	_ = json.Unmarshal(reqs[2].Body, &body)
	if body.Model != "embed-model" || !reflect.DeepEqual(body.Input, []string{"coupon"}) {
		t.Errorf("last batch %+v", body)
	}

	if v, err := c.Embed(context.Background(), nil); v != nil || err != nil || len(srv.Requests()) != 3 {
		t.Errorf("no texts: %v, %v", v, err)
	}
}

func TestEmbedBadAnswers(t *testing.T) {
	for name, fn := range map[string]func(context.Context, openaitest.EmbedRequest) ([][]float32, error){
		"too few": func(_ context.Context, r openaitest.EmbedRequest) ([][]float32, error) { return [][]float32{{1}}, nil },
		"ragged": func(_ context.Context, r openaitest.EmbedRequest) ([][]float32, error) {
			return [][]float32{{1, 2}, {1}}, nil
		},
		"server error": func(_ context.Context, r openaitest.EmbedRequest) ([][]float32, error) {
			return nil, &openaitest.Error{Status: 502}
		},
		"empty vector": func(_ context.Context, r openaitest.EmbedRequest) ([][]float32, error) {
			return [][]float32{{}, {}}, nil
		},
	} {
		srv := openaitest.NewServer(t)
		srv.Embed = fn
		c := newClient(t, srv, nil)
		if _, err := c.Embed(context.Background(), []string{"a", "b"}); assist.ErrorCode(err) != assist.EUNAVAILABLE {
			t.Errorf("%s: err %v, want EUNAVAILABLE", name, err)
		}
	}
	srv := openaitest.NewServer(t)
	c := newClient(t, srv, func(c *openai.Config) { c.EmbedModel = "" })
	if _, err := c.Embed(context.Background(), []string{"a"}); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("no model: %v", err)
	}
}
