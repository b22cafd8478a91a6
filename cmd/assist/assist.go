package main

import (
	"path/filepath"

	"github.com/assistd/assist/agentassist"
	"github.com/assistd/assist/gap"
	"github.com/assistd/assist/routing"
	"github.com/assistd/assist/store/sqlite"
)

// newAgentAssist builds agent assist on what Run opened: the
// conversations, the knowledge base, the NLU and sentiment models and the
// LLM (each optional), its stores on the database, and the staff event
// stream.
func (m *Main) newAgentAssist() (*agentassist.Service, error) {
	store := sqlite.NewAssistStore(m.DB)
	a := &agentassist.Service{
		Conversations: m.Conversations,
		KB:            m.Config.Dialog.KB,
		Rules:         escalationRules(m.Config),
		Macros:        store,
		Suggestions:   store,
		Replies:       &agentassist.Replies{Store: store},
		Notifier:      assistEvents{bus: m.Events},
		Logger:        m.Logger,
	}
	if m.Knowledge != nil && m.Knowledge.Service != nil {
		a.Knowledge = m.Knowledge.Service
		a.Analyzer = m.Knowledge.Service.Analyzer
		a.Replies.Analyzer = m.Knowledge.Service.Analyzer
	}
	if m.NLU != nil {
		a.NLU = m.NLU
	}
	if m.Sentiment != nil {
		a.Sentiment = m.Sentiment
	}
	gen, err := newGenerator(m.Config)
	if err != nil {
		return nil, err
	}
	if gen != nil {
		a.Drafter = gen
	}
	return a, nil
}

// assistEvents pushes agent assist's Sets ("assist") and LLM drafts
// ("assist_draft") to the agent's event stream.
type assistEvents struct{ bus *routing.Bus }

var _ agentassist.DraftNotifier = assistEvents{}

func (e assistEvents) AssistDraft(tenantID, agentID string, d *agentassist.Draft) {
	e.bus.Publish(routing.Event{Type: "assist_draft", TenantID: tenantID, ConversationID: d.ConversationID, AgentID: agentID,
		To: []string{agentID}, Payload: d})
}

func (e assistEvents) Assist(tenantID, agentID string, s *agentassist.Set) {
	e.bus.Publish(routing.Event{Type: "assist", TenantID: tenantID, ConversationID: s.ConversationID, AgentID: agentID,
		At: s.At, To: []string{agentID}, Payload: s})
}

// newGapRecorder records knowledge gaps on the database; rag's gap hook
// and the conversation observers feed it.
func (m *Main) newGapRecorder() *gap.Recorder {
	return &gap.Recorder{Store: sqlite.NewGapStore(m.DB), KB: m.Config.Dialog.KB, Logger: m.Logger}
}

// newGapService builds the gap report on the database, publishing to the
// knowledge base, with the LLM drafting proposed answers when one is
// configured.
func (m *Main) newGapService() (*gap.Service, error) {
	s := &gap.Service{Store: sqlite.NewGapStore(m.DB), KB: m.Config.Dialog.KB, TrainingData: gapTrainingPath(m.Config),
		Threshold: m.Config.Gaps.Threshold, Logger: m.Logger}
	if m.Knowledge != nil && m.Knowledge.Service != nil {
		s.Publisher = m.Knowledge.Service
	}
	gen, err := newGenerator(m.Config)
	if err != nil {
		return nil, err
	}
	if gen != nil {
		s.Drafter = gen
	}
	return s, nil
}

// gapTrainingPath is gaps.training_data, or gap-training.jsonl next to
// the database.
func gapTrainingPath(cfg Config) string {
	if cfg.Gaps.TrainingData != "" {
		return cfg.Gaps.TrainingData
	}
	return filepath.Join(filepath.Dir(cfg.Store.Path), "gap-training.jsonl")
}
