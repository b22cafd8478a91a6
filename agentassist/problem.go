package agentassist

import (
	"context"
	"strings"
	"unicode"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/nlu/pii"
)

// problem is what the customer needs help with, as the conversation
// stands: the words of their last substantive message(s) (personal data
// masked, the request for a person left out), the intent, and the facts
// those messages name. It is what suggestions and passages answer, so a
// "thanks" or "any news?" keeps them, and "转人工" is never searched for.
type problem struct {
	Text     string            // what to search the help center and earlier answers with: Texts joined
	Texts    []string          // the problem's messages, oldest first
	Intent   string            // the problem's intent; "" when not known
	Entities map[string]string // facts named in the problem's messages
}

// Limits of reading the problem.
const (
	maxProblemLook     = 6 // newest customer messages read
	maxProblemMessages = 2 // substantive messages joined into the query
	minProblemRunes    = 6 // an unplaced message this long (Han runes or letters, words x3) still describes a problem
)

// nudges chase an answer without saying anything new ("any news?",
// "快点"): a short message with one carries no problem of its own.
var nudges = []string{
	"有消息吗", "有消息了吗", "有进展吗", "怎么样了", "好了吗", "快点", "快一点", "在吗", "在不在", "有人吗", "还在吗", "查到了吗", "多久",
	"any news", "any update", "any updates", "anything yet", "hurry", "hello", "hi", "still there", "are you there", "is it possible", "any luck",
}

// maxNudgeRunes: a message longer than this says more than a nudge.
const maxNudgeRunes = 16

// isNudge reports whether text only chases an answer.
func isNudge(text string) bool {
	if len([]rune(text)) > maxNudgeRunes {
		return false
	}
	low := " " + strings.Join(strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ") + " "
	for _, p := range nudges {
		if strings.Contains(low, p) && (hasHan(p) || strings.Contains(low, " "+p+" ")) {
			return true
		}
	}
	return false
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// withoutHumanRequest leaves out of text the clauses that ask for a person
// ("我的快递三天没动了，转人工" keeps "我的快递三天没动了"), or, when every
// clause does, the words that ask ("转人工退款" keeps "退款").
func withoutHumanRequest(text string) string {
	clauses := strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(",，。.!！?？;；\n", r) })
	var keep []string
	for _, c := range clauses {
		if strings.TrimSpace(c) != "" && dialog.AskedForHuman(c) == "" {
			keep = append(keep, strings.TrimSpace(c))
		}
	}
	if len(keep) == len(clauses) {
		return strings.TrimSpace(text)
	}
	if len(keep) > 0 {
		sep := ", "
		if hasHan(text) {
			sep = "，"
		}
		return strings.Join(keep, sep)
	}
	for range 4 {
		p := dialog.AskedForHuman(text)
		if p == "" {
			break
		}
		low := strings.ToLower(text)
		i := strings.Index(low, p)
		if i < 0 || len(low) != len(text) {
			break
		}
		text = text[:i] + " " + text[i+len(p):]
	}
	return strings.TrimSpace(text)
}

// contentSize counts Han runes and, for other scripts, three per word: how
// much a message says.
func contentSize(text string) int {
	n, inWord := 0, false
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			n++
			inWord = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !inWord {
				n += 3
			}
			inWord = true
		default:
			inWord = false
		}
	}
	return n
}

// readProblem finds the problem in the newest customer messages of hist
// (m, when not nil and not in hist yet, counts as the newest): a message
// carries one when the intent model places it as a task or question, or
// when it says enough to describe one; small talk, a request for a person
// and a nudge never do. The newest such message is the problem; the one
// before it joins when it is about the same thing (the same intent), or
// when the newest is one the model could not place ("买了三个月，左耳没声音了"
// after "耳机坏了").
func (s *Service) readProblem(ctx context.Context, hist []*assist.Message, m *assist.Message) problem {
	var msgs []*assist.Message
	for _, x := range hist {
		if x.Author == assist.AuthorCustomer {
			msgs = append(msgs, x)
		}
	}
	if m != nil && (len(msgs) == 0 || msgs[len(msgs)-1].ID != m.ID) {
		msgs = append(msgs, m)
	}
	p := problem{Entities: map[string]string{}}
	var texts []string
	for i, looked := len(msgs)-1, 0; i >= 0 && looked < maxProblemLook && len(texts) < maxProblemMessages; i, looked = i-1, looked+1 {
		text := withoutHumanRequest(pii.Mask(msgs[i].Text))
		if contentSize(text) == 0 || isNudge(text) {
			continue
		}
		intent, placed := "", false
		if s.NLU != nil {
			if res, err := s.NLU.Parse(ctx, text); err == nil {
				for _, e := range res.Entities {
					if isFact(e.Type) && p.Entities[e.Type] == "" {
						p.Entities[e.Type] = e.Value // an order number alone is no problem, but a fact of it
					}
				}
				in := res.Intent
				if in.Label == "human_agent" || (isSmallTalk(in.Label) && contentSize(text) < 2*minProblemRunes) {
					continue
				}
				if in.Label != nlu.OutOfScope && !in.Ambiguous && !isSmallTalk(in.Label) {
					intent, placed = in.Label, true
				}
			}
		}
		if !placed && contentSize(text) < minProblemRunes {
			continue
		}
		if len(texts) > 0 && p.Intent != "" && intent != p.Intent {
			break // an earlier, other problem
		}
		texts = append(texts, text)
		if p.Intent == "" {
			p.Intent = intent
		}
	}
	for i := len(texts) - 1; i >= 0; i-- {
		p.Texts = append(p.Texts, texts[i])
	}
	p.Text = strings.Join(p.Texts, " ")
	return p
}
