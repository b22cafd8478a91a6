package dialog

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/assistd/assist/dialog/flow"
	nlutext "github.com/assistd/assist/nlu/text"
	"github.com/assistd/assist/rag"
)

// Short questions right after a help-center answer ("how long does it
// take", "weekends?", "ok 那质量问题呢", "and who pays for sending it
// back") often continue it. When the model is unsure of such a message
// the bot asks the help center the question it just answered together
// with the new words, then the message alone, and gives the first answer
// it is confident of; otherwise the turn goes on as usual.

// answeredWindow is how many turns after a help-center answer a short
// question may continue it.
const answeredWindow = 2

// elliptic answers a short question continuing the help center's last
// answer (see above); ok is false when the message is not one or the
// help center is not confident of the continued question.
func (tr *turn) elliptic(ctx context.Context) (Reply, bool, error) {
	label := ""
	if sure(tr.res.Intent) {
		label = tr.res.Intent.Label
	}
	if isSmallTalk(label) && asksBeyondSmallTalk(tr.text) {
		// "周末也有人吗", "still there on sundays?" after the service
		// hours: the model hears the greeting, the customer asks on.
		label = ""
	}
	return tr.ellipticAs(ctx, label)
}

// smallTalkWords (Chinese ones longest first) are the words of a greeting, a thanks or a check that
// someone is there, which say nothing of what a question is about.
var smallTalkWords = []string{"有人在吗", "有人吗", "在吗", "有人", "你好", "您好", "谢谢", "再见", "hello", "hi", "hey", "anyone", "anybody",
	"someone", "somebody", "there", "here", "thanks", "thank", "you", "bye", "still", "open", "too", "also", "也", "还", "吗", "呢", "啊"}

// asksBeyondSmallTalk reports whether text, read as small talk by the
// model, is a question that says more than the small talk: a time, a day,
// a thing ("周末也有人吗", "anyone there on public holidays?").
func asksBeyondSmallTalk(text string) bool {
	if !isQuestion(text) && followUpCue(text) == "" {
		return false
	}
	low := strings.ToLower(text)
	for _, w := range smallTalkWords {
		if hasHan(w) {
			low = strings.ReplaceAll(low, w, " ")
		}
	}
	han := 0
	words := 0
	for _, f := range strings.FieldsFunc(low, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) {
		if hasHan(f) {
			han += utf8.RuneCountInString(f)
			continue
		}
		if !slices.Contains(smallTalkWords, f) && !slices.Contains(leadWords, f) && f != "on" && f != "at" && f != "in" && f != "is" && f != "are" && f != "what" && f != "about" {
			words++
		}
	}
	return han >= 2 || words >= 1
}

