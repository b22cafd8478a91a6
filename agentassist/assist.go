package agentassist

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/nlu/pii"
	"github.com/assistd/assist/rag"
	"github.com/assistd/assist/sentiment"
)

// Sources of suggestions.
const (
	SourceKB      = "kb"      // the help center's extracted answer
	SourceMacro   = "macro"   // a saved reply for the intent
	SourceSimilar = "similar" // what an agent answered to a similar question
	SourceLLM     = "llm"     // a draft written by the LLM, after the others
)

// MaxSuggestions is how many reply suggestions a Set holds at most, and
// MaxPassages how many knowledge passages.
const (
	MaxSuggestions = 3
	MaxPassages    = 3
)

// Set is what the agent sees next to a conversation after a customer
// message.
type Set struct {
	ConversationID string       `json:"conversation_id"`
	MessageID      string       `json:"message_id"` // the customer message it answers; "" before any
	Lang           string       `json:"lang"`
	Intent         string       `json:"intent,omitempty"`
	At             time.Time    `json:"at"`
	Suggestions    []Suggestion `json:"suggestions"`
	Knowledge      []Passage    `json:"knowledge"`
	NextSteps      []Step       `json:"next_steps"`
	Alert          *Alert       `json:"alert,omitempty"`
	Summary        *Summary     `json:"summary,omitempty"`

	query  string // what the suggestions answer (the customer's problem)
	facts  string // the facts the saved replies were filled with
	reused bool   // the suggestions are the previous Set's: already recorded as shown
}

// Suggestion is one reply the agent may send as is or edit.
type Suggestion struct {
	ID             string    `json:"id"`
	Source         string    `json:"source"`
	Text           string    `json:"text"`
	Citation       *Citation `json:"citation,omitempty"`        // kb
	MacroID        string    `json:"macro_id,omitempty"`        // macro
	Missing        []string  `json:"missing,omitempty"`         // macro: variables left as {{name}}
	ConversationID string    `json:"conversation_id,omitempty"` // similar: where it was answered
	Question       string    `json:"question,omitempty"`        // similar: the question answered there
	Score          float64   `json:"score"`
}

// Citation is the knowledge-base source of a suggestion.
type Citation struct {
	N     int    `json:"n"`
	Doc   string `json:"doc"`
	Title string `json:"title"`
}

// Passage is a knowledge-base article relevant to the conversation, with
// its most relevant sentences.
type Passage struct {
	Doc     string  `json:"doc"`
	Title   string  `json:"title"`
	Passage string  `json:"passage"`
	Score   float64 `json:"score"`
}

// Conversations is what the service reads of conversations, on the
// tenant's behalf; *conversation.Service implements it.
type Conversations interface {
	Conversation(ctx context.Context, tenantID, id string) (*assist.Conversation, error)
	// State returns the conversation's dialog state (a zero State for
	// none).
	State(ctx context.Context, tenantID, id string) (*dialog.State, error)
	// History returns the conversation's messages in order.
	History(ctx context.Context, tenantID, id string) ([]*assist.Message, error)
}

// Knowledge retrieves from the knowledge base; *rag.Service implements it.
type Knowledge interface {
	Retrieve(ctx context.Context, req rag.SearchRequest) ([]rag.Hit, float64, error)
	// Abstains reports whether confidence conf is too low to answer.
	Abstains(conf float64) bool
}

// Notifier pushes a Set to the agent who owns the conversation.
type Notifier interface {
	Assist(tenantID, agentID string, s *Set)
}

// Service builds and keeps the agents' Sets. Conversations is required;
// every other dependency is optional and its part of the Set is left out
// without it.
type Service struct {
	Conversations Conversations
	Knowledge     Knowledge        // nil: no help-center suggestion or passages
	KB            string           // the knowledge base; "" is "help"
	Analyzer      rag.Analyzer     // the knowledge base's analyzer, to extract passages; nil: rag.Bigrams
	NLU           dialog.Parser    // nil: the intent is the last one the bot understood
	Sentiment     sentiment.Scorer // nil: the alert looks at the bot's trend only
	Rules         dialog.EscalationRules
	Macros        MacroStore    // nil: no saved replies
	Replies       *Replies      // nil: no "similar" suggestions
	Suggestions   SuggestionLog // nil: shown suggestions and agents' actions are not recorded
	Notifier      Notifier      // nil: Sets are kept for GET only
	Drafter       Drafter       // nil: no LLM draft
	Logger        *slog.Logger
	Now           func() time.Time

	mu     sync.Mutex
	latest map[string]*Set             // by tenant/conversation
	trends map[string]*sentiment.Trend // the customer's trend since people took over
	order  []string                    // keys in insertion order, to bound the maps
}

