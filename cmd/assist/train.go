package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/eval"
	"github.com/assistd/assist/models"
	"github.com/assistd/assist/models/onnx"
	"github.com/assistd/assist/nlu/intent"
)

// TrainCmd trains models.
type TrainCmd struct {
	Intent        TrainIntentCmd        `cmd:"" help:"Train the intent classifier and export it to ONNX."`
	Sentiment     TrainSentimentCmd     `cmd:"" help:"Train the sentiment model (negative, neutral, positive, angry) and export it to ONNX."`
	Answerability TrainAnswerabilityCmd `cmd:"" help:"Fit the answer-confidence model (the probability that a knowledge-base reply is right) on labelled questions."`
	Gate          TrainGateCmd          `cmd:"" help:"Fit part A of the decision, whether any article answers the question at all, into the answerability model (rag.Gate)."`
	Paraphrase    TrainParaphraseCmd    `cmd:"" help:"Train the question encoder that matches published answers to questions asked in other words."`
}

// trainFlags are the trainer's settings, shared by the models trained on
// the intent machinery; each command sets its own defaults for the
// embedding size and the buckets through kong variables.
type trainFlags struct {
	Seed     uint64  `default:"1" help:"Random seed; the same data and seed give the same model."`
	Dim      int     `default:"${dim}" help:"Embedding size."`
	Hidden   int     `default:"0" help:"Size of a tanh hidden layer (0: none, fastText-style)."`
	Members  int     `default:"3" help:"Networks trained with derived seeds and averaged in the one ONNX graph (buckets × dim × members floats)."`
	Epochs   int     `default:"30" help:"Most epochs."`
	Patience int     `default:"30" help:"Stop after this many epochs without a better validation score."`
	LR       float64 `name:"lr" default:"0.15" help:"SGD learning rate (decays linearly)."`
	Dropout  float64 `default:"0.2" help:"Probability of dropping each feature of a training example."`
	Smooth   float64 `default:"0.1" help:"Label smoothing."`
	Pool     string  `default:"sqrt" enum:"mean,sqrt" help:"Pooling of feature embeddings: mean or sqrt."`
	Buckets  int     `default:"${buckets}" help:"Hash buckets (rows of each member's embedding table)."`
	Features string  `default:"uni,bi,hantri,char3-5" help:"Feature kinds: uni, bi, hanbi, hantri, charN-M (comma-separated)."`
	Refit    bool    `default:"true" negatable:"" help:"After early stopping, train again on training and validation data for the chosen epochs (--no-refit: keep the early-stopped model)."`
	Verbose  bool    `short:"v" help:"Print every epoch."`
}

// options turns the flags into the trainer's options; with --verbose the
// trainer logs every epoch to stderr.
func (f trainFlags) options(stderr io.Writer) (intent.Options, error) {
	feats, err := parseFeatures(f.Features, f.Buckets)
	if err != nil {
		return intent.Options{}, err
	}
	opt := intent.Options{
		Features: feats, Pool: intent.Pooling(f.Pool), Dim: f.Dim, Hidden: f.Hidden,
		Epochs: f.Epochs, Patience: f.Patience, LR: f.LR, Dropout: f.Dropout, Smooth: f.Smooth,
		Seed: f.Seed, Refit: f.Refit, Members: f.Members,
	}
	if f.Verbose {
		opt.Logf = func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) }
	}
	return opt, nil
}

// TrainIntentCmd is `assist train intent`.
type TrainIntentCmd struct {
	Data       []string `required:"" sep:"none" placeholder:"FILE" help:"Training data (repeatable): JSON Lines {\"text\",\"intent\"[,\"lang\"]}, CSV with text,intent columns, or Rasa nlu.yml."`
	Valid      []string `sep:"none" placeholder:"FILE" help:"Validation data (repeatable), for early stopping and calibration. Default: 10% of the training data, held out."`
	Out        string   `required:"" type:"path" placeholder:"DIR" help:"Model directory to write (model.onnx, model.json)."`
	trainFlags `embed:"" set:"dim=56" set:"buckets=43690"`
	OOSRecall  float64 `name:"oos-recall" default:"0.7" help:"Out-of-scope recall to calibrate the threshold for, when validation data has out_of_scope."`
}

