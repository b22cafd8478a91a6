package routing

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on the evidence kept in a decision's note.
const (
	maxEvidenceKeys  = 8   // keys kept, in name order
	maxEvidenceKey   = 40  // bytes of a key
	maxEvidenceValue = 60  // runes of a value
	maxNote          = 400 // runes of the whole note
)

// EvidenceNote is the note of a hand-off's first routing decision: the
// reason code and the evidence that made the escalation rule fire, as
// "reason anger; evidence: anger=0.91, negative_run=3". Keys that are not
// plain names (letters, digits, '_', '.', '-', at most 40 bytes) are
// dropped, values are put on one line and cut to 60 characters, at most 8
// keys are kept, in name order. "" when there is neither.
func EvidenceNote(reason string, evidence map[string]string) string {
	var b strings.Builder
	if reason != "" {
		b.WriteString("reason ")
		b.WriteString(cut(oneLine(reason), maxEvidenceValue))
	}
	keys := make([]string, 0, len(evidence))
	for k := range evidence {
		if safeKey(k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	if len(keys) > maxEvidenceKeys {
		keys = keys[:maxEvidenceKeys]
	}
	for i, k := range keys {
		switch {
		case i > 0:
			b.WriteString(", ")
		case b.Len() > 0:
			b.WriteString("; evidence: ")
		default:
			b.WriteString("evidence: ")
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(cut(oneLine(evidence[k]), maxEvidenceValue))
	}
	return cut(b.String(), maxNote)
}

func safeKey(k string) bool {
	if k == "" || len(k) > maxEvidenceKey {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-') {
			return false
		}
	}
	return true
}

// oneLine makes s valid UTF-8 on one line, runs of space and control
// characters as one space.
func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
}

// cut shortens s to max runes, marking a cut with "…".
func cut(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max-1]) + "…"
}

// clampSentiment puts a hand-off's sentiment trend in −1..1; NaN is 0
// (unknown).
func clampSentiment(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return max(-1, min(1, v))
}

// QueuePosition implements conversation.QueueTeller: the conversation's
// 1-based place in its queue, or 0 once it is offered to or assigned to an
// agent; ok is false when the engine does not hold it.
func (e *Engine) QueuePosition(tenantID, convID string) (pos int, ok bool) {
	p, ok := e.Position(tenantID, convID)
	switch {
	case !ok:
		return 0, false
	case p.State == StateQueued && p.Position > 0:
		return p.Position, true
	case p.State == StateOffered || p.State == StateAssigned:
		return 0, true
	}
	return 0, false
}
