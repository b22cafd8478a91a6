// Package routing assigns conversations that left the bot to agents by
// skills, load and priority, and keeps the queues they wait in.
//
// Main types:
//
//   - Engine: the router. It keeps agents, queues and assignments in memory
//     under one mutex, persists every change through a Store (in the order
//     the changes were made) and changes conversation owners through
//     Conversations. It implements conversation.HandoffHandler (HandOff,
//     CustomerMessage) without importing that package; agents take queued
//     conversations by Claim.
//   - Agent and Profile: a staff member who takes conversations, with
//     skills (levels 1-5), languages, teams, a capacity and a Presence.
//   - Entry: the routing state of one conversation; its State follows the
//     transition table in state.go (bot → queued → offered → assigned →
//     bot or closed).
//   - Decision: why a conversation went where it did: the rule, the
//     candidates considered with their scores, and who was excluded why.
//   - Bus and Event: in-memory fan-out of routing events (offers,
//     assignments, customer messages, transfers, queue changes, SLA
//     warnings) to staff subscribers by tenant, user and role.
//   - Config: skill mapping, priority weights and timeouts.
//
// Priority: a queued conversation's priority at time t is
//
//	base + AgingPerMinute × minutes waited
//	base = VIPWeight (tier "vip") + ReasonWeights[reason] + SentimentWeight × max(0, −sentiment)
//
// Because every queued conversation ages at the same rate, the order of two
// conversations never changes while they wait, so each skill queue is a
// binary heap keyed by base − AgingPerMinute × minutes(enqueued_at), ties
// broken by arrival. Aging is unbounded, so nobody starves: after
// maxBase/AgingPerMinute minutes a conversation outranks every newcomer.
//
// Assignment: among available agents (online, load below capacity, speaking
// the conversation's language, not having declined it) with the skill, the
// highest skill level wins, then the lowest load ratio, then round-robin
// (the agent picked least recently). After OverflowWait, agents of the
// FallbackTeam become candidates too (as skill level 0).
package routing