// ellipticAs is elliptic for a message read as intent label ("" when
// the model could not place it): the model's sure label, or the one the
// conversation settled it on.
func (tr *turn) ellipticAs(ctx context.Context, label string) (Reply, bool, error) {
	st := tr.st
	if tr.a.KB == nil || st.Question == "" || st.Answered == 0 || st.Answered < st.Turns-answeredWindow || st.Answered == st.Turns {
		return Reply{}, false, nil
	}
	rest := openingCourtesy(tr.text)
	acked := rest != strings.TrimSpace(tr.text) // "so if my cart comes to ¥750…", "好的 那…"
	if !isShort(rest, tr.res.Entities) && !((refersBack(rest) || acked) && isShortish(rest)) || tr.namesPurchase() {
		return Reply{}, false, nil
	}
	// A message the model is sure of continues the answer when it is of
	// the answered question's own intent and says what it adds
	// ("我就普通会员 银卡那种" after the member-day discounts, "已经开了
	// 个人的 要改" after how to change an invoice's title) or opens as a
	// follow-up ("那几天能到" after the fee to remote areas).
	// A question in its own words the model places is asked as it is
	// ("积分会过期吗" after the gold members' benefits, "买多少能包邮"
	// after the fee to Xinjiang), unless it points back ("how many times
	// can I do that") or acknowledges the answer first ("so if my cart
	// comes to ¥750 how much comes off?"). A message pointing back may be
	// a little longer, as may one acknowledging it.
	same := label != "" && tr.a.isKnowledge(label) && tr.answeredLabel() == label && (!isQuestion(rest) || acked || followUpCue(rest) != "" || refersBack(rest))
	if label != "" && !same || !same && followUpCue(rest) == "" && !isQuestion(rest) && !asksHowItWorks(rest) {
		return Reply{}, false, nil
	}
	// The last question with the message's words: the knowledge base's
	// confidence in a bare short question is no guide (it finds "how
	// long does it take" in the refund article as surely as in the
	// delivery one). Then, for a message the model could not place, the
	// message as it is, with the last question as its topic (the
	// knowledge base decides whether it continues it).
	prev, q := st.Question, tr.question
	combined := continuation(prev, tr.masked())
	questions := []string{combined, tr.text}
	if same {
		// Asked as it is next (dispatch) when the knowledge base is not
		// confident of it as a continuation: its own confidence in the
		// message alone is no guide either ("我是金卡会员" alone finds
		// the gold members' benefits, not their member-day discount).
		questions = questions[:1]
	}
	// "is there a limit on how often I can do it", "它会过期吗": pointing
	// back, the message asks something new of the same thing. Joined to
	// the last question, the last question's words may pick the very
	// sentences the last answer quoted; so it is also asked as it is, the
	// help center told it continues the last question (its own words pick
	// the passage, from the last question's documents), and the surer of
	// the two answers is given.
	pointing := refersBack(rest)
	defer func() { tr.question, tr.continues, tr.joins = q, false, false }()
	for _, question := range questions {
		how := readAlone
		if question == combined {
			how = readJoined
		}
		ans, err := tr.askOn(ctx, prev, combined, how)
		if err != nil {
			return Reply{}, false, err
		}
		if pointing && question == combined {
			alt, err := tr.askOn(ctx, prev, combined, readContinued)
			if err != nil {
				return Reply{}, false, err
			}
			if alt.Known && (!ans.Known || alt.Confidence > ans.Confidence) {
				// The help center's own threshold is enough: pointing
				// back, the message surely continues the last question.
				st.Question, st.Answered = bounded(combined), st.Turns
				return tr.answered(alt), true, nil
			}
		}
		margin := KBMargin
		if tr.torn && question == combined {
			// The model torn between two tasks the conversation is not
			// about: the help center knowing the question as continued
			// is a better guide than a choice between them.
			margin = 0
		}
		if ans.Known && ans.Confidence >= ans.Threshold+margin {
			// The next follow-up continues the question as continued
			// ("多久" after "国外能寄吗" after delivery times); a message
			// answered as it is is a question of its own.
			st.Question = bounded(question)
			if question == tr.text {
				st.Question = tr.masked()
			}
			if margin == 0 {
				// Taken on the help center's word alone, the words added
				// are too weak to steer the next question: the topic
				// stays the last question ("那能不能直接开专票" after
				// "改完多久能拿到" after changing an invoice's title).
				st.Question = prev
			}
			st.Answered = st.Turns
			return tr.answered(ans), true, nil
		}
	}
	return Reply{}, false, nil
}

