package openaitest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"
)

// Message is one chat message as the client sent it.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// ResponseFormat is the response_format of a chat request.
type ResponseFormat struct {
	Type       string `json:"type"`
	JSONSchema *struct {
		Name   string          `json:"name"`
		Schema json.RawMessage `json:"schema"`
		Strict bool            `json:"strict"`
	} `json:"json_schema,omitempty"`
}

// ChatRequest is a decoded chat-completions request.
type ChatRequest struct {
	Model          string          `json:"model"`
	Messages       []Message       `json:"messages"`
	Stream         bool            `json:"stream"`
	MaxTokens      int             `json:"max_tokens"`
	Temperature    float32         `json:"temperature"`
	ResponseFormat *ResponseFormat `json:"response_format"`
}

// LastUser returns the content of the last user message, or "".
func (r ChatRequest) LastUser() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			return r.Messages[i].Content
		}
	}
	return ""
}

// EmbedRequest is a decoded embeddings request.
type EmbedRequest struct {
	Model string
	Input []string
}

// Request is one recorded HTTP request.
type Request struct {
	Method        string
	Path          string
	Authorization string
	Body          []byte
}

// Error makes the server answer with an HTTP status and an OpenAI error
// body {"error": {"message", "type", "code"}}.
type Error struct {
	Status  int
	Type    string // e.g. "invalid_request_error", "rate_limit_exceeded"
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("openaitest: %d %s", e.Status, e.Message) }

// Server is a fake OpenAI-compatible server. Set the handler fields before
// the first request; they are called concurrently.
type Server struct {
	*httptest.Server

	// APIKey is the bearer token the server requires; "" accepts any.
	APIKey string
	// Dim is the size of the default embeddings (default 64).
	Dim int

	// Chat answers POST /v1/chat/completions without streaming. The
	// default echoes the last user message as "echo: <text>".
	Chat func(ctx context.Context, r ChatRequest) (string, error)
	// Stream answers a streamed chat request by calling send once per
	// delta. An error returned before the first send becomes an HTTP error;
	// after it, an error event ends the stream without [DONE]. The default
	// streams Chat's answer in chunks of four runes.
	Stream func(ctx context.Context, r ChatRequest, send func(delta string) error) error
	// Embed answers POST /v1/embeddings with one vector per input. The
	// default is HashEmbed with Dim dimensions.
	Embed func(ctx context.Context, r EmbedRequest) ([][]float32, error)

	mu       sync.Mutex
	requests []Request
}

// NewServer starts a server that tb closes at its end. Its APIKey is
// "test-key".
func NewServer(tb testing.TB) *Server {
	s := &Server{APIKey: "test-key", Dim: 64}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

// BaseURL is the URL to configure a client with: the server's URL + "/v1".
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ChatRequests returns the decoded chat requests received so far.
func (s *Server) ChatRequests() []ChatRequest {
	var out []ChatRequest
	for _, r := range s.Requests() {
		if strings.HasSuffix(r.Path, "/chat/completions") {
			var cr ChatRequest
			if json.Unmarshal(r.Body, &cr) == nil {
				out = append(out, cr)
			}
		}
	}
	return out
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err != nil {
		writeError(w, &Error{Status: http.StatusBadRequest, Type: "invalid_request_error", Message: "unreadable body"})
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Authorization: r.Header.Get("Authorization"), Body: body})
	s.mu.Unlock()

	if s.APIKey != "" && r.Header.Get("Authorization") != "Bearer "+s.APIKey {
		writeError(w, &Error{Status: http.StatusUnauthorized, Type: "invalid_request_error", Code: "invalid_api_key", Message: "Incorrect API key provided"})
		return
	}
	if r.Method != http.MethodPost {
		writeError(w, &Error{Status: http.StatusMethodNotAllowed, Type: "invalid_request_error", Message: "method not allowed"})
		return
	}
	switch {
	case strings.HasSuffix(r.URL.Path, "/chat/completions"):
		var cr ChatRequest
		if err := json.Unmarshal(body, &cr); err != nil {
			writeError(w, &Error{Status: http.StatusBadRequest, Type: "invalid_request_error", Message: "malformed JSON"})
			return
		}
		if len(cr.Messages) == 0 {
			writeError(w, &Error{Status: http.StatusBadRequest, Type: "invalid_request_error", Message: "messages must not be empty"})
			return
		}
		if cr.Stream {
			s.stream(w, r.Context(), cr)
			return
		}
		s.chat(w, r.Context(), cr)
	case strings.HasSuffix(r.URL.Path, "/embeddings"):
		s.embed(w, r.Context(), body)
	default:
		writeError(w, &Error{Status: http.StatusNotFound, Type: "invalid_request_error", Message: "unknown endpoint"})
	}
}

func (s *Server) chatAnswer(ctx context.Context, r ChatRequest) (string, error) {
	if s.Chat != nil {
		return s.Chat(ctx, r)
	}
	return "echo: " + r.LastUser(), nil
}

