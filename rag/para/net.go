package para

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu/intent"
	"github.com/assistd/assist/nlu/text"
)

// Net is the question encoder: an embedding bag over the intent model's
// hashed features (nlu/intent FeatureConfig), summed and divided by the
// square root of their count, then scaled to unit length. Two questions
// are alike by the cosine (dot product) of their vectors.
type Net struct {
	Features intent.FeatureConfig
	Dim      int
	Emb      []float32 // [Features.Buckets, Dim], row-major
	// Heads is how many nets of Dim/Heads numbers, trained apart with
	// other seeds (TrainHeads), the vector is made of: each head's part
	// is scaled to unit length on its own, so the cosine of two vectors
	// is the mean of their heads' cosines. 0 is one head.
	Heads int

	id     string // ModelID's, once computed
	idOnce sync.Once
}

// ModelID names the net's model: two nets with one ModelID encode every
// text alike. It is a hash of the features, the dimensions and the
// weights, computed at the first call (Load makes it, so that a turn
// does not; the weights must not change after it), valid within one
// process only. What
// package rag remembers of an encoder's vectors is keyed by it, so a
// model loaded again (a story of `assist eval dialog`, a reload) shares
// those vectors, and a net no longer served is not kept reachable.
func (n *Net) ModelID() string {
	n.idOnce.Do(func() { n.id = n.hashID(nil) })
	return n.id
}

// hashID is ModelID's hash; weights, when not nil, are Emb as the model
// file holds it (little-endian), which Load has at hand.
func (n *Net) hashID(weights []byte) string {
	var h maphash.Hash
	h.SetSeed(idSeed)
	fmt.Fprintf(&h, "%+v %d %d\n", n.Features, n.Dim, n.Heads)
	if weights != nil {
		h.Write(weights)
	} else {
		buf := make([]byte, 0, 1<<16)
		for i, x := range n.Emb {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
			if len(buf) == cap(buf) || i == len(n.Emb)-1 {
				h.Write(buf)
				buf = buf[:0]
			}
		}
	}
	return fmt.Sprintf("para-%d-%016x", n.Dim, h.Sum64())
}

// idSeed is the process's seed of ModelID's hash.
var idSeed = maphash.MakeSeed()

// ids returns the hashed features of a text.
func (n *Net) ids(s string) []int32 {
	return n.Features.Featurize(nil, text.Normalize(s))
}

// pooled writes the unnormalised pooled vector of ids into v and returns
// its length.
func (n *Net) pooled(ids []int32, v []float32) float64 {
	clear(v)
	if len(ids) == 0 {
		return 0
	}
	w := float32(1 / math.Sqrt(float64(len(ids))))
	d := n.Dim
	for _, id := range ids {
		row := n.Emb[int(id)*d : int(id)*d+d]
		for k, x := range row {
			v[k] += w * x
		}
	}
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

// Encode returns the unit vector of a text (zero for a text without
// features).
func (n *Net) Encode(s string) []float32 {
	v := make([]float32, n.Dim)
	if l := n.pooled(n.ids(s), v); l > 0 {
		if n.Heads <= 1 {
			for k := range v {
				v[k] /= float32(l)
			}
			return v
		}
		hd := n.Dim / n.Heads
		for h := range n.Heads {
			part := v[h*hd : h*hd+hd]
			var sq float64
			for _, x := range part {
				sq += float64(x) * float64(x)
			}
			if sq == 0 {
				continue
			}
			scale := float32(1 / math.Sqrt(sq*float64(n.Heads)))
			for k := range part {
				part[k] *= scale
			}
		}
	}
	return v
}

// TrainHeads trains heads nets (Train) with seeds o.Seed, o.Seed+1, …
// and joins them into one (Net.Heads): their mean cosine is steadier than
// one net's, which moves with the seed. Errors: those of Train, and
// those of CheckHeads.
func TrainHeads(groups []Group, fc intent.FeatureConfig, o Options, heads int) (*Net, error) {
	if err := CheckHeads(o, heads); err != nil {
		return nil, err
	}
	if heads == 1 {
		return Train(groups, fc, o)
	}
	out := &Net{Features: fc, Dim: heads * o.Dim, Heads: heads, Emb: make([]float32, fc.Buckets*heads*o.Dim)}
	for h := range heads {
		oh := o
		oh.Seed = o.Seed + uint64(h)
		n, err := Train(groups, fc, oh)
		if err != nil {
			return nil, err
		}
		for r := range fc.Buckets {
			copy(out.Emb[r*out.Dim+h*o.Dim:r*out.Dim+h*o.Dim+o.Dim], n.Emb[r*o.Dim:r*o.Dim+o.Dim])
		}
	}
	return out, nil
}

// CheckHeads reports whether TrainHeads takes heads nets of o: an
// EINVALID error when o is not valid (Options.Validate), heads is below 1
// or the joined vector would be longer than MaxDim (compared without
// multiplying, which a huge count would overflow).
func CheckHeads(o Options, heads int) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if heads < 1 || heads > MaxDim/o.Dim {
		return assist.Errorf(assist.EINVALID, "heads %d: want 1 to %d heads of %d numbers", heads, MaxDim/o.Dim, o.Dim)
	}
	return nil
}

