// Package eval runs the evaluation suites for ML engineers (intent,
// retrieval, answers, dialog stories, escalation) and compares reports
// against regression gates.
//
// The suites arrive with the issues that add what they measure.
package eval
