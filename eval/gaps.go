package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/eval/report"
	"github.com/assistd/assist/gap"
	"github.com/assistd/assist/nlu/pii"
	"github.com/assistd/assist/nlu/text"
)

// GapLine is one line of a gap replay file: a question the help center
// cannot answer, its paraphrases, and what an agent answers.
type GapLine struct {
	Lang      string   `json:"lang"`
	Questions []string `json:"questions"`
	Answer    string   `json:"answer"`
}

// ReadGapLines reads a gap replay file (JSON Lines). Errors: EINVALID
// naming the line that is not {"lang": "zh"|"en", "questions": [≥2],
// "answer": "…"}.
func ReadGapLines(path string) ([]GapLine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readGapLines(f, path)
}

func readGapLines(r io.Reader, name string) ([]GapLine, error) {
	var out []GapLine
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		raw := strings.TrimSpace(sc.Text())
		if raw == "" {
			continue
		}
		var l GapLine
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			return nil, assist.Errorf(assist.EINVALID, "%s:%d: %v", name, n, err)
		}
		switch {
		case l.Lang != "zh" && l.Lang != "en":
			return nil, assist.Errorf(assist.EINVALID, "%s:%d: lang must be zh or en", name, n)
		case len(l.Questions) < 2:
			return nil, assist.Errorf(assist.EINVALID, "%s:%d: a question and at least one paraphrase are needed", name, n)
		case strings.TrimSpace(l.Answer) == "":
			return nil, assist.Errorf(assist.EINVALID, "%s:%d: the agent's answer is empty", name, n)
		}
		for _, q := range l.Questions {
			if strings.TrimSpace(q) == "" || !utf8.ValidString(q) {
				return nil, assist.Errorf(assist.EINVALID, "%s:%d: an empty question", name, n)
			}
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(out) == 0 {
		return nil, assist.Errorf(assist.EINVALID, "%s: no lines", name)
	}
	return out, nil
}

// GapDriver runs the self-learning loop on a service: customers ask,
// agents answer, knowledge managers publish. cmd/assist implements it on
// a fresh demo setup.
type GapDriver interface {
	// Ask opens a conversation in lang and sends text; it returns the
	// conversation and the bot's replies.
	Ask(ctx context.Context, lang, text string) (conv string, replies []string, err error)
	// Handle has a person answer the conversation: the customer asks
	// for one if the bot still has it, an agent takes it, sends answer
	// and closes it.
	Handle(ctx context.Context, conv, lang, answer string) error
	// PublishAll builds the gap report, accepts every open cluster as
	// proposed and publishes it. It returns how many clusters the report
	// formed and the answers published.
	PublishAll(ctx context.Context) (clusters int, answers []string, err error)
	// GapTexts returns every stored gap text: questions and agents'
	// answers.
	GapTexts(ctx context.Context) ([]string, error)
	// PublicContacts returns the contact data the help center's articles
	// publish (the shop's own addresses: not personal data).
	PublicContacts(ctx context.Context) (*pii.Public, error)
}

// GapReport is the outcome of a gap replay.
type GapReport struct {
	Lines            int              `json:"lines"`
	AnsweredBefore   float64          `json:"answered_before"`   // share of first questions the bot answered
	AnsweredAfter    float64          `json:"answered_after"`    // share of paraphrases answered from a published answer
	Clusters         int              `json:"clusters"`          // clusters the report formed
	ExpectedClusters int              `json:"expected_clusters"` // lines in the file
	PIIInGaps        int              `json:"pii_in_gaps"`       // stored gap texts holding a phone, e-mail, ID or card number (not one the help center publishes)
	Published        int              `json:"published"`
	Paraphrases      int              `json:"paraphrases"`
	ByLang           map[string]Share `json:"by_lang"`
	// The report's clustering of every question of the file (first
	// questions and paraphrases, round by round): how many clusters, and
	// how pure (the share of questions in a cluster whose majority line
	// is theirs) and complete (the share in their line's majority
	// cluster) they are.
	ParaphraseClusters     int      `json:"paraphrase_clusters"`
	ParaphrasePurity       float64  `json:"paraphrase_purity"`
	ParaphraseCompleteness float64  `json:"paraphrase_completeness"`
	Missed                 []Missed `json:"missed,omitempty"` // paraphrases not answered from a published answer
	// AnsweredOther are the paraphrases answered_after counts that were
	// answered from another line's published answer than their own: the
	// customer got an answer a person wrote, to another question.
	AnsweredOther []Missed `json:"answered_other,omitempty"`
	// AnsweredFirst are the first questions the bot answered from the
	// help center although no article answers them (what answered_before
	// counts), with the start of the reply.
	AnsweredFirst []Missed `json:"answered_first,omitempty"`
	// Unpublished are the first questions whose agent's answer was not
	// published (the question never became a gap, or its cluster's
	// proposed answer was another's), with the bot's reply to them.
	Unpublished []Missed `json:"unpublished,omitempty"`
	// Probes are other questions asked after publishing (help-center
	// question sets): a published answer must not take a question it was
	// not written for. ProbesCaptured counts those an article answers that
	// got a published answer instead, UnanswerableCaptured those no
	// article answers (a published answer may be right for them: read
	// Captured).
	Probes               int      `json:"probes,omitempty"`
	ProbesCaptured       int      `json:"probes_captured"`
	UnanswerableCaptured int      `json:"unanswerable_captured"`
	Captured             []Missed `json:"captured,omitempty"`
}

