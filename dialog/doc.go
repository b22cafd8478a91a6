// Package dialog decides what the bot does with one customer message: the
// Policy interface takes a Turn (the conversation and the new message) and
// returns a Reply (the bot's messages and, when the bot cannot or should not
// go on, a Handoff to a person).
//
// Until intent detection and the knowledge base are wired in, the only
// policy is HandoffPolicy: it tells the customer plainly, in their language,
// that a person will take over, and hands the conversation to the queue. It
// never pretends to answer.
package dialog
