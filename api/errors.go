package api

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/assistd/assist"
)

// codes maps each assist error code to its HTTP status. It is the only
// place where that mapping is made.
var codes = map[string]int{
	assist.EINVALID:      http.StatusBadRequest,
	assist.EUNAUTHORIZED: http.StatusUnauthorized,
	assist.EFORBIDDEN:    http.StatusForbidden,
	assist.ENOTFOUND:     http.StatusNotFound,
	assist.ECONFLICT:     http.StatusConflict,
	assist.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	assist.ERATELIMITED:  http.StatusTooManyRequests,
	assist.EUNAVAILABLE:  http.StatusServiceUnavailable,
	assist.EINTERNAL:     http.StatusInternalServerError,
}

// StatusOf returns the HTTP status for an error code.
func StatusOf(code string) int {
	if s, ok := codes[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// ErrorBody is the JSON shape of every error response.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the code and caller-safe message of an error.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError renders err as {"error":{"code","message"}} with its status
// and aborts the request. Internal errors are logged with their cause; the
// caller sees only a generic message.
func (s *Server) writeError(c *gin.Context, err error) {
	code := assist.ErrorCode(err)
	msg := assist.ErrorMessage(err)
	status := StatusOf(code)
	var e *assist.Error
	if code == assist.EINTERNAL || !errors.As(err, &e) {
		s.logger().ErrorContext(c.Request.Context(), "request failed",
			slog.String("request_id", requestID(c)), slog.String("route", c.FullPath()), slog.Any("err", err))
		msg = "internal error"
	}
	c.AbortWithStatusJSON(status, ErrorBody{Error: ErrorDetail{Code: code, Message: msg}})
}
