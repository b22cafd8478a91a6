package main

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/assistd/assist/eval"
	"github.com/assistd/assist/rag"
)

// TrainAnswerabilityCmd fits the answer-confidence model on labelled
// questions: each is drafted against its knowledge base, and the draft is
// right when it quotes the question's key fact (or, without one, when the
// best document is the question's document; never for an unanswerable
// question). A reply from another document's FAQ entry to a question
// without a key fact is left out (see unjudged).
type TrainAnswerabilityCmd struct {
	Tenant   string   `help:"Tenant slug; default demo.tenant." placeholder:"SLUG"`
	Data     []string `help:"KB=FILE: questions (as for eval rag) and the knowledge base they are asked of; repeat for several sets." required:"" placeholder:"KB=FILE"`
	Out      string   `help:"Write the model (JSON) here; the shipped one is rag/answerability.json." required:"" placeholder:"FILE"`
	Rows     string   `help:"Also write the training rows (set, question, features, right) to this JSON Lines file, to study the model." placeholder:"FILE"`
	Folds    int      `help:"Also cross-validate with this many folds (the questions of one article in one fold, unanswerable ones by position) and print the held-out fold's ranking and declining per data set." placeholder:"N"`
	Test     []string `help:"KB=FILE: questions drafted but not trained on; print how the trained model and threshold do on them (answered, declining), a number not tuned on them. Repeatable." placeholder:"KB=FILE"`
	BySet    bool     `name:"by-set" help:"Also leave each --data set out in turn: fit the model and choose its threshold on the other sets, and print how the set left out fares (answered, declining) and the area under the curve over all sets left out: what a set the model never saw gets."`
	Factored bool     `help:"Fit the factored model (rag.FitFactored: the help center answers the question × the reply is right when it does) rather than the single one on right replies."`
	Drop     []string `help:"Fit without this feature (its value set to 0 in every row, so its weight is 0): to measure what a feature adds. Repeatable." placeholder:"FEATURE"`
	Encoder  bool     `help:"Fit the model a bot with a question encoder uses (rag.paraphrase_model must be set: its features asked_far and unasked read it) and write it as the \"encoder\" model of --out, keeping the model already there (or the shipped one)."`
	// ThresholdFolds > 1 chooses the threshold on confidences the model
	// did not fit: each question's from the model fitted without its fold.
	ThresholdFolds int `name:"threshold-folds" help:"Choose the threshold on confidences of questions the model was not fitted on: split the questions into this many folds (as --folds), score each fold with the model fitted on the others (2: halves). 0: on the fitted model's own." placeholder:"N"`
}

// fit fits the model c asks for on rows xs: right, and per row whether
// its question is answerable and whether it is an alternative draft.
func (c *TrainAnswerabilityCmd) fit(xs []rag.Features, right, answerable, alt []bool) (*rag.Answerability, error) {
	if c.Factored {
		return rag.FitFactored(xs, right, answerable, alt)
	}
	return rag.FitAnswerability(xs, right)
}

// unjudged reports whether the reply drafted from best cannot be judged
// right or wrong: the case names its article but no key fact, and the
// reply quotes an FAQ entry of another document, which often says what
// the article says (the demo help center's FAQ repeats its articles).
// Counted wrong, they taught the model that FAQ answers are seldom right,
// and published gap answers are FAQ entries.
func unjudged(cs eval.RAGCase, best rag.Hit) bool {
	return cs.Doc != nil && cs.Fact == "" && best.Chunk.Question != "" && best.Chunk.Doc != *cs.Doc
}

// answerabilityRow is one training row as --rows writes it.
type answerabilityRow struct {
	Set         string             `json:"set"`
	Question    string             `json:"question"`
	Answerable  bool               `json:"answerable"`
	Alternative bool               `json:"alternative,omitempty"`
	Features    map[string]float64 `json:"features"`
	Right       bool               `json:"right"`
	NoDraft     bool               `json:"no_draft,omitempty"` // nothing to answer from: declined, not trained on
	Doc         string             `json:"doc,omitempty"`      // the quoted document
	Reply       string             `json:"reply,omitempty"`    // the drafted reply
}

