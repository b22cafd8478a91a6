package onnxgraph

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"

	"google.golang.org/protobuf/encoding/protowire"
)

// The versions Marshal writes when Model leaves them zero: those of ONNX
// 1.12, which ONNX Runtime 1.24 reads.
const (
	DefaultIRVersion    = 8
	DefaultOpsetVersion = 17
)

// Model is an ONNX model: a graph and what describes it.
type Model struct {
	Graph           *Graph
	ProducerName    string
	ProducerVersion string
	Domain          string // reverse-DNS name of the model's namespace, optional
	ModelVersion    int64
	Doc             string
	// Metadata is written as metadata_props, sorted by key; ONNX Runtime
	// exposes it as the model's custom metadata.
	Metadata map[string]string
	// IRVersion and OpsetVersion default to DefaultIRVersion and
	// DefaultOpsetVersion (default domain).
	IRVersion    int64
	OpsetVersion int64
}

// Marshal checks the graph and encodes the model as an ONNX protobuf. The
// output is deterministic: the same model gives the same bytes.
func (m *Model) Marshal() ([]byte, error) {
	if m.Graph == nil {
		return nil, fmt.Errorf("onnx model: no graph")
	}
	if err := m.Graph.check(); err != nil {
		return nil, err
	}
	ir, opset := m.IRVersion, m.OpsetVersion
	if ir == 0 {
		ir = DefaultIRVersion
	}
	if opset == 0 {
		opset = DefaultOpsetVersion
	}

	// ModelProto, fields in number order.
	var b []byte
	b = appendInt(b, 1, ir) // ir_version
	b = appendString(b, 2, m.ProducerName)
	b = appendString(b, 3, m.ProducerVersion)
	b = appendString(b, 4, m.Domain)
	if m.ModelVersion != 0 {
		b = appendInt(b, 5, m.ModelVersion)
	}
	b = appendString(b, 6, m.Doc)
	b = appendMessage(b, 7, m.Graph.encode(nil))
	b = appendMessage(b, 8, appendInt(nil, 2, opset)) // opset_import {version}; domain "" is the default
	keys := make([]string, 0, len(m.Metadata))
	for k := range m.Metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys { // metadata_props: StringStringEntryProto{key = 1, value = 2}
		entry := protowire.AppendString(protowire.AppendTag(nil, 1, protowire.BytesType), k)
		entry = protowire.AppendString(protowire.AppendTag(entry, 2, protowire.BytesType), m.Metadata[k])
		b = appendMessage(b, 14, entry)
	}
	return b, nil
}

// WriteFile marshals the model and writes it to path atomically: a reader
// sees the old file or the whole new one.
func (m *Model) WriteFile(path string) error {
	data, err := m.Marshal()
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing onnx model: %w", err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing onnx model %s: %w", path, err)
	}
	return nil
}

// encode appends the GraphProto.
func (g *Graph) encode(b []byte) []byte {
	for _, n := range g.nodes {
		b = appendMessage(b, 1, n.encode(nil)) // node
	}
	b = appendString(b, 2, g.name)
	for _, t := range g.initializers {
		b = appendMessage(b, 5, t.encode(nil)) // initializer
	}
	b = appendString(b, 10, g.doc)
	for _, v := range g.inputs {
		b = appendMessage(b, 11, v.encode(nil)) // input
	}
	for _, v := range g.outputs {
		b = appendMessage(b, 12, v.encode(nil)) // output
	}
	return b
}

// encode appends the NodeProto.
func (n node) encode(b []byte) []byte {
	for _, in := range n.inputs {
		b = protowire.AppendString(protowire.AppendTag(b, 1, protowire.BytesType), in) // input, "" kept
	}
	for _, out := range n.outputs {
		b = appendString(b, 2, out) // output
	}
	b = appendString(b, 3, n.name)
	b = appendString(b, 4, n.op) // op_type
	for _, a := range n.attrs {
		b = appendMessage(b, 5, a.encode(nil)) // attribute
	}
	return b
}

// encode appends the AttributeProto.
func (a Attr) encode(b []byte) []byte {
	b = appendString(b, 1, a.name)
	switch a.kind {
	case attrFloat:
		b = protowire.AppendTag(b, 2, protowire.Fixed32Type)
		b = protowire.AppendFixed32(b, math.Float32bits(a.f))
	case attrInt:
		b = protowire.AppendTag(b, 3, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(a.i))
	case attrString:
		b = protowire.AppendTag(b, 4, protowire.BytesType)
		b = protowire.AppendString(b, a.s)
	case attrFloats:
		b = appendPackedFloats(b, 7, a.floats)
	case attrInts:
		b = appendPackedInts(b, 8, a.ints)
	}
	b = protowire.AppendTag(b, 20, protowire.VarintType) // type
	return protowire.AppendVarint(b, uint64(a.kind))
}

// encode appends the TensorProto.
func (t tensor) encode(b []byte) []byte {
	if len(t.dims) > 0 {
		b = appendPackedInts(b, 1, t.dims)
	}
	b = appendInt(b, 2, int64(t.typ)) // data_type
	b = appendString(b, 8, t.name)
	b = protowire.AppendTag(b, 9, protowire.BytesType) // raw_data, little-endian
	return protowire.AppendBytes(b, t.raw)
}

// encode appends the ValueInfoProto of a tensor.
func (v valueInfo) encode(b []byte) []byte {
	b = appendString(b, 1, v.name)
	var shape []byte // TensorShapeProto
	for _, d := range v.shape {
		var dim []byte // TensorShapeProto.Dimension
		if d.Param != "" {
			dim = appendString(dim, 2, d.Param) // dim_param
		} else {
			dim = appendInt(dim, 1, d.Value) // dim_value, written even when 0
		}
		shape = appendMessage(shape, 1, dim)
	}
	tt := appendInt(nil, 1, int64(v.typ)) // TypeProto.Tensor.elem_type
	tt = appendMessage(tt, 2, shape)      // shape, present even for a scalar
	typ := appendMessage(nil, 1, tt)      // TypeProto.tensor_type
	return appendMessage(b, 2, typ)       // type
}

func appendInt(b []byte, num protowire.Number, v int64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, uint64(v))
}

// appendString appends a string field unless s is empty.
func appendString(b []byte, num protowire.Number, s string) []byte {
	if s == "" {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

func appendMessage(b []byte, num protowire.Number, msg []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, msg)
}

func appendPackedInts(b []byte, num protowire.Number, v []int64) []byte {
	var p []byte
	for _, x := range v {
		p = protowire.AppendVarint(p, uint64(x))
	}
	return appendMessage(b, num, p)
}

func appendPackedFloats(b []byte, num protowire.Number, v []float32) []byte {
	p := make([]byte, 0, 4*len(v))
	for _, x := range v {
		p = protowire.AppendFixed32(p, math.Float32bits(x))
	}
	return appendMessage(b, num, p)
}
