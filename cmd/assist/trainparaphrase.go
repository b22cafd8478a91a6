package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/assistd/assist"
	"github.com/assistd/assist/eval"
	"github.com/assistd/assist/nlu/intent"
	"github.com/assistd/assist/rag/para"
)

// TrainParaphraseCmd is `assist train paraphrase`: the question encoder
// that matches published answers to questions asked in other words
// (rag.Service.Paraphrases), trained on our own labelled questions.
type TrainParaphraseCmd struct {
	Groups   []string `placeholder:"FILE" help:"Gap replay files (JSON Lines as eval gaps reads): each line's questions and answer ask one thing (weight 1); repeatable."`
	Articles []string `placeholder:"FILE" help:"Help-center question files (JSON Lines as eval rag reads): the questions one article answers, a looser group (weight --loose); repeatable."`
	Intents  []string `placeholder:"FILE" help:"Intent training files: the messages of one intent, a looser group (weight --loose); repeatable."`
	SkipHalf []string `placeholder:"FILE=K" help:"Leave half K (0: even lines, 1: odd) of gap replay FILE out of training, to measure on it with eval gaps --half K; repeatable."`
	Loose    float64  `default:"0.3" help:"Weight of the article and intent groups."`
	Dim      int      `default:"64" help:"Vector length of each head (see --heads)."`
	Buckets  int      `default:"65536" help:"Hash buckets (rows of the embedding table)."`
	Epochs   int      `default:"80" help:"Passes over the groups."`
	Seed     uint64   `default:"1" help:"Random seed; the same data and seed give the same model."`
	Heads    int      `default:"3" help:"Nets of --dim numbers trained with seeds --seed, --seed+1, … and joined into one encoder: their mean cosine is steadier than one net's, which moves with the seed."`
	Out      string   `required:"" type:"path" placeholder:"DIR" help:"Model directory to write (paraphrase.bin)."`
}

// Run trains and saves the encoder. Bad settings are an EINVALID error
// before any file is read.
func (c *TrainParaphraseCmd) Run(g *Globals) error {
	o := para.DefaultOptions
	o.Dim, o.Epochs, o.Seed = c.Dim, c.Epochs, c.Seed
	if err := o.Validate(); err != nil {
		return fmt.Errorf("train paraphrase: %w", err)
	}
	if c.Heads < 1 || c.Heads*c.Dim > para.MaxDim {
		return assist.Errorf(assist.EINVALID, "train paraphrase: --heads %d: want 1 to %d heads of %d numbers", c.Heads, para.MaxDim/c.Dim, c.Dim)
	}
	if !(c.Loose >= 0 && c.Loose <= 1) {
		return assist.Errorf(assist.EINVALID, "train paraphrase: --loose %g: want a weight from 0 to 1", c.Loose)
	}
	fc := intent.DefaultFeatures
	fc.Buckets = c.Buckets
	if err := fc.Validate(); err != nil {
		return fmt.Errorf("train paraphrase: %w", err)
	}
	skip := map[string]int{}
	for _, s := range c.SkipHalf {
		path, k, ok := strings.Cut(s, "=")
		half, err := strconv.Atoi(k)
		if !ok || err != nil || half < 0 || half > 1 {
			return fmt.Errorf("--skip-half %q: want FILE=0 or FILE=1", s)
		}
		skip[path] = half
	}
	var groups []para.Group
	for _, path := range c.Groups {
		lines, err := eval.ReadGapLines(path)
		if err != nil {
			return err
		}
		if k, ok := skip[path]; ok {
			lines = eval.Half(lines, 1-k)
			delete(skip, path)
		}
		for _, l := range lines {
			groups = append(groups, para.Group{Texts: append(append([]string{}, l.Questions...), l.Answer), Weight: 1})
		}
	}
	for path := range skip {
		return fmt.Errorf("--skip-half %s: not one of the --groups files", path)
	}
	for _, path := range c.Articles {
		cs, err := readRAGFile(path)
		if err != nil {
			return err
		}
		by := para.Grouper{Weight: c.Loose}
		for _, q := range cs {
			if q.Doc != nil {
				by.Add(*q.Doc, q.Question)
			}
		}
		groups = append(groups, by.Groups()...)
	}
	if len(c.Intents) > 0 {
		exs, err := intent.LoadFiles(c.Intents...)
		if err != nil {
			return err
		}
		by := para.Grouper{Weight: c.Loose}
		for _, e := range exs {
			by.Add(e.Intent, e.Text)
		}
		groups = append(groups, by.Groups()...)
	}
	if len(groups) == 0 {
		return fmt.Errorf("train paraphrase: no groups (give --groups, --articles or --intents)")
	}
	n, err := para.TrainHeads(groups, fc, o, c.Heads)
	if err != nil {
		return fmt.Errorf("train paraphrase: %w", err)
	}
	if err := n.Save(c.Out, len(groups)); err != nil {
		return err
	}
	fmt.Fprintf(g.Stdout, "paraphrase encoder: %d groups, %d × %d, saved to %s\n", len(groups), fc.Buckets, n.Dim, c.Out)
	return nil
}
