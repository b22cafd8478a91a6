package ticket

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
)

// ReasonText returns how an escalation reason code reads in lang ("zh"
// or anything else for English). Unknown codes read as themselves, with
// underscores as spaces.
func ReasonText(reason, lang string) string {
	if reason == "" || catalog.IsReason(reason) {
		return catalog.Default().ReasonText(reason, lang)
	}
	s := strings.ReplaceAll(reason, "_", " ")
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// PriorityFor returns the priority of a ticket escalated for reason: VIP
// reasons are urgent; anger, complaints and a souring mood are high;
// everything else is normal.
func PriorityFor(reason string) Priority {
	r := strings.ToLower(reason)
	switch {
	case strings.Contains(r, "vip"):
		return PriorityUrgent
	case strings.Contains(r, "angry"), strings.Contains(r, "anger"), strings.Contains(r, "complaint"),
		strings.Contains(r, "negative"), strings.Contains(r, "legal"), strings.Contains(r, "threat"):
		return PriorityHigh
	}
	return PriorityNormal
}

// oneLine collapses whitespace to single spaces and cuts s to max runes,
// marking a cut with "…". Invalid UTF-8 is replaced.
func oneLine(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	rs := []rune(s)
	return strings.TrimSpace(string(rs[:max-1])) + "…"
}

// Summary limits.
const (
	summaryLastCustomer = 3   // last customer messages quoted
	summaryTranscript   = 12  // last messages in the transcript
	summaryMessageRunes = 280 // per quoted message
)

// EscalationSubject returns the subject of a ticket escalated from conv
// for reason: the reason's text and the start of the customer's last
// message.
func EscalationSubject(conv *assist.Conversation, reason string, botPart []*assist.Message) string {
	subject := ReasonText(reason, conv.Lang)
	for i := len(botPart) - 1; i >= 0; i-- {
		if m := botPart[i]; m != nil && m.Author == assist.AuthorCustomer && strings.TrimSpace(m.Text) != "" {
			sep := ": "
			if conv.Lang == "zh" {
				sep = "："
			}
			subject += sep + oneLine(m.Text, 60)
			break
		}
	}
	return oneLine(subject, MaxSubjectRunes)
}

// EscalationSummary writes the plain-text summary of the bot's part of a
// conversation for the agent who takes it over: the reason, who said what,
// and the customer's last messages. No model is involved.
func EscalationSummary(conv *assist.Conversation, reason string, botPart []*assist.Message) string {
	var b strings.Builder
	code := reason
	if code == "" {
		code = "none"
	}
	fmt.Fprintf(&b, "Escalated by the bot: %s (reason: %s).\n", ReasonText(reason, "en"), code)
	fmt.Fprintf(&b, "Conversation %s, channel %s", conv.ID, orDash(conv.Channel))
	if conv.Lang != "" {
		fmt.Fprintf(&b, ", language %s", conv.Lang)
	}
	if conv.CustomerRef != "" {
		fmt.Fprintf(&b, ", customer %s", oneLine(conv.CustomerRef, 80))
	}
	b.WriteString(".\n")

	var msgs []*assist.Message
	counts := map[assist.Author]int{}
	for _, m := range botPart {
		if m != nil {
			msgs = append(msgs, m)
			counts[m.Author]++
		}
	}
	if len(msgs) == 0 {
		b.WriteString("The bot part holds no messages.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "Bot part: %d messages (%d from the customer, %d from the bot", len(msgs), counts[assist.AuthorCustomer], counts[assist.AuthorBot])
	if n := counts[assist.AuthorAgent] + counts[assist.AuthorSystem]; n > 0 {
		fmt.Fprintf(&b, ", %d other", n)
	}
	fmt.Fprintf(&b, "), %s to %s UTC.\n", stamp(msgs[0]), stamp(msgs[len(msgs)-1]))

	var last []*assist.Message
	for i := len(msgs) - 1; i >= 0 && len(last) < summaryLastCustomer; i-- {
		if msgs[i].Author == assist.AuthorCustomer {
			last = append(last, msgs[i])
		}
	}
	if len(last) > 0 {
		b.WriteString("\nLast customer messages:\n")
		for i := len(last) - 1; i >= 0; i-- {
			fmt.Fprintf(&b, "- %s %s\n", stamp(last[i]), oneLine(last[i].Text, summaryMessageRunes))
		}
	}

	from := max(0, len(msgs)-summaryTranscript)
	if from > 0 {
		fmt.Fprintf(&b, "\nTranscript (last %d of %d messages):\n", len(msgs)-from, len(msgs))
	} else {
		b.WriteString("\nTranscript:\n")
	}
	for _, m := range msgs[from:] {
		fmt.Fprintf(&b, "[%s] %s: %s\n", stamp(m), m.Author, oneLine(m.Text, summaryMessageRunes))
	}
	return b.String()
}

func stamp(m *assist.Message) string {
	if m.CreatedAt.IsZero() {
		return "--:--"
	}
	return m.CreatedAt.UTC().Format("2006-01-02 15:04")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// EscalationKey is the idempotency key of an escalation of conv: the
// conversation and the last message of the bot part (or, without one, the
// reason), so a retried handoff opens one ticket and a later escalation of
// the same conversation opens another.
func EscalationKey(conv *assist.Conversation, reason string, botPart []*assist.Message) string {
	for i := len(botPart) - 1; i >= 0; i-- {
		if m := botPart[i]; m != nil && m.ID != "" {
			return conv.ID + "/" + m.ID
		}
	}
	return conv.ID + "/reason:" + reason
}

// transcriptLine says where the transcript of the bot part is, below a
// summary written elsewhere.
func transcriptLine(conv *assist.Conversation, botPart []*assist.Message) string {
	return fmt.Sprintf("Transcript: conversation %s, %d messages (GET /v1/conversations/%s/messages).", conv.ID, len(botPart), conv.ID)
}
