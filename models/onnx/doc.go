// Package onnx runs ONNX models with ONNX Runtime, through the cgo binding
// github.com/yalue/onnxruntime_go. It is the adapter behind models.Runner:
// the domain sees a Runner, only cmd/assist sees this package.
//
// A Runtime loads the ONNX Runtime shared library (version 1.24.3, fetched
// by `make ort`) and holds ONNX Runtime's process-wide environment; a Session
// is one loaded model. Load looks for the library in this order:
//
//  1. Config.LibraryPath, when set;
//  2. the environment variable ASSIST_ONNX_LIBRARY, when set;
//  3. .cache/ort/1.24.3/libonnxruntime.so.1, the file `make ort` writes,
//     relative to the working directory and each of its parents up to the
//     module root (the first folder with a go.mod), then relative to the
//     executable's folder and its two parents.
//
// An explicit path (1 or 2) that does not exist is an error: it is never
// silently replaced by another library. When nothing is found the error
// wraps ErrLibraryNotFound and lists the places searched and says to run
// `make ort`.
//
// ONNX Runtime's environment is global to the process. Runtimes share it:
// the first Load initialises it, the last Runtime.Close destroys it, and all
// Runtimes alive at the same time must use the same library file. No other
// package may use onnxruntime_go directly.
//
// A Session is safe for concurrent use: each Run gets its own input and
// output tensors, so many goroutines can run one model at once. Each Run
// uses Config.IntraOpThreads threads (default 1): on a small machine,
// parallelism comes from concurrent requests, not from splitting one. Close
// waits for the runs in flight and then frees the model; a Run after Close
// fails with an error wrapping models.ErrClosed.
package onnx
