package dialog

import (
	"context"
	nlutext "github.com/assistd/assist/nlu/text"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/rag"
)

// Customers put several questions in one message: "where's my lamp and
// where's my keyboard", "two things - wheres my hoodie, and has the jeans
// refund come through yet", "被套那单还没付款，能改成king的吗？还有我有两张券能
// 一起用吗". several cuts such a message where it plainly starts another
// question (a question mark followed by more, "also", "还有", "另外", ", and
// where…"), runs each part through the turn as if sent alone, and
// answers them in order in one reply. It is conservative: at most
// maxParts parts, each long enough to read and understood on its own
// (an intent the model is sure of, or a question about an order);
// otherwise the message is read whole, as before. A part on the same
// help-center topic as one before it may continue it ("how much off do I
// get" after "is double 11 still on?"): it is answered as the help center
// is surer of it, alone or after that part, and an answer two parts share
// is given once.

// maxParts bounds the questions answered from one message.
const maxParts = 3

var (
	// announce opens a message that says it holds several questions.
	announce = nlutext.MustPattern(`^\s*((two|2|three|3|a couple of|couple of|a few|few) (things|questions|qs|q's)|问(两|几|二|三)个(事|问题)|(两|几|三)个问题)\s*[-–—:：,，.。!！]*\s*`)
	// boundary is where another question starts: after a question mark
	// with more to come, or at a connective that opens one. 还有 and 另外
	// open a question only after a mark or a space: inside a clause they
	// are adverbs ("要另外收人工费吗", "现在还有没有黑色的").
	boundary = nlutext.MustPattern(`[?？]\s*|[;；]\s*|[,，.。]\s*(also|and also|plus|oh and|还有|另外|顺便问一下|顺便问下|再问一下|对了)\s*|\s+(also|and also)\s+|[,，]?\s+and\s+(where'?s|where|when|what'?s|whats|how|has|have|is|are|can|could|do|does|did|will|why|which)\b\s*|(?:^|\s)(?:还有|另外)(?:就是)?[,，\s]*`)
	// connective is a word a part may start with that joined it to the
	// one before.
	connective = nlutext.MustPattern(`^\s*(and also|also|plus|oh and|and|还有就是|还有|另外|顺便问一下|顺便问下|再问一下|对了)\s*[,，]?\s*`)
)

// splitQuestions returns the questions text holds, or nil when it holds
// one (or more than maxParts, or a part too short to read alone).
func splitQuestions(text string) []string {
	// Lower-cased byte for byte, so its indexes are text's.
	low := strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf {
			return unicode.ToLower(r)
		}
		return r
	}, text)
	if m := announce.FindStringIndex(low); m != nil {
		text, low = text[m[1]:], low[m[1]:]
	}
	var parts []string
	prev := 0
	for _, m := range boundary.FindAllStringSubmatchIndex(low, -1) {
		cut := m[1]
		// Keep the question word that opened the next part ("and where's
		// …" starts the part at "where's").
		if m[6] >= 0 {
			cut = m[6]
		}
		if strings.TrimSpace(text[m[1]:]) == "" {
			break // a question mark at the end
		}
		end := m[0]
		if r, size := utf8.DecodeRuneInString(low[m[0]:]); r == '?' || r == '？' {
			end += size // the question keeps its mark
		}
		parts = append(parts, text[prev:end])
		prev = cut
	}
	parts = append(parts, text[prev:])
	var out []string
	for _, p := range parts {
		p = strings.TrimSpace(connective.ReplaceAllString(strings.TrimSpace(p), ""))
		p = strings.TrimRightFunc(p, func(r rune) bool { return r == ',' || r == '，' || unicode.IsSpace(r) })
		if p == "" {
			continue
		}
		if !readable(p) {
			return nil
		}
		out = append(out, p)
	}
	if len(out) < 2 || len(out) > maxParts {
		return nil
	}
	return out
}

// readable reports whether a part is long enough to be a question on its
// own: three English words, or four characters of Chinese.
func readable(p string) bool {
	if hasHan(p) {
		return utf8.RuneCountInString(p) >= 4
	}
	return len(strings.Fields(p)) >= 3
}

