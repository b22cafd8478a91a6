// Package eval runs the evaluation suites for ML engineers (intent,
// retrieval, answers, dialog stories, escalation) and compares reports
// against regression gates.
//
// The intent suite: RunIntents classifies labelled messages with an
// nlu.IntentModel, and Intents turns Predictions into an IntentReport
// (accuracy, macro-F1, per-intent precision/recall/F1, confusion pairs,
// in-scope accuracy and out-of-scope recall when the data has
// out_of_scope, the same per language when the data gives the language,
// and latency percentiles). `assist eval intent` wires a model to it.
// The other suites arrive with the issues that add what they measure.
package eval
