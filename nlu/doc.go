// Package nlu turns a customer message into what the dialog needs: the
// normalised text, its language, the intent with a confidence, entities and
// a PII-masked copy for anything that leaves the process.
//
// Pipeline runs the steps: text.Normalize and text.Detect (package
// nlu/text), the intent by the configured Strategy — the trained model
// (IntentModel, served by nlu/intent through ONNX Runtime), the LLM
// (Classifier, nlu/llmintent), or the model with the LLM asked when the
// model is unsure — then entities (Extractor, nlu/entity) and PII masking
// (Masker, nlu/pii). The LLM only ever sees masked text; when it fails or
// times out the model's answer stands. Every Intent names the model
// version that produced it.
//
// The domain types (Lang, Intent, Scored, Entity, Result) and the
// interfaces Pipeline uses are declared here; the implementations live in
// the subpackages and are wired together by cmd/assist.
package nlu
