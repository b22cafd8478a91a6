package onnxgraph_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/assistd/assist/models/onnxgraph"
	"github.com/assistd/assist/models/onnxgraph/onnxgraphtest"
)

// classifier builds the two shapes of model the intent exporter writes: a
// dense one (x → MatMul → Add → Softmax) and a bag of ids (Gather from an
// embedding table → ReduceMean / ReduceSum → Gemm → Softmax, ArgMax).
func classifier(t *testing.T) *onnxgraph.Model {
	t.Helper()
	g := onnxgraph.NewGraph("classifier")
	batch := onnxgraph.Dynamic("batch")

	x := g.Input("x", onnxgraph.Float32, batch, onnxgraph.Fixed(4))
	w := g.Float32s("W", []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 4, 3)
	b := g.Float32s("b", []float32{0.5, -0.5, 0}, 3)
	probs := g.Softmax(g.Add(g.MatMul(x, w), b), -1)
	g.Output(g.Rename(probs, "probs"), onnxgraph.Float32, batch, onnxgraph.Fixed(3))

	ids := g.Input("ids", onnxgraph.Int64, batch, onnxgraph.Dynamic("tokens"))
	emb := g.Float32s("embedding", []float32{0, 0, 1, 1, 2, -2, 0.5, 0.25, 3, 3}, 5, 2)
	vectors := g.Gather(emb, ids, 0)
	mean := g.ReduceMean(vectors, false, 1)
	sum := g.ReduceSum(vectors, false, 1)
	both := g.Op("Concat", []string{mean, sum}, onnxgraph.Int("axis", 1))
	w2 := g.Float32s("W2", []float32{1, 0, 0, 1, 1, 1, 0.5, 0.5, -1, 1, 0, 0}, 3, 4)
	logits := g.Gemm(both, w2, g.Float32s("", []float32{0, 0.1, 0.2}, 3),
		onnxgraph.Int("transB", 1), onnxgraph.Float("alpha", 1), onnxgraph.Float("beta", 1))
	g.Output(g.Rename(g.Softmax(logits, 1), "bag_probs"), onnxgraph.Float32, batch, onnxgraph.Fixed(3))
	g.Output(g.Rename(g.ArgMax(logits, 1, false), "label"), onnxgraph.Int64, batch)
	g.Output(g.Rename(g.Cast(g.Reshape(ids, -1), onnxgraph.Int32), "flat_ids"), onnxgraph.Int32, onnxgraph.Dynamic("n"))
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	return &onnxgraph.Model{
		Graph:        g,
		ProducerName: "assist-test",
		Metadata:     map[string]string{"labels": "a,b,c", "algorithm": "test"},
	}
}