// Missed is a paraphrase the bot did not answer from a published answer,
// with the start of its reply.
type Missed struct {
	Question string `json:"question"`
	Reply    string `json:"reply"`
}

// Share is answered_before and answered_after of one language.
type Share struct {
	Lines          int     `json:"lines"`
	AnsweredBefore float64 `json:"answered_before"`
	AnsweredAfter  float64 `json:"answered_after"`
}

// RunGapReplay replays lines through d: every first question is asked
// and handled by an agent with the line's answer, the report is built
// and every cluster published as proposed, then every paraphrase is asked
// in a new conversation. A reply "answers" when it quotes the help center
// (its sources line); it answers "from a published answer" when it holds
// one of the published answers.
//
// threshold is the clustering's (0: gap.DefaultThreshold), used to score
// the clustering of every question of the file. The probes are asked
// last, each in a new conversation, to count those a published answer
// takes (see GapReport.Probes).
func RunGapReplay(ctx context.Context, d GapDriver, lines []GapLine, threshold float64, probes []RAGCase) (*GapReport, error) {
	rep := &GapReport{Lines: len(lines), ExpectedClusters: len(lines), ByLang: map[string]Share{}}
	cat := catalog.Default()
	before, after := map[string]int{}, map[string]int{}
	paras := map[string]int{}
	answeredBefore := 0
	firstReplies := make([]string, len(lines))
	for i, l := range lines {
		conv, replies, err := d.Ask(ctx, l.Lang, l.Questions[0])
		if err != nil {
			return nil, fmt.Errorf("ask %q: %w", l.Questions[0], err)
		}
		firstReplies[i] = clipText(strings.Join(replies, " / "), 80)
		if cites(replies, cat.Say(l.Lang, "sources")) {
			answeredBefore++
			before[l.Lang]++
			rep.AnsweredFirst = append(rep.AnsweredFirst, Missed{Question: l.Questions[0], Reply: clipText(strings.Join(replies, " / "), 80)})
		}
		if err := d.Handle(ctx, conv, l.Lang, l.Answer); err != nil {
			return nil, fmt.Errorf("handle %q: %w", l.Questions[0], err)
		}
	}
	clusters, answers, err := d.PublishAll(ctx)
	if err != nil {
		return nil, err
	}
	rep.Clusters, rep.Published = clusters, len(answers)
	for i, l := range lines {
		if !holdsAny(answers, []string{l.Answer, pii.Mask(l.Answer)}) {
			rep.Unpublished = append(rep.Unpublished, Missed{Question: l.Questions[0], Reply: firstReplies[i]})
		}
	}
	answeredAfter := 0
	for _, l := range lines {
		for _, q := range l.Questions[1:] {
			rep.Paraphrases++
			paras[l.Lang]++
			_, replies, err := d.Ask(ctx, l.Lang, q)
			if err != nil {
				return nil, fmt.Errorf("ask %q: %w", q, err)
			}
			if holdsAny(replies, answers) {
				answeredAfter++
				after[l.Lang]++
				if !holdsAny(replies, []string{l.Answer, pii.Mask(l.Answer)}) {
					rep.AnsweredOther = append(rep.AnsweredOther, Missed{Question: q, Reply: clipText(strings.Join(replies, " / "), 80)})
				}
			} else {
				rep.Missed = append(rep.Missed, Missed{Question: q, Reply: clipText(strings.Join(replies, " / "), 80)})
			}
		}
	}
	for _, p := range probes {
		lang := p.Lang
		if lang == "" {
			lang = string(text.Detect(p.Question))
		}
		_, replies, err := d.Ask(ctx, lang, p.Question)
		if err != nil {
			return nil, fmt.Errorf("ask %q: %w", p.Question, err)
		}
		rep.Probes++
		if !holdsAny(replies, answers) {
			continue
		}
		doc := "(no article)"
		if p.Doc != nil {
			rep.ProbesCaptured++
			doc = *p.Doc
		} else {
			rep.UnanswerableCaptured++
		}
		rep.Captured = append(rep.Captured, Missed{Question: p.Question + " [" + doc + "]", Reply: clipText(strings.Join(replies, " / "), 80)})
	}
	texts, err := d.GapTexts(ctx)
	if err != nil {
		return nil, err
	}
	pub, err := d.PublicContacts(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range texts {
		if len(pub.Find(t)) > 0 {
			rep.PIIInGaps++
		}
	}
	rep.ParaphraseClusters, rep.ParaphrasePurity, rep.ParaphraseCompleteness = clusterQuality(lines, threshold)
	rep.AnsweredBefore = ratio(answeredBefore, len(lines))
	rep.AnsweredAfter = ratio(answeredAfter, rep.Paraphrases)
	for _, l := range lines {
		s := rep.ByLang[l.Lang]
		s.Lines++
		rep.ByLang[l.Lang] = s
	}
	for lang, s := range rep.ByLang {
		s.AnsweredBefore = ratio(before[lang], s.Lines)
		s.AnsweredAfter = ratio(after[lang], paras[lang])
		rep.ByLang[lang] = s
	}
	return rep, nil
}

// clusterQuality clusters every question of lines, round by round (all
// first questions, then all second ones...), with the gap report's rule
// at threshold (0: its default), and scores the clusters against the
// lines.
func clusterQuality(lines []GapLine, threshold float64) (clusters int, purity, completeness float64) {
	var qs []string
	var line []int
	for round := 0; ; round++ {
		added := false
		for i, l := range lines {
			if round < len(l.Questions) {
				qs, line = append(qs, l.Questions[round]), append(line, i)
				added = true
			}
		}
		if !added {
			break
		}
	}
	group := gap.Group(qs, threshold)
	count := map[[2]int]int{} // (cluster, line) -> questions
	inCluster, inLine := map[int]int{}, map[int]int{}
	for i := range qs {
		count[[2]int{group[i], line[i]}]++
	}
	for k, n := range count {
		inCluster[k[0]] = max(inCluster[k[0]], n)
		inLine[k[1]] = max(inLine[k[1]], n)
	}
	p, c := 0, 0
	for _, n := range inCluster {
		p += n
	}
	for _, n := range inLine {
		c += n
	}
	return len(inCluster), ratio(p, len(qs)), ratio(c, len(qs))
}

func cites(replies []string, label string) bool {
	label = strings.TrimSpace(label)
	for _, r := range replies {
		if label != "" && strings.Contains(r, label) {
			return true
		}
	}
	return false
}

// holdsAny reports whether a reply holds one of the answers (its first
// 40 characters: an extracted answer is quoted whole, a generated one
// may be reworded after its start).
func holdsAny(replies, answers []string) bool {
	for _, a := range answers {
		head := []rune(strings.TrimSpace(a))
		if len(head) > 40 {
			head = head[:40]
		}
		if len(head) == 0 {
			continue
		}
		for _, r := range replies {
			if strings.Contains(r, string(head)) {
				return true
			}
		}
	}
	return false
}

// WriteText writes the report for people.
func (r *GapReport) WriteText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "gap replay: %d lines, %d paraphrases\n  answered before: %.2f\n  answered after:  %.2f (from a published answer)\n  clusters:        %d (expected %d)\n  published:       %d\n  PII in gaps:     %d\n  all questions clustered: %d clusters, purity %.2f, completeness %.2f\n",
		r.Lines, r.Paraphrases, r.AnsweredBefore, r.AnsweredAfter, r.Clusters, r.ExpectedClusters, r.Published, r.PIIInGaps,
		r.ParaphraseClusters, r.ParaphrasePurity, r.ParaphraseCompleteness)
	if err != nil {
		return err
	}
	for _, lang := range []string{"en", "zh"} {
		if s, ok := r.ByLang[lang]; ok {
			if _, err := fmt.Fprintf(w, "  %s: %d lines, answered before %.2f, after %.2f\n", lang, s.Lines, s.AnsweredBefore, s.AnsweredAfter); err != nil {
				return err
			}
		}
	}
	for _, m := range r.AnsweredOther {
		if _, err := fmt.Fprintf(w, "  answered from another line's answer: %s\n    bot: %s\n", m.Question, m.Reply); err != nil {
			return err
		}
	}
	for _, m := range r.AnsweredFirst {
		if _, err := fmt.Fprintf(w, "  answered before publishing: %s\n    bot: %s\n", m.Question, m.Reply); err != nil {
			return err
		}
	}
	if r.Probes > 0 {
		if _, err := fmt.Fprintf(w, "  probes: %d asked after publishing, %d an article answers and %d no article answers got a published answer\n",
			r.Probes, r.ProbesCaptured, r.UnanswerableCaptured); err != nil {
			return err
		}
	}
	for _, m := range r.Captured {
		if _, err := fmt.Fprintf(w, "  probe answered from a published answer: %s\n    bot: %s\n", m.Question, m.Reply); err != nil {
			return err
		}
	}
	for _, m := range r.Unpublished {
		if _, err := fmt.Fprintf(w, "  answer not published: %s\n    bot: %s\n", m.Question, m.Reply); err != nil {
			return err
		}
	}
	for _, m := range r.Missed {
		if _, err := fmt.Fprintf(w, "  missed: %s\n    bot: %s\n", m.Question, m.Reply); err != nil {
			return err
		}
	}
	return nil
}