// several answers a message holding several questions, each as its own
// turn; ok is false when it holds one, or when a part is not understood
// on its own (the message is then read whole).
func (tr *turn) several(ctx context.Context) (Reply, bool, error) {
	a, st := tr.a, tr.st
	if tr.part || a.NLU == nil || st.Flow != nil || len(st.Clarify) > 0 || st.Offered != "" || st.OfferedTask != "" {
		return Reply{}, false, nil
	}
	texts := splitQuestions(tr.text)
	if texts == nil {
		return Reply{}, false, nil
	}
	if st.Done == pathPrice && st.AfterSalesTurn == st.Turns-1 && priceMoneyAsk(tr.text) {
		// "Will it come back as a coupon? I'd prefer money." after a
		// price drop's answer: one question, on the difference (fault.go).
		return Reply{}, false, nil
	}
	if tr.written == nil {
		tr.written = map[string]rag.Answer{} // an answer two parts share is written once (reading.go)
	}
	parts := make([]*turn, len(texts))
	for i, text := range texts {
		res, err := a.NLU.Parse(ctx, text)
		if err != nil {
			return Reply{}, false, nil
		}
		res = placeAddress(res, text)
		in := res.Intent
		sure := !in.Ambiguous && in.Label != "" && in.Label != nlu.OutOfScope && !isSmallTalk(in.Label)
		if !sure && !statusCue.MatchString(strings.ToLower(text)) {
			return Reply{}, false, nil
		}
		var topic string
		for _, q := range parts[:i] {
			if a.isKnowledge(in.Label) && q.res.Intent.Label == in.Label && !q.res.Intent.Ambiguous && sure {
				// One help-center topic asked on ("is double 11 still on?
				// how much off do I get", "the minimum for free shipping,
				// and how long does delivery to xinjiang take"): the part
				// is asked alone and after the one before, and the answer
				// the help center is surer of is given (thread.go).
				topic = q.text
			}
		}
		p := *tr
		p.text, p.res, p.part, p.partOf = text, res, true, topic
		p.label, p.settled, p.question, p.fellBack = "", false, "", false
		parts[i] = &p
	}
	// The intents noted are the parts', not the whole message's.
	for n := len(st.Intents); n > 0 && st.Intents[n-1].Turn == st.Turns; n = len(st.Intents) {
		st.Intents = st.Intents[:n-1]
	}
	for _, p := range parts {
		if in := p.res.Intent; !in.Ambiguous {
			st.note(in.Label, in.Confidence)
		}
	}
	var r Reply
	var offered, offeredTask string
	fellBack := true
	for _, p := range parts {
		// An offer one part makes is for the customer's next message, not
		// for the next part.
		st.Offered, st.OfferedTask = "", ""
		p.listed = tr.listed
		pr, err := p.run(ctx)
		tr.listed = p.listed
		if err != nil {
			return Reply{}, false, err
		}
		if p.after != nil {
			// Anger or a VIP's grievance, settled on this part's answer
			// (upset.go); the later parts do not apologise again.
			pr = p.afterAnswer(ctx, pr)
			for _, q := range parts {
				q.scored = false
			}
		}
		if st.Offered != "" {
			offered = st.Offered
		}
		if st.OfferedTask != "" {
			offeredTask = st.OfferedTask
		}
		fellBack = fellBack && p.fellBack
		for i, m := range pr.Messages {
			if slices.Contains(r.Messages, m) {
				continue // two parts the same answer answers
			}
			var att *assist.Attachments
			if i < len(pr.Attachments) {
				att = pr.Attachments[i]
			}
			r.add(m, att)
		}
		if pr.Handoff != nil || pr.Leave || pr.QueueStatus {
			r.Handoff, r.Leave, r.QueueStatus = pr.Handoff, pr.Leave, pr.QueueStatus
			break
		}
	}
	if st.Offered == "" {
		st.Offered = offered
	}
	if st.OfferedTask == "" {
		st.OfferedTask = offeredTask
	}
	tr.fellBack = fellBack
	return r, true, nil
}
