package demoshop

import (
	"log/slog"
	"net/http"

	"github.com/assistd/assist/webhook"
)

// Handler serves the shop over the webhook contract (POST
// /actions/{action}, see package webhook), checking request signatures
// when secret is set: the demo shop as a shop's own system would be
// connected. A nil logger discards.
func Handler(s *Shop, secret string, logger *slog.Logger) http.Handler {
	return &webhook.Server{Backend: s, Secret: secret, Logger: logger}
}
