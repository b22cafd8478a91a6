package webhook

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
)

// MaxRequestBytes bounds the body Server accepts.
const MaxRequestBytes = 64 << 10

// Server serves the webhook contract for a flow.Backend: POST
// /actions/{action} (mount it with http.StripPrefix under another path).
type Server struct {
	Backend flow.Backend
	Secret  string           // when set, requests must be signed with it
	Logger  *slog.Logger     // nil discards
	Now     func() time.Time // the clock timestamps are checked against; nil: time.Now
}

var _ http.Handler = (*Server)(nil)

// errorBody is the body of every answer other than 200.
type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	action, ok := strings.CutPrefix(r.URL.Path, "/actions/")
	if !ok || action == "" || strings.Contains(action, "/") {
		s.fail(w, r, http.StatusNotFound, assist.Errorf(assist.ENOTFOUND, "no such endpoint; actions are at POST /actions/{action}"))
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.fail(w, r, http.StatusMethodNotAllowed, assist.Errorf(assist.EINVALID, "actions take POST"))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(w, r, http.StatusRequestEntityTooLarge, assist.Errorf(assist.ETOOLARGE, "the body is over %d bytes", MaxRequestBytes))
			return
		}
		s.fail(w, r, http.StatusBadRequest, assist.Errorf(assist.EINVALID, "reading the body failed"))
		return
	}
	if s.Secret != "" {
		now := time.Now
		if s.Now != nil {
			now = s.Now
		}
		if err := Verify(s.Secret, r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderSignature), body, now()); err != nil {
			s.fail(w, r, http.StatusUnauthorized, err)
			return
		}
	}
	var req flow.Request
	if err := json.Unmarshal(body, &req); err != nil {
		s.fail(w, r, http.StatusBadRequest, assist.Errorf(assist.EINVALID, "the body is not a JSON action request"))
		return
	}
	switch {
	case req.Action == "":
		req.Action = action
	case req.Action != action:
		s.fail(w, r, http.StatusBadRequest, assist.Errorf(assist.EINVALID, "the body's action is not the URL's"))
		return
	}
	switch key := r.Header.Get(HeaderIdempotencyKey); {
	case req.IdempotencyKey == "":
		req.IdempotencyKey = key
	case key != "" && key != req.IdempotencyKey:
		s.fail(w, r, http.StatusBadRequest, assist.Errorf(assist.EINVALID, "the body's idempotency key is not the header's"))
		return
	}
	res, err := s.Backend.Call(r.Context(), req)
	if err != nil {
		s.fail(w, r, statusOf(err), err)
		return
	}
	b, err := json.Marshal(res)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, assist.Errorf(assist.EINTERNAL, "the result is not JSON"))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// statusOf maps an error of Backend.Call to the contract's HTTP status.
func statusOf(err error) int {
	switch assist.ErrorCode(err) {
	case assist.EINVALID:
		return http.StatusBadRequest
	case assist.ENOTFOUND:
		return http.StatusNotFound
	case assist.ECONFLICT:
		return http.StatusConflict
	case assist.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case assist.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	if status >= 500 && s.Logger != nil {
		s.Logger.Error("webhook action failed", "path", r.URL.Path, "status", status, "err", err)
	}
	b, _ := json.Marshal(errorBody{Code: assist.ErrorCode(err), Message: assist.ErrorMessage(err)})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}
