// Package onnxgraph writes ONNX model files in pure Go: no cgo, no
// generated protobuf code. It encodes the handful of ONNX protobuf messages a
// small exported model needs (ModelProto, GraphProto, NodeProto,
// AttributeProto, TensorProto, ValueInfoProto) with protowire, using the field
// numbers of onnx.proto from ONNX 1.12: IR version 8, default-domain opset 17.
//
// A Graph is built in topological order: declare the inputs, add the weights
// as initializers, add nodes, declare the outputs. The op helpers return the
// name of the value a node produces, so expressions compose:
//
//	g := onnxgraph.NewGraph("intent")
//	x := g.Input("x", onnxgraph.Float32, onnxgraph.Dynamic("batch"), onnxgraph.Fixed(4))
//	w := g.Float32s("W", weights, 4, 3)
//	b := g.Float32s("b", bias, 3)
//	probs := g.Softmax(g.Add(g.MatMul(x, w), b), -1)
//	g.Output(g.Rename(probs, "probs"), onnxgraph.Float32, onnxgraph.Dynamic("batch"), onnxgraph.Fixed(3))
//	data, err := (&onnxgraph.Model{Graph: g, ProducerName: "assist"}).Marshal()
//
// The builder methods never panic: the first mistake (a name defined twice,
// data that does not fit its dimensions) is kept and returned by Graph.Err
// and Model.Marshal, which also checks that every value a node reads is
// defined before it and that every output is produced.
//
// Operators follow opset 17: ReduceMean takes its axes as an attribute,
// ReduceSum and Unsqueeze as an int64 input (the helpers add it). Package
// onnxgraphtest checks a written model with the onnx Python package when it
// is installed.
package onnxgraph
