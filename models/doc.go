// Package models holds the model-facing types the domain uses: what a
// trained model takes and returns, and the small interfaces the domain calls
// a model through. It is pure Go; the runtimes that actually execute a model
// live in adapter packages named after them (models/onnx for ONNX Runtime),
// which the domain never imports.
//
// The main types are:
//
//   - Tensor: a dense, row-major float32 or int64 array with its shape, the
//     unit of data passed to and from a model.
//   - Runner: runs a model on named input tensors and returns its named
//     outputs. *onnx.Session implements it.
//   - TensorSpec: the name, element type and shape (with dynamic dimensions)
//     of one model input or output.
//
// Higher-level model interfaces (an intent Classifier, a sentiment Scorer)
// are declared by the packages that use them and are built on a Runner.
package models