// readOnTopic reads a message the help center declines on its own as
// continuing topic, the help-center question it last answered within
// answeredWindow turns: "nice. and can i use a coupon on top of that"
// after what member day gives, "ok full honesty i dropped it in the pool"
// after the warranty, "btw another site has it for 550" after price
// protection, "那我铂金会员日打几折" after coupons on member day. Two
// readings, as ellipticAs asks them: the topic with the message's words,
// clearly surer than the bar (its sureness not borrowed from the topic's
// words: thread.go), and the message alone continuing the topic (its
// words pick the passage among the topic's documents); the surer known
// one is kept, the topic going on as continued. ok is false when neither
// is known, when the message does not link back to the answer ("ok",
// "still nothing", a question of its own), is long or names an order (its
// own request), or when there is no such topic.
func (tr *turn) readOnTopic(ctx context.Context, topic string) (reading, bool, error) {
	st := tr.st
	if tr.a.KB == nil || topic == "" || st.Answered == 0 || st.Answered < st.Turns-answeredWindow || st.Answered == st.Turns {
		return reading{}, false, nil
	}
	rest := openingCourtesy(tr.text)
	if !isShortish(rest) || tr.namesOrder() || topic == tr.masked() {
		return reading{}, false, nil
	}
	// It links back to the answer (thread.go: linked; "what if…", "可是
	// 别的网站…"): "ok", "still nothing" say nothing to read with the topic,
	// and a question of its own ("is there a student discount?") is not
	// the topic's because the topic's words make it sure.
	if !linked(rest) && !asksWhatIf(rest) {
		return reading{}, false, nil
	}
	q := tr.question
	defer func() { tr.question, tr.continues, tr.joins = q, false, false }()
	combined := continuation(topic, tr.masked())
	var best reading
	for _, how := range []int{readJoined, readContinued} {
		r, err := tr.readOn(ctx, topic, combined, how, true)
		if err != nil {
			return reading{}, false, err
		}
		// Joined, the message must be clearly surer than the help center's
		// bar: the topic's words alone may carry it ("is there a student
		// discount?" after closing an account: thread.go).
		if how == readJoined && r.ans.Confidence < r.ans.Threshold+KBMargin {
			continue
		}
		if r.ans.Known && (!best.ans.Known || r.ans.Confidence > best.ans.Confidence) {
			best = r
		}
	}
	if !best.ans.Known {
		return reading{}, false, nil
	}
	st.Question, st.Answered = bounded(combined), st.Turns
	return best, true, nil
}

// The readings of a message as continuing a help-center topic (readOn):
// joined (the topic's words with the message's: the question holds its
// topic), continued (the message alone, the help center told it continues
// the topic: its words pick the passage among the topic's documents), or
// alone (the message as it is, the topic as the conversation's).
const (
	readJoined = iota
	readContinued
	readAlone
)

// readOn reads the message as continuing topic, the way how says
// (combined is the topic joined with the message's words), for ellipticAs
// and readOnTopic alike; reread as lookUp's. tr.question and tr.joins stay
// as the reading set them (the caller restores them); the conversation's
// question is restored.
func (tr *turn) readOn(ctx context.Context, topic, combined string, how int, reread bool) (reading, error) {
	st := tr.st
	now := st.Question
	switch how {
	case readJoined:
		tr.question, tr.continues, tr.joins = combined, false, combined != tr.text
		st.Question = "" // asked with its topic in the question itself
	case readContinued:
		tr.question, tr.continues, tr.joins = tr.text, true, false
		st.Question = topic
	default:
		tr.question, tr.continues, tr.joins = tr.text, false, false
	}
	r, err := tr.lookUp(ctx, reread)
	st.Question, tr.continues = now, false
	return r, err
}

// askOn is readOn answered (tr.ask): a reading of ellipticAs.
func (tr *turn) askOn(ctx context.Context, topic, combined string, how int) (rag.Answer, error) {
	r, err := tr.readOn(ctx, topic, combined, how, false)
	return tr.answerReading(ctx, r, err) // reading.go
}

// continuesAnswer reports whether text opens or ends as a follow-up
// ("那质量问题呢") after a help-center question: after an "ok" or a
// "thanks" it asks on rather than saying goodbye.
func (tr *turn) continuesAnswer(text string) bool {
	return tr.st.Question != "" && followUpCue(text) != ""
}

// answeredLabel is the intent of the turn the help center last answered
// on, or "".
// A follow-up the model could not place has no intent of its own: it
// continued the topic before it, whose intent is the answered one.
func (tr *turn) answeredLabel() string {
	for i := len(tr.st.Intents) - 1; i >= 0; i-- {
		if n := tr.st.Intents[i]; n.Turn <= tr.st.Answered {
			if n.Turn < tr.st.Answered-answeredWindow {
				return ""
			}
			return n.Label
		}
	}
	return ""
}

