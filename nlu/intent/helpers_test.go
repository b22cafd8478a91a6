package intent

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync/atomic"

	"github.com/assistd/assist"
	"github.com/assistd/assist/models"
)

// toyData writes a small bilingual data set: every intent has English and
// Chinese phrasings built from templates and fillers, so the words that
// carry the intent repeat and the rest varies.
func toyData(seed uint64, perIntent int) []Example {
	intents := map[string][]string{
		"track_shipment": {"where is my parcel %s", "track my package %s", "when will my delivery arrive %s", "我的快递到哪了%s", "物流信息查一下%s", "包裹什么时候到%s"},
		"refund_status":  {"where is my refund %s", "refund not received yet %s", "when do i get my money back %s", "退款什么时候到账%s", "我的退款进度%s", "钱怎么还没退回来%s"},
		"greeting":       {"hello %s", "hi there %s", "good morning %s", "你好%s", "在吗%s", "哈喽%s"},
		"out_of_scope":   {"what is the weather %s", "tell me a joke %s", "who won the football game %s", "今天天气怎么样%s", "讲个笑话%s", "你喜欢什么电影%s"},
	}
	fillers := []string{"", "please", "thanks", "asap", "?", "!!", "请问", "谢谢", "急", "order 12345", "亲"}
	r := rand.New(rand.NewPCG(seed, 3))
	var out []Example
	for _, label := range []string{"greeting", "out_of_scope", "refund_status", "track_shipment"} {
		for i := range perIntent {
			tpl := intents[label][r.IntN(len(intents[label]))]
			lang := "en"
			if tpl[0] >= 0x80 {
				lang = "zh"
			}
			out = append(out, Example{Text: fmt.Sprintf(tpl, fillers[(i+r.IntN(3))%len(fillers)]), Intent: label, Lang: lang})
		}
	}
	return out
}

// netRunner is a models.Runner computing the exported graph in Go, from an
// Ensemble: the fake ONNX Runtime of the tests that cannot load it.
type netRunner struct {
	net    *Ensemble
	runs   atomic.Int64
	closed atomic.Bool
	before func() // called at the start of each Run, if set
}

func (r *netRunner) Run(ctx context.Context, in map[string]models.Tensor) (map[string]models.Tensor, error) {
	if r.before != nil {
		r.before()
	}
	if r.closed.Load() {
		return nil, &assist.Error{Code: assist.EUNAVAILABLE, Message: "closed", Err: models.ErrClosed}
	}
	r.runs.Add(1)
	ids, w := in[InputIDs], in[InputWeights]
	if len(ids.Shape) != 2 || len(w.Shape) != 2 || ids.Shape[0] != w.Shape[0] || ids.Shape[1] != w.Shape[1] {
		return nil, assist.Errorf(assist.EINVALID, "bad inputs %v %v", ids.Shape, w.Shape)
	}
	batch, width := int(ids.Shape[0]), int(ids.Shape[1])
	classes := r.net.Members[0].Classes
	out := make([]float32, batch*classes)
	for m, n := range r.net.Members {
		s := n.newScratch()
		for b := range batch {
			clear(s.h)
			for j := range width {
				id, wt := ids.Int64[b*width+j], w.Float32[b*width+j]
				if id < 0 || id >= int64(n.Buckets) {
					return nil, assist.Errorf(assist.EINVALID, "id %d out of range", id)
				}
				for k := range n.Dim {
					s.h[k] += wt * n.Emb[int(id)*n.Dim+k]
				}
			}
			row := out[b*classes : (b+1)*classes]
			for c, p := range n.head(s) {
				if m == 0 {
					row[c] = p
				} else {
					row[c] += p
				}
			}
		}
	}
	if k := len(r.net.Members); k > 1 {
		for i := range out {
			out[i] *= 1 / float32(k)
		}
	}
	return map[string]models.Tensor{OutputProbs: models.Float32Tensor(out, int64(batch), int64(classes))}, nil
}

func (r *netRunner) Close() error { r.closed.Store(true); return nil }

// head runs the layers after the embedding bag on s.h.
func (n *Net) head(s *scratch) []float32 {
	a := s.h
	if n.Hidden > 0 {
		a = make([]float32, n.Hidden)
		copy(a, n.B1)
		for k, hv := range s.h {
			for j := range n.Hidden {
				a[j] += hv * n.W1[k*n.Hidden+j]
			}
		}
		for j := range a {
			a[j] = float32(math.Tanh(float64(a[j])))
		}
	}
	logits := make([]float32, n.Classes)
	copy(logits, n.B)
	for j, av := range a {
		for c := range n.Classes {
			logits[c] += av * n.W[j*n.Classes+c]
		}
	}
	softmax(logits)
	return logits
}
