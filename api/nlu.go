package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/nlu"
)

// NLU is what the NLU routes need; a nil Server.NLU makes them answer 503.
type NLU struct {
	// Parse understands one message (nlu.Pipeline.Parse).
	Parse func(ctx context.Context, text string) (nlu.Result, error)
	// Reload loads the intent model again from its directory, replacing
	// the one in use without dropping requests, and returns the new
	// model's version (intent.Classifier.Reload).
	Reload func(ctx context.Context) (string, error)
}

// Wire types -----------------------------------------------------------------

// NLUParseRequest is a message to understand.
type NLUParseRequest struct {
	Text string `json:"text"`
}

// NLUScored is one candidate intent.
type NLUScored struct {
	Label string  `json:"label"`
	Score float32 `json:"score"`
}

// NLUEntity is one entity, with byte offsets into the text sent.
type NLUEntity struct {
	Type  string `json:"type"`
	Text  string `json:"text"`
	Value string `json:"value"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// NLUParseResponse is what the NLU understood.
type NLUParseResponse struct {
	Lang       string      `json:"lang"`
	Intent     string      `json:"intent"`
	Confidence float32     `json:"confidence"`
	Top        []NLUScored `json:"top"`
	Ambiguous  bool        `json:"ambiguous"`
	Source     string      `json:"source"`
	Model      string      `json:"model"`
	Entities   []NLUEntity `json:"entities"`
	TookUS     int64       `json:"took_us"`
}

// NLUReloadResponse names the model now in use.
type NLUReloadResponse struct {
	Model string `json:"model"`
}

func toNLUParse(r nlu.Result) NLUParseResponse {
	out := NLUParseResponse{
		Lang:       string(r.Lang),
		Intent:     r.Intent.Label,
		Confidence: r.Intent.Confidence,
		Top:        make([]NLUScored, len(r.Intent.Top)),
		Ambiguous:  r.Intent.Ambiguous,
		Source:     r.Intent.Source,
		Model:      r.Intent.Model,
		Entities:   make([]NLUEntity, len(r.Entities)),
		TookUS:     r.Took.Microseconds(),
	}
	for i, s := range r.Intent.Top {
		out.Top[i] = NLUScored(s)
	}
	for i, e := range r.Entities {
		out.Entities[i] = NLUEntity(e)
	}
	return out
}

// Handlers -------------------------------------------------------------------

// listIntents names the intent catalogue's labels in each language, so
// pages show "Track a shipment" / "查物流", not track_shipment.
func (s *Server) listIntents(c *gin.Context) {
	ins := catalog.Default().Intents()
	out := IntentsResponse{Intents: make([]IntentJSON, 0, len(ins))}
	for _, in := range ins {
		out.Intents = append(out.Intents, IntentJSON{Label: in.Label, Kind: string(in.Kind), Name: map[string]string{"zh": in.Name.ZH, "en": in.Name.EN}})
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) nluParse(c *gin.Context) {
	if s.NLU == nil || s.NLU.Parse == nil {
		s.writeError(c, assist.Errorf(assist.EUNAVAILABLE, "the NLU is not configured"))
		return
	}
	var req NLUParseRequest
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	if strings.TrimSpace(req.Text) == "" {
		s.writeError(c, assist.Errorf(assist.EINVALID, "text is empty"))
		return
	}
	if len(req.Text) > nlu.MaxTextBytes {
		s.writeError(c, assist.Errorf(assist.ETOOLARGE, "text has %d bytes, the limit is %d", len(req.Text), nlu.MaxTextBytes))
		return
	}
	res, err := s.NLU.Parse(c.Request.Context(), req.Text)
	if err != nil {
		// The input was checked above: what fails now is the model.
		s.writeError(c, s.unavailable(c, err, "the intent model is unavailable; try again later"))
		return
	}
	c.JSON(http.StatusOK, toNLUParse(res))
}

func (s *Server) nluReload(c *gin.Context) {
	if s.NLU == nil || s.NLU.Reload == nil {
		s.writeError(c, assist.Errorf(assist.EUNAVAILABLE, "the NLU is not configured"))
		return
	}
	version, err := s.NLU.Reload(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.logger().Info("intent model reloaded", "model", version)
	c.JSON(http.StatusOK, NLUReloadResponse{Model: version})
}

// unavailable turns the failure of a model, an LLM or an embedder behind a
// request into EUNAVAILABLE with msg, logging its cause for the operator:
// the caller sees a clear message, never a 500 or the model's internals.
// Errors that are already EUNAVAILABLE keep their message; the caller
// going away stays what it is.
func (s *Server) unavailable(c *gin.Context, err error, msg string) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) && c.Request.Context().Err() != nil {
		return err
	}
	s.logger().LogAttrs(c.Request.Context(), slog.LevelError, "model unavailable", slog.String("request_id", requestID(c)),
		slog.String("route", c.FullPath()), slog.String("err", err.Error()))
	if assist.ErrorCode(err) == assist.EUNAVAILABLE {
		return err
	}
	return assist.Wrap(assist.EUNAVAILABLE, err, msg)
}
