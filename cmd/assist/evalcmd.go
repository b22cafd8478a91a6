package main

import (
	"fmt"
	"sort"

	"github.com/assistd/assist/eval"
	"github.com/assistd/assist/models/onnx"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/nlu/intent"
)

// EvalIntentCmd is `assist eval intent`.
type EvalIntentCmd struct {
	Model string   `type:"path" placeholder:"DIR" help:"Model directory (default: nlu.model_dir)."`
	Data  []string `required:"" sep:"none" placeholder:"FILE" help:"Labelled data (repeatable): .jsonl, .csv or Rasa .yml."`
	JSON  bool     `help:"Print the report as JSON."`
	Folds int      `help:"Cross-validate instead of loading a model: train K models, each on all but one K-th of --data, and score each on the part it did not see (stratified by intent and language; trained with the --train-* settings, as assist train intent)." placeholder:"K"`
	ReportFlags
	Train trainFlags `embed:"" prefix:"train-" set:"dim=56" set:"buckets=43690"`
}

// Run loads the model through ONNX Runtime, classifies every example and
// prints the report.
func (c *EvalIntentCmd) Run(g *Globals) error {
	cfg, err := g.LoadConfig(nil)
	if err != nil {
		return err
	}
	dir := c.Model
	if dir == "" {
		dir = cfg.NLU.ModelDir
	}
	examples, err := intent.LoadFiles(c.Data...)
	if err != nil {
		return err
	}
	if c.Folds > 0 {
		return c.crossValidate(g, cfg, examples)
	}
	rt, err := onnx.Load(onnx.Config{LibraryPath: cfg.ONNX.Library, IntraOpThreads: cfg.ONNX.Threads})
	if err != nil {
		return err
	}
	defer rt.Close()
	clf := intent.NewClassifier(intentOpener(rt))
	defer clf.Close()
	if _, err := clf.Load(dir); err != nil {
		return err
	}
	rep, err := eval.RunIntents(g.Ctx, clf, examples)
	if err != nil {
		return err
	}
	if c.JSON {
		if err := g.printJSON(rep); err != nil {
			return err
		}
	} else {
		printIntentReport(g, rep)
	}
	return c.finish(g, cfg.Eval.Tolerances, rep.Report(append([]string{dir}, c.Data...)...))
}

func printIntentReport(g *Globals, r *eval.IntentReport) {
	fmt.Fprintf(g.Stdout, "model %s, %d examples\n", r.Model, r.N)
	fmt.Fprintf(g.Stdout, "accuracy %.4f, macro-F1 %.4f\n", r.Accuracy, r.MacroF1)
	if r.InScopeAccuracy != nil {
		fmt.Fprintf(g.Stdout, "in-scope accuracy %.4f, out-of-scope recall %.4f\n", *r.InScopeAccuracy, *r.OOSRecall)
	}
	langs := make([]string, 0, len(r.PerLang))
	for l := range r.PerLang {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		fmt.Fprintf(g.Stdout, "  %s: %d examples, accuracy %.4f, macro-F1 %.4f\n", l, r.PerLang[l].N, r.PerLang[l].Accuracy, r.PerLang[l].MacroF1)
	}
	if r.Latency != nil {
		fmt.Fprintf(g.Stdout, "latency per utterance: p50 %.0f µs, p99 %.0f µs\n", r.Latency.P50, r.Latency.P99)
	}
	labels := make([]string, 0, len(r.PerIntent))
	for l := range r.PerIntent {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	fmt.Fprintf(g.Stdout, "%-24s %9s %9s %9s %8s\n", "intent", "precision", "recall", "f1", "support")
	for _, l := range labels {
		s := r.PerIntent[l]
		fmt.Fprintf(g.Stdout, "%-24s %9.4f %9.4f %9.4f %8d\n", l, s.Precision, s.Recall, s.F1, s.Support)
	}
	for i, c := range r.Confusions {
		if i == 10 {
			break
		}
		if i == 0 {
			fmt.Fprintln(g.Stdout, "most frequent confusions (gold → predicted):")
		}
		fmt.Fprintf(g.Stdout, "  %s → %s: %d", c.Gold, c.Pred, c.Count)
		if len(c.Examples) > 0 {
			fmt.Fprintf(g.Stdout, "  e.g. %q", c.Examples[0])
		}
		fmt.Fprintln(g.Stdout)
	}
}

// crossValidate is `assist eval intent --folds K`: K models trained in
// process (the trainer's own forward pass decides as a served model does).
func (c *EvalIntentCmd) crossValidate(g *Globals, cfg Config, examples []intent.Example) error {
	opt, err := c.Train.options(g.Stderr)
	if err != nil {
		return err
	}
	rep, err := eval.CrossValidate(g.Ctx, examples, c.Folds, c.Train.Seed, func(tr []intent.Example) (func([]string) []nlu.Intent, error) {
		m, err := intent.Train(tr, nil, opt)
		if err != nil {
			return nil, err
		}
		return func(texts []string) []nlu.Intent { return m.Classify(texts, false) }, nil
	})
	if err != nil {
		return err
	}
	if c.JSON {
		if err := g.printJSON(rep); err != nil {
			return err
		}
	} else {
		printIntentReport(g, rep)
		for i, a := range rep.FoldAccuracy {
			fmt.Fprintf(g.Stdout, "fold %d accuracy %.4f\n", i+1, a)
		}
	}
	return c.finish(g, cfg.Eval.Tolerances, rep.Report(c.Data...))
}
