package onnxgraph

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// DataType is an ONNX tensor element type (TensorProto.DataType).
type DataType int32

// The element types this package writes.
const (
	Float32 DataType = 1 // FLOAT
	Int32   DataType = 6 // INT32
	Int64   DataType = 7 // INT64
)

func (t DataType) String() string {
	switch t {
	case Float32:
		return "float32"
	case Int32:
		return "int32"
	case Int64:
		return "int64"
	}
	return "DataType(" + strconv.Itoa(int(t)) + ")"
}

func (t DataType) valid() bool { return t == Float32 || t == Int32 || t == Int64 }

// Dim is one dimension of an input or output shape: a fixed size, or a
// named dynamic size such as "batch".
type Dim struct {
	Value int64  // the size, when Param is empty
	Param string // the name of a dynamic dimension
}

// Fixed returns a dimension of size n.
func Fixed(n int64) Dim { return Dim{Value: n} }

// Dynamic returns a dynamic dimension named name. Dimensions with the same
// name have the same size at run time.
func Dynamic(name string) Dim { return Dim{Param: name} }

type attrKind int32

// AttributeProto.AttributeType values.
const (
	attrFloat   attrKind = 1
	attrInt     attrKind = 2
	attrString  attrKind = 3
	attrFloats  attrKind = 6
	attrInts    attrKind = 7
	attrUnknown attrKind = 0
)

// Attr is a node attribute. Make one with Int, Float, String, Ints or
// Floats.
type Attr struct {
	name   string
	kind   attrKind
	i      int64
	f      float32
	s      string
	ints   []int64
	floats []float32
}

// Int returns an INT attribute.
func Int(name string, v int64) Attr { return Attr{name: name, kind: attrInt, i: v} }

// Float returns a FLOAT attribute.
func Float(name string, v float32) Attr { return Attr{name: name, kind: attrFloat, f: v} }

// String returns a STRING attribute.
func String(name, v string) Attr { return Attr{name: name, kind: attrString, s: v} }

// Ints returns an INTS attribute.
func Ints(name string, v ...int64) Attr { return Attr{name: name, kind: attrInts, ints: v} }

// Floats returns a FLOATS attribute.
func Floats(name string, v ...float32) Attr { return Attr{name: name, kind: attrFloats, floats: v} }

// node is one NodeProto.
type node struct {
	name    string
	op      string
	inputs  []string
	outputs []string
	attrs   []Attr
}

// tensor is one TensorProto with its data already little-endian.
type tensor struct {
	name string
	typ  DataType
	dims []int64
	raw  []byte
}

// valueInfo is one ValueInfoProto of a tensor.
type valueInfo struct {
	name  string
	typ   DataType
	shape []Dim
}

// Graph builds an ONNX graph. Its methods record the first error and keep
// going; see Err. A Graph is not safe for concurrent use.
type Graph struct {
	name         string
	doc          string
	nodes        []node
	initializers []tensor
	inputs       []valueInfo
	outputs      []valueInfo
	defined      map[string]bool // every value name: inputs, initializers, node outputs
	nodeNames    map[string]bool
	seq          int
	err          error
}

// NewGraph returns an empty graph called name.
func NewGraph(name string) *Graph {
	return &Graph{name: name, defined: map[string]bool{}, nodeNames: map[string]bool{}}
}

// Err returns the first mistake made while building the graph, or nil.
func (g *Graph) Err() error { return g.err }

// SetDoc sets the graph's doc string.
func (g *Graph) SetDoc(doc string) { g.doc = doc }

func (g *Graph) fail(format string, args ...any) {
	if g.err == nil {
		g.err = fmt.Errorf("onnx graph %s: "+format, append([]any{g.name}, args...)...)
	}
}

// define claims a new value name.
func (g *Graph) define(name string) bool {
	switch {
	case name == "":
		g.fail("empty value name")
		return false
	case g.defined[name]:
		g.fail("value %q defined twice", name)
		return false
	}
	g.defined[name] = true
	return true
}

// fresh returns an unused value name starting with prefix.
func (g *Graph) fresh(prefix string) string {
	for {
		g.seq++
		name := prefix + "_" + strconv.Itoa(g.seq)
		if !g.defined[name] && !g.nodeNames[name] {
			return name
		}
	}
}

func (g *Graph) checkShape(what string, typ DataType, shape []Dim) bool {
	if !typ.valid() {
		g.fail("%s: unsupported element type %s", what, typ)
		return false
	}
	for _, d := range shape {
		if d.Param == "" && d.Value < 0 {
			g.fail("%s: negative dimension %d", what, d.Value)
			return false
		}
	}
	return true
}

// Input declares a graph input and returns its name.
func (g *Graph) Input(name string, typ DataType, shape ...Dim) string {
	if g.checkShape("input "+name, typ, shape) && g.define(name) {
		g.inputs = append(g.inputs, valueInfo{name: name, typ: typ, shape: shape})
	}
	return name
}