func TestMarshalCheckedByONNX(t *testing.T) {
	data, err := classifier(t).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	onnxgraphtest.Check(t, data)

	out := onnxgraphtest.Eval(t, data, `
import json
from onnx import numpy_helper
g = m.graph
def dims(v):
    return [d.dim_param if d.HasField("dim_param") else d.dim_value for d in v.type.tensor_type.shape.dim]
print(json.dumps({
    "ir_version": m.ir_version,
    "opset": [[o.domain, o.version] for o in m.opset_import],
    "producer": m.producer_name,
    "metadata": {p.key: p.value for p in m.metadata_props},
    "inputs": {v.name: [v.type.tensor_type.elem_type, dims(v)] for v in g.input},
    "outputs": {v.name: [v.type.tensor_type.elem_type, dims(v)] for v in g.output},
    "W": numpy_helper.to_array([i for i in g.initializer if i.name == "W"][0]).tolist(),
    "ops": [n.op_type for n in g.node],
    "gemm": {a.name: [a.type, a.i, a.f] for a in g.node[[n.op_type for n in g.node].index("Gemm")].attribute},
    "reducemean_axes": list([a for a in g.node[[n.op_type for n in g.node].index("ReduceMean")].attribute if a.name == "axes"][0].ints),
}))`)
	var got struct {
		IRVersion int64                     `json:"ir_version"`
		Opset     [][]any                   `json:"opset"`
		Producer  string                    `json:"producer"`
		Metadata  map[string]string         `json:"metadata"`
		Inputs    map[string][]any          `json:"inputs"`
		Outputs   map[string][]any          `json:"outputs"`
		W         [][]float64               `json:"W"`
		Ops       []string                  `json:"ops"`
		Gemm      map[string][3]json.Number `json:"gemm"`
		Axes      []int64                   `json:"reducemean_axes"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.IRVersion != 8 || len(got.Opset) != 1 || got.Opset[0][0] != "" || got.Opset[0][1] != 17.0 {
		t.Errorf("ir_version %d, opset %v; want 8 and [[\"\" 17]]", got.IRVersion, got.Opset)
	}
	if got.Producer != "assist-test" || got.Metadata["labels"] != "a,b,c" || got.Metadata["algorithm"] != "test" {
		t.Errorf("producer %q, metadata %v", got.Producer, got.Metadata)
	}
	wantIO := map[string]string{
		"in x":          `[1,["batch",4]]`,
		"in ids":        `[7,["batch","tokens"]]`,
		"out probs":     `[1,["batch",3]]`,
		"out bag_probs": `[1,["batch",3]]`,
		"out label":     `[7,["batch"]]`,
		"out flat_ids":  `[6,["n"]]`,
	}
	for k, want := range wantIO {
		kind, name, _ := strings.Cut(k, " ")
		v := got.Inputs[name]
		if kind == "out" {
			v = got.Outputs[name]
		}
		b, _ := json.Marshal(v)
		if string(b) != want {
			t.Errorf("%s: %s, want %s", k, b, want)
		}
	}
	if b, _ := json.Marshal(got.W); string(b) != "[[1,2,3],[4,5,6],[7,8,9],[10,11,12]]" {
		t.Errorf("W = %s", b)
	}
	// Gemm: transB is INT (2) = 1, alpha is FLOAT (1) = 1.
	if a := got.Gemm["transB"]; a[0] != "2" || a[1] != "1" {
		t.Errorf("Gemm transB = %v", a)
	}
	if a := got.Gemm["alpha"]; a[0] != "1" || a[2] != "1.0" {
		t.Errorf("Gemm alpha = %v", a)
	}
	if len(got.Axes) != 1 || got.Axes[0] != 1 {
		t.Errorf("ReduceMean axes = %v", got.Axes)
	}
}

// TestMarshalFields decodes the model with protowire, so the field numbers
// are checked even where Python's onnx is not installed.
func TestMarshalFields(t *testing.T) {
	data, err := classifier(t).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	model := fields(t, data)
	if v := model[1]; len(v) != 1 || v[0].n != 8 {
		t.Errorf("ir_version (1) = %v, want 8", v)
	}
	if v := model[8]; len(v) != 1 || fields(t, v[0].b)[2][0].n != 17 {
		t.Errorf("opset_import (8) = %v, want version 17", v)
	}
	if v := model[2]; len(v) != 1 || string(v[0].b) != "assist-test" {
		t.Errorf("producer_name (2) = %v", v)
	}
	if v := model[14]; len(v) != 2 || string(fields(t, v[0].b)[1][0].b) != "algorithm" {
		t.Errorf("metadata_props (14) = %v, want 2 entries sorted by key", v)
	}
	graph := fields(t, model[7][0].b)
	if string(graph[2][0].b) != "classifier" {
		t.Errorf("graph name (2) = %q", graph[2][0].b)
	}
	if n := len(graph[11]); n != 2 {
		t.Errorf("graph has %d inputs (11), want 2", n)
	}
	if n := len(graph[12]); n != 4 {
		t.Errorf("graph has %d outputs (12), want 4", n)
	}
	w := fields(t, graph[5][0].b) // the first initializer, W
	if string(w[8][0].b) != "W" || w[2][0].n != 1 || len(w[9][0].b) != 12*4 {
		t.Errorf("initializer W: name %q, data_type %d, %d raw bytes", w[8][0].b, w[2][0].n, len(w[9][0].b))
	}
	x := fields(t, graph[11][0].b) // ValueInfoProto x
	tensorType := fields(t, fields(t, x[2][0].b)[1][0].b)
	dims := fields(t, tensorType[2][0].b)[1]
	if string(fields(t, dims[0].b)[2][0].b) != "batch" || fields(t, dims[1].b)[1][0].n != 4 {
		t.Errorf("x dims wrong: %v", dims)
	}
}

type field struct {
	n uint64 // varint or fixed32 value
	b []byte // bytes value
}

// fields decodes one message level into its fields by number.
func fields(t *testing.T, b []byte) map[protowire.Number][]field {
	t.Helper()
	m := map[protowire.Number][]field{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			t.Fatalf("bad tag: %v", protowire.ParseError(n))
		}
		b = b[n:]
		var f field
		switch typ {
		case protowire.VarintType:
			f.n, n = protowire.ConsumeVarint(b)
		case protowire.Fixed32Type:
			var v uint32
			v, n = protowire.ConsumeFixed32(b)
			f.n = uint64(v)
		case protowire.BytesType:
			f.b, n = protowire.ConsumeBytes(b)
		default:
			t.Fatalf("field %d: unexpected wire type %d", num, typ)
		}
		if n < 0 {
			t.Fatalf("field %d: %v", num, protowire.ParseError(n))
		}
		b = b[n:]
		m[num] = append(m[num], f)
	}
	return m
}

func TestMarshalDeterministic(t *testing.T) {
	a, err := classifier(t).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		b, err := classifier(t).Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Fatal("two marshals of the same model differ")
		}
	}
}

func TestGraphErrors(t *testing.T) {
	x := func(g *onnxgraph.Graph) string {
		return g.Input("x", onnxgraph.Float32, onnxgraph.Dynamic("batch"), onnxgraph.Fixed(2))
	}
	tests := []struct {
		name  string
		build func(g *onnxgraph.Graph)
		want  string
	}{
		{"duplicate input", func(g *onnxgraph.Graph) {
			x(g)
			x(g)
		}, `value "x" defined twice`},
		{"initializer too short", func(g *onnxgraph.Graph) {
			g.Output(g.Float32s("w", []float32{1, 2, 3}, 2, 2), onnxgraph.Float32, onnxgraph.Fixed(2), onnxgraph.Fixed(2))
		}, "hold 4 elements, data has 3"},
		{"negative initializer dim", func(g *onnxgraph.Graph) {
			g.Int64s("w", nil, -1)
		}, "bad dimensions"},
		{"undefined node input", func(g *onnxgraph.Graph) {
			g.Output(g.Add(x(g), "nope"), onnxgraph.Float32)
		}, `reads "nope" before it is defined`},
		{"no outputs", func(g *onnxgraph.Graph) {
			g.Relu(x(g))
		}, "no outputs"},
		{"output never defined", func(g *onnxgraph.Graph) {
			x(g)
			g.Output("y", onnxgraph.Float32)
		}, `output "y" is never defined`},
		{"output declared twice", func(g *onnxgraph.Graph) {
			y := g.Relu(x(g))
			g.Output(y, onnxgraph.Float32)
			g.Output(y, onnxgraph.Float32)
		}, "declared twice"},
		{"rename onto an existing name", func(g *onnxgraph.Graph) {
			g.Output(g.Rename(g.Relu(x(g)), "x"), onnxgraph.Float32)
		}, `value "x" defined twice`},
		{"rename unknown value", func(g *onnxgraph.Graph) {
			g.Rename("nope", "y")
		}, `rename "nope": no such value`},
		{"unsupported type", func(g *onnxgraph.Graph) {
			g.Input("s", onnxgraph.DataType(8))
		}, "unsupported element type"},
		{"negative dim", func(g *onnxgraph.Graph) {
			g.Input("s", onnxgraph.Float32, onnxgraph.Fixed(-2))
		}, "negative dimension"},
		{"empty op", func(g *onnxgraph.Graph) {
			g.Node("", []string{x(g)}, []string{"y"})
		}, "no op type"},
		{"zero attribute", func(g *onnxgraph.Graph) {
			g.Op("Relu", []string{x(g)}, onnxgraph.Attr{})
		}, "attribute without a name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := onnxgraph.NewGraph("bad")
			tt.build(g)
			_, err := (&onnxgraph.Model{Graph: g}).Marshal()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Marshal() error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := (&onnxgraph.Model{}).Marshal(); err == nil {
		t.Error("Marshal of a model without a graph: no error")
	}
}

func TestWriteFile(t *testing.T) {
	m := classifier(t)
	path := filepath.Join(t.TempDir(), "m.onnx")
	if err := m.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := m.Marshal()
	if !bytes.Equal(got, want) {
		t.Error("file differs from Marshal")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("%d files in the folder, want only the model", len(entries))
	}
	if err := m.WriteFile(filepath.Join(t.TempDir(), "missing", "m.onnx")); err == nil {
		t.Error("WriteFile into a missing folder: no error")
	}
}