// Dot is the dot product of two vectors (the cosine of two Encode results).
func Dot(a, b []float32) float64 {
	var s float64
	for i, x := range a {
		s += float64(x) * float64(b[i])
	}
	return s
}

// Group is texts that ask the same thing (paraphrases of one question), or
// a looser group (questions one article answers, messages of one intent)
// with a lower Weight.
type Group struct {
	Texts  []string
	Weight float64
}

// Options are the training settings.
type Options struct {
	Dim    int
	Epochs int     // passes over the groups
	Batch  int     // groups per step (each gives an anchor and a positive)
	Temp   float64 // softmax temperature of the in-batch contrastive loss
	LR     float64 // Adagrad learning rate
	Seed   uint64
	Init   float64 // scale of the initial weights
}

// DefaultOptions are the settings measured in the README.
var DefaultOptions = Options{Dim: 64, Epochs: 80, Batch: 32, Temp: 0.1, LR: 0.05, Seed: 1, Init: 1}

// MaxDim is the longest vector a model may have: Train and Load refuse
// longer ones.
const MaxDim = 1024

// Validate reports settings Train cannot train with (EINVALID).
func (o Options) Validate() error {
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	switch {
	case o.Dim < 1 || o.Dim > MaxDim:
		return assist.Errorf(assist.EINVALID, "dim %d: want 1 to %d", o.Dim, MaxDim)
	case o.Batch < 2:
		return assist.Errorf(assist.EINVALID, "batch %d: want at least 2 (each anchor picks its positive among the batch's)", o.Batch)
	case o.Epochs < 0:
		return assist.Errorf(assist.EINVALID, "epochs %d: want 0 or more", o.Epochs)
	case !(o.Temp > 0) || !finite(o.Temp):
		return assist.Errorf(assist.EINVALID, "temperature %g: want a number above 0", o.Temp)
	case !(o.LR > 0) || !finite(o.LR):
		return assist.Errorf(assist.EINVALID, "learning rate %g: want a number above 0", o.LR)
	case !(o.Init >= 0) || !finite(o.Init):
		return assist.Errorf(assist.EINVALID, "initial scale %g: want 0 or more", o.Init)
	}
	return nil
}

// notNumber returns the index of the first weight that is NaN or
// infinite, -1 when all are numbers.
func notNumber(w []float32) int {
	for i, x := range w {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return i
		}
	}
	return -1
}

// Train fits a Net on the groups with an in-batch contrastive loss: each
// group gives an anchor and a positive text per step, and the anchor must
// pick its positive among the batch's positives. It is deterministic for
// a seed. Errors: EINVALID for bad options, features or group weights (see
// Options.Validate; a weight is a number from 0), and when training
// diverges (a weight that is not a number).
func Train(groups []Group, fc intent.FeatureConfig, o Options) (*Net, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if err := fc.Validate(); err != nil {
		return nil, err
	}
	for i, g := range groups {
		if !(g.Weight >= 0) || math.IsInf(g.Weight, 0) {
			return nil, assist.Errorf(assist.EINVALID, "group %d: weight %g, want a number from 0", i, g.Weight)
		}
	}
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	n := &Net{Features: fc, Dim: o.Dim, Emb: make([]float32, fc.Buckets*o.Dim)}
	scale := o.Init / math.Sqrt(float64(o.Dim))
	for i := range n.Emb {
		n.Emb[i] = float32(rng.NormFloat64() * scale)
	}
	if o.Epochs == 0 {
		return n, nil
	}
	// Featurize once.
	type gfeat struct {
		ids [][]int32
		w   float64
	}
	var gs []gfeat
	for _, g := range groups {
		var ids [][]int32
		for _, t := range g.Texts {
			if f := n.ids(t); len(f) > 0 {
				ids = append(ids, f)
			}
		}
		if len(ids) >= 2 {
			gs = append(gs, gfeat{ids, g.Weight})
		}
	}
	acc := make([]float32, len(n.Emb)) // Adagrad accumulators per weight
	d := o.Dim
	order := make([]int, len(gs))
	for i := range order {
		order[i] = i
	}
	for range o.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for start := 0; start < len(order); start += o.Batch {
			batch := order[start:min(len(order), start+o.Batch)]
			b := len(batch)
			if b < 2 {
				continue
			}
			a := make([][]int32, b)
			p := make([][]int32, b)
			wt := make([]float64, b)
			for i, gi := range batch {
				g := gs[gi]
				x := rng.IntN(len(g.ids))
				y := rng.IntN(len(g.ids) - 1)
				if y >= x {
					y++
				}
				a[i], p[i], wt[i] = g.ids[x], g.ids[y], g.w
			}
			n.step(a, p, wt, o, acc, d)
		}
	}
	if i := notNumber(n.Emb); i >= 0 {
		return nil, assist.Errorf(assist.EINVALID, "training diverged: weight %d is not a number (lower the learning rate)", i)
	}
	return n, nil
}

