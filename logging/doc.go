// Package logging builds the service's slog logger: JSON or text, a level,
// and a handler that adds the request id carried by the context to every
// record, so a log line written deep in a service call names the request
// that caused it.
package logging