// maxKept bounds how many conversations' Sets are kept in memory.
const maxKept = 10000

func (s *Service) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) kb() string {
	if s.KB == "" {
		return "help"
	}
	return s.KB
}

func (s *Service) analyzer() rag.Analyzer {
	if s.Analyzer == nil {
		return rag.Bigrams{}
	}
	return s.Analyzer
}

func key(tenantID, convID string) string { return tenantID + "/" + convID }

// Latest returns the conversation's current Set: the one built for its
// newest customer message, built now when there is none yet.
func (s *Service) Latest(ctx context.Context, tenantID, convID string) (*Set, error) {
	s.mu.Lock()
	set := s.latest[key(tenantID, convID)]
	s.mu.Unlock()
	if set != nil {
		return set, nil
	}
	return s.Refresh(ctx, tenantID, convID)
}

// Refresh builds the Set for the conversation's newest customer message
// and keeps it.
func (s *Service) Refresh(ctx context.Context, tenantID, convID string) (*Set, error) {
	c, err := s.Conversations.Conversation(ctx, tenantID, convID)
	if err != nil {
		return nil, err
	}
	hist, err := s.Conversations.History(ctx, tenantID, convID)
	if err != nil {
		return nil, fmt.Errorf("assist %s: %w", convID, err)
	}
	var last *assist.Message
	for i := len(hist) - 1; i >= 0; i-- {
		if hist[i].Author == assist.AuthorCustomer {
			last = hist[i]
			break
		}
	}
	return s.build(ctx, c, last, hist)
}

// Build builds, keeps and returns the Set for customer message m of
// conversation c (m nil: the conversation as it stands).
func (s *Service) Build(ctx context.Context, c *assist.Conversation, m *assist.Message) (*Set, error) {
	hist, err := s.Conversations.History(ctx, c.TenantID, c.ID)
	if err != nil {
		return nil, fmt.Errorf("assist %s: %w", c.ID, err)
	}
	return s.build(ctx, c, m, hist)
}

func (s *Service) build(ctx context.Context, c *assist.Conversation, m *assist.Message, hist []*assist.Message) (*Set, error) {
	st, err := s.Conversations.State(ctx, c.TenantID, c.ID)
	if err != nil {
		return nil, fmt.Errorf("assist %s: %w", c.ID, err)
	}
	if st == nil {
		st = &dialog.State{}
	}
	lang := st.Lang
	if lang == "" {
		lang = dialog.Lang(dialog.Turn{Conversation: c, Message: m})
	}
	lang = catalog.Lang(lang)
	set := &Set{ConversationID: c.ID, Lang: lang, At: s.now(), Suggestions: []Suggestion{}, Knowledge: []Passage{}, NextSteps: []Step{}}
	if st.Escalation != nil {
		set.Summary = s.summarize(ctx, c, st, hist, lang)
	}
	facts := factsOf(st)
	prob := s.readProblem(ctx, hist, m)
	for k, v := range prob.Entities {
		facts[k] = v
	}
	intent := prob.Intent
	if intent == "" {
		intent = lastIntent(st)
	}
	if m != nil {
		set.MessageID = m.ID
		set.Alert = s.alert(ctx, c, st, m, lang)
	}
	set.Intent = intent
	// What the suggestions answer: the customer's problem in their words,
	// else the intent in words.
	set.query = prob.Text
	if set.query == "" && intent != "" {
		set.query = dialog.DisplayName(intent, lang)
	}
	set.facts = factsKey(facts)
	if prev := s.kept(c.TenantID, c.ID); prev != nil && prev.query == set.query && prev.Intent == intent && prev.facts == set.facts {
		// Nothing new to answer ("thanks", "any news?"): the same help.
		set.Suggestions, set.Knowledge, set.reused = prev.Suggestions, prev.Knowledge, true
		set.NextSteps = nextSteps(intent, st, facts, lang, len(set.Knowledge) > 0)
		s.keep(c.TenantID, set)
		return set, nil
	}
	if set.query != "" {
		s.addKnowledge(ctx, c, set, set.query)
		s.addMacro(ctx, c, set, intent, facts, lang)
		s.addSimilar(set, c.TenantID, set.query, lang)
	}
	set.Suggestions = distinct(set.Suggestions)
	sort.SliceStable(set.Suggestions, func(i, j int) bool { return set.Suggestions[i].Score > set.Suggestions[j].Score })
	if len(set.Suggestions) > MaxSuggestions {
		set.Suggestions = set.Suggestions[:MaxSuggestions]
	}
	for i := range set.Suggestions {
		set.Suggestions[i].ID = suggestionID(set.MessageID, set.Suggestions[i])
	}
	set.NextSteps = nextSteps(intent, st, facts, lang, len(set.Knowledge) > 0)
	s.keep(c.TenantID, set)
	// Every Set is shown to an agent (pushed, or answered on GET for a
	// conversation claimed after the customer wrote), so what they do
	// with its suggestions can be recorded.
	s.record(ctx, c.TenantID, set)
	return set, nil
}

