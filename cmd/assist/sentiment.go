package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/eval"
	"github.com/assistd/assist/models"
	"github.com/assistd/assist/models/onnx"
	"github.com/assistd/assist/nlu/intent"
	"github.com/assistd/assist/sentiment"
)

// TrainSentimentCmd is `assist train sentiment`.
type TrainSentimentCmd struct {
	Data       []string `required:"" sep:"none" placeholder:"FILE" help:"Training data (repeatable): JSON Lines {\"text\",\"label\"[,\"lang\"]}, label negative, neutral, positive or angry."`
	Valid      []string `sep:"none" placeholder:"FILE" help:"Validation data (repeatable), for early stopping. Default: 10% of the training data, held out."`
	Out        string   `required:"" type:"path" placeholder:"DIR" help:"Model directory to write (model.onnx, model.json)."`
	trainFlags `embed:"" set:"dim=32" set:"buckets=32768"`
}

// Run trains, scores the validation data and writes the model.
func (c *TrainSentimentCmd) Run(g *Globals) error {
	opt, err := c.options(g.Stderr)
	if err != nil {
		return err
	}
	train, err := sentiment.LoadFiles(sentiment.FormatAssist, c.Data...)
	if err != nil {
		return err
	}
	var valid []sentiment.Example
	if len(c.Valid) > 0 {
		if valid, err = sentiment.LoadFiles(sentiment.FormatAssist, c.Valid...); err != nil {
			return err
		}
	}
	start := time.Now()
	tr, err := sentiment.Train(train, valid, opt)
	if err != nil {
		return err
	}
	took := time.Since(start)

	// Score the validation data with the trainer's forward pass (the
	// network before any refit, which has not seen it): the metrics
	// model.json records.
	preds := make([]eval.SentimentPrediction, len(tr.Valid))
	for i, e := range tr.Valid {
		p := tr.Selected.Probs(tr.Features.Featurize(nil, e.Text), tr.Pool)
		preds[i] = eval.SentimentPrediction{Gold: e.Intent, Lang: e.Lang, Score: sentiment.FromProbs(tr.Labels, p)}
	}
	rep := eval.Sentiments(preds)
	metrics := map[string]float64{
		"accuracy":       rep.Accuracy,
		"macro_f1":       rep.MacroF1,
		"train_examples": float64(len(train) - len(tr.Valid)*boolInt(len(valid) == 0)),
		"valid_examples": float64(len(tr.Valid)),
		"train_seconds":  took.Round(time.Millisecond).Seconds(),
	}
	if rep.Anger != nil {
		metrics["anger_f1"] = rep.Anger.F1
	}
	for lang, r := range rep.PerLang {
		metrics["accuracy_"+lang] = r.Accuracy
	}
	meta, err := sentiment.Save(c.Out, tr, metrics)
	if err != nil {
		return err
	}
	size := int64(0)
	if st, err := os.Stat(filepath.Join(c.Out, intent.ONNXFile)); err == nil {
		size = st.Size()
	}
	fmt.Fprintf(g.Stdout, "trained %s on %d examples in %s: epoch %d kept, %.1f MB\n",
		meta.Version, int(metrics["train_examples"]), took.Round(time.Millisecond), meta.Epochs, float64(size)/(1<<20))
	fmt.Fprintf(g.Stdout, "validation (%d examples): accuracy %.4f, macro-F1 %.4f", len(tr.Valid), rep.Accuracy, rep.MacroF1)
	if rep.Anger != nil {
		fmt.Fprintf(g.Stdout, ", anger F1 %.4f", rep.Anger.F1)
	}
	for _, lang := range []string{"zh", "en", "mixed"} {
		if r, ok := rep.PerLang[lang]; ok {
			fmt.Fprintf(g.Stdout, ", %s %.4f", lang, r.Accuracy)
		}
	}
	fmt.Fprintf(g.Stdout, "\nwrote %s\n", c.Out)
	return nil
}

// EvalSentimentCmd is `assist eval sentiment`.
type EvalSentimentCmd struct {
	Model  string   `type:"path" placeholder:"DIR" help:"Model directory (default: sentiment.model_dir)."`
	Data   []string `required:"" sep:"none" placeholder:"FILE" help:"Labelled data (repeatable), JSON Lines."`
	Format string   `default:"auto" enum:"auto,assist,goemotions,zh-emotion" help:"Data format: assist ({text,label}), goemotions ({text,sentiment}; ambiguous skipped), zh-emotion ({text,labels}; Chinese emotions mapped, see README), or auto (per line, from the fields)."`
	JSON   bool     `help:"Print the report as JSON."`
	ReportFlags
}

