// Package conversation is the conversation core: it creates conversations
// with their customer tokens, stores every message durably before
// acknowledging it (idempotently, by key), runs each customer message's turn
// through a dialog.Policy one at a time per conversation, stores the replies
// and publishes every change on the Hub for live clients.
//
// Its main types are Service, Store (implemented by store/sqlite) and Hub.
package conversation
