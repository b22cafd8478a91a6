package api_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/api"
	"github.com/assistd/assist/nlu"
)

// fakeIntents answers track_shipment for texts mentioning a parcel or 快递,
// out_of_scope otherwise, from the model version it holds.
type fakeIntents struct{ version string }

func (f *fakeIntents) Classify(_ context.Context, texts []string) ([]nlu.Intent, error) {
	out := make([]nlu.Intent, len(texts))
	for i, t := range texts {
		label, p := nlu.OutOfScope, float32(0.4)
		if strings.Contains(t, "parcel") || strings.Contains(t, "快递") {
			label, p = "track_shipment", 0.9
		}
		out[i] = nlu.Intent{Label: label, Confidence: p, Top: []nlu.Scored{{Label: label, Score: p}, {Label: "greeting", Score: 0.05}}, Source: "onnx", Model: f.version}
	}
	return out, nil
}

// fakeEntities finds "12345" as an order id.
type fakeEntities struct{}

func (fakeEntities) Extract(text string) []nlu.Entity {
	if i := strings.Index(text, "12345"); i >= 0 {
		return []nlu.Entity{{Type: "order_id", Text: "12345", Value: "12345", Start: i, End: i + 5}}
	}
	return nil
}

func TestNLUParse(t *testing.T) {
	e := newEnv(t)
	s := e.newShop("acme")
	model := &fakeIntents{version: "intent-aaa"}
	pipe := &nlu.Pipeline{Model: model, Entities: fakeEntities{}}
	reloadErr := error(nil)
	e.Server.NLU = &api.NLU{
		Parse: pipe.Parse,
		Reload: func(context.Context) (string, error) {
			if reloadErr != nil {
				return "", reloadErr
			}
			model.version = "intent-bbb"
			return model.version, nil
		},
	}

	got := decode[api.NLUParseResponse](t, e.post("/v1/nlu/parse", s.Agent, api.NLUParseRequest{Text: "我的快递 order 12345 到哪了"}), http.StatusOK)
	if got.Intent != "track_shipment" || got.Lang != "zh" || got.Model != "intent-aaa" || got.Source != "onnx" || len(got.Top) != 2 || got.Confidence != 0.9 {
		t.Errorf("parse = %+v", got)
	}
	if len(got.Entities) != 1 || got.Entities[0].Type != "order_id" || got.Entities[0].Start != len("我的快递 order ") {
		t.Errorf("entities = %+v", got.Entities)
	}

	tests := []struct {
		name   string
		token  string
		body   any
		status int
	}{
		{"no credentials", "", api.NLUParseRequest{Text: "hi"}, http.StatusUnauthorized},
		{"empty text", s.Agent, api.NLUParseRequest{}, http.StatusBadRequest},
		{"unknown field", s.Agent, `{"text":"hi","lang":"en"}`, http.StatusBadRequest},
		{"too long", s.Agent, api.NLUParseRequest{Text: strings.Repeat("a", nlu.MaxTextBytes+1)}, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		if r := e.post("/v1/nlu/parse", tt.token, tt.body); r.Status != tt.status {
			t.Errorf("%s: status %d, want %d: %s", tt.name, r.Status, tt.status, r.Body)
		}
	}

	// Reload: admins only; the new version shows in the next result.
	if r := e.post("/v1/admin/models/intent/reload", s.Agent, nil); r.Status != http.StatusForbidden {
		t.Errorf("agent reload: %d", r.Status)
	}
	rel := decode[api.NLUReloadResponse](t, e.post("/v1/admin/models/intent/reload", s.Admin, nil), http.StatusOK)
	if rel.Model != "intent-bbb" {
		t.Errorf("reload = %+v", rel)
	}
	got = decode[api.NLUParseResponse](t, e.post("/v1/nlu/parse", s.Agent, api.NLUParseRequest{Text: "where is my parcel"}), http.StatusOK)
	if got.Model != "intent-bbb" || got.Lang != "en" {
		t.Errorf("after reload: %+v", got)
	}
	reloadErr = assist.Errorf(assist.ENOTFOUND, "no intent model in .cache/models/intent")
	if r := e.post("/v1/admin/models/intent/reload", s.Admin, nil); r.Status != http.StatusNotFound {
		t.Errorf("reload without a model: %d", r.Status)
	}
}

func TestNLUUnconfigured(t *testing.T) {
	e := newEnv(t)
	s := e.newShop("acme")
	if r := e.post("/v1/nlu/parse", s.Agent, api.NLUParseRequest{Text: "hi"}); r.Status != http.StatusServiceUnavailable {
		t.Errorf("parse: %d", r.Status)
	}
	if r := e.post("/v1/admin/models/intent/reload", s.Admin, nil); r.Status != http.StatusServiceUnavailable {
		t.Errorf("reload: %d", r.Status)
	}
	// A pipeline without a model answers 503 too.
	e.Server.NLU = &api.NLU{Parse: (&nlu.Pipeline{}).Parse}
	if r := e.post("/v1/nlu/parse", s.Agent, api.NLUParseRequest{Text: "hi"}); r.Status != http.StatusServiceUnavailable {
		t.Errorf("parse without a model: %d", r.Status)
	}
}

// brokenIntents is a model that fails the way a broken runtime or model
// file does: with an unwrapped error naming internals, or a bad output.
type brokenIntents struct{ err error }

func (b brokenIntents) Classify(context.Context, []string) ([]nlu.Intent, error) { return nil, b.err }

// A model that fails is 503 with a clear message, never 500 or 400 with
// the model's internals; the cause is logged for the operator. Bad input
// is still the caller's error.
func TestNLUModelDown(t *testing.T) {
	e := newEnv(t)
	s := e.newShop("acme")
	for _, cause := range []error{
		errors.New("onnxruntime: Run: /srv/models/intent-7/model.onnx: CUDA failure"),
		assist.Errorf(assist.EINVALID, "intent model intent-7: output \"probs\" does not hold 1×12 probabilities"),
	} {
		e.Server.NLU = &api.NLU{Parse: (&nlu.Pipeline{Model: brokenIntents{cause}}).Parse}
		r := e.post("/v1/nlu/parse", s.Agent, api.NLUParseRequest{Text: "where is my parcel"})
		wantError(t, r, http.StatusServiceUnavailable, assist.EUNAVAILABLE, "intent model")
		if strings.Contains(string(r.Body), "onnxruntime") || strings.Contains(string(r.Body), "probs") {
			t.Errorf("the answer shows internals: %s", r.Body)
		}
		if !strings.Contains(e.Log.String(), strings.Split(cause.Error(), ":")[0]) {
			t.Errorf("the cause %q is not logged", cause)
		}
	}
	wantError(t, e.post("/v1/nlu/parse", s.Agent, api.NLUParseRequest{Text: strings.Repeat("a", nlu.MaxTextBytes+1)}),
		http.StatusRequestEntityTooLarge, assist.ETOOLARGE, "limit")
	wantError(t, e.post("/v1/nlu/parse", s.Agent, api.NLUParseRequest{Text: " \n "}), http.StatusBadRequest, assist.EINVALID, "empty")
}
