package gap

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/nlu/pii"
	"github.com/assistd/assist/rag"
)

// LowMargin is how far above the knowledge base's threshold an answer's
// confidence may be and still count as a low-confidence answer.
const LowMargin = 0.1

// Limits of what a gap stores.
const (
	maxQuestion = 500  // characters
	maxAnswer   = 2000 // characters of agents' answers
	maxPending  = 10000
)

// Knowledge retrieves from the knowledge base; *rag.Service implements
// it. The Recorder uses it to find low-confidence answers.
type Knowledge interface {
	Retrieve(ctx context.Context, req rag.SearchRequest) ([]rag.Hit, float64, error)
	Abstains(conf float64) bool
}

// Contacts gives the contact data a knowledge base's articles publish
// (the shop's own addresses); *rag.Service implements it.
type Contacts interface {
	PublicContacts(ctx context.Context, f rag.Filter) (*pii.Public, error)
}

// Recorder records gaps: see the package documentation. Store is
// required.
type Recorder struct {
	Store     Store
	Knowledge Knowledge        // nil: no low-confidence gaps
	Contacts  Contacts         // nil: an agent's reply is masked whole, the shop's addresses too
	KB        string           // "" is "help"
	Catalog   *catalog.Catalog // nil: catalog.Default()
	Logger    *slog.Logger
	Now       func() time.Time

	mu      sync.Mutex
	pending map[string][]candidate // by tenant/conversation: what the knowledge base declined this turn
	open    map[string]candidate   // by tenant/conversation: a question the bot asked to clarify, unanswered yet
	bg      sync.WaitGroup
}

type candidate struct {
	question, lang, bestDoc string
	conf                    float64
}

var (
	_ rag.GapRecorder       = (*Recorder)(nil)
	_ conversation.Observer = (*Recorder)(nil)
)

func (r *Recorder) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Logger
}

func (r *Recorder) now() time.Time {
	if r.Now != nil {
		return r.Now().UTC()
	}
	return time.Now().UTC()
}

func (r *Recorder) catalog() *catalog.Catalog {
	if r.Catalog == nil {
		return catalog.Default()
	}
	return r.Catalog
}

