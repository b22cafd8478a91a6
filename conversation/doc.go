// Package conversation is the conversation core: it creates conversations
// with their customer tokens, stores every message durably before
// acknowledging it (idempotently, by key), runs each customer message's turn
// through a dialog.Policy one at a time per conversation, stores the replies
// and publishes every change on the Hub for live clients.
//
// Each turn starts from the conversation's dialog.State as the previous turn
// stored it and stores the policy's new state (JSON, at most MaxStateBytes,
// trimmed when larger) in the same transaction as its replies, so a restart
// resumes every conversation where it was; staff read it with
// Service.DialogState. After a hand-off, a HandoffHandler that is also a
// QueueTeller lets the service tell the customer their queue position.
//
// A conversation's customer_ref is believed only when the shop vouches for
// it (Create): a staff or API key principal of the tenant, or a
// CustomerSignature made with the secret the shop shares with Assist.
// In-process callers that vouch themselves use CreateTrusted.
//
// Its main types are Service, Store (implemented by store/sqlite), Hub,
// HandoffHandler and QueueTeller.
package conversation
