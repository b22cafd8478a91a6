// Package ticket holds tickets opened from escalations or by agents, their
// comments, their SLA timers, and the audit log of every change.
//
// Main types:
//
//   - Ticket: one customer issue, numbered per tenant, with a Status that
//     moves along the transition table in CanTransition, an assignee and
//     team, tags, custom fields and its SLA timers.
//   - Comment: a public reply (seen by the customer) or an internal note
//     (staff only).
//   - Audit: one append-only record of a change (who, which field, old and
//     new value, when). It names its entity, so other domains can keep
//     their history in the same log.
//   - Policy and Hours: the SLA targets of each priority, and a team's
//     business hours and holidays; Calendar computes due times in business
//     time.
//   - Service: the operations (Create, OpenFromEscalation, Update, Reply,
//     Get, List, ...) with the visibility rules of each role; its RunSLA
//     loop warns before and reports at a breach through a Notifier.
//   - Store: where tickets, comments, audit records, policies and hours are
//     kept; store/sqlite implements it and store/storetest checks any
//     implementation.
package ticket