// Output declares value, produced by a node, an initializer or an input, as
// a graph output of the given type and shape. Use Rename first to give it a
// stable name.
func (g *Graph) Output(value string, typ DataType, shape ...Dim) {
	if !g.checkShape("output "+value, typ, shape) {
		return
	}
	for _, o := range g.outputs {
		if o.name == value {
			g.fail("output %q declared twice", value)
			return
		}
	}
	g.outputs = append(g.outputs, valueInfo{name: value, typ: typ, shape: shape})
}

// Rename renames value, wherever it is defined or used, to name and returns
// name. It is how an auto-named node output gets the name a caller feeds or
// fetches.
func (g *Graph) Rename(value, name string) string {
	if value == name {
		return name
	}
	if !g.defined[value] {
		g.fail("rename %q: no such value", value)
		return name
	}
	if !g.define(name) {
		return name
	}
	delete(g.defined, value)
	swap := func(names []string) {
		for i, n := range names {
			if n == value {
				names[i] = name
			}
		}
	}
	for i := range g.nodes {
		swap(g.nodes[i].inputs)
		swap(g.nodes[i].outputs)
	}
	for i := range g.initializers {
		if g.initializers[i].name == value {
			g.initializers[i].name = name
		}
	}
	for _, vs := range [][]valueInfo{g.inputs, g.outputs} {
		for i := range vs {
			if vs[i].name == value {
				vs[i].name = name
			}
		}
	}
	return name
}

// initializer adds a constant; name "" picks a fresh one.
func (g *Graph) initializer(name string, typ DataType, dims []int64, n int, raw []byte) string {
	if name == "" {
		name = g.fresh("const")
	}
	want := int64(1)
	for _, d := range dims {
		if d < 0 || (d > 0 && want > math.MaxInt64/d) {
			g.fail("initializer %s: bad dimensions %v", name, dims)
			return name
		}
		want *= d
	}
	if want != int64(n) {
		g.fail("initializer %s: dimensions %v hold %d elements, data has %d", name, dims, want, n)
		return name
	}
	if g.define(name) {
		g.initializers = append(g.initializers, tensor{name: name, typ: typ, dims: append([]int64(nil), dims...), raw: raw})
	}
	return name
}