// Run loads the model through ONNX Runtime, scores every example and
// prints the report.
func (c *EvalSentimentCmd) Run(g *Globals) error {
	cfg, err := g.LoadConfig(nil)
	if err != nil {
		return err
	}
	dir := c.Model
	if dir == "" {
		dir = cfg.Sentiment.ModelDir
	}
	format, err := sentiment.ParseFormat(c.Format)
	if err != nil {
		return err
	}
	examples, err := sentiment.LoadFiles(format, c.Data...)
	if err != nil {
		return err
	}
	rt, err := onnx.Load(onnx.Config{LibraryPath: cfg.ONNX.Library, IntraOpThreads: cfg.ONNX.Threads})
	if err != nil {
		return err
	}
	defer rt.Close()
	clf := sentiment.NewClassifier(sentimentOpener(rt))
	defer clf.Close()
	if _, err := clf.Load(dir); err != nil {
		return err
	}
	rep, err := eval.RunSentiment(g.Ctx, clf, examples)
	if err != nil {
		return err
	}
	if c.JSON {
		if err := g.printJSON(rep); err != nil {
			return err
		}
	} else {
		printSentimentReport(g, rep, "")
		langs := make([]string, 0, len(rep.PerLang))
		for l := range rep.PerLang {
			langs = append(langs, l)
		}
		sort.Strings(langs)
		for _, l := range langs {
			fmt.Fprintf(g.Stdout, "\n[%s]\n", l)
			printSentimentReport(g, rep.PerLang[l], "  ")
		}
	}
	return c.finish(g, cfg.Eval.Tolerances, rep.Report(append([]string{dir}, c.Data...)...))
}

func printSentimentReport(g *Globals, r *eval.SentimentReport, indent string) {
	w := g.Stdout
	if r.Model != "" {
		fmt.Fprintf(w, "%smodel %s\n", indent, r.Model)
	}
	fmt.Fprintf(w, "%s%d examples: accuracy %.4f, macro-F1 %.4f\n", indent, r.N, r.Accuracy, r.MacroF1)
	if r.Latency != nil {
		fmt.Fprintf(w, "%slatency per message: p50 %.0f µs, p99 %.0f µs\n", indent, r.Latency.P50, r.Latency.P99)
	}
	fmt.Fprintf(w, "%s%-10s %9s %9s %9s %8s\n", indent, "class", "precision", "recall", "f1", "support")
	for _, l := range []string{sentiment.ClassNegative, sentiment.ClassNeutral, sentiment.ClassPositive} {
		if s, ok := r.PerClass[l]; ok {
			fmt.Fprintf(w, "%s%-10s %9.4f %9.4f %9.4f %8d\n", indent, l, s.Precision, s.Recall, s.F1, s.Support)
		}
	}
	if a := r.Anger; a != nil {
		fmt.Fprintf(w, "%s%-10s %9.4f %9.4f %9.4f %8d   (anger ≥ %.1f vs gold angry)\n", indent, "angry", a.Precision, a.Recall, a.F1, a.Support, eval.AngerThreshold)
	}
	for i, c := range r.Confusions {
		if i == 6 {
			break
		}
		if i == 0 {
			fmt.Fprintf(w, "%sconfusions (gold → predicted):", indent)
		}
		fmt.Fprintf(w, " %s→%s %d", c.Gold, c.Pred, c.Count)
		if i == len(r.Confusions)-1 || i == 5 {
			fmt.Fprintln(w)
		}
	}
}

// sentimentOpener opens sentiment models with ONNX Runtime.
func sentimentOpener(rt *onnx.Runtime) intent.Opener {
	return func(path string) (models.Runner, error) {
		return rt.OpenSession(path, onnx.SessionOptions{
			Name:    "sentiment",
			Inputs:  []string{intent.InputIDs, intent.InputWeights},
			Outputs: []string{intent.OutputProbs},
		})
	}
}

// openSentiment loads the sentiment model from sentiment.model_dir through
// ONNX Runtime. A missing model or runtime is a warning, not an error: the
// service starts and the bot runs without sentiment (Score answers
// EUNAVAILABLE) until a model is loaded (SIGHUP).
func (m *Main) openSentiment() {
	open := func(string) (models.Runner, error) {
		return nil, assist.Errorf(assist.EUNAVAILABLE, "ONNX Runtime is not available (run `make ort`)")
	}
	if m.ORT != nil {
		open = sentimentOpener(m.ORT)
	}
	m.Sentiment = sentiment.NewClassifier(open)
	if _, err := m.reloadSentiment(); err != nil {
		if assist.ErrorCode(err) == assist.ENOTFOUND {
			m.Logger.Warn("no sentiment model: run `make models` to train the default one; the bot runs without sentiment until then", "dir", m.Config.Sentiment.ModelDir)
		} else {
			m.Logger.Warn("sentiment model not loaded; the bot runs without sentiment until it is", "dir", m.Config.Sentiment.ModelDir, "err", err)
		}
	}
}

// reloadSentiment loads the sentiment model from sentiment.model_dir,
// replacing the one in use without dropping requests, and returns its
// version.
func (m *Main) reloadSentiment() (string, error) {
	return m.loadModelDir("sentiment", m.Config.Sentiment.ModelDir, m.Sentiment.Load)
}
