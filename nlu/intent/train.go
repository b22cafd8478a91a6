package intent

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/nlu/text"
)

// Options configure Train. The zero value of a field means its default.
type Options struct {
	Features FeatureConfig // zero: DefaultFeatures
	Pool     Pooling       // "": PoolSqrt
	Dim      int           // embedding size; 0: 48
	Hidden   int           // tanh hidden layer size; 0: none (fastText)
	Epochs   int           // most epochs; 0: 30
	Patience int           // epochs without a better validation score before stopping; 0: 4
	LR       float64       // SGD learning rate at the start, decaying linearly to 0; 0: 0.1
	Dropout  float64       // probability of dropping each feature of a training example; 0: none
	Smooth   float64       // label smoothing; 0: none
	Seed     uint64        // the same seed and data give the same model
	// Members is the number of networks trained, each with its own seed,
	// whose probabilities the model averages (one ONNX graph, one Run);
	// 0: 1. The embedding tables add up: Buckets × Dim × Members floats.
	Members int
	// ValidShare is the share of the training data held out for validation
	// when no validation data is given (stratified, deterministic); 0: 0.1.
	ValidShare float64
	// Refit, after early stopping chose the number of epochs, trains again
	// on the training and validation data together for that many epochs.
	Refit bool
	// OOSRecall is the out-of-scope recall the threshold is calibrated
	// for, when the validation data has out-of-scope examples; 0: 0.7.
	OOSRecall float64
	// Logf, if set, receives one line per epoch.
	Logf func(format string, args ...any)
}

func (o *Options) defaults() {
	if o.Features == (FeatureConfig{}) {
		o.Features = DefaultFeatures
	}
	if o.Pool == "" {
		o.Pool = PoolSqrt
	}
	if o.Dim == 0 {
		o.Dim = 48
	}
	if o.Epochs == 0 {
		o.Epochs = 30
	}
	if o.Patience == 0 {
		o.Patience = 4
	}
	if o.LR == 0 {
		o.LR = 0.1
	}
	if o.ValidShare == 0 {
		o.ValidShare = 0.1
	}
	if o.OOSRecall == 0 {
		o.OOSRecall = 0.7
	}
	if o.Members == 0 {
		o.Members = 1
	}
}

func (o *Options) validate() error {
	if err := o.Features.Validate(); err != nil {
		return err
	}
	switch {
	case o.Pool != PoolMean && o.Pool != PoolSqrt:
		return assist.Errorf(assist.EINVALID, "train: pooling %q is not mean or sqrt", o.Pool)
	case o.Dim < 1 || o.Dim > 1024 || o.Hidden < 0 || o.Hidden > 4096:
		return assist.Errorf(assist.EINVALID, "train: dim %d or hidden %d out of range", o.Dim, o.Hidden)
	case o.Epochs < 1 || o.Patience < 1:
		return assist.Errorf(assist.EINVALID, "train: epochs and patience must be positive")
	case o.LR <= 0 || o.LR > 10 || math.IsNaN(o.LR):
		return assist.Errorf(assist.EINVALID, "train: learning rate %v out of range", o.LR)
	case o.Dropout < 0 || o.Dropout >= 1 || o.Smooth < 0 || o.Smooth >= 1:
		return assist.Errorf(assist.EINVALID, "train: dropout and smoothing must be in [0, 1)")
	case o.OOSRecall < 0 || o.OOSRecall > 1:
		return assist.Errorf(assist.EINVALID, "train: oos recall must be in [0, 1]")
	case o.ValidShare <= 0 || o.ValidShare >= 1:
		return assist.Errorf(assist.EINVALID, "train: valid share must be in (0, 1)")
	case o.Members < 1 || o.Members > MaxMembers:
		return assist.Errorf(assist.EINVALID, "train: members %d out of range [1, %d]", o.Members, MaxMembers)
	}
	if size := int64(o.Features.Buckets) * int64(o.Dim) * int64(o.Members) * 4; size > MaxModelBytes {
		return assist.Errorf(assist.EINVALID, "train: %d buckets × %d dims × %d members is %d MB, the limit is %d MB", o.Features.Buckets, o.Dim, o.Members, size>>20, MaxModelBytes>>20)
	}
	return nil
}

