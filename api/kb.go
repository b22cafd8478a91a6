package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/assistd/assist"
	"github.com/assistd/assist/rag"
)

// Knowledge is what the knowledge-console routes need; a nil
// Server.Knowledge makes them answer 503.
type Knowledge struct {
	Service *rag.Service
	// Load reads one uploaded file (its format from its name) into
	// documents of the tenant's knowledge base (ingest.Load).
	Load func(ctx context.Context, name string, r io.Reader, tenantID, kb string) ([]rag.Document, error)
	// MaxUploadBytes caps an upload request; beyond it the answer is 413.
	MaxUploadBytes int64
}

// Roles on the knowledge routes: managing is for knowledge managers and
// admins; any staff may ask.
var kbManagers = []assist.Role{assist.RoleKnowledge, assist.RoleAdmin}

const kbUploadPath = "/v1/kb/:kb/documents"

// bodyLimit is the body cap of the request's route: the upload cap on the
// upload route, the general cap elsewhere.
func (s *Server) bodyLimit(c *gin.Context) int64 {
	if c.FullPath() == kbUploadPath && c.Request.Method == http.MethodPost && s.Knowledge != nil && s.Knowledge.MaxUploadBytes > 0 {
		return s.Knowledge.MaxUploadBytes
	}
	return s.cfg.MaxBodyBytes
}

// Wire types -----------------------------------------------------------------

// KBDocument is one document of a knowledge base.
type KBDocument struct {
	Doc       string `json:"doc"`
	Title     string `json:"title"`
	Lang      string `json:"lang"`
	Source    string `json:"source"`
	Chunks    int    `json:"chunks"`
	UpdatedAt string `json:"updated_at"`
}

// KBDocumentsResponse lists documents.
type KBDocumentsResponse struct {
	Documents []KBDocument `json:"documents"`
}

// KBUploadResponse says what an upload stored.
type KBUploadResponse struct {
	Documents []KBDocument `json:"documents"`
	Chunks    int          `json:"chunks"`
}

// KBReindexResponse says what a re-index processed.
type KBReindexResponse struct {
	Documents int `json:"documents"`
	Chunks    int `json:"chunks"`
}

// KBAskRequest is a question to a knowledge base.
type KBAskRequest struct {
	Question       string `json:"question"`
	Lang           string `json:"lang,omitempty"`
	ConversationID string `json:"conversation_id,omitempty"`
}

// KBSource is a source an answer cites as [n].
type KBSource struct {
	N          int     `json:"n"`
	Doc        string  `json:"doc"`
	Title      string  `json:"title"`
	Score      float64 `json:"score"`
	Similarity float64 `json:"similarity"`
	Keyword    float64 `json:"keyword"`
	Text       string  `json:"text"`
}

// KBAnswer is the answer to a question.
type KBAnswer struct {
	Answer     string     `json:"answer"`
	Confidence float64    `json:"confidence"`
	Threshold  float64    `json:"threshold"` // below it the bot declines
	Known      bool       `json:"known"`
	OfferHuman bool       `json:"offer_human"`
	Lang       string     `json:"lang"`
	Sources    []KBSource `json:"sources"`   // cited in the answer
	Retrieved  []KBSource `json:"retrieved"` // the passages found, answered or declined
}

