package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/api"
	"github.com/assistd/assist/ingest"
	"github.com/assistd/assist/rag"
	vsqlite "github.com/assistd/assist/vector/sqlite"
)

// withKnowledge gives the env's server a knowledge base on a SQLite index
// with an upload cap of maxUpload bytes.
func withKnowledge(t *testing.T, e *env, maxUpload int64) *vsqlite.Index {
	t.Helper()
	ix, err := vsqlite.Open(context.Background(), filepath.Join(t.TempDir(), "kb.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	e.Server.Knowledge = &api.Knowledge{
		// A knowledge base of two or three documents gives small BM25
		// scores: a threshold to match.
		Service: &rag.Service{Index: ix, Gaps: ix, Config: rag.Config{Threshold: 0.2}},
		Load: func(ctx context.Context, name string, r io.Reader, tenantID, kb string) ([]rag.Document, error) {
			return ingest.Load(ctx, name, name, r, ingest.Options{TenantID: tenantID, KB: kb})
		},
		MaxUploadBytes: maxUpload,
	}
	return ix
}

// upload posts files (name → content) as multipart/form-data.
func (e *env) upload(path, token string, files map[string]string) response {
	e.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for name, body := range files {
		w, err := mw.CreateFormFile("file", name)
		if err != nil {
			e.t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	mw.Close()
	return e.send(request{method: http.MethodPost, path: path, token: token, body: b.Bytes(),
		header: map[string]string{"Content-Type": mw.FormDataContentType()}})
}

const returnsMD = "# Returns\n\n## Window\n\nYou can return any item within 7 days of delivery, no reason needed.\n\n## Postage\n\nFor quality problems we pay the return postage; otherwise a $6 label is deducted.\n"

func TestKBConsole(t *testing.T) {
	e := newEnv(t)
	withKnowledge(t, e, 1<<20)
	s := e.newShop("acme")
	other := e.newShop("other")

	up := decode[api.KBUploadResponse](t, e.upload("/v1/kb/help/documents", s.Knowledge, map[string]string{
		"en-returns.md": returnsMD,
		"faq.jsonl":     `{"id":"faq-invoice","question":"How do I change the invoice title?","answer":"Edit it on the order page before the invoice is issued."}` + "\n",
	}), http.StatusCreated)
	if len(up.Documents) != 2 || up.Chunks < 3 {
		t.Fatalf("upload = %+v", up)
	}
	// Upload again: replaced, not duplicated.
	decode[api.KBUploadResponse](t, e.upload("/v1/kb/help/documents", s.Admin, map[string]string{"en-returns.md": returnsMD}), http.StatusCreated)
	list := decode[api.KBDocumentsResponse](t, e.get("/v1/kb/help/documents", s.Knowledge), http.StatusOK)
	if len(list.Documents) != 2 || list.Documents[0].Doc != "en-returns.md" || list.Documents[0].Chunks != 2 || list.Documents[0].Title != "Returns" {
		t.Fatalf("list = %+v", list)
	}

	ans := decode[api.KBAnswer](t, e.post("/v1/kb/help/ask", s.Agent, api.KBAskRequest{Question: "Who pays the return postage?"}), http.StatusOK)
	if !ans.Known || len(ans.Sources) != 1 || ans.Sources[0].Doc != "en-returns.md" || !strings.Contains(ans.Answer, "postage") || ans.Lang != "en" {
		t.Fatalf("answer = %+v", ans)
	}
	idk := decode[api.KBAnswer](t, e.post("/v1/kb/help/ask", s.Agent, api.KBAskRequest{Question: "Do you sell garden furniture?", ConversationID: "c-9"}), http.StatusOK)
	if idk.Known || !idk.OfferHuman || !strings.Contains(idk.Answer, "a person from our support team") {
		t.Fatalf("unknown answer = %+v", idk)
	}
	// Try-it shows the decision as the bot made it: the confidence against
	// the threshold, and what was retrieved whether it answered or not.
	if ans.Threshold <= 0 || ans.Confidence < ans.Threshold || len(ans.Retrieved) == 0 || ans.Retrieved[0].Doc != ans.Sources[0].Doc || ans.Retrieved[0].Keyword <= 0 {
		t.Errorf("answered: confidence %.2f, threshold %.2f, retrieved %+v", ans.Confidence, ans.Threshold, ans.Retrieved)
	}
	if idk.Threshold != ans.Threshold || idk.Confidence >= idk.Threshold || idk.Retrieved == nil || len(idk.Sources) != 0 {
		t.Errorf("declined: confidence %.2f, threshold %.2f, retrieved %v, sources %v", idk.Confidence, idk.Threshold, idk.Retrieved, idk.Sources)
	}
	// Declined, yet a passage was found (the returns "Window" section for a
	// window-cleaning question): the knowledge manager sees it and its
	// similarity, which is when they need it.
	near := decode[api.KBAnswer](t, e.post("/v1/kb/help/ask", s.Agent, api.KBAskRequest{Question: "Is there a window cleaning service?"}), http.StatusOK)
	if near.Known || near.Confidence >= near.Threshold || len(near.Sources) != 0 || len(near.Retrieved) == 0 || near.Retrieved[0].Doc != "en-returns.md" || near.Retrieved[0].Text == "" {
		t.Errorf("declined with the returns article in reach: known %v, confidence %.2f of %.2f, retrieved %+v; want it listed", near.Known, near.Confidence, near.Threshold, near.Retrieved)
	}

	// Another tenant sees nothing of it.
	wantError(t, e.get("/v1/kb/help/documents", other.Knowledge), http.StatusNotFound, "not_found", "knowledge base")
	wantError(t, e.post("/v1/kb/help/ask", other.Agent, api.KBAskRequest{Question: "Who pays the return postage?"}), http.StatusNotFound, "not_found", "knowledge base")

	// Roles: agents ask but do not manage.
	wantError(t, e.upload("/v1/kb/help/documents", s.Agent, map[string]string{"a.md": "# A\n\ntext"}), http.StatusForbidden, "forbidden", "")
	wantError(t, e.get("/v1/kb/help/documents", s.Agent), http.StatusForbidden, "forbidden", "")
	wantError(t, e.send(request{method: http.MethodDelete, path: "/v1/kb/help/documents/faq-invoice", token: s.Agent}), http.StatusForbidden, "forbidden", "")

	re := decode[api.KBReindexResponse](t, e.post("/v1/kb/help/reindex", s.Knowledge, nil), http.StatusOK)
	if re.Documents != 2 || re.Chunks != 3 {
		t.Fatalf("reindex = %+v", re)
	}
	if r := e.send(request{method: http.MethodDelete, path: "/v1/kb/help/documents/faq-invoice", token: s.Knowledge}); r.Status != http.StatusNoContent {
		t.Fatalf("delete = %d %s", r.Status, r.Body)
	}
	wantError(t, e.send(request{method: http.MethodDelete, path: "/v1/kb/help/documents/faq-invoice", token: s.Knowledge}), http.StatusNotFound, "not_found", "faq-invoice")
	wantError(t, e.post("/v1/kb/nosuch/reindex", s.Knowledge, nil), http.StatusNotFound, "not_found", "nosuch")
}

func TestKBBadInput(t *testing.T) {
	e := newEnv(t)
	withKnowledge(t, e, 4096)
	s := e.newShop("acme")
	decode[api.KBUploadResponse](t, e.upload("/v1/kb/help/documents", s.Knowledge, map[string]string{"en-returns.md": returnsMD}), http.StatusCreated)

	wantError(t, e.upload("/v1/kb/help/documents", s.Knowledge, map[string]string{"big.txt": strings.Repeat("word ", 2000)}), http.StatusRequestEntityTooLarge, "too_large", "limit")
	wantError(t, e.upload("/v1/kb/help/documents", s.Knowledge, map[string]string{"a.docx": "x"}), http.StatusBadRequest, "invalid", "unsupported format")
	wantError(t, e.upload("/v1/kb/help/documents", s.Knowledge, map[string]string{"a.md": "bad \xff"}), http.StatusBadRequest, "invalid", "UTF-8")
	wantError(t, e.upload("/v1/kb/help/documents", s.Knowledge, map[string]string{}), http.StatusBadRequest, "invalid", "no file")
	wantError(t, e.post("/v1/kb/help/documents", s.Knowledge, map[string]string{"a": "b"}), http.StatusBadRequest, "invalid", "multipart")
	wantError(t, e.upload("/v1/kb/Bad%20Name/documents", s.Knowledge, map[string]string{"a.md": "# a"}), http.StatusBadRequest, "invalid", "knowledge base names")
	wantError(t, e.post("/v1/kb/help/ask", s.Agent, api.KBAskRequest{Question: " "}), http.StatusBadRequest, "invalid", "question is empty")
	wantError(t, e.post("/v1/kb/help/ask", s.Agent, api.KBAskRequest{Question: "x", Lang: "fr"}), http.StatusBadRequest, "invalid", "lang")
	wantError(t, e.post("/v1/kb/help/ask", "", api.KBAskRequest{Question: "x"}), http.StatusUnauthorized, "unauthorized", "")
	// The general body cap still applies to ask.
	wantError(t, e.post("/v1/kb/help/ask", s.Agent, api.KBAskRequest{Question: strings.Repeat("q", 70<<10)}), http.StatusRequestEntityTooLarge, "too_large", "limit")
}

func TestKBUnconfigured(t *testing.T) {
	e := newEnv(t)
	s := e.newShop("acme")
	wantError(t, e.get("/v1/kb/help/documents", s.Knowledge), http.StatusServiceUnavailable, "unavailable", "not configured")
}

func TestKBAskStream(t *testing.T) {
	e := newEnv(t)
	withKnowledge(t, e, 1<<20)
	s := e.newShop("acme")
	decode[api.KBUploadResponse](t, e.upload("/v1/kb/help/documents", s.Knowledge, map[string]string{"en-returns.md": returnsMD,
		"hours.txt": "Our chat is open from 9:00 to 22:00 every day."}), http.StatusCreated)
	e.Server.Knowledge.Service.Generator = wordLLM{}
	e.Server.Knowledge.Service.Config.Threshold = 0.05 // three chunks: BM25 is small
	r := e.send(request{method: http.MethodPost, path: "/v1/kb/help/ask", token: s.Agent,
		body: api.KBAskRequest{Question: "Who pays the return postage?"}, header: map[string]string{"Accept": "text/event-stream"}})
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("status %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	var deltas strings.Builder
	var final api.KBAnswer
	events := 0
	sc := bufio.NewScanner(bytes.NewReader(r.Body))
	event := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			data := []byte(strings.TrimPrefix(line, "data: "))
			switch event {
			case "delta":
				var d struct{ Text string }
				json.Unmarshal(data, &d)
				deltas.WriteString(d.Text)
				events++
			case "answer":
				if err := json.Unmarshal(data, &final); err != nil {
					t.Fatal(err)
				}
			default:
				t.Fatalf("event %q: %s", event, data)
			}
		}
	}
	if events < 3 || deltas.String() != final.Answer || !strings.Contains(final.Answer, "[1]") || !final.Known || len(final.Sources) == 0 {
		t.Fatalf("%d deltas %q, final %+v", events, deltas.String(), final)
	}
}

// An LLM that breaks off an answer, or an embedder that fails, is 503
// with a clear message (never 500, never the model's internals), on ask,
// upload and re-index alike; the cause is logged.
func TestKBModelsDown(t *testing.T) {
	e := newEnv(t)
	withKnowledge(t, e, 1<<20)
	s := e.newShop("acme")
	decode[api.KBUploadResponse](t, e.upload("/v1/kb/help/documents", s.Knowledge, map[string]string{"en-returns.md": returnsMD,
		"hours.txt": "Our chat is open from 9:00 to 22:00 every day."}), http.StatusCreated)
	svc := e.Server.Knowledge.Service
	svc.Config.Threshold = 0.05
	ask := api.KBAskRequest{Question: "Who pays the return postage?"}
	noInternals := func(r response) {
		t.Helper()
		for _, s := range []string{"tcp", "onnxruntime", "/srv"} {
			if strings.Contains(string(r.Body), s) {
				t.Errorf("the answer shows internals: %s", r.Body)
			}
		}
	}

	svc.Generator = brokenLLM{}
	r := e.post("/v1/kb/help/ask", s.Agent, ask)
	wantError(t, r, http.StatusServiceUnavailable, assist.EUNAVAILABLE, "try again")
	noInternals(r)
	r = e.send(request{method: http.MethodPost, path: "/v1/kb/help/ask", token: s.Agent, body: ask, header: map[string]string{"Accept": "text/event-stream"}})
	if !strings.Contains(string(r.Body), "event: error") || !strings.Contains(string(r.Body), `"code":"unavailable"`) {
		t.Errorf("stream cut by the LLM: %s", r.Body)
	}
	noInternals(r)

	svc.Generator, svc.Embedder = nil, brokenEmbedder{}
	r = e.post("/v1/kb/help/ask", s.Agent, ask)
	wantError(t, r, http.StatusServiceUnavailable, assist.EUNAVAILABLE, "try again")
	noInternals(r)
	r = e.upload("/v1/kb/help/documents", s.Knowledge, map[string]string{"more.txt": "Gift cards never expire."})
	wantError(t, r, http.StatusServiceUnavailable, assist.EUNAVAILABLE, "try again")
	noInternals(r)
	r = e.post("/v1/kb/help/reindex", s.Knowledge, nil)
	wantError(t, r, http.StatusServiceUnavailable, assist.EUNAVAILABLE, "try again")
	noInternals(r)
	if logs := e.Log.String(); !strings.Contains(logs, "connection reset") || !strings.Contains(logs, "out of memory") {
		t.Errorf("the causes are not logged")
	}
}

// The upload's answer shows each document as it was stored: a title with
// markup comes back as the plain text the listing shows.
func TestKBUploadAnswersTheStoredTitle(t *testing.T) {
	e := newEnv(t)
	withKnowledge(t, e, 1<<20)
	s := e.newShop("acme")
	up := decode[api.KBUploadResponse](t, e.upload("/v1/kb/help/documents", s.Knowledge, map[string]string{
		"zorblax.md": "# Zorblax <img src=x onerror=alert(\"kbtitle\")> policy\n\nZorblax orders ship within two days.\n",
	}), http.StatusCreated)
	list := decode[api.KBDocumentsResponse](t, e.get("/v1/kb/help/documents", s.Knowledge), http.StatusOK)
	if len(up.Documents) != 1 || len(list.Documents) != 1 || up.Documents[0].Title != list.Documents[0].Title || strings.Contains(up.Documents[0].Title, "<img") {
		t.Errorf("upload answered %+v, the listing %+v", up.Documents, list.Documents)
	}
}