// suggestionID names a suggestion: stable for the same message and
// source, so a Set built again keeps its ids.
func suggestionID(messageID string, sg Suggestion) string {
	ref := ""
	switch sg.Source {
	case SourceKB:
		if sg.Citation != nil {
			ref = sg.Citation.Doc
		}
	case SourceMacro:
		ref = sg.MacroID
	case SourceSimilar:
		ref = sg.ConversationID
	}
	return messageID + ":" + sg.Source + ":" + ref
}

func factsKey(facts map[string]string) string {
	var b strings.Builder
	for _, k := range sortedKeys(facts) {
		b.WriteString(k + "=" + facts[k] + "\n")
	}
	return b.String()
}

// kept returns the conversation's kept Set, or nil.
func (s *Service) kept(tenantID, convID string) *Set {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latest[key(tenantID, convID)]
}

// distinct drops suggestions that say what a better one already says
// (the help center's answer an agent sent as is comes back as "similar").
func distinct(sgs []Suggestion) []Suggestion {
	sort.SliceStable(sgs, func(i, j int) bool { return sgs[i].Score > sgs[j].Score })
	seen := map[string]bool{}
	out := sgs[:0]
	for _, sg := range sgs {
		k := strings.ToLower(strings.Join(strings.Fields(sg.Text), " "))
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, sg)
	}
	return out
}

// forPerson reports whether a text tells the customer how to reach a
// person: useless to the agent, who is that person.
func forPerson(texts ...string) bool {
	for _, t := range texts {
		if dialog.AskedForHuman(t) != "" {
			return true
		}
	}
	return false
}

func (s *Service) keep(tenantID string, set *Set) {
	k := key(tenantID, set.ConversationID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.latest == nil {
		s.latest = map[string]*Set{}
	}
	if _, ok := s.latest[k]; !ok {
		s.order = append(s.order, k)
	}
	s.latest[k] = set
	for len(s.order) > maxKept {
		old := s.order[0]
		s.order = s.order[1:]
		delete(s.latest, old)
		delete(s.trends, old)
	}
}

// Forget drops what is kept of a conversation (it closed or went back to
// the bot).
func (s *Service) Forget(tenantID, convID string) {
	k := key(tenantID, convID)
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.latest, k)
	delete(s.trends, k)
}

