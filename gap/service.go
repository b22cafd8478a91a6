package gap

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/nlu/pii"
	"github.com/assistd/assist/rag"
)

// DefaultThreshold is the cosine at or above which a gap joins a
// cluster. Measured on the gap replay's development file, all 72
// questions clustered: 0.35 → 67 clusters, purity 1.00, completeness
// 0.40; 0.12 → 46 clusters, purity 0.97, completeness 0.67; 0.05 → 30,
// purity 0.82. A wrong merge hides a question, a missed one only repeats
// it: the highest completeness with purity at least 0.97.
const DefaultThreshold = 0.12

// Publisher adds documents to the knowledge base and indexes them;
// *rag.Service implements it.
type Publisher interface {
	Ingest(ctx context.Context, doc rag.Document) (int, error)
}

// Service builds the gap report and runs the review. Store is required.
type Service struct {
	Store        Store
	Publisher    Publisher // nil: Publish is EUNAVAILABLE
	KB           string    // the knowledge base published to; "" is "help"
	TrainingData string    // JSON Lines file published questions are appended to; "": none
	Threshold    float64   // 0: DefaultThreshold
	// Drafter, when set, writes the proposed answer of a cluster (one
	// cluster at a time: Get, Accept, Publish) from the agents' replies;
	// nil: the most agreed reply is proposed as written.
	Drafter Drafter
	// Catalog names the intents a cluster may be labelled with (what the
	// model trains on); nil: catalog.Default().
	Catalog *catalog.Catalog
	Logger  *slog.Logger
	Now     func() time.Time

	mu     sync.Mutex        // one clustering or review at a time
	drafts map[string]string // LLM drafts by cluster and size
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

func (s *Service) threshold() float64 {
	if s.Threshold > 0 {
		return s.Threshold
	}
	return DefaultThreshold
}

// Report clusters the tenant's new gaps and returns the clusters of a
// status ("" all), ranked by score (volume, escalations caused,
// thumbs-down, recency), at most limit (0: all).
func (s *Service) Report(ctx context.Context, tenantID string, status Status, limit int) ([]*Cluster, error) {
	if status != "" && !status.Valid() {
		return nil, assist.Errorf(assist.EINVALID, "status must be open, accepted, published or dismissed")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, _, err := s.refresh(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	out := []*Cluster{}
	for _, c := range cs {
		if (status == "" || c.Status == status) && c.Size > 0 {
			c.Gaps = nil
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].LastSeen.After(out[j].LastSeen)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Get returns one cluster with its gaps. Errors: ENOTFOUND.
func (s *Service) Get(ctx context.Context, tenantID, id string) (*Cluster, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, _, err := s.refresh(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.ID == id {
			if d := s.draftAnswer(ctx, c); d != "" {
				c.ProposedAnswer = d
			}
			return c, nil
		}
	}
	return nil, assist.Errorf(assist.ENOTFOUND, "no gap cluster %q", id)
}

// refresh puts unclustered gaps into clusters and returns every cluster
// with its gaps and figures.
func (s *Service) refresh(ctx context.Context, tenantID string) ([]*Cluster, map[string]Vector, error) {
	gaps, err := s.Store.Gaps(ctx, tenantID, Filter{})
	if err != nil {
		return nil, nil, err
	}
	stored, err := s.Store.Clusters(ctx, tenantID)
	if err != nil {
		return nil, nil, err
	}
	raw := make([]Vector, len(gaps))
	for i, g := range gaps {
		raw[i] = Features(g.Question)
	}
	corpus := NewCorpus(raw)
	vecs := map[string]Vector{}
	for i, g := range gaps {
		vecs[g.ID] = corpus.Weigh(raw[i])
	}
	byID := map[string]*Cluster{}
	for _, c := range stored {
		byID[c.ID] = c
	}
	// Centroids of the clusters still open to new gaps.
	centroid := map[string]Vector{}
	for _, g := range gaps {
		if c := byID[g.ClusterID]; c != nil && (c.Status == StatusOpen || c.Status == StatusAccepted) {
			centroid[c.ID] = addTo(centroid[c.ID], vecs[g.ID])
		}
	}
	// The agents' answers of the clusters open to new gaps (see
	// disagree).
	answers := answerVectors(gaps)
	answered := map[string]Vector{}
	for _, g := range gaps {
		if c := byID[g.ClusterID]; c != nil && (c.Status == StatusOpen || c.Status == StatusAccepted) && answers[g.ID] != nil {
			answered[c.ID] = addTo(answered[c.ID], answers[g.ID])
		}
	}
	assigned := map[string][]string{}
	var created []*Cluster
	for i := range gaps {
		g := &gaps[i]
		if g.ClusterID != "" && byID[g.ClusterID] != nil {
			continue
		}
		best, ok := nearest(centroid, vecs[g.ID], s.threshold(), func(id string) bool {
			return !disagree(answers[g.ID], answered[id])
		})
		if !ok {
			now := s.now()
			c := &Cluster{ID: uuid.Must(uuid.NewV7()).String(), TenantID: tenantID, Status: StatusOpen, Lang: g.Lang, Intent: g.Intent,
				Variants: []string{}, CreatedAt: now, UpdatedAt: now}
			byID[c.ID] = c
			created = append(created, c)
			best = c.ID
		}
		g.ClusterID = best
		centroid[best] = addTo(centroid[best], vecs[g.ID])
		if answers[g.ID] != nil {
			answered[best] = addTo(answered[best], answers[g.ID])
		}
		assigned[best] = append(assigned[best], g.ID)
	}
	for _, c := range created {
		if err := s.Store.PutCluster(ctx, c); err != nil {
			return nil, nil, err
		}
	}
	for id, ids := range assigned {
		if err := s.Store.SetCluster(ctx, tenantID, id, ids); err != nil {
			return nil, nil, err
		}
	}
	members := map[string][]Gap{}
	for _, g := range gaps {
		members[g.ClusterID] = append(members[g.ClusterID], g)
	}
	out := make([]*Cluster, 0, len(byID))
	for _, c := range byID {
		s.figures(c, members[c.ID], vecs)
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, vecs, nil
}

// nearest returns the centroid most like v among those accept takes (nil:
// all), if its cosine reaches threshold: the one rule that puts a question
// in a cluster.
func nearest(centroids map[string]Vector, v Vector, threshold float64, accept func(id string) bool) (string, bool) {
	best, bestSim := "", 0.0
	for id, cv := range centroids {
		if accept != nil && !accept(id) {
			continue
		}
		if sim := Cosine(v, cv); sim > bestSim || sim == bestSim && id < best {
			best, bestSim = id, sim
		}
	}
	return best, best != "" && bestSim >= threshold
}

// disagree reports whether a gap's agent answer a (nil: none yet, or too
// short to tell) and a cluster's answers c (nil: none) say different
// things (rag.SameAnswer): a question whose agent answered otherwise than
// the agents of a cluster's questions does not join it, however alike the
// questions ("Do you have a refer-a-friend program?" and "I'm sending
// this to a friend, can you leave the price off?" share "friend"; "Can you
// engrave the FitPulse watch?" and "Can I swim with the FitPulse watch?"
// its name).
func disagree(a, c Vector) bool {
	return a != nil && c != nil && !rag.SameAnswer(a, c)
}

// answerVectors are the TF-IDF vectors of the gaps' agent answers of at
// least minAnswer characters, by gap id.
func answerVectors(gaps []Gap) map[string]Vector {
	raw := map[string]Vector{}
	var all []Vector
	for _, g := range gaps {
		a := strings.TrimSpace(g.AgentAnswer)
		if utf8.RuneCountInString(a) < minAnswer {
			continue
		}
		raw[g.ID] = Features(a)
		all = append(all, raw[g.ID])
	}
	corpus := NewCorpus(all)
	out := make(map[string]Vector, len(raw))
	for id, v := range raw {
		out[id] = corpus.Weigh(v)
	}
	return out
}

// Group clusters questions in order as the report does (threshold 0:
// DefaultThreshold) and returns each question's cluster number, from 0.
// The gap replay measures the clustering with it.
func Group(questions []string, threshold float64) []int {
	if threshold <= 0 {
		threshold = DefaultThreshold
	}
	raw := make([]Vector, len(questions))
	for i, q := range questions {
		raw[i] = Features(q)
	}
	corpus := NewCorpus(raw)
	centroids := map[string]Vector{}
	out := make([]int, len(questions))
	for i := range questions {
		v := corpus.Weigh(raw[i])
		id, ok := nearest(centroids, v, threshold, nil)
		if !ok {
			id = fmt.Sprintf("%06d", len(centroids))
		}
		centroids[id] = addTo(centroids[id], v)
		n, _ := strconv.Atoi(id)
		out[i] = n
	}
	return out
}

func addTo(a, b Vector) Vector {
	if a == nil {
		a = Vector{}
	}
	for f, w := range b {
		a[f] += w
	}
	return a
}

// figures fills a cluster's report fields from its gaps.
func (s *Service) figures(c *Cluster, gaps []Gap, vecs map[string]Vector) {
	c.Gaps = gaps
	c.Size = len(gaps)
	c.Escalations, c.ThumbsDown = 0, 0
	langs := map[string]bool{}
	intents := map[string]int{}
	for i, g := range gaps {
		if g.Escalated || g.Kind == KindEscalation {
			c.Escalations++
		}
		if g.Kind == KindThumbsDown {
			c.ThumbsDown++
		}
		if i == 0 || g.At.Before(c.FirstSeen) {
			c.FirstSeen = g.At
		}
		if g.At.After(c.LastSeen) {
			c.LastSeen = g.At
		}
		langs[g.Lang] = true
		if g.Intent != "" && g.Intent != nlu.OutOfScope {
			intents[g.Intent]++
		}
	}
	if len(langs) > 1 {
		c.Lang = "mixed"
	}
	if c.Intent == "" || c.Intent == nlu.OutOfScope {
		best := 0
		for in, n := range intents {
			if n > best || n == best && in < c.Intent {
				c.Intent, best = in, n
			}
		}
	}
	c.Questions = representatives(gaps, vecs, 3)
	c.ProposedAnswer = proposeAnswer(gaps, c.Questions)
	c.AgentReplies = agentReplies(gaps)
	if c.Variants == nil {
		c.Variants = []string{}
	}
	age := s.now().Sub(c.LastSeen).Hours() / 24
	c.Score = float64(c.Size) + 2*float64(c.Escalations) + float64(c.ThumbsDown) + 3*math.Exp(-max(age, 0)/7)
	c.Score = math.Round(c.Score*1000) / 1000
}

// representatives returns up to n distinct questions of the gaps, the
// most typical (closest to the others) first.
func representatives(gaps []Gap, vecs map[string]Vector, n int) []string {
	type scored struct {
		q     string
		score float64
	}
	var ss []scored
	seen := map[string]bool{}
	for _, g := range gaps {
		if seen[g.Question] {
			continue
		}
		seen[g.Question] = true
		var sum float64
		for _, o := range gaps {
			if o.ID != g.ID {
				sum += Cosine(vecs[g.ID], vecs[o.ID])
			}
		}
		ss = append(ss, scored{g.Question, sum})
	}
	sort.SliceStable(ss, func(i, j int) bool { return ss[i].score > ss[j].score })
	out := []string{}
	for _, s := range ss {
		if len(out) == n {
			break
		}
		out = append(out, s.q)
	}
	return out
}

// minAnswer is the length below which an agent's message ("Hi, let me
// check") is not proposed while a longer one exists.
const minAnswer = 20

// MaxAgentReplies is how many of the agents' replies a cluster lists for
// reference.
const MaxAgentReplies = 5

// minCoverage is the share of a question's words (English stems, Chinese
// bigrams) that a reply must contain to count as an answer to it: "运费多少钱？"
// is answered by a reply about 运费, not by "在聊天窗口中输入「转人工」…" (how to
// reach a person) that an agent happened to send. Answers rarely repeat
// the question: "我们不代订机票…" answers "帮我订一张下周五去东京的机票" with one
// shared bigram of thirteen, so one word in about twelve is enough (0.2 lost
// that cluster in the replay test).
const minCoverage = 0.07

// agentMessages returns the agents' messages after the gaps, in order.
func agentMessages(gaps []Gap) []string {
	var msgs []string
	for _, g := range gaps {
		for _, m := range strings.Split(g.AgentAnswer, "\n\n") {
			if m = strings.TrimSpace(m); m != "" {
				msgs = append(msgs, m)
			}
		}
	}
	return msgs
}

// agentReplies returns the distinct agents' messages, at most
// MaxAgentReplies, for the reviewer to read.
func agentReplies(gaps []Gap) []string {
	out := []string{}
	for _, m := range agentMessages(gaps) {
		if len(out) == MaxAgentReplies {
			break
		}
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// answers reports whether reply is about one of the questions: it
// contains at least minCoverage of that question's words.
func answers(reply string, questions []string) bool {
	r := Features(reply)
	for _, q := range questions {
		var in, all float64
		for f, w := range Features(q) {
			all += w
			if r[f] > 0 {
				in += w
			}
		}
		if all > 0 && in/all >= minCoverage {
			return true
		}
	}
	return false
}

// proposeAnswer picks, among the agents' messages after the cluster's
// gaps that answer its questions, the one most like the others (what
// agents agree on), longer ones first among equals; "" when none does.
func proposeAnswer(gaps []Gap, questions []string) string {
	msgs := slices.DeleteFunc(agentMessages(gaps), func(m string) bool { return !answers(m, questions) })
	if len(msgs) == 0 {
		return ""
	}
	long := slices.DeleteFunc(slices.Clone(msgs), func(m string) bool { return utf8.RuneCountInString(m) < minAnswer })
	if len(long) > 0 {
		msgs = long
	}
	raw := make([]Vector, len(msgs))
	for i, m := range msgs {
		raw[i] = Features(m)
	}
	corpus := NewCorpus(raw)
	vs := make([]Vector, len(msgs))
	for i := range raw {
		vs[i] = corpus.Weigh(raw[i])
	}
	best, bestScore := 0, -1.0
	for i := range msgs {
		var sum float64
		for j := range msgs {
			if i != j {
				sum += Cosine(vs[i], vs[j])
			}
		}
		sum += math.Min(float64(utf8.RuneCountInString(msgs[i]))/400, 0.5)
		if sum > bestScore {
			best, bestScore = i, sum
		}
	}
	return msgs[best]
}

// Edit is a knowledge manager's change to a cluster; nil fields stay.
type Edit struct {
	Question *string   `json:"question,omitempty"`
	Variants *[]string `json:"variants,omitempty"`
	Answer   *string   `json:"answer,omitempty"`
	Intent   *string   `json:"intent,omitempty"`
}

// Limits of an edit.
const (
	MaxQuestion = 500
	MaxAnswer   = 4000
	MaxVariants = 30
)

// Accept applies an edit (possibly empty: approving as proposed) and
// marks the cluster accepted by who. Errors: ENOTFOUND, ECONFLICT for a
// published or dismissed cluster, EINVALID for an edit out of bounds.
func (s *Service) Accept(ctx context.Context, tenantID, id, by string, e Edit) (*Cluster, error) {
	if e.Question != nil && (utf8.RuneCountInString(*e.Question) > MaxQuestion || !utf8.ValidString(*e.Question)) {
		return nil, assist.Errorf(assist.EINVALID, "question must be valid UTF-8 of at most %d characters", MaxQuestion)
	}
	if e.Answer != nil && (utf8.RuneCountInString(*e.Answer) > MaxAnswer || !utf8.ValidString(*e.Answer)) {
		return nil, assist.Errorf(assist.EINVALID, "answer must be valid UTF-8 of at most %d characters", MaxAnswer)
	}
	if e.Variants != nil && len(*e.Variants) > MaxVariants {
		return nil, assist.Errorf(assist.EINVALID, "at most %d variants", MaxVariants)
	}
	if e.Intent != nil {
		if err := s.checkIntent(strings.TrimSpace(*e.Intent)); err != nil {
			return nil, err
		}
	}
	c, err := s.Get(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	if c.Status == StatusPublished || c.Status == StatusDismissed {
		return nil, assist.Errorf(assist.ECONFLICT, "the cluster is %s", c.Status)
	}
	if e.Question != nil {
		c.Question = strings.TrimSpace(pii.Mask(*e.Question))
	}
	if e.Answer != nil {
		c.Answer = strings.TrimSpace(*e.Answer)
	}
	if e.Intent != nil {
		c.Intent = strings.TrimSpace(*e.Intent)
	}
	if e.Variants != nil {
		c.Variants = []string{}
		for _, v := range *e.Variants {
			if v = strings.TrimSpace(pii.Mask(v)); v != "" && utf8.RuneCountInString(v) <= MaxQuestion && !slices.Contains(c.Variants, v) {
				c.Variants = append(c.Variants, v)
			}
		}
	}
	if c.Question == "" && len(c.Questions) > 0 {
		c.Question = c.Questions[0]
	}
	if c.Answer == "" {
		c.Answer = c.ProposedAnswer
	}
	now := s.now()
	c.Status, c.ReviewedBy, c.ReviewedAt, c.UpdatedAt = StatusAccepted, by, now, now
	if err := s.Store.PutCluster(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// Dismiss closes a cluster without publishing it (not a gap, or not
// worth an answer). Errors: ENOTFOUND, ECONFLICT when published.
func (s *Service) Dismiss(ctx context.Context, tenantID, id, by, note string) (*Cluster, error) {
	if utf8.RuneCountInString(note) > 1000 {
		return nil, assist.Errorf(assist.EINVALID, "note is longer than 1000 characters")
	}
	c, err := s.Get(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	if c.Status == StatusPublished {
		return nil, assist.Errorf(assist.ECONFLICT, "the cluster is published")
	}
	now := s.now()
	c.Status, c.Note, c.ReviewedBy, c.ReviewedAt, c.UpdatedAt = StatusDismissed, strings.TrimSpace(note), by, now, now
	if err := s.Store.PutCluster(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// Published is what publishing a cluster did.
type Published struct {
	Cluster  *Cluster `json:"cluster"`
	Doc      string   `json:"doc"`
	Entries  int      `json:"entries"`  // FAQ entries indexed: one per question variant
	Training int      `json:"training"` // questions appended to the training data
}

// Publish turns a cluster into an FAQ document of the knowledge base
// (one entry per question variant: its question, its variants and the
// cluster's questions, with the accepted or proposed answer), indexes it,
// and appends the questions, labelled with the cluster's intent, to the
// training data (when it has an intent the model knows, other than out of
// scope). Errors: ENOTFOUND; ECONFLICT when published or dismissed;
// EINVALID without an answer or with one that still holds a masked
// value's placeholder; EUNAVAILABLE without a knowledge base.
func (s *Service) Publish(ctx context.Context, tenantID, id, by string) (*Published, error) {
	if s.Publisher == nil {
		return nil, assist.Errorf(assist.EUNAVAILABLE, "no knowledge base to publish to")
	}
	c, err := s.Get(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	if c.Status == StatusPublished || c.Status == StatusDismissed {
		return nil, assist.Errorf(assist.ECONFLICT, "the cluster is %s", c.Status)
	}
	answer := c.Answer
	if answer == "" {
		answer = c.ProposedAnswer
	}
	if strings.TrimSpace(answer) == "" {
		return nil, assist.Errorf(assist.EINVALID, "the cluster has no answer to publish: write one first")
	}
	if ph := pii.Placeholders(answer); len(ph) > 0 {
		// The answer came from an agent's reply, masked when it was
		// recorded; published as it is, customers would read "[EMAIL_1]".
		return nil, assist.Errorf(assist.EINVALID, "the answer holds %s where a masked value was: write the real text in with an edit first", strings.Join(ph, ", "))
	}
	if err := s.checkIntent(c.Intent); err != nil {
		return nil, err // labelled before the check: fix it with an edit
	}
	questions := publishedQuestions(c)
	if len(questions) == 0 {
		// Every question is a customer's, masked when recorded, each
		// sentence holding a placeholder: customers would read "[PHONE_1]"
		// as the FAQ entry's question.
		var ph []string
		qs := append(append([]string{c.Question}, c.Variants...), c.Questions...)
		for _, g := range c.Gaps {
			qs = append(qs, g.Question)
		}
		for _, q := range qs {
			for _, p := range pii.Placeholders(q) {
				if !slices.Contains(ph, p) {
					ph = append(ph, p)
				}
			}
		}
		return nil, assist.Errorf(assist.EINVALID, "every question of the cluster holds a masked value (%s): write the question in with an edit first", strings.Join(ph, ", "))
	}
	doc := rag.Document{DocKey: rag.DocKey{TenantID: tenantID, KB: s.kb(), Doc: "gap-" + c.ID}, Title: questions[0],
		Source: rag.PublishedSource, UpdatedAt: s.now()}
	if c.Lang == "zh" || c.Lang == "en" {
		doc.Lang = c.Lang
	}
	for _, q := range questions {
		doc.Chunks = append(doc.Chunks, rag.Chunk{Question: q, Answer: answer, Text: answer})
	}
	n, err := s.Publisher.Ingest(ctx, doc)
	if err != nil {
		return nil, fmt.Errorf("publish gap %s: %w", c.ID, err)
	}
	trained := 0
	if s.TrainingData != "" && c.Intent != "" && c.Intent != nlu.OutOfScope {
		if trained, err = s.appendTraining(questions, c); err != nil {
			return nil, err
		}
	}
	now := s.now()
	c.Question, c.Answer, c.Status, c.PublishedDoc = questions[0], answer, StatusPublished, doc.Doc
	c.ReviewedBy, c.ReviewedAt, c.UpdatedAt = by, now, now
	if err := s.Store.PutCluster(ctx, c); err != nil {
		return nil, err
	}
	return &Published{Cluster: c, Doc: doc.Doc, Entries: n, Training: trained}, nil
}

// unmaskedSentences is q without its sentences that hold a placeholder.
func unmaskedSentences(q string) string {
	if len(pii.Placeholders(q)) == 0 {
		return q
	}
	var kept []string
	for _, s := range rag.Sentences(q) {
		if len(pii.Placeholders(s)) == 0 {
			kept = append(kept, s)
		}
	}
	return strings.Join(kept, " ")
}

// checkIntent refuses an intent label the catalogue does not have: it
// would be written into the training data and become a junk class at the
// next training run. "" (no intent) is allowed.
func (s *Service) checkIntent(label string) error {
	if label == "" {
		return nil
	}
	cat := s.Catalog
	if cat == nil {
		cat = catalog.Default()
	}
	if _, ok := cat.Intent(label); !ok {
		return assist.Errorf(assist.EINVALID, "intent %q is not in the intent catalogue (one of: %s)", label, strings.Join(cat.Labels(), ", "))
	}
	return nil
}

// publishedQuestions: the cluster's question, its variants, then its
// gaps' distinct questions, at most MaxVariants; the sentences of a
// question that hold a placeholder of a masked value are left out
// (customers would read it: "Can I bring my dog? my number is [PHONE_1]").
func publishedQuestions(c *Cluster) []string {
	var out []string
	add := func(q string) {
		if q = strings.TrimSpace(unmaskedSentences(q)); q != "" && !slices.Contains(out, q) && len(out) < MaxVariants {
			out = append(out, q)
		}
	}
	add(c.Question)
	for _, v := range c.Variants {
		add(v)
	}
	for _, q := range c.Questions {
		add(q)
	}
	for _, g := range c.Gaps {
		add(g.Question)
	}
	return out
}

// trainingLine is one example in the format `assist train intent --data`
// reads.
type trainingLine struct {
	Text   string `json:"text"`
	Intent string `json:"intent"`
	Lang   string `json:"lang,omitempty"`
}

func (s *Service) appendTraining(questions []string, c *Cluster) (int, error) {
	f, err := os.OpenFile(s.TrainingData, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, fmt.Errorf("training data: %w", err)
	}
	n := 0
	var b strings.Builder
	for _, q := range questions {
		if strings.Contains(q, "[") { // masked personal data is no training text
			continue
		}
		lang := c.Lang
		if lang != "zh" && lang != "en" {
			lang = ""
		}
		line, _ := json.Marshal(trainingLine{Text: q, Intent: c.Intent, Lang: lang})
		b.Write(line)
		b.WriteByte('\n')
		n++
	}
	if _, err := io.WriteString(f, b.String()); err != nil {
		f.Close()
		return 0, fmt.Errorf("training data: %w", err)
	}
	if err := f.Close(); err != nil {
		return 0, fmt.Errorf("training data: %w", err)
	}
	return n, nil
}

// WriteCSV writes clusters as CSV, one row each, representative questions
// joined by " | ".
func WriteCSV(w io.Writer, cs []*Cluster) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "status", "lang", "intent", "size", "escalations", "thumbs_down", "first_seen", "last_seen", "score",
		"question", "questions", "proposed_answer", "answer", "reviewed_by", "reviewed_at", "published_doc"})
	for _, c := range cs {
		reviewed := ""
		if !c.ReviewedAt.IsZero() {
			reviewed = c.ReviewedAt.Format(time.RFC3339)
		}
		_ = cw.Write([]string{c.ID, string(c.Status), c.Lang, cell(c.Intent), strconv.Itoa(c.Size), strconv.Itoa(c.Escalations), strconv.Itoa(c.ThumbsDown),
			c.FirstSeen.Format(time.RFC3339), c.LastSeen.Format(time.RFC3339), strconv.FormatFloat(c.Score, 'f', 3, 64),
			cell(c.Question), cell(strings.Join(c.Questions, " | ")), cell(c.ProposedAnswer), cell(c.Answer), cell(c.ReviewedBy), reviewed, cell(c.PublishedDoc)})
	}
	cw.Flush()
	return cw.Error()
}

// cell makes text a spreadsheet shows as text: one that starts like a
// formula (= + - @, tab or CR) gets a leading ' (OWASP, CSV injection),
// so a customer's =HYPERLINK(…) is never evaluated when the export is
// opened.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
