package agentassist

import (
	"context"
	"strconv"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/sentiment"
)

// Alert levels and reasons.
const (
	AlertWarning  = "warning"
	AlertCritical = "critical"

	AlertAnger         = "anger"
	AlertNegativeTrend = "negative_trend"
	AlertDrop          = "sentiment_drop"
)

// DropThreshold is how far the trend's average must fall with one message
// for a sentiment_drop alert.
const DropThreshold = 0.3

// Alert warns the agent about the customer's mood, with its trend.
type Alert struct {
	Level  string          `json:"level"`
	Reason string          `json:"reason"`
	Text   string          `json:"text"`
	Trend  sentiment.Trend `json:"trend"`
}

// alert scores customer message m, folds it into the conversation's trend
// (the bot's, carried on once people own the conversation) and returns an
// alert when anger is detected (the escalation rules' anger threshold),
// the trend stays negative (their negative-trend rule) or it just dropped
// by DropThreshold or more.
func (s *Service) alert(ctx context.Context, c *assist.Conversation, st *dialog.State, m *assist.Message, lang string) *Alert {
	k := key(c.TenantID, c.ID)
	s.mu.Lock()
	if s.trends == nil {
		s.trends = map[string]*sentiment.Trend{}
	}
	tr := s.trends[k]
	if tr == nil {
		t := st.Sentiment
		tr = &t
		s.trends[k] = tr
	}
	trend := *tr
	s.mu.Unlock()
	before := trend
	var score *sentiment.Score
	if s.Sentiment != nil {
		if sc, err := s.Sentiment.Score(ctx, m.Text); err == nil {
			score = &sc
			trend.Add(sc, 0)
			s.mu.Lock()
			*tr = trend
			s.mu.Unlock()
		}
	}
	rules := s.Rules
	if rules.Anger == 0 {
		rules = dialog.DefaultRules()
	}
	switch {
	case score != nil && score.Anger >= rules.Anger:
		return &Alert{Level: AlertCritical, Reason: AlertAnger, Text: say(lang, "assist.alert.anger", "anger", num(score.Anger)), Trend: trend}
	case score == nil && trend.Messages > 0 && trend.Anger >= rules.Anger:
		return &Alert{Level: AlertCritical, Reason: AlertAnger, Text: say(lang, "assist.alert.anger", "anger", num(trend.Anger)), Trend: trend}
	case rules.NegativeTurns > 0 && trend.NegativeRun >= rules.NegativeTurns && trend.EWMA <= rules.NegativeTrend:
		return &Alert{Level: AlertWarning, Reason: AlertNegativeTrend, Text: say(lang, "assist.alert.negative_trend", "n", strconv.Itoa(trend.NegativeRun), "trend", num(trend.EWMA)), Trend: trend}
	case score != nil && before.Messages > 0 && before.EWMA-trend.EWMA >= DropThreshold:
		return &Alert{Level: AlertWarning, Reason: AlertDrop, Text: say(lang, "assist.alert.sentiment_drop", "from", num(before.EWMA), "to", num(trend.EWMA)), Trend: trend}
	}
	return nil
}
