package nlu

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
	"unicode/utf8"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu/text"
)

// IntentModel is the trained intent classifier (nlu/intent.Classifier
// serves one through ONNX Runtime).
type IntentModel interface {
	// Classify returns the intent of each normalised text, in order, all
	// from the same model version, with Source "onnx" and Model set.
	//
	// Errors: EUNAVAILABLE when no model is loaded; an error wrapping
	// ctx.Err() when ctx ends first; EINTERNAL for a failing runtime.
	Classify(ctx context.Context, texts []string) ([]Intent, error)
}

// Classifier classifies one message with a large language model
// (nlu/llmintent.Classifier). It only ever sees PII-masked text.
type Classifier interface {
	// Classify returns the intent of a normalised, masked message, with
	// Source "llm" and a label from the configured label set (OutOfScope
	// when none fits).
	//
	// Errors: EUNAVAILABLE when the LLM cannot be reached or times out;
	// EINVALID when its answer is not a known label.
	Classify(ctx context.Context, text string) (Intent, error)
}

// Extractor finds entities (nlu/entity.Extractor).
type Extractor interface {
	// Extract returns the entities in text, with byte offsets into text.
	// It never fails; text without entities gives none.
	Extract(text string) []Entity
}

// Masker replaces PII with placeholders (nlu/pii.Masker).
type Masker interface {
	// Mask returns text with phone numbers, e-mail addresses, ID and bank
	// card numbers replaced by placeholders. It never fails.
	Mask(text string) string
}

// Strategy says who decides the intent.
type Strategy string

// The strategies: the ONNX model alone; the LLM (the model's answer when
// the LLM fails); the model, asking the LLM when the model is unsure (its
// answer is out_of_scope or ambiguous).
const (
	StrategyONNX     Strategy = "onnx"
	StrategyLLM      Strategy = "llm"
	StrategyFallback Strategy = "onnx+llm"
)

// ParseStrategy checks a strategy name from configuration.
func ParseStrategy(s string) (Strategy, error) {
	switch st := Strategy(s); st {
	case StrategyONNX, StrategyLLM, StrategyFallback:
		return st, nil
	case "":
		return StrategyONNX, nil
	}
	return "", assist.Errorf(assist.EINVALID, "nlu strategy %q is not onnx, llm or onnx+llm", s)
}

// MaxTextBytes is the longest message Parse takes.
const MaxTextBytes = 8 << 10

// DefaultLLMTimeout bounds an LLM call when Pipeline.LLMTimeout is zero.
const DefaultLLMTimeout = 3 * time.Second

// Pipeline runs the NLU over a message: normalise, detect the language,
// classify with the configured strategy, extract entities, mask PII. Its
// fields are set once before use; Parse is safe for concurrent use. Any
// of Model, LLM, Entities and PII may be nil: the strategy then does with
// what there is (no LLM: the model alone; no model: the LLM alone), no
// entities are extracted, and without a Masker no text goes to the LLM.
type Pipeline struct {
	Model      IntentModel
	LLM        Classifier
	Entities   Extractor
	PII        Masker
	Strategy   Strategy      // "": StrategyONNX
	LLMTimeout time.Duration // 0: DefaultLLMTimeout
	Log        *slog.Logger  // nil: discard
}

// Parse understands one message.
//
// Errors: EINVALID for text that is not UTF-8; ETOOLARGE for text over
// MaxTextBytes; EUNAVAILABLE when neither the model nor the LLM can answer;
// an error wrapping ctx.Err() when ctx ends first.
func (p *Pipeline) Parse(ctx context.Context, raw string) (Result, error) {
	res, err := p.ParseBatch(ctx, []string{raw})
	if err != nil {
		return Result{}, err
	}
	return res[0], nil
}

// ParseBatch understands many messages, classifying them with one model
// call; the LLM, when the strategy asks it, is called per message.
func (p *Pipeline) ParseBatch(ctx context.Context, raws []string) ([]Result, error) {
	start := time.Now()
	out := make([]Result, len(raws))
	norm := make([]string, len(raws))
	for i, raw := range raws {
		switch {
		case !utf8.ValidString(raw):
			return nil, assist.Errorf(assist.EINVALID, "message %d is not valid UTF-8", i)
		case len(raw) > MaxTextBytes:
			return nil, assist.Errorf(assist.ETOOLARGE, "message %d has %d bytes, the limit is %d", i, len(raw), MaxTextBytes)
		}
		norm[i] = text.Normalize(raw)
		out[i].Text = norm[i]
		out[i].Lang = Lang(text.Detect(norm[i]))
		out[i].Masked = p.mask(norm[i])
		out[i].Entities = []Entity{}
		if p.Entities != nil {
			if es := p.Entities.Extract(raw); es != nil {
				out[i].Entities = es
			}
		}
	}

	strategy := p.Strategy
	if strategy == "" {
		strategy = StrategyONNX
	}
	useLLM := p.LLM != nil && p.PII != nil && strategy != StrategyONNX
	var modelIntents []Intent
	var modelErr error
	classify := func() {
		if p.Model == nil {
			modelErr = assist.Errorf(assist.EUNAVAILABLE, "no intent model configured")
			return
		}
		modelIntents, modelErr = p.Model.Classify(ctx, norm)
	}
	if strategy != StrategyLLM || !useLLM {
		classify()
	}
	for i := range out {
		var in Intent
		ok := modelErr == nil && modelIntents != nil
		if ok {
			in = modelIntents[i]
		}
		if useLLM && (strategy == StrategyLLM || !ok || unsure(in)) {
			llm, err := p.askLLM(ctx, out[i].Masked)
			switch {
			case err == nil:
				in, ok = llm, true
			case ctx.Err() != nil:
				return nil, fmt.Errorf("nlu: %w", ctx.Err())
			default:
				p.logger().Warn("llm intent failed, using the model's answer", "err", err)
				if modelIntents == nil && modelErr == nil {
					classify() // the LLM strategy has not asked the model yet
				}
				if modelErr == nil {
					in, ok = modelIntents[i], true
				}
			}
		}
		if !ok {
			if modelErr == nil {
				modelErr = assist.Errorf(assist.EUNAVAILABLE, "no intent classifier answered")
			}
			return nil, fmt.Errorf("nlu: %w", modelErr)
		}
		out[i].Intent = in
	}
	took := time.Since(start) / time.Duration(max(len(out), 1))
	for i := range out {
		out[i].Took = took
	}
	return out, nil
}

// unsure says whether the model's answer is worth asking the LLM about.
func unsure(in Intent) bool { return in.Label == OutOfScope || in.Ambiguous }

func (p *Pipeline) mask(s string) string {
	if p.PII == nil {
		return ""
	}
	return p.PII.Mask(s)
}

// askLLM asks the LLM under the timeout.
func (p *Pipeline) askLLM(ctx context.Context, masked string) (Intent, error) {
	timeout := p.LLMTimeout
	if timeout <= 0 {
		timeout = DefaultLLMTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	in, err := p.LLM.Classify(ctx, masked)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return Intent{}, &assist.Error{Code: assist.EUNAVAILABLE, Message: "the LLM did not answer in time", Err: err}
		}
		return Intent{}, err
	}
	if in.Source == "" {
		in.Source = "llm"
	}
	return in, nil
}

func (p *Pipeline) logger() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.New(slog.DiscardHandler)
}
