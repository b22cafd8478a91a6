package api

import (
	"net/http"
)

// routes is the route table: every route of the API, in one place. The
// OpenAPI document (openapi.json) lists the same routes; a test keeps the
// two in step.
func (s *Server) routes() []route {
	return []route{
		{method: http.MethodGet, path: "/healthz", handler: s.healthz, summary: "liveness"},
		{method: http.MethodGet, path: "/readyz", handler: s.readyz, summary: "readiness"},
		{method: http.MethodGet, path: "/metrics", handler: s.metricsHandler, summary: "Prometheus metrics"},
		{method: http.MethodGet, path: "/openapi.json", handler: s.openapi, summary: "this API's OpenAPI document"},

		{method: http.MethodPost, path: "/v1/auth/login", handler: s.login, summary: "staff login"},
		{method: http.MethodPost, path: "/v1/auth/logout", handler: s.logout, staff: anyStaff, summary: "end the session"},
		{method: http.MethodGet, path: "/v1/me", handler: s.me, staff: anyStaff, summary: "who am I"},
		{method: http.MethodGet, path: "/v1/users", handler: s.listUsers, staff: supervisors, summary: "list staff"},
		{method: http.MethodPost, path: "/v1/users", handler: s.createUser, staff: adminsOnly, summary: "add a staff member"},
		{method: http.MethodPost, path: "/v1/api-keys", handler: s.createAPIKey, staff: adminsOnly, summary: "issue an API key"},

		{method: http.MethodPost, path: "/v1/conversations", handler: s.createConversation, summary: "start a conversation"},
		{method: http.MethodGet, path: "/v1/conversations", handler: s.listConversations, staff: anyStaff, summary: "list conversations"},
		{method: http.MethodGet, path: "/v1/conversations/:id", handler: s.getConversation, summary: "one conversation"},
		{method: http.MethodGet, path: "/v1/conversations/:id/messages", handler: s.listMessages, summary: "a conversation's messages"},
		{method: http.MethodPost, path: "/v1/conversations/:id/messages", handler: s.postMessage, summary: "send a message"},
		{method: http.MethodPost, path: "/v1/conversations/:id/typing", handler: s.typing, summary: "say you are typing"},
		{method: http.MethodGet, path: "/v1/conversations/:id/ws", handler: s.websocket, summary: "live events (WebSocket)"},
	}
}
