// Package onnxgraphtest checks ONNX model files in tests with the reference
// implementation: the onnx Python package (Debian: python3-onnx). When no
// Python with onnx is installed, its helpers skip the test with a message
// saying so.
package onnxgraphtest
