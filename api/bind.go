package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/assistd/assist"
)

// bind reads a JSON body into v. Bodies over the limit are ETOOLARGE;
// non-UTF-8 bytes, malformed JSON, unknown fields and trailing data are
// EINVALID with a message saying what is wrong.
func bind(c *gin.Context, v any) error {
	if c.Request.Body == nil {
		return assist.Errorf(assist.EINVALID, "request body is empty; send a JSON object")
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return assist.Errorf(assist.ETOOLARGE, "request body is over the limit of %d bytes", mbe.Limit)
		}
		return assist.Wrap(assist.EINVALID, err, "could not read the request body")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return assist.Errorf(assist.EINVALID, "request body is empty; send a JSON object")
	}
	if !utf8.Valid(body) {
		return assist.Errorf(assist.EINVALID, "request body is not valid UTF-8 text")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return assist.Errorf(assist.EINVALID, "malformed JSON: %s", jsonProblem(err))
	}
	if dec.More() {
		return assist.Errorf(assist.EINVALID, "malformed JSON: unexpected data after the object")
	}
	return nil
}

func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("%s at byte %d", syn.Error(), syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q must be %s, not %s", typ.Field, typ.Type, typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the body ends in the middle of a value"
	}
	return err.Error()
}