// MaxModelBytes bounds the embedding tables, and so the model file.
const MaxModelBytes = 30 << 20

// MaxMembers bounds Options.Members.
const MaxMembers = 8

// Trained is the outcome of Train: the network with everything needed to
// serve and describe it.
type Trained struct {
	Net *Ensemble
	// Selected is the early-stopped ensemble the threshold and margin were
	// calibrated on: Net, unless Options.Refit trained Net again on the
	// validation data too.
	Selected  *Ensemble
	Labels    []string
	Features  FeatureConfig
	Pool      Pooling
	Threshold float32 // below it the answer is out_of_scope
	Margin    float32 // top-1 minus top-2 below it is ambiguous
	Epochs    int     // the epoch whose weights were kept (the latest among the members)
	DataHash  string
	Valid     []Example // the validation data used (given or held out)
	Options   Options
}

// encoded is an example ready for training: feature ids and label index.
type encoded struct {
	ids   []int32
	label int
}

// Train trains a model on train, stopping early on valid (when valid is
// empty, a stratified share of train is held out instead), and calibrates
// the out-of-scope threshold and the ambiguity margin on valid. Training is
// single-threaded and deterministic: the same data, options and seed give
// bit-identical weights.
//
// Errors: EINVALID for bad options, fewer than two labels, or validation
// labels that the training data lacks.
func Train(train, valid []Example, opt Options) (*Trained, error) {
	opt.defaults()
	if err := opt.validate(); err != nil {
		return nil, err
	}
	if len(train) == 0 {
		return nil, assist.Errorf(assist.EINVALID, "train: no training examples")
	}
	hash := DataHash(train)
	if len(valid) == 0 {
		train, valid = Split(train, opt.ValidShare, opt.Seed)
	}
	labels := labelSet(train)
	if len(labels) < 2 {
		return nil, assist.Errorf(assist.EINVALID, "train: %d label(s); a classifier needs at least two", len(labels))
	}
	index := make(map[string]int, len(labels))
	for i, l := range labels {
		index[l] = i
	}
	enc := func(ex []Example, what string) ([]encoded, error) {
		out := make([]encoded, len(ex))
		for i, e := range ex {
			li, ok := index[e.Intent]
			if !ok {
				return nil, assist.Errorf(assist.EINVALID, "train: %s label %q is not in the training data", what, e.Intent)
			}
			out[i] = encoded{ids: opt.Features.Featurize(nil, text.Normalize(e.Text)), label: li}
		}
		return out, nil
	}
	tr, err := enc(train, "training")
	if err != nil {
		return nil, err
	}
	va, err := enc(valid, "validation")
	if err != nil {
		return nil, err
	}

	best := &Ensemble{Members: make([]*Net, opt.Members)}
	epochs := make([]int, opt.Members)
	for m := range opt.Members {
		if opt.Logf != nil && opt.Members > 1 {
			opt.Logf("member %d of %d", m+1, opt.Members)
		}
		best.Members[m], epochs[m] = fit(tr, va, len(labels), memberOptions(opt, m), opt.Epochs, opt.Logf)
	}
	t := &Trained{Net: best, Selected: best, Labels: labels, Features: opt.Features, Pool: opt.Pool, Epochs: slices.Max(epochs), DataHash: hash, Valid: valid, Options: opt}
	probs := make([][]float32, len(va))
	gold := make([]int, len(va))
	for i, e := range va {
		probs[i] = best.Probs(e.ids, opt.Pool)
		gold[i] = e.label
	}
	t.Threshold, t.Margin = Calibrate(probs, gold, slices.Index(labels, nlu.OutOfScope), opt.OOSRecall)
	if opt.Refit {
		// Train again from scratch on all the data for the epochs early
		// stopping chose, keeping the threshold and margin calibrated on
		// the held-out validation data.
		all := append(slices.Clip(tr), va...)
		t.Net = &Ensemble{Members: make([]*Net, opt.Members)}
		for m := range opt.Members {
			t.Net.Members[m], _ = fit(all, nil, len(labels), memberOptions(opt, m), epochs[m], opt.Logf)
		}
	}
	return t, nil
}