// drafted is one labelled question drafted against its knowledge base.
type drafted struct {
	cs       eval.RAGCase
	x        rag.Features // nil: no draft to answer from (declined whatever the model says)
	right    bool
	unjudged bool         // see unjudged: left out of training and tests
	alt      rag.Features // the draft from the other search that was not kept, when it teaches (see Run)
	altRight bool
	doc      string // the quoted document
	reply    string
}

// readAnswerCases reads labelled questions: help-center questions (as
// eval rag reads them), or a gap replay file (data/eval/gaps: as eval
// gaps reads it), whose every question, the first and its paraphrases,
// is one the help center does not answer.
func readAnswerCases(path string) ([]eval.RAGCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	cases, err := eval.ReadRAGCases(f)
	f.Close()
	if err == nil {
		return cases, nil
	}
	lines, gerr := eval.ReadGapLines(path)
	if gerr != nil || len(lines) == 0 {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, l := range lines {
		for _, q := range l.Questions {
			cases = append(cases, eval.RAGCase{Question: q, Lang: l.Lang})
		}
	}
	return cases, nil
}

// draftSet drafts every question of spec (KB=FILE) with sv.
func draftSet(g *Globals, sv *rag.Service, tid, spec string) ([]drafted, error) {
	kb, path, ok := strings.Cut(spec, "=")
	if !ok || kb == "" || path == "" {
		return nil, fmt.Errorf("%q: want KB=FILE", spec)
	}
	cases, err := readAnswerCases(path)
	if err != nil {
		return nil, err
	}
	out := make([]drafted, 0, len(cases))
	for i, cs := range cases {
		d, err := sv.Draft(g.Ctx, rag.AnswerRequest{Filter: rag.Filter{TenantID: tid, KB: kb}, Question: cs.Question})
		if err != nil {
			return nil, fmt.Errorf("%s case %d: %w", path, i+1, err)
		}
		r := drafted{cs: cs}
		if len(d.Hits) == 0 || d.Features == nil {
			// Nothing to answer from, or only the other language's hits
			// kept behind a draft without any: declined whatever the
			// model says.
			out = append(out, r)
			continue
		}
		docs := make([]string, len(d.Hits))
		for j, h := range d.Hits {
			docs[j] = h.Chunk.Doc
		}
		r.x, r.right, r.unjudged = d.Features, eval.RightAnswer(cs, d.Text, docs), unjudged(cs, d.Hits[0])
		r.doc, r.reply = d.Hits[0].Chunk.Doc, d.Text
		if a := d.Alternative; a != nil && a.Features != nil && (cs.Doc == nil || cs.Fact != "") {
			// The draft not kept is a lesson too: its reply is right when
			// it quotes the key fact (its document is unknown here, so a
			// case without a key fact adds nothing).
			r.alt, r.altRight = a.Features, eval.RightAnswer(cs, a.Text, nil)
		}
		out = append(out, r)
	}
	return out, nil
}

// Run implements the command.
func (c *TrainAnswerabilityCmd) Run(g *Globals) error {
	cfg, err := g.LoadConfig(nil)
	if err != nil {
		return err
	}
	tid, err := tenantID(g.Ctx, cfg, c.Tenant, false)
	if err != nil {
		return err
	}
	k, err := openKnowledge(g.Ctx, cfg, nil, nil)
	if err != nil {
		return err
	}
	defer k.Close()
	sv := *k.Service
	sv.Gaps = nil
	if c.Encoder && sv.Paraphrases == nil {
		return fmt.Errorf("--encoder: set rag.paraphrase_model (the question encoder the features read)")
	}
	if !c.Encoder {
		// The features the encoder reads are 0 for the model without it.
		sv.Paraphrases = nil
	}
	sv.AllFeatures = true
	var xs []rag.Features
	var right []bool
	var primary []int         // rows of the kept drafts: what the threshold is chosen on
	var answerable []bool     // per primary row
	var fold []int            // per row: the fold key of the question it drafts (see crossValidate)
	var setOf []int           // per primary row: its index in c.Data
	var setRow []int          // per row: its index in c.Data (see --by-set)
	var rowAns, rowAlt []bool // per row: its question is answerable; it is an alternative draft
	nq := 0
	var sets []string
	var rows []answerabilityRow
	skipped := 0 // replies that cannot be judged (see unjudged)
	row := func(set string, cs eval.RAGCase, alt bool, x rag.Features, right bool, doc, reply string) {
		f := make(map[string]float64, len(x))
		for i, name := range rag.FeatureNames {
			f[name] = x[i]
		}
		rows = append(rows, answerabilityRow{Set: set, Question: cs.Question, Answerable: cs.Doc != nil, Alternative: alt, Features: f, Right: right, Doc: doc, Reply: reply})
	}
	drop, err := c.dropped()
	if err != nil {
		return err
	}
	for _, spec := range c.Data {
		ds, err := draftSet(g, &sv, tid, spec)
		if err != nil {
			return fmt.Errorf("--data %w", err)
		}
		for _, d := range ds {
			for _, i := range drop {
				if d.x != nil {
					d.x[i] = 0
				}
				if d.alt != nil {
					d.alt[i] = 0
				}
			}
		}
		n := 0
		for _, d := range ds {
			if d.x == nil {
				// Declined whatever the model says: in the rows for the
				// counts, not in training.
				rows = append(rows, answerabilityRow{Set: spec, Question: d.cs.Question, Answerable: d.cs.Doc != nil, NoDraft: true})
				continue
			}
			if d.unjudged {
				skipped++
				continue
			}
			key := foldKey(spec, d.cs, nq)
			xs = append(xs, d.x)
			right = append(right, d.right)
			primary = append(primary, len(xs)-1)
			answerable = append(answerable, d.cs.Doc != nil)
			fold = append(fold, key)
			setOf = append(setOf, len(sets))
			setRow = append(setRow, len(sets))
			rowAns, rowAlt = append(rowAns, d.cs.Doc != nil), append(rowAlt, false)
			nq++
			row(spec, d.cs, false, d.x, d.right, d.doc, d.reply)
			n++
			if d.alt != nil {
				xs = append(xs, d.alt)
				right = append(right, d.altRight)
				fold = append(fold, key)
				setRow = append(setRow, len(sets))
				rowAns, rowAlt = append(rowAns, d.cs.Doc != nil), append(rowAlt, true)
				row(spec, d.cs, true, d.alt, d.altRight, "", "")
				n++
			}
		}
		_, path, _ := strings.Cut(spec, "=")
		sets = append(sets, fmt.Sprintf("%s (%d)", path, n))
	}
	m, err := c.fit(xs, right, rowAns, rowAlt)
	if err != nil {
		return err
	}
	m.Trained = strings.Join(sets, ", ")
	conf := make([]float64, len(primary))
	pright := make([]bool, len(primary))
	for i, j := range primary {
		conf[i], pright[i] = m.Confidence(xs[j]), right[j]
	}
	thConf := conf
	if c.ThresholdFolds > 1 {
		if thConf, err = c.unfitted(rowSet{xs, right, rowAns, rowAlt}, fold, primary); err != nil {
			return err
		}
		m.Trained += fmt.Sprintf("; threshold chosen on confidences from models fitted without the question's fold (%d folds)", c.ThresholdFolds)
	}
	if m.Threshold, err = rag.ChooseThreshold(thConf, pright, answerable); err != nil {
		return err
	}
	pos := 0
	for _, r := range right {
		if r {
			pos++
		}
	}
	ship := m
	if c.Encoder {
		if ship, err = withEncoderModel(c.Out, m); err != nil {
			return err
		}
	}
	out, err := json.MarshalIndent(ship, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(c.Out, append(out, '\n'), 0o644); err != nil {
		return err
	}
	if c.Rows != "" {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		if err := os.WriteFile(c.Rows, []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(g.Stdout, "trained on %d drafts (%d right; %d FAQ replies to questions naming only an article left out); weights:\n", len(xs), pos, skipped)
	for i, name := range m.Features {
		fmt.Fprintf(g.Stdout, "  %-15s %+.3f\n", name, m.Weights[i])
	}
	fmt.Fprintf(g.Stdout, "  %-15s %+.3f\n", "bias", m.Bias)
	if len(m.AnswersWeights) > 0 {
		fmt.Fprintln(g.Stdout, "the help center answers the question (the other factor):")
		for i, name := range m.Features {
			fmt.Fprintf(g.Stdout, "  %-15s %+.3f\n", name, m.AnswersWeights[i])
		}
		fmt.Fprintf(g.Stdout, "  %-15s %+.3f\n", "bias", m.AnswersBias)
	}
	fmt.Fprintf(g.Stdout, "threshold %.2f (right answered − wrong answered − %g × answerable declined, on %d questions)\n", m.Threshold, rag.DeclineCost, len(primary))
	if c.Folds > 1 {
		title := fmt.Sprintf("%d-fold cross-validation", c.Folds)
		if err := c.crossValidate(g, title, c.Folds, rowSet{xs, right, rowAns, rowAlt}, fold, primary, answerable, setOf); err != nil {
			return err
		}
	}
	if c.BySet && len(c.Data) > 1 {
		// A set's index is its fold: each set is left out once.
		if err := c.crossValidate(g, "each set left out", len(c.Data), rowSet{xs, right, rowAns, rowAlt}, setRow, primary, answerable, setOf); err != nil {
			return err
		}
	}
	for _, spec := range c.Test {
		ds, err := draftSet(g, &sv, tid, spec)
		if err != nil {
			return fmt.Errorf("--test %w", err)
		}
		var t outcomes
		for _, d := range ds {
			for _, i := range drop {
				if d.x != nil {
					d.x[i] = 0
				}
			}
			if d.unjudged {
				continue
			}
			declined := d.x == nil || m.Confidence(d.x) < m.Threshold
			t.add(d.cs.Doc != nil, declined, d.right)
		}
		fmt.Fprintf(g.Stdout, "not trained on: %s\n", t.line(spec))
	}
	return nil
}

// dropped are the indexes in rag.FeatureNames of the features --drop
// names. Errors: a name that is not a feature.
func (c *TrainAnswerabilityCmd) dropped() ([]int, error) {
	var out []int
	for _, name := range c.Drop {
		i := slices.Index(rag.FeatureNames, name)
		if i < 0 {
			return nil, fmt.Errorf("--drop %q: not a feature (%s)", name, strings.Join(rag.FeatureNames, ", "))
		}
		out = append(out, i)
	}
	return out, nil
}

// foldKey is what puts a question in a cross-validation fold: its
// article for an answerable question (so that no fold is tested on an
// article whose other questions it was trained on), its position n for
// an unanswerable one.
func foldKey(spec string, cs eval.RAGCase, n int) int {
	if cs.Doc == nil {
		return n
	}
	h := fnv.New32a()
	h.Write([]byte(spec + "\x00" + *cs.Doc))
	return int(h.Sum32() >> 1)
}

// outcomes counts what the bot did with labelled questions.
type outcomes struct {
	ans, answered, rightAns, unans, declUnans, declAns int
}

func (o *outcomes) add(answerable, declined, right bool) {
	switch {
	case answerable && declined:
		o.ans++
		o.declAns++
	case answerable:
		o.ans++
		o.answered++
		if right {
			o.rightAns++
		}
	default:
		o.unans++
		if declined {
			o.declUnans++
		}
	}
}

// line says it for the data set name: answerable questions answered
// (and right), and the precision and recall of declining.
func (o outcomes) line(name string) string {
	line := fmt.Sprintf("%s: answerable answered %d/%d (right %d)", name, o.answered, o.ans, o.rightAns)
	if o.unans > 0 {
		prec := 0.0
		if o.declUnans+o.declAns > 0 {
			prec = float64(o.declUnans) / float64(o.declUnans+o.declAns)
		}
		line += fmt.Sprintf(", declining precision %.2f recall %.2f (%d/%d unanswerable)", prec, float64(o.declUnans)/float64(o.unans), o.declUnans, o.unans)
	}
	return line
}

// rowSet is the training rows: features, whether the reply is right,
// whether the question is answerable, whether the row is an alternative
// draft.
type rowSet struct {
	xs         []rag.Features
	right      []bool
	answerable []bool
	alt        []bool
}

// crossValidate fits the model and chooses its threshold folds times,
// each time without one fold of the questions (a question is in fold
// fold[i] mod folds, with its alternative draft; see foldKey), and prints
// how the left-out questions fared: the area under the ROC curve of the
// confidence for answerable-vs-not and right-vs-wrong, and per data set
// the share of answerable questions answered and the precision and
// recall of declining.
func (c *TrainAnswerabilityCmd) crossValidate(g *Globals, title string, folds int, rs rowSet, fold, primary []int, answerable []bool, setOf []int) error {
	xs, right, names := rs.xs, rs.right, c.Data
	conf := make([]float64, len(primary))
	declined := make([]bool, len(primary))
	for k := range folds {
		var t rowSet
		for i, x := range xs {
			if fold[i]%folds != k {
				t.xs = append(t.xs, x)
				t.right = append(t.right, right[i])
				t.answerable = append(t.answerable, rs.answerable[i])
				t.alt = append(t.alt, rs.alt[i])
			}
		}
		m, err := c.fit(t.xs, t.right, t.answerable, t.alt)
		if err != nil {
			return err
		}
		var tc []float64
		var tr, ta []bool
		for p, i := range primary {
			if fold[i]%folds != k {
				tc = append(tc, m.Confidence(xs[i]))
				tr = append(tr, right[i])
				ta = append(ta, answerable[p])
			}
		}
		th, err := rag.ChooseThreshold(tc, tr, ta)
		if err != nil {
			return err
		}
		for p, i := range primary {
			if fold[i]%folds == k {
				conf[p] = m.Confidence(xs[i])
				declined[p] = conf[p] < th
			}
		}
	}
	pright := make([]bool, len(primary))
	for p, i := range primary {
		pright[p] = right[i]
	}
	fmt.Fprintf(g.Stdout, "%s: area under the curve answerable-vs-not %.3f, right-vs-wrong %.3f\n",
		title, rocArea(conf, answerable), rocArea(conf, pright))
	for s, name := range names {
		var o outcomes
		for p := range primary {
			if setOf[p] == s {
				o.add(answerable[p], declined[p], pright[p])
			}
		}
		fmt.Fprintln(g.Stdout, "  "+o.line(name))
	}
	return nil
}

// rocArea is the area under the ROC curve of score for telling pos from
// the rest (ties count one half); 0.5 when either class is empty.
func rocArea(score []float64, pos []bool) float64 {
	idx := make([]int, len(score))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return score[idx[a]] < score[idx[b]] })
	var np, nn, rankSum float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && score[idx[j]] == score[idx[i]] {
			j++
		}
		mid := float64(i+j+1) / 2 // average 1-based rank of the tie
		for _, k := range idx[i:j] {
			if pos[k] {
				rankSum += mid
				np++
			} else {
				nn++
			}
		}
		i = j
	}
	if np == 0 || nn == 0 {
		return 0.5
	}
	return (rankSum - np*(np+1)/2) / (np * nn)
}

// withEncoderModel is the model of file out (the shipped one when out
// does not exist) with enc as its encoder model. Errors: out unreadable
// or not a model.
func withEncoderModel(out string, enc *rag.Answerability) (*rag.Answerability, error) {
	base := *rag.DefaultAnswerability()
	if b, err := os.ReadFile(out); err == nil {
		base = rag.Answerability{}
		if err := json.Unmarshal(b, &base); err != nil {
			return nil, fmt.Errorf("--out %s: %w", out, err)
		}
	} else if !os.IsNotExist(err) {
		return nil, err
	}
	base.Encoder = enc
	if err := base.Check(); err != nil {
		return nil, fmt.Errorf("--out %s: %w", out, err)
	}
	return &base, nil
}

// unfitted is each primary row's confidence from the model fitted without
// its question's fold (c.ThresholdFolds folds, see foldKey).
func (c *TrainAnswerabilityCmd) unfitted(rs rowSet, fold, primary []int) ([]float64, error) {
	folds := c.ThresholdFolds
	conf := make([]float64, len(primary))
	for k := range folds {
		var t rowSet
		for i, x := range rs.xs {
			if fold[i]%folds != k {
				t.xs = append(t.xs, x)
				t.right = append(t.right, rs.right[i])
				t.answerable = append(t.answerable, rs.answerable[i])
				t.alt = append(t.alt, rs.alt[i])
			}
		}
		m, err := c.fit(t.xs, t.right, t.answerable, t.alt)
		if err != nil {
			return nil, err
		}
		for p, i := range primary {
			if fold[i]%folds == k {
				conf[p] = m.Confidence(rs.xs[i])
			}
		}
	}
	return conf, nil
}
