// Command assist is the Assist customer-service engine: one binary that
// serves the API and runs the tools around it.
//
//	assist serve       start the service (--addr, --db, --demo)
//	assist version     print the version and ONNX Runtime's
//	assist bench post  measure message posting throughput and latency
//	assist sign-customer  sign a customer_ref for a create-conversation request
//
// Global flags: --config FILE (YAML) and --set key=value; settings also
// come from ASSIST_* environment variables (see Config).
//
// main handles only flags, signals and exit codes. Main (serve.go) is the
// only place that knows every concrete type and wires them together; the
// end-to-end tests run the same Main on port 0 with a temporary folder.
package main