// RecordGap implements rag.GapRecorder: the knowledge base abstained on a
// question of a conversation. It is kept until the bot's turn ends, which
// decides whether the customer was really left without an answer (a flow
// may take the message as a slot instead). Questions outside a
// conversation (staff asking the knowledge base) are not customers' gaps.
func (r *Recorder) RecordGap(_ context.Context, g rag.Gap) error {
	if g.ConversationID == "" || g.TenantID == "" || strings.TrimSpace(g.Question) == "" {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pending == nil {
		r.pending = map[string][]candidate{}
	}
	if len(r.pending) >= maxPending {
		clear(r.pending) // turns that never ended (a crash): forget them
	}
	if len(r.open) >= maxPending {
		clear(r.open)
	}
	k := g.TenantID + "/" + g.ConversationID
	if len(r.pending[k]) < maxLookups {
		r.pending[k] = append(r.pending[k], candidate{question: g.Question, lang: g.Lang, bestDoc: g.BestDoc, conf: g.Confidence})
	}
	return nil
}

// maxLookups is the most declined look-ups kept of one turn.
const maxLookups = 8

// take returns what the knowledge base declined in the turn of the
// customer's message text: the last look-up that holds the message (the
// message itself, or with the topic it continues), else the message
// alone, without a look-up's best document and confidence, which belong
// to another question. A turn also looks up questions in the bot's own
// words (the help center's contact question, "how long does a refund to
// Alipay take"); those are not what the customer asked. A message without
// words (a photo) leaves the last look-up as the question.
func (r *Recorder) take(tenantID, convID, text string) (candidate, bool) {
	r.mu.Lock()
	cs := r.pending[tenantID+"/"+convID]
	delete(r.pending, tenantID+"/"+convID)
	r.mu.Unlock()
	if len(cs) == 0 {
		return candidate{}, false
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return cs[len(cs)-1], true
	}
	masked := pii.Mask(text)
	for i := len(cs) - 1; i >= 0; i-- {
		if q := cs[i].question; strings.Contains(q, text) || strings.Contains(q, masked) {
			return cs[i], true
		}
	}
	return candidate{question: text, lang: cs[len(cs)-1].lang}, true
}

// Observe implements conversation.Observer. After a bot turn it records
// a gap when the knowledge base declined and the turn fell back or handed
// off (not when a flow took the message), when a task the bot cannot do
// was answered from the help center, and when a question was answered
// with low confidence; a hand-off marks the conversation's gaps as
// escalated. An agent's message becomes the answer of the conversation's
// gaps. Small talk, order lookups and slot answers never reach a gap.
func (r *Recorder) Observe(ctx context.Context, o conversation.Observation) {
	c, m := o.Conversation, o.Message
	if c == nil || m == nil {
		return
	}
	switch {
	case o.Reply != nil && m.Author == assist.AuthorCustomer:
		r.turn(ctx, o)
	case m.Author == assist.AuthorAgent:
		if err := r.Store.AddAgentAnswer(ctx, c.TenantID, c.ID, clip(r.maskAnswer(ctx, c.TenantID, m.Text), maxAnswer), m.CreatedAt); err != nil {
			r.logger().WarnContext(ctx, "gap: agent answer not recorded", "tenant_id", c.TenantID, "conversation_id", c.ID, "err", err)
		}
	}
}

func (r *Recorder) turn(ctx context.Context, o conversation.Observation) {
	c, m, reply := o.Conversation, o.Message, o.Reply
	st := reply.State
	if st == nil {
		st = &dialog.State{}
	}
	intent := turnIntent(st)
	lang := st.Lang
	cand, declined := r.take(c.TenantID, c.ID, m.Text)
	if lang == "" {
		lang = cand.lang
	}
	g := &Gap{TenantID: c.TenantID, ConversationID: c.ID, MessageID: m.ID, Lang: lang, Intent: intent, At: m.CreatedAt}
	var answered *dialog.KnowledgeAnswer
	kind := r.catalog().KindOf(intent)
	switch {
	case declined && (st.Fallbacks > 0 || reply.Handoff != nil):
		g.Kind, g.Question, g.Confidence, g.BestDoc = KindDeclined, cand.question, cand.conf, cand.bestDoc
		if reply.Handoff != nil {
			g.Kind = KindEscalation
		}
	case !declined && reply.Handoff == nil && kind == catalog.Task && st.Flow == nil && cites(o.Replies, lang, r.catalog()):
		g.Kind, g.Question = KindFallback, m.Text
	case !declined && reply.Handoff == nil && kind == catalog.Knowledge && r.Knowledge != nil && reply.Knowledge != nil && cites(o.Replies, lang, r.catalog()):
		answered = reply.Knowledge // the answer says how sure it was: no second search
	case !declined && reply.Handoff == nil && kind == catalog.Knowledge && r.Knowledge != nil && cites(o.Replies, lang, r.catalog()):
		r.bg.Add(1)
		go func() {
			defer r.bg.Done()
			r.lowConfidence(context.WithoutCancel(ctx), g, m.Text)
		}()
	}
	// A question the bot only asked to clarify, or answered from the
	// help center: a gap if the customer's next message gives up and asks
	// for a person (the answer did not help); dropped once anything else
	// happens.
	k := c.TenantID + "/" + c.ID
	r.mu.Lock()
	open, wasOpen := r.open[k]
	delete(r.open, k)
	q := ""
	switch {
	case len(st.Clarify) > 0 && r.aboutKnowledge(st.Clarify):
		if q = st.Question; q == "" {
			q = m.Text
		}
	case g.Kind == "" && reply.Handoff == nil && st.Flow == nil && cites(o.Replies, lang, r.catalog()):
		q = m.Text
	case g.Kind == "" && reply.Handoff == nil && unanswered(m.Text, st, kind == catalog.Task):
		q = m.Text
	}
	if q != "" {
		if r.open == nil {
			r.open = map[string]candidate{}
		}
		r.open[k] = candidate{question: q, lang: lang}
	}
	r.mu.Unlock()
	if answered != nil {
		r.barelySure(g, m.Text, answered.Confidence, answered.Doc)
	}
	if g.Kind == "" && wasOpen && reply.Handoff != nil && missingKnowledge(reply.Handoff.Reason) {
		g.Kind, g.Question, g.Intent = KindEscalation, open.question, ""
	}
	if g.Kind != "" {
		r.add(ctx, g)
	}
	if reply.Handoff != nil {
		if err := r.Store.MarkEscalated(ctx, c.TenantID, c.ID); err != nil {
			r.logger().WarnContext(ctx, "gap: escalation not recorded", "tenant_id", c.TenantID, "conversation_id", c.ID, "err", err)
		}
	}
}

// kb is the knowledge base the gaps are about (KB, "help" when empty).
func (r *Recorder) kb() string {
	if r.KB == "" {
		return "help"
	}
	return r.KB
}

// Wait waits for the background low-confidence checks (tests, eval).
func (r *Recorder) Wait() { r.bg.Wait() }

// lowConfidence asks the knowledge base again how sure it was of a
// question it answered, and records a gap when it was barely sure.
func (r *Recorder) lowConfidence(ctx context.Context, g *Gap, question string) {
	hits, conf, err := r.Knowledge.Retrieve(ctx, rag.SearchRequest{Filter: rag.Filter{TenantID: g.TenantID, KB: r.kb()}, Question: question, Limit: 1})
	if err != nil {
		return
	}
	var doc string
	if len(hits) > 0 {
		doc = hits[0].Chunk.Doc
	}
	if r.barelySure(g, question, conf, doc) {
		r.add(ctx, g)
	}
}

// barelySure makes g a low-confidence gap when the knowledge base
// answered question with a confidence within LowMargin above its
// threshold, and reports whether it did.
func (r *Recorder) barelySure(g *Gap, question string, conf float64, doc string) bool {
	if r.Knowledge.Abstains(conf) || !r.Knowledge.Abstains(conf-LowMargin) {
		return false
	}
	g.Kind, g.Question, g.Confidence, g.BestDoc = KindLowConfidence, question, conf, doc
	return true
}

// maskAnswer masks the personal data of an agent's reply, keeping the
// contact data the tenant's articles publish (see pii.Public): "send your
// CV to jobs@shop.example" is the shop's address, which the answer
// published from the reply must give, where "[EMAIL_1]" keeps it from
// being published until a manager writes it back in. Without Contacts, or
// when they cannot be read, everything is masked.
func (r *Recorder) maskAnswer(ctx context.Context, tenantID, text string) string {
	if r.Contacts == nil {
		return pii.Mask(text)
	}
	pub, err := r.Contacts.PublicContacts(ctx, rag.Filter{TenantID: tenantID, KB: r.kb()})
	if err != nil {
		r.logger().WarnContext(ctx, "gap: the shop's contact data not read; the agent's reply is masked whole", "tenant_id", tenantID, "err", err)
		return pii.Mask(text)
	}
	return pub.Mask(text)
}

// add masks and stores a gap.
func (r *Recorder) add(ctx context.Context, g *Gap) {
	g.Question = clip(pii.Mask(g.Question), maxQuestion)
	if strings.TrimSpace(g.Question) == "" {
		return
	}
	g.ID = uuid.Must(uuid.NewV7()).String()
	if g.At.IsZero() {
		g.At = r.now()
	}
	if err := r.Store.AddGap(ctx, g); err != nil && assist.ErrorCode(err) != assist.ECONFLICT {
		r.logger().WarnContext(ctx, "gap not recorded", "tenant_id", g.TenantID, "conversation_id", g.ConversationID, "err", err)
	}
}

// Ratings a customer gives a bot message.
const (
	RatingUp   = "up"
	RatingDown = "down"
)

// Rate records a customer's thumbs on bot message bot of conversation c,
// whose question was q (nil: unknown); a thumbs-down records q as a gap.
// Errors: EINVALID for another rating or a message that is not the bot's,
// ECONFLICT when the message was rated already.
func (r *Recorder) Rate(ctx context.Context, c *assist.Conversation, bot, q *assist.Message, rating string) error {
	if rating != RatingUp && rating != RatingDown {
		return assist.Errorf(assist.EINVALID, "rating must be \"up\" or \"down\"")
	}
	if bot == nil || bot.Author != assist.AuthorBot || bot.ConversationID != c.ID {
		return assist.Errorf(assist.EINVALID, "only the bot's messages of this conversation can be rated")
	}
	if err := r.Store.Rate(ctx, c.TenantID, c.ID, bot.ID, rating, r.now()); err != nil {
		return err
	}
	if rating == RatingDown && q != nil {
		lang := dialog.Lang(dialog.Turn{Conversation: c, Message: q})
		r.add(ctx, &Gap{TenantID: c.TenantID, ConversationID: c.ID, MessageID: bot.ID, Kind: KindThumbsDown, Question: q.Text, Lang: lang, At: r.now()})
	}
	return nil
}

// unanswered reports whether the bot, which did not answer from the help
// center this turn, left a question unanswered: the customer asked how
// something is done ("How do I remove a saved bank card?") and the bot
// asked "X or Y?" between tasks, started one (asking to sign in, for an
// order number), took it for a task it did not start (task: the turn's
// intent is one; "How can I change the email address on my account?"
// answered "I can only change a delivery address for a signed-in
// customer") or said it cannot do it here; or, told the bot cannot do
// it, whether something can be done ("Can I get a fabric sample before I
// order?"); or, whatever the bot did with it as a task, a question of
// how things go at the shop in a task's words ("If I change the delivery
// address after paying, will it arrive later?" answered with a sign-in
// prompt; dialog.AsksHowThingsGo). A request to do something ("cancel my
// order", "can you cancel my order?") or a question about where one's own
// order stands ("has my parcel shipped?") is not a question of the help
// center.
func unanswered(text string, st *dialog.State, task bool) bool {
	took := len(st.Clarify) > 0 || st.Flow != nil || task
	switch rag.QuestionKind(text) {
	case rag.KindHowTo:
		return took || st.Offered == dialog.ReasonNoAutomation
	case rag.KindYesNo:
		if st.Offered == dialog.ReasonNoAutomation {
			return true
		}
	}
	return took && dialog.AsksHowThingsGo(text, st)
}

// aboutKnowledge: a clarification between intents of which one at least
// is not a task (choosing between two order tasks is no knowledge gap).
func (r *Recorder) aboutKnowledge(options []string) bool {
	for _, o := range options {
		if r.catalog().KindOf(o) != catalog.Task {
			return true
		}
	}
	return false
}

// missingKnowledge: hand-offs that say the bot lacked an answer (the
// customer asked for a person, it did not understand, or it cannot do
// it), not those for the customer's mood or a complaint.
func missingKnowledge(reason string) bool {
	switch reason {
	case dialog.ReasonCustomerRequest, dialog.ReasonNoAutomation, dialog.ReasonRepeatedFallback:
		return true
	}
	return false
}

// turnIntent is the intent the bot noted for its latest turn.
func turnIntent(st *dialog.State) string {
	if n := len(st.Intents); n > 0 && st.Intents[n-1].Turn == st.Turns {
		return st.Intents[n-1].Label
	}
	return ""
}

// cites reports whether a reply quotes the help center (its sources line).
func cites(replies []*assist.Message, lang string, cat *catalog.Catalog) bool {
	label := strings.TrimSpace(cat.Say(lang, "sources"))
	for _, m := range replies {
		if label != "" && strings.Contains(m.Text, label) {
			return true
		}
	}
	return false
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
