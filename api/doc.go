// Package api serves Assist over HTTP with gin: the REST routes in one flat
// table (routes.go), the customer WebSocket, health, readiness, Prometheus
// metrics and the OpenAPI document. Handlers are methods on Server: bind
// the request, call the domain service, render. Wire types and their
// conversions live in wire.go; every error is rendered by writeError, the
// one place that maps assist error codes to HTTP statuses.
package api