// memberOptions returns the options of ensemble member m: opt itself for
// the first, another seed derived from opt.Seed for the others.
func memberOptions(opt Options, m int) Options {
	opt.Seed += uint64(m) * 0x9e3779b97f4a7c15
	return opt
}

// fit trains a new network for at most epochs epochs and returns the
// weights of the epoch that scored best on va (the last epoch without va)
// and that epoch.
func fit(tr, va []encoded, classes int, opt Options, epochs int, logf func(string, ...any)) (*Net, int) {
	rng := rand.New(rand.NewPCG(opt.Seed, 0x1e7e47))
	net := newNet(opt, classes, rng)
	var best *Net
	bestScore, bestLoss, bestEpoch := -1.0, math.Inf(1), 0
	s := net.newScratch()
	total := float64(epochs * len(tr))
	step := 0
	order := make([]int, len(tr))
	for i := range order {
		order[i] = i
	}
	var kept []int32
	for epoch := 1; epoch <= epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var loss float64
		for _, i := range order {
			e := tr[i]
			ids := e.ids
			if opt.Dropout > 0 && len(ids) > 1 {
				kept = kept[:0]
				for _, id := range ids {
					if rng.Float64() >= opt.Dropout {
						kept = append(kept, id)
					}
				}
				if len(kept) == 0 {
					kept = append(kept, ids[rng.IntN(len(ids))])
				}
				ids = kept
			}
			lr := float32(opt.LR * (1 - float64(step)/total))
			step++
			loss += net.step(ids, opt.Pool.weight(len(ids)), e.label, lr, float32(opt.Smooth), s)
		}
		if len(va) == 0 {
			if logf != nil {
				logf("epoch %d: loss %.4f", epoch, loss/float64(len(tr)))
			}
			best, bestEpoch = net, epoch
			continue
		}
		score, vloss := evaluate(net, va, opt.Pool, s)
		if logf != nil {
			logf("epoch %d: loss %.4f, validation accuracy %.4f, loss %.4f", epoch, loss/float64(len(tr)), score, vloss)
		}
		// Better accuracy wins; equal accuracy with a lower loss too.
		if score > bestScore || score == bestScore && vloss < bestLoss {
			best, bestScore, bestLoss, bestEpoch = net.clone(), score, vloss, epoch
		} else if epoch-bestEpoch >= opt.Patience {
			break
		}
	}
	return best, bestEpoch
}

// newNet initialises the weights: embeddings uniform in ±1/dim, the hidden
// layer Xavier-uniform, the output layer zero without a hidden layer (as
// fastText does) and Xavier-uniform with one.
func newNet(opt Options, classes int, rng *rand.Rand) *Net {
	n := &Net{Buckets: opt.Features.Buckets, Dim: opt.Dim, Hidden: opt.Hidden, Classes: classes}
	uniform := func(v []float32, r float64) {
		for i := range v {
			v[i] = float32((2*rng.Float64() - 1) * r)
		}
	}
	n.Emb = make([]float32, n.Buckets*n.Dim)
	uniform(n.Emb, 1/float64(n.Dim))
	if n.Hidden > 0 {
		n.W1 = make([]float32, n.Dim*n.Hidden)
		uniform(n.W1, math.Sqrt(6/float64(n.Dim+n.Hidden)))
		n.B1 = make([]float32, n.Hidden)
	}
	n.W = make([]float32, n.in()*classes)
	if n.Hidden > 0 {
		uniform(n.W, math.Sqrt(6/float64(n.Hidden+classes)))
	}
	n.B = make([]float32, classes)
	return n
}

