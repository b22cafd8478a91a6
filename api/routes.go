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
		{method: http.MethodDelete, path: "/v1/users/:id/sessions", handler: s.endSessions, staff: adminsOnly, summary: "end a staff member's sessions"},
		{method: http.MethodPost, path: "/v1/api-keys", handler: s.createAPIKey, staff: adminsOnly, summary: "issue an API key"},

		{method: http.MethodPost, path: "/v1/conversations", handler: s.createConversation, summary: "start a conversation"},
		{method: http.MethodGet, path: "/v1/conversations", handler: s.listConversations, staff: anyStaff, summary: "list conversations"},
		{method: http.MethodGet, path: "/v1/conversations/:id", handler: s.getConversation, summary: "one conversation"},
		{method: http.MethodGet, path: "/v1/conversations/:id/messages", handler: s.listMessages, summary: "a conversation's messages"},
		{method: http.MethodPost, path: "/v1/conversations/:id/messages", handler: s.postMessage, summary: "send a message"},
		{method: http.MethodPost, path: "/v1/conversations/:id/typing", handler: s.typing, summary: "say you are typing"},
		{method: http.MethodPost, path: "/v1/conversations/:id/messages/:mid/feedback", handler: s.rateMessage, summary: "thumbs up or down on a bot answer (customer)"},
		{method: http.MethodGet, path: "/v1/conversations/:id/ws", handler: s.websocket, summary: "live events (WebSocket)"},
		{method: http.MethodPost, path: "/v1/conversations/:id/rating", handler: s.rateConversation, summary: "rate the conversation (its customer, once)"},
		{method: http.MethodGet, path: "/v1/conversations/:id/position", handler: s.queuePosition, summary: "queue position"},
		{method: http.MethodGet, path: "/v1/conversations/:id/routing", handler: s.routingDecisions, staff: anyStaff, summary: "why the conversation was routed so"},
		{method: http.MethodGet, path: "/v1/conversations/:id/state", handler: s.conversationState, summary: "what the bot remembers of the conversation (staff)"},
		{method: http.MethodPost, path: "/v1/conversations/:id/accept", handler: s.acceptConversation, staff: routingStaff, summary: "accept an offered conversation"},
		{method: http.MethodPost, path: "/v1/conversations/:id/claim", handler: s.claimConversation, staff: routingStaff, summary: "claim a conversation waiting in a queue you serve"},
		{method: http.MethodPost, path: "/v1/conversations/:id/decline", handler: s.declineConversation, staff: routingStaff, summary: "decline an offered conversation"},
		{method: http.MethodPost, path: "/v1/conversations/:id/transfer", handler: s.transferConversation, staff: routingStaff, summary: "transfer to an agent or a skill queue"},
		{method: http.MethodPost, path: "/v1/conversations/:id/release", handler: s.releaseConversation, staff: routingStaff, summary: "hand back to the bot"},
		{method: http.MethodPost, path: "/v1/conversations/:id/close", handler: s.closeConversation, staff: routingStaff, summary: "close a conversation"},
		{method: http.MethodPost, path: "/v1/conversations/:id/assign", handler: s.assignConversation, staff: supervisors, summary: "assign to an agent"},
		{method: http.MethodGet, path: "/v1/conversations/:id/assist", handler: s.getAssist, staff: routingStaff, summary: "reply suggestions, knowledge, next steps, alert and summary for the agent"},
		{method: http.MethodPost, path: "/v1/conversations/:id/assist/feedback", handler: s.assistFeedback, staff: routingStaff, summary: "say what you did with a suggestion"},
		{method: http.MethodPost, path: "/v1/conversations/:id/actions", handler: s.runAction, staff: routingStaff, summary: "run a shop action for the conversation's customer"},
		{method: http.MethodGet, path: "/v1/assist/stats", handler: s.assistStats, staff: supervisors, summary: "acceptance of suggestions by source and intent"},
		{method: http.MethodGet, path: "/v1/macros", handler: s.listMacros, staff: anyStaff, summary: "saved replies"},
		{method: http.MethodPost, path: "/v1/macros", handler: s.createMacro, staff: macroEditors, summary: "add a saved reply"},
		{method: http.MethodPut, path: "/v1/macros/:id", handler: s.updateMacro, staff: macroEditors, summary: "change a saved reply"},
		{method: http.MethodDelete, path: "/v1/macros/:id", handler: s.deleteMacro, staff: macroEditors, summary: "delete a saved reply"},
		{method: http.MethodGet, path: "/v1/gaps", handler: s.listGaps, staff: gapReviewers, summary: "the knowledge-gap report: clusters ranked"},
		{method: http.MethodGet, path: "/v1/gaps/export", handler: s.exportGaps, staff: gapReviewers, summary: "export the gap report as CSV or JSON"},
		{method: http.MethodGet, path: "/v1/gaps/:id", handler: s.getGap, staff: gapReviewers, summary: "one gap cluster with its questions"},
		{method: http.MethodPatch, path: "/v1/gaps/:id", handler: s.acceptGap, staff: gapReviewers, summary: "edit and accept a gap cluster"},
		{method: http.MethodPost, path: "/v1/gaps/:id/publish", handler: s.publishGap, staff: gapReviewers, summary: "publish a gap cluster as an FAQ entry"},
		{method: http.MethodPost, path: "/v1/gaps/:id/dismiss", handler: s.dismissGap, staff: gapReviewers, summary: "dismiss a gap cluster"},
		{method: http.MethodGet, path: "/v1/analytics", handler: s.getAnalytics, staff: supervisors, summary: "the service's numbers over a period"},
		{method: http.MethodGet, path: "/v1/agents", handler: s.listAgents, staff: supervisors, summary: "agents with presence and load"},
		{method: http.MethodPut, path: "/v1/agents/me/presence", handler: s.setPresence, staff: routingStaff, summary: "set your presence"},
		{method: http.MethodPut, path: "/v1/agents/:id", handler: s.putAgentProfile, staff: supervisors, summary: "set an agent's skills, languages, teams and capacity"},
		{method: http.MethodGet, path: "/v1/queues", handler: s.listQueues, staff: routingStaff, summary: "queues with their waiting conversations"},
		{method: http.MethodGet, path: "/v1/skills", handler: s.listSkills, staff: routingStaff, summary: "every skill queue of the shop, to transfer to"},
		{method: http.MethodGet, path: "/v1/agent/events", handler: s.agentEvents, staff: routingStaff, summary: "routing events (SSE)"},

		{method: http.MethodPost, path: "/v1/tickets", handler: s.createTicket, staff: anyStaff, summary: "open a ticket"},
		{method: http.MethodGet, path: "/v1/tickets", handler: s.listTickets, summary: "list tickets"},
		{method: http.MethodGet, path: "/v1/tickets/:id", handler: s.getTicket, summary: "one ticket with its comments"},
		{method: http.MethodPatch, path: "/v1/tickets/:id", handler: s.updateTicket, staff: anyStaff, summary: "change a ticket"},
		{method: http.MethodPost, path: "/v1/tickets/:id/comments", handler: s.commentTicket, staff: anyStaff, summary: "reply or add a note"},
		{method: http.MethodGet, path: "/v1/tickets/:id/audit", handler: s.ticketAudit, staff: anyStaff, summary: "a ticket's audit log"},
		{method: http.MethodGet, path: "/v1/sla/policies", handler: s.getSLAPolicies, staff: anyStaff, summary: "SLA targets by priority"},
		{method: http.MethodPut, path: "/v1/sla/policies", handler: s.putSLAPolicies, staff: supervisors, summary: "set SLA targets"},
		{method: http.MethodGet, path: "/v1/teams/:team/hours", handler: s.getTeamHours, staff: anyStaff, summary: "a team's business hours"},
		{method: http.MethodPut, path: "/v1/teams/:team/hours", handler: s.putTeamHours, staff: supervisors, summary: "set a team's business hours"},

		{method: http.MethodPost, path: kbUploadPath, handler: s.kbUpload, staff: kbManagers, summary: "upload documents into a knowledge base"},
		{method: http.MethodGet, path: "/v1/kb/:kb/documents", handler: s.kbDocuments, staff: kbManagers, summary: "list a knowledge base's documents"},
		{method: http.MethodDelete, path: "/v1/kb/:kb/documents/*doc", handler: s.kbDelete, staff: kbManagers, summary: "delete a document"},
		{method: http.MethodPost, path: "/v1/kb/:kb/reindex", handler: s.kbReindex, staff: kbManagers, summary: "re-index a knowledge base"},
		{method: http.MethodPost, path: "/v1/kb/:kb/ask", handler: s.kbAsk, staff: anyStaff, summary: "ask a knowledge base"},

		{method: http.MethodGet, path: "/v1/eval/reports", handler: s.evalReports, staff: evalReaders, summary: "evaluation reports with their headline numbers"},
		{method: http.MethodGet, path: "/v1/eval/reports/:name", handler: s.evalReport, staff: evalReaders, summary: "one evaluation report (HTML, or JSON with format=json)"},

		{method: http.MethodPost, path: "/v1/nlu/parse", handler: s.nluParse, staff: anyStaff, summary: "understand a message (intent, language, entities)"},
		{method: http.MethodGet, path: "/v1/intents", handler: s.listIntents, staff: anyStaff, summary: "the intents the bot knows, named in each language"},
		{method: http.MethodGet, path: "/v1/platform/tenants", handler: s.platformTenants, operator: true, summary: "list the shops (platform operator)"},
		{method: http.MethodPost, path: "/v1/platform/tenants", handler: s.platformCreateTenant, operator: true, summary: "create a shop (platform operator)"},
		{method: http.MethodPost, path: "/v1/platform/tenants/:slug/customer-secret", handler: s.platformRotateSecret, operator: true, summary: "rotate a shop's customer-signing secret (platform operator)"},
		{method: http.MethodPost, path: "/v1/admin/models/intent/reload", handler: s.nluReload, staff: adminsOnly, summary: "load the intent model again (hot swap)"},
	}
}
