// Package assist holds the domain types every other package shares: the
// error type with its codes, tenants, principals and roles, conversations and
// messages. It imports nothing from this module, so every package may import
// it.
//
// The flow of one customer message is described in the repository's
// DESIGN.md: a channel (api) hands it to the conversation service
// (conversation), which stores it durably and asks the dialog policy
// (dialog) for the bot's reply.
package assist