// step runs one SGD step on one example and returns its loss.
func (n *Net) step(ids []int32, w float32, label int, lr, smooth float32, s *scratch) float64 {
	n.forward(ids, w, s)
	p := s.logits
	loss := -math.Log(math.Max(float64(p[label]), 1e-12))
	// p becomes the gradient of the loss with respect to the logits.
	off := smooth / float32(n.Classes)
	for c := range p {
		p[c] -= off
	}
	p[label] -= 1 - smooth

	a := s.h
	if n.Hidden > 0 {
		a = s.a
	}
	c := n.Classes
	ga := s.ga
	for j, av := range a {
		row := n.W[j*c : (j+1)*c]
		var g float32
		for k, gk := range p {
			g += row[k] * gk
			row[k] -= lr * av * gk
		}
		ga[j] = g
	}
	for k, gk := range p {
		n.B[k] -= lr * gk
	}
	gh := ga
	if n.Hidden > 0 {
		gh = s.gh
		clear(gh)
		for j := range ga {
			ga[j] *= 1 - a[j]*a[j] // through tanh
		}
		for k, hv := range s.h {
			row := n.W1[k*n.Hidden : (k+1)*n.Hidden]
			var g float32
			for j, gz := range ga {
				g += row[j] * gz
				row[j] -= lr * hv * gz
			}
			gh[k] = g
		}
		for j, gz := range ga {
			n.B1[j] -= lr * gz
		}
	}
	d := n.Dim
	for _, id := range ids {
		row := n.Emb[int(id)*d : int(id)*d+d]
		for k, g := range gh {
			row[k] -= lr * w * g
		}
	}
	return loss
}

// evaluate returns the share of examples whose most probable label is
// right, and the mean cross-entropy loss.
func evaluate(n *Net, ex []encoded, pool Pooling, s *scratch) (acc, loss float64) {
	if len(ex) == 0 {
		return 0, 0
	}
	right := 0
	for _, e := range ex {
		n.forward(e.ids, pool.weight(len(e.ids)), s)
		if argmax(s.logits) == e.label {
			right++
		}
		loss -= math.Log(math.Max(float64(s.logits[e.label]), 1e-12))
	}
	return float64(right) / float64(len(ex)), loss / float64(len(ex))
}

func argmax(p []float32) int {
	best := 0
	for i, v := range p {
		if v > p[best] {
			best = i
		}
	}
	return best
}

// top2 returns the indices of the two largest values (the second is -1
// with a single value).
func top2(p []float32) (int, int) {
	a, b := -1, -1
	for i, v := range p {
		switch {
		case a < 0 || v > p[a]:
			a, b = i, a
		case b < 0 || v > p[b]:
			b = i
		}
	}
	return a, b
}

func labelSet(ex []Example) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range ex {
		if !seen[e.Intent] {
			seen[e.Intent] = true
			out = append(out, e.Intent)
		}
	}
	sort.Strings(out)
	return out
}

// Split divides examples into a training part and a held-out share,
// stratified by intent (each intent gives the same share, at least one
// example when it has two or more) and deterministic for a seed.
func Split(ex []Example, share float64, seed uint64) (train, held []Example) {
	by := map[string][]int{}
	for i, e := range ex {
		by[e.Intent] = append(by[e.Intent], i)
	}
	hold := make([]bool, len(ex))
	rng := rand.New(rand.NewPCG(seed, 0x5b117))
	for _, l := range labelSet(ex) {
		idx := by[l]
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		k := int(math.Round(share * float64(len(idx))))
		if k == 0 && len(idx) >= 2 {
			k = 1
		}
		for _, i := range idx[:k] {
			hold[i] = true
		}
	}
	for i, e := range ex {
		if hold[i] {
			held = append(held, e)
		} else {
			train = append(train, e)
		}
	}
	return train, held
}