// parseFeatures reads "uni,bi,hantri,char3-5".
func parseFeatures(s string, buckets int) (intent.FeatureConfig, error) {
	c := intent.FeatureConfig{Buckets: buckets}
	for _, f := range strings.Split(s, ",") {
		switch f = strings.TrimSpace(f); {
		case f == "uni":
			c.Unigrams = true
		case f == "bi":
			c.Bigrams = true
		case f == "hanbi":
			c.HanBigrams = true
		case f == "hantri":
			c.HanTrigrams = true
		case strings.HasPrefix(f, "char"):
			if _, err := fmt.Sscanf(f, "char%d-%d", &c.CharMin, &c.CharMax); err != nil {
				return c, assist.Errorf(assist.EINVALID, "--features: %q is not charN-M", f)
			}
		case f == "":
		default:
			return c, assist.Errorf(assist.EINVALID, "--features: unknown kind %q (uni, bi, hanbi, hantri, charN-M)", f)
		}
	}
	return c, c.Validate()
}

// Run trains, calibrates, scores the validation data and writes the model.
func (c *TrainIntentCmd) Run(g *Globals) error {
	opt, err := c.options(g.Stderr)
	if err != nil {
		return err
	}
	opt.OOSRecall = c.OOSRecall
	train, err := intent.LoadFiles(c.Data...)
	if err != nil {
		return err
	}
	var valid []intent.Example
	if len(c.Valid) > 0 {
		if valid, err = intent.LoadFiles(c.Valid...); err != nil {
			return err
		}
	}
	start := time.Now()
	tr, err := intent.Train(train, valid, opt)
	if err != nil {
		return err
	}
	took := time.Since(start)

	// Score the validation data with the trainer's forward pass and the
	// calibrated threshold: the metrics model.json records. With --refit
	// they are those of the network before the refit, which has not seen
	// the validation data.
	texts := make([]string, len(tr.Valid))
	for i, e := range tr.Valid {
		texts[i] = e.Text
	}
	preds := make([]eval.Prediction, len(tr.Valid))
	for i, in := range tr.Classify(texts, true) {
		preds[i] = eval.Prediction{Gold: tr.Valid[i].Intent, Pred: in.Label, Lang: tr.Valid[i].Lang}
	}
	rep := eval.Intents(preds)
	metrics := map[string]float64{
		"accuracy":       rep.Accuracy,
		"macro_f1":       rep.MacroF1,
		"train_examples": float64(len(train) - len(tr.Valid)*boolInt(len(valid) == 0)),
		"valid_examples": float64(len(tr.Valid)),
		"train_seconds":  took.Round(time.Millisecond).Seconds(),
	}
	if rep.InScopeAccuracy != nil {
		metrics["in_scope_accuracy"] = *rep.InScopeAccuracy
		metrics["oos_recall"] = *rep.OOSRecall
	}
	for lang, r := range rep.PerLang {
		metrics["accuracy_"+lang] = r.Accuracy
	}
	meta, err := intent.Save(c.Out, tr, metrics)
	if err != nil {
		return err
	}
	size := int64(0)
	if st, err := os.Stat(filepath.Join(c.Out, intent.ONNXFile)); err == nil {
		size = st.Size()
	}
	fmt.Fprintf(g.Stdout, "trained %s on %d examples (%d labels) in %s: epoch %d kept, threshold %.2f, margin %.2f, %.1f MB\n",
		meta.Version, int(metrics["train_examples"]), len(meta.Labels), took.Round(time.Millisecond), meta.Epochs, meta.Threshold, meta.Margin, float64(size)/(1<<20))
	fmt.Fprintf(g.Stdout, "validation (%d examples): accuracy %.4f, macro-F1 %.4f", len(tr.Valid), rep.Accuracy, rep.MacroF1)
	if rep.InScopeAccuracy != nil {
		fmt.Fprintf(g.Stdout, ", in-scope accuracy %.4f, out-of-scope recall %.4f", *rep.InScopeAccuracy, *rep.OOSRecall)
	}
	for _, lang := range []string{"zh", "en", "mixed"} {
		if r, ok := rep.PerLang[lang]; ok {
			fmt.Fprintf(g.Stdout, ", %s %.4f", lang, r.Accuracy)
		}
	}
	fmt.Fprintf(g.Stdout, "\nwrote %s\n", c.Out)
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// intentOpener opens intent models with ONNX Runtime.
func intentOpener(rt *onnx.Runtime) intent.Opener {
	return func(path string) (models.Runner, error) {
		return rt.OpenSession(path, onnx.SessionOptions{
			Name:    "intent",
			Inputs:  []string{intent.InputIDs, intent.InputWeights},
			Outputs: []string{intent.OutputProbs},
		})
	}
}