// refersBack reports whether text points back at what was said with a
// pronoun ("how many times can I do that", "what else can I pay with",
// "这个算吗"): it does not say what it is about.
func refersBack(text string) bool {
	low := strings.ToLower(text)
	for _, w := range []string{"it", "that", "this", "they", "them", "those", "these", "else", "there"} {
		if w == "there" && (strings.Contains(low, "is there") || strings.Contains(low, "are there")) {
			continue // "is there a limit": no place
		}
		if containsWord(low, w) {
			return true
		}
	}
	return wordIn(low, []string{"这个", "那个", "这样", "那样", "它"}) != ""
}

// continuation is the question a follow-up asks of the question prev it
// continues: prev, without the words asking for a kind of answer when the
// message asks for another kind or another thing ("how much is shipping
// to hong kong" then "how long does it take": the time, not the fee, of
// shipping to hong kong; "金卡要多少积分" then "有啥好处"), then what the
// message adds. A message that only names another value ("铂金呢", "i'm
// only silver") keeps what prev asked.
func continuation(prev, msg string) string {
	add := followUpWords(msg)
	if add == "" {
		return prev
	}
	k, _ := rag.WithoutKind(add)
	if k == rag.KindOther && feeWord.MatchString(add) {
		k = rag.KindAmount // "那邮费呢", "and the postage?": what it costs
	}
	if k != rag.KindOther || isQuestion(add) {
		if pk, subject := rag.WithoutKind(prev); pk != k && pk != rag.KindOther && subject != "" {
			prev = subject
		}
	}
	return prev + " " + add
}

// feeWord names what something costs, which a follow-up asks for
// without asking "how much" ("那邮费呢", "and the postage?").
var feeWord = nlutext.MustPattern(`(?i)\b(postage|fees?|costs?|charges?|price)\b|运费|邮费|快递费|费用|价格`)

// followUpWords is what a follow-up adds to the question it continues:
// the message without its opening acknowledgements and follow-up words,
// its closing 呢 and punctuation ("ok 那质量问题呢" → "质量问题", "and
// how long does it take?" → "how long does it take").
func followUpWords(msg string) string {
	t := openingCourtesy(msg)
	trim := func(s string) string {
		return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	}
	for changed := true; changed; {
		changed = false
		t = trim(t)
		low := strings.ToLower(t)
		for _, c := range leadWords {
			if !strings.HasPrefix(low, c) {
				continue
			}
			rest := t[len(c):]
			if r := []rune(rest); len(r) > 0 && !hasHan(c) && (unicode.IsLetter(r[0]) || unicode.IsDigit(r[0])) {
				continue // "and" is not in "android"
			}
			t, changed = rest, true
			break
		}
		if s, ok := strings.CutSuffix(t, "呢"); ok {
			t, changed = s, true
		}
	}
	return t
}

// leadWords open a follow-up without adding to it, longest first.
var leadWords = []string{"and what about", "what about", "how about", "and for", "and", "那么", "那", "还有"}

// openingCourtesy returns text without the acknowledgements and fillers
// it opens with ("ok 那质量问题呢" → "那质量问题呢", "so which is better" →
// "which is better"; flow.StripOpening).
func openingCourtesy(text string) string { return flow.StripOpening(text, flow.Ack|flow.Filler) }

// isShortish reports whether text is at most twice as long as isShort
// allows: a follow-up that points back ("is there any way to get in
// before that") says a little more.
func isShortish(text string) bool {
	rest := stripFollowUp(text, nil)
	if hasHan(rest) {
		return utf8.RuneCountInString(strings.ReplaceAll(rest, " ", "")) <= 24
	}
	return len(strings.Fields(rest)) <= 12
}

// follows reports whether the message comes right after a help-center
// answer and is short enough to follow it: the knowledge base then reads
// it in the answer's document when its own words fit that document as
// well as any (rag.SearchRequest.Follows). A message naming an order asks
// about that order; after a task's answer in between ("改好大概几号能发出来"
// after a size change) the help center's topic is no longer the one.
func (tr *turn) follows() bool {
	st := tr.st
	if st.Answered == 0 || st.Answered != st.Turns-1 {
		return false
	}
	return isShortish(openingCourtesy(tr.text)) && !tr.namesOrder()
}