// addKnowledge adds the help center's answer (when it is confident) and
// the best passages.
func (s *Service) addKnowledge(ctx context.Context, c *assist.Conversation, set *Set, question string) {
	if s.Knowledge == nil {
		return
	}
	// in the customer's language first: the agent answers in it
	req := rag.SearchRequest{Filter: rag.Filter{TenantID: c.TenantID, KB: s.kb(), Lang: set.Lang}, Question: question, Limit: 2 * MaxPassages}
	hits, conf, err := s.Knowledge.Retrieve(ctx, req)
	if err == nil && len(hits) == 0 {
		req.Filter.Lang = ""
		hits, conf, err = s.Knowledge.Retrieve(ctx, req)
	}
	if err != nil {
		if assist.ErrorCode(err) != assist.ENOTFOUND && assist.ErrorCode(err) != assist.EINVALID {
			s.logger().WarnContext(ctx, "assist: knowledge base unavailable", "tenant_id", c.TenantID, "conversation_id", c.ID, "err", err)
		}
		return
	}
	seen := map[string]bool{}
	var best *rag.Chunk
	score := conf
	for i, h := range hits {
		text := s.passage(h.Chunk, question)
		if forPerson(text, h.Chunk.Question, strings.Join(h.Chunk.HeadingPath, " ")) {
			continue // how to reach a person: the agent is that person
		}
		if best == nil {
			// the best hit about something else than reaching a person,
			// its confidence scaled by how far below the top it ranks
			best = &hits[i].Chunk
			if i > 0 && hits[0].Score > 0 {
				score = conf * h.Score / hits[0].Score
			}
		}
		if seen[h.Chunk.Doc] || len(set.Knowledge) == MaxPassages {
			continue
		}
		seen[h.Chunk.Doc] = true
		set.Knowledge = append(set.Knowledge, Passage{Doc: h.Chunk.Doc, Title: h.Chunk.Title, Passage: text, Score: h.Score})
	}
	if best == nil || s.Knowledge.Abstains(score) {
		return
	}
	text := best.Answer
	if text == "" {
		text = s.passage(*best, question)
	}
	set.Suggestions = append(set.Suggestions, Suggestion{Source: SourceKB, Text: text, Score: score,
		Citation: &Citation{N: 1, Doc: best.Doc, Title: best.Title}})
}

// passage is a chunk's FAQ answer, or its two sentences that best match
// the question.
func (s *Service) passage(ch rag.Chunk, question string) string {
	if ch.Answer != "" {
		return ch.Answer
	}
	return rag.Trim(ch.Text, question, s.analyzer(), 2)
}

func (s *Service) addSimilar(set *Set, tenantID, question, lang string) {
	if s.Replies == nil {
		return
	}
	for _, p := range s.Replies.Nearest(tenantID, set.ConversationID, pii.Mask(question), lang, 2) {
		if forPerson(p.Answer) {
			continue
		}
		set.Suggestions = append(set.Suggestions, Suggestion{Source: SourceSimilar, Text: p.Answer, ConversationID: p.ConversationID,
			Question: p.Question, Score: p.Score})
		return
	}
}

// lastIntent is the newest task or question intent the bot noted.
func lastIntent(st *dialog.State) string {
	for i := len(st.Intents) - 1; i >= 0; i-- {
		if l := st.Intents[i].Label; !isSmallTalk(l) && l != "human_agent" {
			return l
		}
	}
	if st.Escalation != nil && st.Escalation.Evidence["intent"] != "human_agent" {
		return st.Escalation.Evidence["intent"]
	}
	return ""
}

func isSmallTalk(label string) bool {
	switch label {
	case "greeting", "goodbye", "thanks", "":
		return true
	}
	return false
}

// facts are the entities worth showing an agent and filling into saved
// replies: never contact details.
var factTypes = []string{"order_id", "tracking_number", "product", "amount", "date"}

func isFact(t string) bool {
	for _, f := range factTypes {
		if f == t {
			return true
		}
	}
	return false
}

// factsOf collects the conversation's known facts: the flow's slots, then
// the last entities seen.
func factsOf(st *dialog.State) map[string]string {
	out := map[string]string{}
	for k, v := range st.Entities {
		if isFact(k) && strings.TrimSpace(v) != "" {
			out[k] = v
		}
	}
	if st.Flow != nil {
		for k, v := range st.Flow.Slots {
			if isFact(k) && strings.TrimSpace(v) != "" {
				out[k] = v
			}
		}
	}
	return out
}