// step does one Adagrad step on a batch of anchors and positives.
func (n *Net) step(a, p [][]int32, wt []float64, o Options, acc []float32, d int) {
	b := len(a)
	ua := make([][]float32, b)
	up := make([][]float32, b)
	la := make([]float64, b)
	lp := make([]float64, b)
	for i := range b {
		ua[i] = make([]float32, d)
		up[i] = make([]float32, d)
		la[i] = n.pooled(a[i], ua[i])
		lp[i] = n.pooled(p[i], up[i])
		for k := range d {
			ua[i][k] /= float32(la[i])
			up[i][k] /= float32(lp[i])
		}
	}
	ga := make([][]float64, b)
	gp := make([][]float64, b)
	for i := range b {
		ga[i] = make([]float64, d)
		gp[i] = make([]float64, d)
	}
	// Symmetric InfoNCE: rows (anchor i picks positive i) and columns.
	s := make([][]float64, b)
	for i := range b {
		s[i] = make([]float64, b)
		for j := range b {
			s[i][j] = Dot(ua[i], up[j]) / o.Temp
		}
	}
	soft := func(x []float64) []float64 {
		m := x[0]
		for _, v := range x {
			m = max(m, v)
		}
		out := make([]float64, len(x))
		var z float64
		for i, v := range x {
			out[i] = math.Exp(v - m)
			z += out[i]
		}
		for i := range out {
			out[i] /= z
		}
		return out
	}
	for i := range b {
		pr := soft(s[i])
		for j := range b {
			g := pr[j]
			if i == j {
				g--
			}
			g *= wt[i] / o.Temp
			for k := range d {
				ga[i][k] += g * float64(up[j][k])
				gp[j][k] += g * float64(ua[i][k])
			}
		}
		col := make([]float64, b)
		for j := range b {
			col[j] = s[j][i]
		}
		pc := soft(col)
		for j := range b {
			g := pc[j]
			if i == j {
				g--
			}
			g *= wt[i] / o.Temp
			for k := range d {
				gp[i][k] += g * float64(ua[j][k])
				ga[j][k] += g * float64(up[i][k])
			}
		}
	}
	apply := func(ids []int32, u []float32, l float64, g []float64) {
		if l == 0 {
			return
		}
		// Through the normalisation: (g - (g·u)u)/l, then the pooling weight.
		var gu float64
		for k := range d {
			gu += g[k] * float64(u[k])
		}
		w := 1 / math.Sqrt(float64(len(ids))) / l
		gv := make([]float32, d)
		for k := range d {
			gv[k] = float32((g[k] - gu*float64(u[k])) * w)
		}
		for _, id := range ids {
			off := int(id) * d
			for k := range d {
				x := gv[k]
				acc[off+k] += x * x
				n.Emb[off+k] -= float32(o.LR) * x / float32(math.Sqrt(float64(acc[off+k]))+1e-8)
			}
		}
	}
	for i := range b {
		apply(a[i], ua[i], la[i], ga[i])
		apply(p[i], up[i], lp[i], gp[i])
	}
}

// Grouper collects texts into groups by a key, in the order keys are
// first seen.
type Grouper struct {
	Weight float64
	keys   []string
	texts  map[string][]string
}

// Add puts text in key's group.
func (g *Grouper) Add(key, text string) {
	if g.texts == nil {
		g.texts = map[string][]string{}
	}
	if _, ok := g.texts[key]; !ok {
		g.keys = append(g.keys, key)
	}
	g.texts[key] = append(g.texts[key], text)
}

// Groups returns the groups, each with g.Weight.
func (g *Grouper) Groups() []Group {
	var out []Group
	for _, k := range g.keys {
		out = append(out, Group{Texts: g.texts[k], Weight: g.Weight})
	}
	return out
}
