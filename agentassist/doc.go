// Package agentassist helps the agent who owns a conversation: on every
// customer message it builds a Set of reply suggestions (the help
// center's extracted answer with its citation, the tenant's saved replies
// for the intent with their variables filled, and what agents answered to
// similar questions before), the most relevant knowledge passages, the next
// steps for the intent and the state the bot left (with the shop actions
// they call), and an emotion alert when the customer's mood drops. It
// writes the structured hand-off summary of what the bot did and learnt,
// and records what agents do with each suggestion.
//
// Main types:
//
//   - Service: builds Sets (Build), keeps the latest per conversation,
//     pushes them to the agent through a Notifier, and implements
//     conversation.Observer to hear of customer and agent messages.
//   - Set, Suggestion, Passage, Step, Alert: what the agent sees.
//   - Summary: the hand-off summary (Summarize), also the ticket's note.
//   - Macro and MacroStore: saved replies per tenant and language.
//   - Replies: an in-memory index of resolved question/answer pairs.
//   - Stats: acceptance of suggestions by source and by intent.
//
// It imports no web framework and no database: stores are interfaces,
// implemented in store/sqlite.
package agentassist
