package api_test

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/assistd/assist/api"
)

// uploadInOrder posts files as multipart/form-data in the given order
// (name, content, name, content, ...).
func (e *env) uploadInOrder(path, token string, files ...string) response {
	e.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := mw.CreateFormFile("file", files[i])
		if err != nil {
			e.t.Fatal(err)
		}
		io.WriteString(w, files[i+1])
	}
	mw.Close()
	return e.send(request{method: http.MethodPost, path: path, token: token, body: b.Bytes(),
		header: map[string]string{"Content-Type": mw.FormDataContentType()}})
}

func (e *env) kbDocs(token string) []string {
	e.t.Helper()
	r := e.get("/v1/kb/help/documents", token)
	if r.Status == http.StatusNotFound {
		return nil
	}
	var names []string
	for _, d := range decode[api.KBDocumentsResponse](e.t, r, http.StatusOK).Documents {
		names = append(names, d.Doc)
	}
	return names
}

// An upload is all or nothing: one refused file fails the request and
// none of the files before it is stored.
func TestKBUploadIsAtomic(t *testing.T) {
	e := newEnv(t)
	withKnowledge(t, e, 1<<20)
	s := e.newShop("acme")
	r := e.uploadInOrder("/v1/kb/help/documents", s.Knowledge,
		"en-returns.md", returnsMD,
		"empty.md", "   \n",
		"notes.txt", "Shipping takes three days.")
	if r.Status != http.StatusBadRequest {
		t.Fatalf("upload with a refused file: %d %s, want 400", r.Status, r.Body)
	}
	if docs := e.kbDocs(s.Knowledge); len(docs) != 0 {
		t.Fatalf("documents stored by a refused upload: %v", docs)
	}
	// A re-upload of an existing document with a refused file leaves the
	// old version in place.
	decode[api.KBUploadResponse](t, e.uploadInOrder("/v1/kb/help/documents", s.Knowledge, "en-returns.md", returnsMD), http.StatusCreated)
	before := decode[api.KBDocumentsResponse](t, e.get("/v1/kb/help/documents", s.Knowledge), http.StatusOK)
	e.uploadInOrder("/v1/kb/help/documents", s.Knowledge, "en-returns.md", "# Returns\n\nChanged.", "bad.exe", "MZ")
	after := decode[api.KBDocumentsResponse](t, e.get("/v1/kb/help/documents", s.Knowledge), http.StatusOK)
	if len(after.Documents) != 1 || after.Documents[0].Chunks != before.Documents[0].Chunks || after.Documents[0].UpdatedAt != before.Documents[0].UpdatedAt {
		t.Fatalf("documents after a refused re-upload: %+v, want %+v", after, before)
	}
}

// A document whose name holds a "/" (an FAQ entry id) can be deleted,
// with the slash sent as is or encoded.
func TestKBDeleteDocumentWithSlash(t *testing.T) {
	e := newEnv(t)
	withKnowledge(t, e, 1<<20)
	s := e.newShop("acme")
	decode[api.KBUploadResponse](t, e.uploadInOrder("/v1/kb/help/documents", s.Knowledge,
		"faq.jsonl", `{"id":"returns/window","question":"How long do I have to return?","answer":"7 days from delivery."}`+"\n"+
			`{"id":"shipping/fees","question":"What does shipping cost?","answer":"Free over 99."}`+"\n",
		"en-returns.md", returnsMD), http.StatusCreated)
	for _, path := range []string{"/v1/kb/help/documents/returns%2Fwindow", "/v1/kb/help/documents/shipping/fees"} {
		if r := e.send(request{method: http.MethodDelete, path: path, token: s.Knowledge}); r.Status != http.StatusNoContent {
			t.Fatalf("DELETE %s: %d %s", path, r.Status, r.Body)
		}
	}
	if docs := e.kbDocs(s.Knowledge); len(docs) != 1 || docs[0] != "en-returns.md" {
		t.Fatalf("documents left: %v, want en-returns.md", docs)
	}
	wantError(t, e.send(request{method: http.MethodDelete, path: "/v1/kb/help/documents/returns%2Fwindow", token: s.Knowledge}), http.StatusNotFound, "not_found", "returns/window")
}

// While another process holds the database's write lock, a post is
// answered 503 (retry), not 500, within the busy timeout, and /readyz
// says not ready; once the lock is released both recover.
func TestLockedDatabaseIs503(t *testing.T) {
	e := newEnv(t)
	e.newShop("shop")
	c, tok := e.start("shop")
	other, err := sql.Open("sqlite", e.DB.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	r := e.post("/v1/conversations/"+c.ID+"/messages", tok, api.PostMessageRequest{Text: "hello?"})
	wantError(t, r, http.StatusServiceUnavailable, "unavailable", "busy")
	if r := e.get("/readyz", ""); r.Status != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the write lock held elsewhere: %d, want 503", r.Status)
	}
	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if r := e.get("/readyz", ""); r.Status != http.StatusOK {
		t.Errorf("/readyz after the lock was released: %d %s", r.Status, r.Body)
	}
	e.say(c.ID, tok, "hello?", http.StatusCreated)
}
