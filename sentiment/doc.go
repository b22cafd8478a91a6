// Package sentiment scores customer messages (negative, neutral, positive,
// anger) and keeps each conversation's trend, which the dialog uses to
// escalate with a reason.
//
// The model is a four-class text classifier (negative, neutral, positive,
// angry) trained, exported to ONNX and served with the intent model's
// machinery (package nlu/intent): Train and Save build it from labelled
// Examples (LoadFile reads our JSON Lines data and the public GoEmotions
// and Chinese emotion-dialogue formats), and Classifier serves it as a
// Scorer with hot swapping (Load, Reload). A Score merges the classes:
// Polarity = P(positive) − P(negative) − P(angry), Anger = P(angry), and
// Label is the most probable of neutral, positive and negative (negative
// plus angry). Prepare turns a raw message into the text the model reads,
// keeping the cues that normalisation would drop (emoji, "!!", shouting).
//
// Trend folds the scores of a conversation's messages into an
// exponentially weighted average the dialog's escalation rules read.
package sentiment