func toKBDocument(d rag.DocInfo) KBDocument {
	return KBDocument{Doc: d.Doc, Title: d.Title, Lang: d.Lang, Source: d.Source, Chunks: d.Chunks,
		UpdatedAt: d.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z07:00")}
}

func toKBAnswer(a rag.Answer) KBAnswer {
	out := KBAnswer{Answer: a.Text, Confidence: a.Confidence, Threshold: a.Threshold, Known: a.Known, OfferHuman: a.OfferHuman, Lang: a.Lang,
		Sources: kbSources(a.Sources), Retrieved: kbSources(a.Retrieved)}
	return out
}

func kbSources(ss []rag.Source) []KBSource {
	out := make([]KBSource, 0, len(ss))
	for _, s := range ss {
		out = append(out, KBSource{N: s.N, Doc: s.Doc, Title: s.Title, Score: s.Score, Similarity: s.Similarity, Keyword: s.Keyword, Text: s.Text})
	}
	return out
}

// Handlers -------------------------------------------------------------------

var kbName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// kbFilter checks the service is there and the kb name is valid, and
// scopes the request to the caller's tenant.
func (s *Server) kbFilter(c *gin.Context) (rag.Filter, bool) {
	if s.Knowledge == nil || s.Knowledge.Service == nil {
		s.writeError(c, assist.Errorf(assist.EUNAVAILABLE, "the knowledge base is not configured"))
		return rag.Filter{}, false
	}
	kb := c.Param("kb")
	if !kbName.MatchString(kb) {
		s.writeError(c, assist.Errorf(assist.EINVALID, "knowledge base names are 1-64 lowercase letters, digits, '-' or '_'"))
		return rag.Filter{}, false
	}
	return rag.Filter{TenantID: principal(c).TenantID, KB: kb}, true
}

// kbExisting is kbFilter for routes on an existing knowledge base: one
// without documents is 404.
func (s *Server) kbExisting(c *gin.Context) (rag.Filter, []rag.DocInfo, bool) {
	f, ok := s.kbFilter(c)
	if !ok {
		return f, nil, false
	}
	docs, err := s.Knowledge.Service.Documents(c.Request.Context(), f)
	if err != nil {
		s.writeError(c, err)
		return f, nil, false
	}
	if len(docs) == 0 {
		s.writeError(c, assist.Errorf(assist.ENOTFOUND, "knowledge base %q not found", f.KB))
		return f, nil, false
	}
	return f, docs, true
}

func (s *Server) kbDocuments(c *gin.Context) {
	_, docs, ok := s.kbExisting(c)
	if !ok {
		return
	}
	out := KBDocumentsResponse{Documents: make([]KBDocument, 0, len(docs))}
	for _, d := range docs {
		out.Documents = append(out.Documents, toKBDocument(d))
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) kbUpload(c *gin.Context) {
	f, ok := s.kbFilter(c)
	if !ok {
		return
	}
	ct, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if ct != "multipart/form-data" {
		s.writeError(c, assist.Errorf(assist.EINVALID, "send the files as multipart/form-data"))
		return
	}
	mr, err := c.Request.MultipartReader()
	if err != nil {
		s.writeError(c, assist.Wrap(assist.EINVALID, err, "malformed multipart body"))
		return
	}
	ctx := c.Request.Context()
	// All or nothing: every file is read first, and stored only when all
	// of them were accepted.
	var docs []rag.Document
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			s.writeError(c, uploadError(err))
			return
		}
		if part.FileName() == "" {
			part.Close()
			continue
		}
		name := filepath.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
		loaded, err := s.Knowledge.Load(ctx, name, part, f.TenantID, f.KB)
		part.Close()
		if err != nil {
			s.writeError(c, uploadError(err))
			return
		}
		for _, d := range loaded {
			d.Source = "upload:" + name
			docs = append(docs, d)
		}
	}
	out := KBUploadResponse{Documents: []KBDocument{}}
	counts, err := s.Knowledge.Service.IngestAll(ctx, docs)
	if err != nil {
		s.writeError(c, s.kbModelError(c, err, "the knowledge base cannot store documents right now; try again later"))
		return
	}
	for i, d := range docs {
		out.Chunks += counts[i]
		// The title as stored (and listed): reduced to plain text.
		out.Documents = append(out.Documents, KBDocument{Doc: d.Doc, Title: rag.Sanitize(d.Title), Lang: d.Lang, Source: d.Source,
			Chunks: counts[i], UpdatedAt: d.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z07:00")})
	}
	if len(out.Documents) == 0 {
		s.writeError(c, assist.Errorf(assist.EINVALID, "no file in the upload; send one or more \"file\" parts"))
		return
	}
	s.logger().LogAttrs(ctx, slog.LevelInfo, "kb upload", slog.String("request_id", requestID(c)),
		slog.String("kb", f.KB), slog.Int("documents", len(out.Documents)), slog.Int("chunks", out.Chunks))
	c.JSON(http.StatusCreated, out)
}

const askUnavailable = "the knowledge base cannot answer right now; try again later"

// kbModelError turns an unexpected failure behind a knowledge route (the
// embedder, the LLM breaking off an answer, the index) into EUNAVAILABLE
// with msg, its cause logged; other errors are the caller's and pass.
func (s *Server) kbModelError(c *gin.Context, err error, msg string) error {
	if assist.ErrorCode(err) != assist.EINTERNAL && assist.ErrorCode(err) != assist.EUNAVAILABLE {
		return err
	}
	return s.unavailable(c, err, msg)
}

// uploadError turns a body over the cap into ETOOLARGE.
func uploadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return assist.Errorf(assist.ETOOLARGE, "upload is over the limit of %d bytes", mbe.Limit)
	}
	if assist.ErrorCode(err) != assist.EINTERNAL {
		return err
	}
	return assist.Wrap(assist.EINVALID, err, "could not read the upload")
}

