package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
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
		if typ.Field == "" {
			return fmt.Sprintf("the body must be %s, not %s", jsonKind(typ.Type), typ.Value)
		}
		return fmt.Sprintf("field %q must be %s, not %s", typ.Field, jsonKind(typ.Type), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the body ends in the middle of a value"
	}
	return err.Error()
}

// jsonKind names what JSON value a Go type takes, for error messages
// that should not show the server's type names.
func jsonKind(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "a JSON value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number of at least 0"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "a JSON object"
	}
	return "a JSON value"
}
