// Package analytics computes the service's numbers over a period for a
// tenant, the one source the supervisor view (GET /v1/analytics) and the
// Prometheus gauges on /metrics both read: conversations, the share the
// bot resolved without a person (deflection), hand-offs by reason, first
// response and handling times, customer satisfaction (CSAT), top intents,
// and a forecast of the next 24 hours' conversations per hour with its
// error on the last week.
//
// Report is the result; Service computes it from the records a Store
// reads. Customers' satisfaction ratings are recorded through
// Service.Rate.
package analytics