func (s *Server) kbDelete(c *gin.Context) {
	f, ok := s.kbFilter(c)
	if !ok {
		return
	}
	// The document name is the rest of the path: names may hold a "/"
	// (FAQ ids, nested file names), sent as is or as %2F.
	doc := strings.TrimPrefix(c.Param("doc"), "/")
	err := s.Knowledge.Service.Delete(c.Request.Context(), rag.DocKey{TenantID: f.TenantID, KB: f.KB, Doc: doc})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) kbReindex(c *gin.Context) {
	f, ok := s.kbFilter(c)
	if !ok {
		return
	}
	docs, chunks, err := s.Knowledge.Service.Reindex(c.Request.Context(), f)
	if err != nil {
		s.writeError(c, s.kbModelError(c, err, "the knowledge base cannot be re-indexed right now; try again later"))
		return
	}
	c.JSON(http.StatusOK, KBReindexResponse{Documents: docs, Chunks: chunks})
}

// kbAsk answers a question: as JSON, or as server-sent events when the
// client accepts text/event-stream ("delta" events with {"text"}, then one
// "answer" event with the KBAnswer, or an "error" event).
func (s *Server) kbAsk(c *gin.Context) {
	f, _, ok := s.kbExisting(c)
	if !ok {
		return
	}
	var req KBAskRequest
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	if req.Lang != "" && req.Lang != "zh" && req.Lang != "en" {
		s.writeError(c, assist.Errorf(assist.EINVALID, "lang must be zh or en"))
		return
	}
	f.Lang = req.Lang
	areq := rag.AnswerRequest{Filter: f, Question: req.Question, ConversationID: req.ConversationID}
	if !strings.Contains(c.GetHeader("Accept"), "text/event-stream") {
		ans, err := s.Knowledge.Service.Answer(c.Request.Context(), areq, nil)
		if err != nil {
			s.writeError(c, s.kbModelError(c, err, askUnavailable))
			return
		}
		c.JSON(http.StatusOK, toKBAnswer(ans))
		return
	}
	w := c.Writer
	started := false
	start := func() {
		if !started {
			started = true
			w.Header().Set("Content-Type", "text/event-stream")
			w.Header().Set("Cache-Control", "no-cache")
			w.Header().Set("X-Accel-Buffering", "no")
			w.WriteHeader(http.StatusOK)
		}
	}
	send := func(event string, v any) error {
		start()
		b, _ := json.Marshal(v)
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
			return err
		}
		w.Flush()
		return nil
	}
	ans, err := s.Knowledge.Service.Answer(c.Request.Context(), areq, func(d string) error {
		return send("delta", map[string]string{"text": d})
	})
	if err != nil {
		err = s.kbModelError(c, err, askUnavailable)
		if !started { // nothing sent yet: a normal error response
			s.writeError(c, err)
			return
		}
		_ = send("error", ErrorBody{Error: ErrorDetail{Code: assist.ErrorCode(err), Message: assist.ErrorMessage(err)}})
		return
	}
	_ = send("answer", toKBAnswer(ans))
}