func (s *Server) chat(w http.ResponseWriter, ctx context.Context, r ChatRequest) {
	answer, err := s.chatAnswer(ctx, r)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id":      "chatcmpl-test",
		"object":  "chat.completion",
		"created": 1700000000,
		"model":   r.Model,
		"choices": []any{map[string]any{
			"index":         0,
			"message":       map[string]any{"role": "assistant", "content": answer},
			"finish_reason": "stop",
		}},
		"usage": map[string]any{"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
	})
}

func (s *Server) stream(w http.ResponseWriter, ctx context.Context, r ChatRequest) {
	started := false
	flusher, _ := w.(http.Flusher)
	event := func(v any) error {
		b, _ := json.Marshal(v)
		if _, err := fmt.Fprintf(w, "data: %s\n\n", b); err != nil {
			return err
		}
		if flusher != nil {
			flusher.Flush()
		}
		return nil
	}
	chunk := func(delta map[string]any, finish any) map[string]any {
		return map[string]any{
			"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 1700000000, "model": r.Model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}},
		}
	}
	send := func(delta string) error {
		if !started {
			started = true
			w.Header().Set("Content-Type", "text/event-stream")
			w.Header().Set("Cache-Control", "no-cache")
			w.WriteHeader(http.StatusOK)
			if err := event(chunk(map[string]any{"role": "assistant", "content": ""}, nil)); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		return event(chunk(map[string]any{"content": delta}, nil))
	}
	fn := s.Stream
	if fn == nil {
		fn = func(ctx context.Context, r ChatRequest, send func(string) error) error {
			answer, err := s.chatAnswer(ctx, r)
			if err != nil {
				return err
			}
			for _, c := range Chunks(answer, 4) {
				if err := send(c); err != nil {
					return err
				}
			}
			return nil
		}
	}
	err := fn(ctx, r, send)
	switch {
	case err != nil && !started:
		writeError(w, err)
	case err != nil:
		var e *Error
		if !errors.As(err, &e) {
			e = &Error{Status: http.StatusInternalServerError, Type: "server_error", Message: err.Error()}
		}
		_ = event(map[string]any{"error": map[string]any{"message": e.Message, "type": e.Type, "code": e.Code}})
	default:
		if !started {
			_ = send("")
		}
		_ = event(chunk(map[string]any{}, "stop"))
		_, _ = io.WriteString(w, "data: [DONE]\n\n")
		if flusher != nil {
			flusher.Flush()
		}
	}
}

func (s *Server) embed(w http.ResponseWriter, ctx context.Context, body []byte) {
	var raw struct {
		Model string          `json:"model"`
		Input json.RawMessage `json:"input"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		writeError(w, &Error{Status: http.StatusBadRequest, Type: "invalid_request_error", Message: "malformed JSON"})
		return
	}
	req := EmbedRequest{Model: raw.Model}
	var one string
	if err := json.Unmarshal(raw.Input, &one); err == nil {
		req.Input = []string{one}
	} else if err := json.Unmarshal(raw.Input, &req.Input); err != nil || len(req.Input) == 0 {
		writeError(w, &Error{Status: http.StatusBadRequest, Type: "invalid_request_error", Message: "input must be a string or a non-empty array of strings"})
		return
	}
	fn := s.Embed
	if fn == nil {
		fn = func(_ context.Context, r EmbedRequest) ([][]float32, error) {
			out := make([][]float32, len(r.Input))
			for i, t := range r.Input {
				out[i] = HashEmbed(t, s.Dim)
			}
			return out, nil
		}
	}
	vecs, err := fn(ctx, req)
	if err != nil {
		writeError(w, err)
		return
	}
	data := make([]any, len(vecs))
	for i, v := range vecs {
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": v}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"object": "list", "model": req.Model, "data": data,
		"usage": map[string]any{"prompt_tokens": len(req.Input), "total_tokens": len(req.Input)},
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Status: http.StatusInternalServerError, Type: "server_error", Message: err.Error()}
	}
	status := e.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	writeJSON(w, status, map[string]any{"error": map[string]any{"message": e.Message, "type": e.Type, "code": e.Code}})
}

// Chunks cuts s into pieces of at most n runes.
func Chunks(s string, n int) []string {
	var out []string
	for len(s) > 0 {
		i, k := 0, 0
		for i < len(s) && k < n {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			k++
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return out
}

// HashEmbed returns a deterministic unit vector of dim dimensions for text:
// each lower-cased word and each CJK character is hashed to a signed
// dimension. Texts sharing tokens have a positive cosine similarity.
func HashEmbed(text string, dim int) []float32 {
	if dim <= 0 {
		dim = 64
	}
	v := make([]float32, dim)
	add := func(tok string) {
		h := fnv.New64a()
		_, _ = h.Write([]byte(tok))
		x := h.Sum64()
		sign := float32(1)
		if x>>63 == 1 {
			sign = -1
		}
		v[x%uint64(dim)] += sign
	}
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			add(word.String())
			word.Reset()
		}
	}
	for _, r := range strings.ToLower(text) {
		switch {
		case unicode.Is(unicode.Han, r):
			flush()
			add(string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	var norm float64
	for _, x := range v {
		norm += float64(x) * float64(x)
	}
	if norm == 0 {
		v[0] = 1
		return v
	}
	n := float32(math.Sqrt(norm))
	for i := range v {
		v[i] /= n
	}
	return v
}