// Float32s adds a float32 constant (an initializer) of the given dimensions,
// row-major, and returns its name. An empty name picks a fresh one; no
// dimensions make a scalar. The data is copied.
func (g *Graph) Float32s(name string, data []float32, dims ...int64) string {
	raw := make([]byte, 4*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	return g.initializer(name, Float32, dims, len(data), raw)
}

// Int64s adds an int64 constant, like Float32s.
func (g *Graph) Int64s(name string, data []int64, dims ...int64) string {
	raw := make([]byte, 8*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint64(raw[8*i:], uint64(v))
	}
	return g.initializer(name, Int64, dims, len(data), raw)
}

// Int32s adds an int32 constant, like Float32s.
func (g *Graph) Int32s(name string, data []int32, dims ...int64) string {
	raw := make([]byte, 4*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint32(raw[4*i:], uint32(v))
	}
	return g.initializer(name, Int32, dims, len(data), raw)
}

// Node adds a node running op (a default-domain, opset 17 operator) that
// reads inputs and defines outputs. An empty input name is an omitted
// optional input. The node is named after its first output.
func (g *Graph) Node(op string, inputs, outputs []string, attrs ...Attr) {
	if op == "" {
		g.fail("node with no op type")
		return
	}
	if len(outputs) == 0 {
		g.fail("%s node with no outputs", op)
		return
	}
	for _, a := range attrs {
		if a.name == "" || a.kind == attrUnknown {
			g.fail("%s node: attribute without a name or a value", op)
			return
		}
	}
	for _, o := range outputs {
		if !g.define(o) {
			return
		}
	}
	name := outputs[0]
	if g.nodeNames[name] {
		name = g.fresh(strings.ToLower(op))
	}
	g.nodeNames[name] = true
	g.nodes = append(g.nodes, node{
		name:    name,
		op:      op,
		inputs:  append([]string(nil), inputs...),
		outputs: append([]string(nil), outputs...),
		attrs:   append([]Attr(nil), attrs...),
	})
}

// Op adds a node with one output, named after op, and returns that name.
func (g *Graph) Op(op string, inputs []string, attrs ...Attr) string {
	out := g.fresh(strings.ToLower(op))
	g.Node(op, inputs, []string{out}, attrs...)
	return out
}

// MatMul returns a × b (numpy-style matrix product).
func (g *Graph) MatMul(a, b string) string { return g.Op("MatMul", []string{a, b}) }

// Gemm returns alpha·A'·B' + beta·C, where A' and B' are A and B, transposed
// if the attributes transA or transB are 1. c may be "".
func (g *Graph) Gemm(a, b, c string, attrs ...Attr) string {
	in := []string{a, b, c}
	if c == "" {
		in = in[:2]
	}
	return g.Op("Gemm", in, attrs...)
}

// Add returns a + b, with broadcasting.
func (g *Graph) Add(a, b string) string { return g.Op("Add", []string{a, b}) }

// Sub returns a - b, with broadcasting.
func (g *Graph) Sub(a, b string) string { return g.Op("Sub", []string{a, b}) }

// Mul returns a · b, element-wise with broadcasting.
func (g *Graph) Mul(a, b string) string { return g.Op("Mul", []string{a, b}) }

// Div returns a / b, element-wise with broadcasting.
func (g *Graph) Div(a, b string) string { return g.Op("Div", []string{a, b}) }

// Gather returns the slices of data picked by the int32 or int64 indices
// along axis: with axis 0 and an embedding table for data, the embeddings
// of token ids, shape indices.shape + [dim].
func (g *Graph) Gather(data, indices string, axis int64) string {
	return g.Op("Gather", []string{data, indices}, Int("axis", axis))
}

// ReduceMean returns the mean over axes (all axes if none).
func (g *Graph) ReduceMean(x string, keepDims bool, axes ...int64) string {
	attrs := []Attr{Int("keepdims", boolInt(keepDims))}
	if len(axes) > 0 {
		attrs = append(attrs, Ints("axes", axes...))
	}
	return g.Op("ReduceMean", []string{x}, attrs...)
}

// ReduceSum returns the sum over axes (all axes if none). Opset 17 takes the
// axes as an input: ReduceSum adds them as a constant.
func (g *Graph) ReduceSum(x string, keepDims bool, axes ...int64) string {
	in := []string{x}
	if len(axes) > 0 {
		in = append(in, g.Int64s("", axes, int64(len(axes))))
	}
	return g.Op("ReduceSum", in, Int("keepdims", boolInt(keepDims)))
}

// Softmax returns the softmax of x along axis (-1: the last).
func (g *Graph) Softmax(x string, axis int64) string {
	return g.Op("Softmax", []string{x}, Int("axis", axis))
}

// ArgMax returns the int64 indices of the largest values along axis.
func (g *Graph) ArgMax(x string, axis int64, keepDims bool) string {
	return g.Op("ArgMax", []string{x}, Int("axis", axis), Int("keepdims", boolInt(keepDims)))
}

// Relu returns max(x, 0).
func (g *Graph) Relu(x string) string { return g.Op("Relu", []string{x}) }

// Tanh returns tanh(x).
func (g *Graph) Tanh(x string) string { return g.Op("Tanh", []string{x}) }

// Sigmoid returns 1/(1+exp(-x)).
func (g *Graph) Sigmoid(x string) string { return g.Op("Sigmoid", []string{x}) }

// Identity returns a copy of x; useful to expose one value as two outputs.
func (g *Graph) Identity(x string) string { return g.Op("Identity", []string{x}) }

// Cast returns x converted to the element type to.
func (g *Graph) Cast(x string, to DataType) string {
	return g.Op("Cast", []string{x}, Int("to", int64(to)))
}

// Reshape returns x with the given shape (0 copies a dimension of x, -1 is
// inferred), added as a constant.
func (g *Graph) Reshape(x string, shape ...int64) string {
	return g.Op("Reshape", []string{x, g.Int64s("", shape, int64(len(shape)))})
}

// Unsqueeze returns x with size-1 dimensions inserted at axes.
func (g *Graph) Unsqueeze(x string, axes ...int64) string {
	return g.Op("Unsqueeze", []string{x, g.Int64s("", axes, int64(len(axes)))})
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// check verifies the graph as a whole: every value a node reads is defined
// before the node, every output is defined, names are unique.
func (g *Graph) check() error {
	if g.err != nil {
		return g.err
	}
	if len(g.outputs) == 0 {
		return fmt.Errorf("onnx graph %s: no outputs", g.name)
	}
	known := make(map[string]bool, len(g.defined))
	for _, in := range g.inputs {
		known[in.name] = true
	}
	for _, t := range g.initializers {
		known[t.name] = true
	}
	for _, n := range g.nodes {
		for _, in := range n.inputs {
			if in != "" && !known[in] {
				return fmt.Errorf("onnx graph %s: node %s (%s) reads %q before it is defined", g.name, n.name, n.op, in)
			}
		}
		for _, out := range n.outputs {
			known[out] = true
		}
	}
	for _, o := range g.outputs {
		if !known[o.name] {
			return fmt.Errorf("onnx graph %s: output %q is never defined", g.name, o.name)
		}
	}
	return nil
}
