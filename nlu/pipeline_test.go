package nlu_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu"
)

// fakeModel answers from a table of normalised texts; unknown texts are
// out_of_scope. err, when set, fails every call.
type fakeModel struct {
	answers map[string]nlu.Intent
	err     error
	calls   int
	batches [][]string
}

func (f *fakeModel) Classify(_ context.Context, texts []string) ([]nlu.Intent, error) {
	f.calls++
	f.batches = append(f.batches, texts)
	if f.err != nil {
		return nil, f.err
	}
	out := make([]nlu.Intent, len(texts))
	for i, t := range texts {
		in, ok := f.answers[t]
		if !ok {
			in = nlu.Intent{Label: nlu.OutOfScope, Confidence: 0.3}
		}
		in.Source, in.Model = "onnx", "m1"
		out[i] = in
	}
	return out, nil
}

// fakeLLM records what it was sent and answers label, or fails with err,
// or waits for its context when block is set.
type fakeLLM struct {
	mu    sync.Mutex
	label string
	err   error
	block bool
	seen  []string
}

func (f *fakeLLM) Classify(ctx context.Context, text string) (nlu.Intent, error) {
	f.mu.Lock()
	f.seen = append(f.seen, text)
	f.mu.Unlock()
	if f.block {
		<-ctx.Done()
		return nlu.Intent{}, ctx.Err()
	}
	if f.err != nil {
		return nlu.Intent{}, f.err
	}
	return nlu.Intent{Label: f.label, Confidence: 1, Source: "llm", Model: "gpt-test"}, nil
}

// fakeMasker masks the digits of phone-like runs as [PHONE].
type fakeMasker struct{}

func (fakeMasker) Mask(s string) string { return strings.ReplaceAll(s, "13800138000", "[PHONE_1]") }

type fakeExtractor struct{}

func (fakeExtractor) Extract(s string) []nlu.Entity {
	if i := strings.Index(s, "13800138000"); i >= 0 {
		return []nlu.Entity{{Type: "phone", Text: "13800138000", Value: "13800138000", Start: i, End: i + 11}}
	}
	return nil
}

func model() *fakeModel {
	return &fakeModel{answers: map[string]nlu.Intent{
		"where is my parcel": {Label: "track_shipment", Confidence: 0.95},
		"退款 还是 换货":           {Label: "return_request", Confidence: 0.5, Ambiguous: true},
	}}
}

func TestPipelineStrategies(t *testing.T) {
	tests := []struct {
		name       string
		strategy   nlu.Strategy
		llm        *fakeLLM
		text       string
		wantLabel  string
		wantSource string
		wantAsked  bool
	}{
		{"onnx sure", nlu.StrategyONNX, &fakeLLM{label: "greeting"}, "Where is my PARCEL", "track_shipment", "onnx", false},
		{"onnx unsure never asks", nlu.StrategyONNX, &fakeLLM{label: "greeting"}, "blah 13800138000", nlu.OutOfScope, "onnx", false},
		{"fallback sure", nlu.StrategyFallback, &fakeLLM{label: "greeting"}, "where is my parcel", "track_shipment", "onnx", false},
		{"fallback out of scope asks", nlu.StrategyFallback, &fakeLLM{label: "human_agent"}, "call me at 13800138000", "human_agent", "llm", true},
		{"fallback ambiguous asks", nlu.StrategyFallback, &fakeLLM{label: "exchange_request"}, "退款　还是　换货", "exchange_request", "llm", true},
		{"fallback llm error keeps model", nlu.StrategyFallback, &fakeLLM{err: assist.Errorf(assist.EUNAVAILABLE, "down")}, "blah", nlu.OutOfScope, "onnx", true},
		{"llm", nlu.StrategyLLM, &fakeLLM{label: "greeting"}, "where is my parcel", "greeting", "llm", true},
		{"llm error falls back to model", nlu.StrategyLLM, &fakeLLM{err: errors.New("bad json")}, "where is my parcel", "track_shipment", "onnx", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := model()
			p := &nlu.Pipeline{Model: m, LLM: tt.llm, PII: fakeMasker{}, Entities: fakeExtractor{}, Strategy: tt.strategy}
			res, err := p.Parse(context.Background(), tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if res.Intent.Label != tt.wantLabel || res.Intent.Source != tt.wantSource {
				t.Errorf("intent %+v, want %s from %s", res.Intent, tt.wantLabel, tt.wantSource)
			}
			if asked := len(tt.llm.seen) > 0; asked != tt.wantAsked {
				t.Errorf("LLM asked: %v, want %v", asked, tt.wantAsked)
			}
			for _, s := range tt.llm.seen {
				if strings.Contains(s, "13800138000") {
					t.Errorf("the LLM saw PII: %q", s)
				}
			}
			if tt.strategy == nlu.StrategyLLM && tt.llm.err == nil && m.calls != 0 {
				t.Errorf("the llm strategy ran the model %d times", m.calls)
			}
		})
	}
}

