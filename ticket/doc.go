// Package ticket holds tickets opened from escalations or by agents, their
// SLA policies and timers, and the audit log of every change.
//
// The implementation arrives with the routing and ticket issue.
package ticket
