// Package sentiment scores customer messages (negative, neutral, positive,
// anger) and keeps each conversation's trend, which the dialog uses to
// escalate with a reason.
//
// The model and the trend arrive with the dialog issue.
package sentiment