func TestPipelineResult(t *testing.T) {
	p := &nlu.Pipeline{Model: model(), PII: fakeMasker{}, Entities: fakeExtractor{}}
	raw := "我的电话ＩＳ 13800138000"
	res, err := p.Parse(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "我的电话is 13800138000" || res.Lang != nlu.LangZH || res.Masked != "我的电话is [PHONE_1]" {
		t.Errorf("text %q lang %s masked %q", res.Text, res.Lang, res.Masked)
	}
	// Entity offsets are into the raw text.
	if len(res.Entities) != 1 || raw[res.Entities[0].Start:res.Entities[0].End] != "13800138000" {
		t.Errorf("entities %+v", res.Entities)
	}
	if res.Intent.Model != "m1" {
		t.Errorf("no model version: %+v", res.Intent)
	}
	// No extractor: an empty list, not nil (JSON [] not null).
	p.Entities = nil
	res, _ = p.Parse(context.Background(), "hi")
	if res.Entities == nil || len(res.Entities) != 0 {
		t.Errorf("entities %#v", res.Entities)
	}
}

func TestPipelineBatchOneModelCall(t *testing.T) {
	m := model()
	p := &nlu.Pipeline{Model: m}
	res, err := p.ParseBatch(context.Background(), []string{"where is my parcel", "hello", "WHERE IS MY PARCEL"})
	if err != nil {
		t.Fatal(err)
	}
	if m.calls != 1 || len(m.batches[0]) != 3 {
		t.Errorf("%d model calls, batches %v", m.calls, m.batches)
	}
	if res[0].Intent.Label != "track_shipment" || res[1].Intent.Label != nlu.OutOfScope || res[2].Intent.Label != "track_shipment" {
		t.Errorf("results %+v", res)
	}
}

func TestPipelineErrors(t *testing.T) {
	tests := []struct {
		name string
		p    *nlu.Pipeline
		text string
		code string
	}{
		{"not utf-8", &nlu.Pipeline{Model: model()}, "a\xffb", assist.EINVALID},
		{"too long", &nlu.Pipeline{Model: model()}, strings.Repeat("x", nlu.MaxTextBytes+1), assist.ETOOLARGE},
		{"no model", &nlu.Pipeline{}, "hi", assist.EUNAVAILABLE},
		{"model not loaded", &nlu.Pipeline{Model: &fakeModel{err: assist.Errorf(assist.EUNAVAILABLE, "no intent model loaded")}}, "hi", assist.EUNAVAILABLE},
		{"llm without masker is never asked", &nlu.Pipeline{LLM: &fakeLLM{label: "greeting"}, Strategy: nlu.StrategyLLM}, "hi", assist.EUNAVAILABLE},
		{"llm fails and no model", &nlu.Pipeline{LLM: &fakeLLM{err: errors.New("x")}, PII: fakeMasker{}, Strategy: nlu.StrategyLLM}, "hi", assist.EUNAVAILABLE},
	}
	for _, tt := range tests {
		if _, err := tt.p.Parse(context.Background(), tt.text); assist.ErrorCode(err) != tt.code {
			t.Errorf("%s: error %v, want %s", tt.name, err, tt.code)
		}
	}
	// Without a model, the LLM alone answers under onnx+llm.
	p := &nlu.Pipeline{LLM: &fakeLLM{label: "greeting"}, PII: fakeMasker{}, Strategy: nlu.StrategyFallback}
	if res, err := p.Parse(context.Background(), "hi"); err != nil || res.Intent.Label != "greeting" {
		t.Errorf("llm without model: %+v %v", res.Intent, err)
	}
}

func TestPipelineLLMTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		llm := &fakeLLM{block: true}
		p := &nlu.Pipeline{Model: model(), LLM: llm, PII: fakeMasker{}, Strategy: nlu.StrategyFallback, LLMTimeout: 2 * time.Second}
		start := time.Now()
		res, err := p.Parse(context.Background(), "blah")
		if err != nil {
			t.Fatal(err)
		}
		if res.Intent.Source != "onnx" || res.Intent.Label != nlu.OutOfScope {
			t.Errorf("after the LLM timed out: %+v", res.Intent)
		}
		if took := time.Since(start); took != 2*time.Second {
			t.Errorf("waited %v for the LLM, want the 2s timeout", took)
		}
	})
}

func TestParseStrategy(t *testing.T) {
	for in, want := range map[string]nlu.Strategy{"": nlu.StrategyONNX, "onnx": nlu.StrategyONNX, "llm": nlu.StrategyLLM, "onnx+llm": nlu.StrategyFallback} {
		if got, err := nlu.ParseStrategy(in); err != nil || got != want {
			t.Errorf("ParseStrategy(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := nlu.ParseStrategy("bert"); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("bad strategy: %v", err)
	}
}
