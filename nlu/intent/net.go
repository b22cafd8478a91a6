package intent

import (
	"math"
)

// Net is the network: an embedding bag over the hashed features (a
// weighted sum of rows of Emb, the weights set by the pooling), an optional
// tanh hidden layer, and a linear layer to the class logits, then softmax.
// All matrices are row-major float32, laid out as the ONNX export writes
// them.
type Net struct {
	Buckets int       `json:"-"`
	Dim     int       `json:"-"`
	Hidden  int       `json:"-"` // 0: no hidden layer
	Classes int       `json:"-"`
	Emb     []float32 `json:"-"` // [Buckets, Dim]
	W1      []float32 `json:"-"` // [Dim, Hidden]
	B1      []float32 `json:"-"` // [Hidden]
	W       []float32 `json:"-"` // [In, Classes], In = Hidden or Dim
	B       []float32 `json:"-"` // [Classes]
}

// in is the width of the output layer's input.
func (n *Net) in() int {
	if n.Hidden > 0 {
		return n.Hidden
	}
	return n.Dim
}

// Pooling says how the embeddings of a message's features are combined.
type Pooling string

// The poolings: the mean (fastText), or the sum divided by the square root
// of the count (longer messages get longer vectors).
const (
	PoolMean Pooling = "mean"
	PoolSqrt Pooling = "sqrt"
)

// weight is the factor of each of n features' embedding.
func (p Pooling) weight(n int) float32 {
	if n == 0 {
		return 0
	}
	if p == PoolSqrt {
		return float32(1 / math.Sqrt(float64(n)))
	}
	return 1 / float32(n)
}

// scratch holds the intermediate vectors of one forward pass.
type scratch struct {
	h, a, z, logits, ga, gh []float32
}

func (n *Net) newScratch() *scratch {
	return &scratch{
		h:      make([]float32, n.Dim),
		a:      make([]float32, n.in()),
		z:      make([]float32, n.Hidden),
		logits: make([]float32, n.Classes),
		ga:     make([]float32, n.in()),
		gh:     make([]float32, n.Dim),
	}
}

// forward computes the class probabilities of features ids, each weighted
// w, into s.logits (softmaxed in place).
func (n *Net) forward(ids []int32, w float32, s *scratch) {
	d := n.Dim
	h := s.h
	clear(h)
	for _, id := range ids {
		row := n.Emb[int(id)*d : int(id)*d+d]
		for k, v := range row {
			h[k] += w * v
		}
	}
	a := h
	if n.Hidden > 0 {
		a = s.a
		copy(a, n.B1)
		for k, hv := range h {
			if hv == 0 {
				continue
			}
			row := n.W1[k*n.Hidden : (k+1)*n.Hidden]
			for j, wv := range row {
				a[j] += hv * wv
			}
		}
		for j := range a {
			a[j] = float32(math.Tanh(float64(a[j])))
		}
	}
	c := n.Classes
	logits := s.logits
	copy(logits, n.B)
	for j, av := range a {
		row := n.W[j*c : (j+1)*c]
		for k, wv := range row {
			logits[k] += av * wv
		}
	}
	softmax(logits)
}

func softmax(x []float32) {
	max := x[0]
	for _, v := range x[1:] {
		if v > max {
			max = v
		}
	}
	var sum float64
	for i, v := range x {
		e := math.Exp(float64(v - max))
		x[i] = float32(e)
		sum += e
	}
	inv := float32(1 / sum)
	for i := range x {
		x[i] *= inv
	}
}

// Probs returns the class probabilities of one message's features, as
// pooled by p: the trainer's own forward pass, which the ONNX export must
// reproduce.
func (n *Net) Probs(ids []int32, p Pooling) []float32 {
	s := n.newScratch()
	n.forward(ids, p.weight(len(ids)), s)
	return append([]float32(nil), s.logits...)
}

// Ensemble is the network served: the mean of its members' class
// probabilities. The members share the features and the shape and differ
// in their seeds (initial weights, example order, feature dropout), so
// their errors partly cancel. One member is the plain fastText-style model.
type Ensemble struct {
	Members []*Net
}

// Probs returns the mean of the members' class probabilities of one
// message's features, as pooled by p: the trainer's own forward pass,
// which the ONNX export must reproduce.
func (e *Ensemble) Probs(ids []int32, p Pooling) []float32 {
	s := e.Members[0].newScratch()
	out := make([]float32, e.Members[0].Classes)
	e.probs(ids, p.weight(len(ids)), s, out)
	return out
}

// probs writes the mean probabilities into out, summing the members in
// order and then scaling, as the exported graph does.
func (e *Ensemble) probs(ids []int32, w float32, s *scratch, out []float32) {
	for i, n := range e.Members {
		n.forward(ids, w, s)
		if i == 0 {
			copy(out, s.logits)
			continue
		}
		for c, v := range s.logits {
			out[c] += v
		}
	}
	if k := len(e.Members); k > 1 {
		inv := 1 / float32(k)
		for c := range out {
			out[c] *= inv
		}
	}
}

// clone returns a deep copy.
func (n *Net) clone() *Net {
	c := *n
	c.Emb = append([]float32(nil), n.Emb...)
	c.W1 = append([]float32(nil), n.W1...)
	c.B1 = append([]float32(nil), n.B1...)
	c.W = append([]float32(nil), n.W...)
	c.B = append([]float32(nil), n.B...)
	return &c
}
