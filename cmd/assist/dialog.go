package main

import (
	"fmt"
	"os"
	"time"

	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/sentiment"
)

// loadFlows returns the task flows of dialog.flows_dir, or the built-in
// ones when it is empty.
func loadFlows(cfg Config) ([]*flow.Flow, error) {
	if cfg.Dialog.FlowsDir == "" {
		return flow.Builtin()
	}
	flows, err := flow.Load(os.DirFS(cfg.Dialog.FlowsDir))
	if err != nil {
		return nil, fmt.Errorf("dialog.flows_dir %s: %w", cfg.Dialog.FlowsDir, err)
	}
	return flows, nil
}

// escalationRules are the rules of dialog.escalation.*.
func escalationRules(cfg Config) dialog.EscalationRules {
	e := cfg.Dialog.Escalation
	return dialog.EscalationRules{
		Anger:         float32(e.Anger),
		AngerAtOnce:   float32(e.AngerAtOnce),
		NegativeLast:  float32(e.NegativeLast),
		NegativeTrend: float32(e.NegativeTrend),
		NegativeTurns: e.NegativeTurns,
		Fallbacks:     e.Fallbacks,
		VIPTiers:      e.VIPTiers,
		Goodwill:      e.Goodwill,
	}
}

// newAssistant builds the bot from the configuration and the services it
// uses; its flows count dates on now (Main.Now; nil: the real clock). nlu,
// scorer, kb and backend may be nil (the Assistant documents what each
// absence means). Errors: flows that do not load.
func newAssistant(cfg Config, now func() time.Time, nlu dialog.Parser, scorer sentiment.Scorer, kb dialog.Answerer, backend flow.Backend) (*dialog.Assistant, error) {
	flows, err := loadFlows(cfg)
	if err != nil {
		return nil, err
	}
	engine, err := flow.NewEngine(flows, backend)
	if err != nil {
		return nil, fmt.Errorf("task flows: %w", err)
	}
	if now == nil {
		now = time.Now
	}
	zone := cfg.shopZone()
	engine.Now = func() time.Time { return now().In(zone) }
	return &dialog.Assistant{
		NLU:       nlu,
		Sentiment: scorer,
		KB:        kb,
		KBName:    cfg.Dialog.KB,
		Flows:     engine,
		Backend:   backend,
		Rules:     escalationRules(cfg),
		Alpha:     float32(cfg.Sentiment.Alpha),
	}, nil
}