// Calibrate picks, from validation probabilities and gold label indices,
// the out-of-scope threshold and the ambiguity margin.
//
// The threshold: when the labels have an out-of-scope class (oos ≥ 0) and
// the validation data has out-of-scope examples, the smallest confidence
// (in steps of 0.01) below which answering out_of_scope reaches the
// out-of-scope recall oosRecall — the smallest, because each step up costs
// in-scope answers (when no threshold reaches it, the one that maximises
// the mean of in-scope accuracy and out-of-scope recall); otherwise the confidence below which only 1% of the
// right answers fall, so that near-uniform outputs (text unlike anything
// seen) become out_of_scope.
//
// The margin: the largest top-1 minus top-2 gap (at most 0.3) such that the
// answers with a smaller gap are right less than 60% of the time — the ones
// worth asking the customer about.
func Calibrate(probs [][]float32, gold []int, oos int, oosRecall float64) (threshold, margin float32) {
	if len(probs) == 0 {
		return 0, 0
	}
	hasOOS := false
	for _, g := range gold {
		hasOOS = hasOOS || (oos >= 0 && g == oos)
	}
	if hasOOS {
		bestJ := -1.0
		for step := range 100 {
			t := float32(step) / 100
			inRight, inN, oosRight, oosN := 0, 0, 0, 0
			for i, p := range probs {
				pred := argmax(p)
				if p[pred] < t {
					pred = oos
				}
				if gold[i] == oos {
					oosN++
					if pred == oos {
						oosRight++
					}
				} else {
					inN++
					if pred == gold[i] {
						inRight++
					}
				}
			}
			recall := float64(oosRight) / float64(oosN)
			if recall >= oosRecall {
				threshold = t
				break
			}
			if j := (float64(inRight)/float64(max(inN, 1)) + recall) / 2; j > bestJ+1e-9 {
				bestJ, threshold = j, t
			}
		}
	} else {
		var conf []float64
		for i, p := range probs {
			if pred := argmax(p); pred == gold[i] {
				conf = append(conf, float64(p[pred]))
			}
		}
		if len(conf) > 0 {
			sort.Float64s(conf)
			threshold = float32(conf[int(0.01*float64(len(conf)))])
			threshold = float32(math.Floor(float64(threshold)*100) / 100)
		}
	}

	// For each gap bin of 0.01, the answers accepted and right.
	const bins = 30
	var n, right [bins]int
	for i, p := range probs {
		a, b := top2(p)
		if b < 0 || p[a] < threshold || a == oos {
			continue
		}
		bin := int((p[a] - p[b]) * 100)
		if bin >= bins {
			continue
		}
		n[bin]++
		if a == gold[i] {
			right[bin]++
		}
	}
	cn, cr := 0, 0
	for bin := range bins {
		cn += n[bin]
		cr += right[bin]
		if cn > 0 && float64(cr) < 0.6*float64(cn) {
			margin = float32(bin+1) / 100
		}
	}
	return threshold, margin
}

// String describes the options briefly, for logs and model.json.
func (o Options) String() string {
	return fmt.Sprintf("features=%s pool=%s dim=%d hidden=%d members=%d epochs=%d lr=%g dropout=%g smooth=%g refit=%v seed=%d",
		o.Features, o.Pool, o.Dim, o.Hidden, o.Members, o.Epochs, o.LR, o.Dropout, o.Smooth, o.Refit, o.Seed)
}

// Meta returns the model's description as Save would write it, without
// the version and metrics.
func (t *Trained) Meta() Meta {
	return Meta{
		Format:    FormatVersion,
		Labels:    slices.Clone(t.Labels),
		Features:  t.Features,
		Pool:      t.Pool,
		Dim:       t.Net.Members[0].Dim,
		Hidden:    t.Net.Members[0].Hidden,
		Members:   len(t.Net.Members),
		Threshold: t.Threshold,
		Margin:    t.Margin,
		DataHash:  t.DataHash,
		Training:  t.Options.String(),
		Epochs:    t.Epochs,
	}
}

// Classify classifies raw texts with the trainer's own forward pass (no
// ONNX Runtime), deciding as a served model would. heldOut picks the
// Selected network, which has not seen the validation data.
func (t *Trained) Classify(raw []string, heldOut bool) []nlu.Intent {
	net := t.Net
	if heldOut {
		net = t.Selected
	}
	meta := t.Meta()
	out := make([]nlu.Intent, len(raw))
	for i, r := range raw {
		out[i] = meta.Decide(net.Probs(t.Features.Featurize(nil, text.Normalize(r)), t.Pool), TopK)
	}
	return out
}
