// Package nlu turns a customer message into what the dialog needs: the
// normalised text, its language, the intent with a confidence, entities and
// a PII-masked copy for anything that leaves the process.
//
// The intent model (trained by `assist train intent`, served through ONNX
// Runtime) and the LLM classifier arrive with the NLU issue; this package
// holds their domain types and the interfaces it uses.
package nlu
