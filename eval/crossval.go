package eval

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/nlu/intent"
)

// Folds splits examples into k folds, stratified by intent and language
// (each (intent, language) group is dealt round-robin after a shuffle), and
// deterministic for a seed.
func Folds(ex []intent.Example, k int, seed uint64) [][]intent.Example {
	groups := map[string][]int{}
	var keys []string
	for i, e := range ex {
		key := e.Intent + "\x00" + e.Lang
		if _, ok := groups[key]; !ok {
			keys = append(keys, key)
		}
		groups[key] = append(groups[key], i)
	}
	sort.Strings(keys)
	rng := rand.New(rand.NewPCG(seed, 0xf01d5))
	folds := make([][]intent.Example, k)
	next := 0
	for _, key := range keys {
		idx := groups[key]
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		for _, i := range idx {
			folds[next%k] = append(folds[next%k], ex[i])
			next++
		}
	}
	return folds
}

// TrainFunc trains a classifier on examples and returns its decision
// function (one nlu.Intent per text, as a served model decides).
type TrainFunc func(train []intent.Example) (func(texts []string) []nlu.Intent, error)

// CrossValidate trains k models, each on all folds but one, scores each on
// the fold it did not see, and reports the pooled predictions; FoldAccuracy
// holds each fold's accuracy. Errors: EINVALID when k < 2 or there are
// fewer examples than folds; the trainer's errors.
func CrossValidate(ctx context.Context, ex []intent.Example, k int, seed uint64, train TrainFunc) (*IntentReport, error) {
	if k < 2 || len(ex) < k {
		return nil, assist.Errorf(assist.EINVALID, "cross-validation needs at least 2 folds and as many examples (%d folds, %d examples)", k, len(ex))
	}
	folds := Folds(ex, k, seed)
	var all []Prediction
	accs := make([]float64, k)
	for f := range folds {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var tr []intent.Example
		for g := range folds {
			if g != f {
				tr = append(tr, folds[g]...)
			}
		}
		classify, err := train(tr)
		if err != nil {
			return nil, fmt.Errorf("fold %d: %w", f+1, err)
		}
		texts := make([]string, len(folds[f]))
		for i, e := range folds[f] {
			texts[i] = e.Text
		}
		got := classify(texts)
		right := 0
		for i, e := range folds[f] {
			all = append(all, Prediction{Gold: e.Intent, Pred: got[i].Label, Lang: e.Lang, Text: e.Text})
			if got[i].Label == e.Intent {
				right++
			}
		}
		accs[f] = ratio(right, len(folds[f]))
	}
	r := Intents(all)
	r.Model = fmt.Sprintf("%d-fold cross-validation", k)
	r.FoldAccuracy = accs
	return r, nil
}
