// Package gap is the knowledge managers' loop: it records the questions
// the bot could not answer well, clusters them across wording and across
// Chinese and English, ranks the clusters, proposes an answer from what
// agents replied, and turns a reviewed cluster into a published FAQ entry
// and labelled training data.
//
// Main types:
//
//   - Gap: one question the bot declined, answered with low confidence,
//     answered from the help center for a task it cannot do, escalated
//     for, or that the customer gave a thumbs-down; personal data masked,
//     with what the agent answered afterwards.
//   - Recorder: records gaps. It is rag's GapRecorder (the knowledge base
//     abstained) and a conversation.Observer (it keeps only the questions
//     the bot's turn really declined, and hears of hand-offs and agents'
//     answers), and takes customers' thumbs.
//   - Cluster: similar gaps with their review: open, accepted (edited),
//     published or dismissed, with who did it.
//   - Service: builds the report (Report), reviews clusters (Edit,
//     Publish, Dismiss) and exports them.
//   - Similarity: the one text similarity the clustering uses (words,
//     Chinese bigrams and shared bilingual terms).
//
// Stores are interfaces, implemented in store/sqlite.
package gap
