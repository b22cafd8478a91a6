package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/api"
	"github.com/assistd/assist/auth"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/store/sqlite"
)

// env is a running API on a SQLite database in a temporary folder.
type env struct {
	t      *testing.T
	Server *api.Server
	HTTP   *httptest.Server
	DB     *sqlite.DB
	Convs  *conversation.Service
	Auth   *auth.Service
	Hub    *conversation.Hub
	Log    *lockedBuffer // everything the server and the services logged, as JSON lines
}

type envOptions struct {
	cfg      api.Config
	maxRunes int
}

// newEnv starts a server. The options change its configuration.
func newEnv(t *testing.T, opts ...func(*envOptions)) *env {
	t.Helper()
	o := envOptions{}
	for _, f := range opts {
		f(&o)
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "assist.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })

	logs := &lockedBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	hub := conversation.NewHub(64)
	convs := &conversation.Service{
		Store:           sqlite.NewConversationStore(db),
		Policy:          dialog.HandoffPolicy{},
		Hub:             hub,
		Logger:          logger,
		MaxMessageRunes: o.maxRunes,
	}
	authn := &auth.Service{Store: sqlite.NewAuthStore(db), BcryptCost: 4}
	srv := api.New(o.cfg, convs, authn, hub, logger, nil)
	srv.Ready = db.Ready
	srv.Version = "test"
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	// WebSocket handlers outlive ts.Close (their connections are hijacked):
	// wait for them before the database closes.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.CloseSockets(ctx)
	})
	return &env{t: t, Server: srv, HTTP: ts, DB: db, Convs: convs, Auth: authn, Hub: hub, Log: logs}
}

// lockedBuffer is a bytes.Buffer safe for concurrent use.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// response is what a request got back.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// request is one HTTP request to the test server.
type request struct {
	method, path, token string
	body                any // nil, string, []byte, io.Reader (sent chunked) or a value sent as JSON
	header              map[string]string
}

func (e *env) send(r request) response {
	e.t.Helper()
	var body io.Reader
	length := int64(0)
	switch b := r.body.(type) {
	case nil:
	case string:
		body, length = strings.NewReader(b), int64(len(b))
	case []byte:
		body, length = bytes.NewReader(b), int64(len(b))
	case io.Reader:
		body, length = b, -1 // no Content-Length: chunked
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		body, length = bytes.NewReader(j), int64(len(j))
	}
	req, err := http.NewRequest(r.method, e.HTTP.URL+r.path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	req.ContentLength = length
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	res, err := e.HTTP.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatalf("%s %s: reading the body: %v", r.method, r.path, err)
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: b}
}

func (e *env) get(path, token string) response {
	e.t.Helper()
	return e.send(request{method: http.MethodGet, path: path, token: token})
}

func (e *env) post(path, token string, body any) response {
	e.t.Helper()
	return e.send(request{method: http.MethodPost, path: path, token: token, body: body})
}

// decode parses a JSON response body into a T, refusing unknown fields,
// after checking the status.
func decode[T any](t *testing.T, r response, status int) T {
	t.Helper()
	var v T
	if r.Status != status {
		t.Fatalf("status %d, want %d; body %s", r.Status, status, r.Body)
	}
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decoding %s into %T: %v", r.Body, v, err)
	}
	return v
}

// wantError checks an error response: its status, and a body that is
// exactly {"error":{"code","message"}} with the code and a message
// containing msg.
func wantError(t *testing.T, r response, status int, code, msg string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("status %d, want %d; body %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want JSON", ct)
	}
	var body map[string]map[string]any
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("error body %s: %v", r.Body, err)
	}
	detail, ok := body["error"]
	if len(body) != 1 || !ok || len(detail) != 2 {
		t.Fatalf("error body %s, want exactly {\"error\":{\"code\",\"message\"}}", r.Body)
	}
	if detail["code"] != code {
		t.Errorf("error code %v, want %q", detail["code"], code)
	}
	m, _ := detail["message"].(string)
	if m == "" || !strings.Contains(m, msg) {
		t.Errorf("error message %q, want one containing %q", m, msg)
	}
}

const password = "correct horse battery"

// shop is a tenant with one staff member of each kind the tests need,
// logged in.
type shop struct {
	Tenant                        *assist.Tenant
	Admin, Agent, Knowledge       string // session tokens
	AdminID, AgentID, KnowledgeID string
}

// newShop creates the tenant slug with an admin, an agent and a knowledge
// manager, logs each in through the API and returns their tokens.
func (e *env) newShop(slug string) shop {
	e.t.Helper()
	ctx := context.Background()
	tenant, _, err := e.Auth.EnsureTenant(ctx, slug, "The "+slug)
	if err != nil {
		e.t.Fatal(err)
	}
	s := shop{Tenant: tenant}
	for _, u := range []struct {
		role      assist.Role
		token, id *string
	}{
		{assist.RoleAdmin, &s.Admin, &s.AdminID},
		{assist.RoleAgent, &s.Agent, &s.AgentID},
		{assist.RoleKnowledge, &s.Knowledge, &s.KnowledgeID},
	} {
		email := string(u.role) + "@" + slug + ".example"
		if _, err := e.Auth.CreateUser(ctx, tenant.ID, auth.NewUser{Email: email, Name: string(u.role), Role: u.role, Password: password}); err != nil {
			e.t.Fatal(err)
		}
		res := decode[api.LoginResponse](e.t, e.post("/v1/auth/login", "", api.LoginRequest{Tenant: slug, Email: email, Password: password}), http.StatusOK)
		*u.token, *u.id = res.Token, res.User.ID
	}
	return s
}

// start creates a conversation in the tenant and returns it with its
// customer token.
func (e *env) start(tenant string) (api.ConversationJSON, string) {
	e.t.Helper()
	res := decode[api.CreateConversationResponse](e.t, e.post("/v1/conversations", "", api.CreateConversationRequest{Tenant: tenant}), http.StatusCreated)
	return res.Conversation, res.Token
}

// assign gives a conversation to a staff member, as routing does when an
// agent accepts or claims it (for servers without routing).
func (e *env) assign(convID, tenantID, userID string) {
	e.t.Helper()
	if err := e.Convs.SetOwner(context.Background(), tenantID, convID, assist.OwnerAgent, userID, "claimed"); err != nil {
		e.t.Fatal(err)
	}
}

// say posts a message and returns the API's answer, checking the status.
func (e *env) say(convID, token, text string, status int) api.PostMessageResponse {
	e.t.Helper()
	return decode[api.PostMessageResponse](e.t, e.post("/v1/conversations/"+convID+"/messages", token, api.PostMessageRequest{Text: text}), status)
}

func (e *env) messages(convID, token, query string) []api.MessageJSON {
	e.t.Helper()
	return decode[api.MessagesResponse](e.t, e.get("/v1/conversations/"+convID+"/messages"+query, token), http.StatusOK).Messages
}

func (e *env) conversation(convID, token string) api.ConversationJSON {
	e.t.Helper()
	return decode[api.ConversationJSON](e.t, e.get("/v1/conversations/"+convID, token), http.StatusOK)
}
