package main

// EvalCmd groups the evaluation suites.
type EvalCmd struct {
	Rag        EvalRagCmd        `cmd:"" help:"Measure retrieval (recall@k, MRR, nDCG) and abstention on a question set."`
	Intent     EvalIntentCmd     `cmd:"" help:"Evaluate an intent model on labelled data (accuracy, macro-F1, per intent, per language, latency)."`
	Sentiment  EvalSentimentCmd  `cmd:"" help:"Evaluate a sentiment model on labelled data (accuracy, macro-F1, per class, anger, per language, latency)."`
	Dialog     EvalDialogCmd     `cmd:"" help:"Run conversation stories against the bot on a fresh demo setup (passed/failed with diffs, per tag and language, turn latency)."`
	Escalation EvalEscalationCmd `cmd:"" help:"Play labelled conversations through the bot and score its hand-offs (precision, recall, in time, per reason)."`
	Latency    EvalLatencyCmd    `cmd:"" help:"Measure a full bot turn per kind of turn, in process without an LLM, with histograms."`
	Replay     EvalReplayCmd     `cmd:"" help:"Replay recorded conversations (from the store or a file) through the current models and config: what would change."`
	Index      EvalIndexCmd      `cmd:"" help:"Write DIR/index.html linking the reports in DIR with their headline numbers."`
	Gaps       EvalGapsCmd       `cmd:"" help:"Replay the self-learning loop: unanswered questions, agents' answers, the gap report published, paraphrases asked again."`
}