// Report returns the replay in the shared report format.
func (r *GapReport) Report(inputs ...string) *report.Report {
	rep := report.New("gaps", fmt.Sprintf("%d lines, %d paraphrases", r.Lines, r.Paraphrases), inputs...)
	rep.Add("answered_before", r.AnsweredBefore, report.Lower)
	rep.Add("answered_after", r.AnsweredAfter, report.Higher)
	rep.Count("clusters", float64(r.Clusters))
	rep.Count("expected_clusters", float64(r.ExpectedClusters))
	rep.Add("pii_in_gaps", float64(r.PIIInGaps), report.Lower)
	rep.Count("paraphrase_clusters", float64(r.ParaphraseClusters))
	rep.Add("paraphrase_purity", r.ParaphrasePurity, report.Higher)
	rep.Add("paraphrase_completeness", r.ParaphraseCompleteness, report.Higher)
	for _, l := range sortedKeys(r.ByLang) {
		rep.Add("lang."+l+".answered_after", r.ByLang[l].AnsweredAfter, report.Higher)
	}
	if r.Probes > 0 {
		rep.Count("probes", float64(r.Probes))
		rep.Add("probes_captured", float64(r.ProbesCaptured), report.Lower)
		rep.Count("unanswerable_captured", float64(r.UnanswerableCaptured))
		captured := report.Table{Title: "Probe questions answered from a published answer", Columns: []string{"question [the article that answers it]", "the bot's reply"}}
		for _, m := range r.Captured {
			captured.Rows = append(captured.Rows, []string{m.Question, m.Reply})
		}
		rep.Tables = append(rep.Tables, captured)
	}
	missed := report.Table{Title: "Paraphrases not answered from a published answer", Columns: []string{"paraphrase", "the bot's reply"}}
	for _, m := range r.Missed {
		missed.Rows = append(missed.Rows, []string{m.Question, m.Reply})
	}
	rep.Tables = append(rep.Tables, missed)
	first := report.Table{Title: "First questions answered from the help center before anything was published", Columns: []string{"question", "the bot's reply"}}
	for _, m := range r.AnsweredFirst {
		first.Rows = append(first.Rows, []string{m.Question, m.Reply})
	}
	rep.Tables = append(rep.Tables, first)
	other := report.Table{Title: "Paraphrases answered from another line's published answer", Columns: []string{"paraphrase", "the bot's reply"}}
	for _, m := range r.AnsweredOther {
		other.Rows = append(other.Rows, []string{m.Question, m.Reply})
	}
	rep.Tables = append(rep.Tables, other)
	unpub := report.Table{Title: "First questions whose agent's answer was not published", Columns: []string{"question", "the bot's first reply"}}
	for _, m := range r.Unpublished {
		unpub.Rows = append(unpub.Rows, []string{m.Question, m.Reply})
	}
	rep.Tables = append(rep.Tables, unpub)
	rep.Details = r
	return rep
}

func clipText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// Half returns half k (0 or 1) of a replay file's lines: the lines at even
// indexes (0), or at odd ones (1), so that both languages fall in each when
// a file's lines are grouped by language. A model tuned on one half is
// measured on the other (`assist train paraphrase --skip-half`,
// `assist eval gaps --half`).
func Half(lines []GapLine, k int) []GapLine {
	var out []GapLine
	for i, l := range lines {
		if i%2 == k {
			out = append(out, l)
		}
	}
	return out
}
