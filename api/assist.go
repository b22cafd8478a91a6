package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/assistd/assist"
	"github.com/assistd/assist/agentassist"
	"github.com/assistd/assist/dialog/flow"
)

// macroEditors are the roles that manage saved replies.
var macroEditors = []assist.Role{assist.RoleSupervisor, assist.RoleKnowledge, assist.RoleAdmin}

// assistant returns the agent-assist service, or writes 503 when there is
// none.
func (s *Server) assistant(c *gin.Context) *agentassist.Service {
	if s.Assist == nil {
		s.writeError(c, assist.Errorf(assist.EUNAVAILABLE, "agent assist is not configured"))
	}
	return s.Assist
}

// heldConversation returns the route's conversation when the caller holds
// it: its assigned agent, or a supervisor. Others get EFORBIDDEN.
func (s *Server) heldConversation(c *gin.Context) (*assist.Conversation, assist.Principal, bool) {
	p := principal(c)
	conv, err := s.Conversations.Get(c.Request.Context(), p, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return nil, p, false
	}
	if conv.AssigneeID != p.UserID && p.Role != assist.RoleSupervisor && p.Role != assist.RoleAdmin {
		s.writeError(c, assist.Errorf(assist.EFORBIDDEN, "only the agent assigned to the conversation or a supervisor sees its assist"))
		return nil, p, false
	}
	return conv, p, true
}

func (s *Server) getAssist(c *gin.Context) {
	a := s.assistant(c)
	if a == nil {
		return
	}
	conv, _, ok := s.heldConversation(c)
	if !ok {
		return
	}
	set, err := a.Latest(c.Request.Context(), conv.TenantID, conv.ID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, set)
}

func (s *Server) assistFeedback(c *gin.Context) {
	a := s.assistant(c)
	if a == nil {
		return
	}
	var req AssistFeedbackRequest
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	conv, p, ok := s.heldConversation(c)
	if !ok {
		return
	}
	rec, err := a.Feedback(c.Request.Context(), conv.TenantID, conv.ID, req.SuggestionID, req.Action, p.UserID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, rec)
}

func (s *Server) assistStats(c *gin.Context) {
	a := s.assistant(c)
	if a == nil {
		return
	}
	if a.Suggestions == nil {
		s.writeError(c, assist.Errorf(assist.EUNAVAILABLE, "suggestions are not recorded"))
		return
	}
	st, err := a.Suggestions.Stats(c.Request.Context(), principal(c).TenantID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, st)
}

// runAction runs a shop action for the agent holding the conversation,
// on the conversation's customer.
func (s *Server) runAction(c *gin.Context) {
	if s.Shop == nil {
		s.writeError(c, assist.Errorf(assist.EUNAVAILABLE, "no shop backend is configured"))
		return
	}
	var req ActionRequest
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	if req.Name == "" || len(req.Name) > 64 || len(req.Params) > 20 {
		s.writeError(c, assist.Errorf(assist.EINVALID, "name is required (at most 64 bytes) with at most 20 params"))
		return
	}
	conv, p, ok := s.heldConversation(c)
	if !ok {
		return
	}
	key := c.GetHeader("Idempotency-Key")
	if key == "" {
		key = uuid.Must(uuid.NewV7()).String()
	}
	res, err := s.Shop.Call(c.Request.Context(), flow.Request{Action: req.Name, TenantID: conv.TenantID, ConversationID: conv.ID,
		CustomerRef: conv.CustomerRef, Lang: conv.Lang, Params: req.Params, IdempotencyKey: "agent:" + p.UserID + ":" + key})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

func (s *Server) listMacros(c *gin.Context) {
	a := s.assistant(c)
	if a == nil {
		return
	}
	ms, err := a.ListMacros(c.Request.Context(), principal(c).TenantID, c.Query("lang"), c.Query("intent"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, MacrosResponse{Macros: ms})
}

func (s *Server) saveMacro(c *gin.Context, id string, status int) {
	a := s.assistant(c)
	if a == nil {
		return
	}
	var req MacroRequest
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	p := principal(c)
	m, err := a.SaveMacro(c.Request.Context(), p.TenantID, p.UserID, agentassist.Macro{ID: id, Title: req.Title, Lang: req.Lang, Intent: req.Intent, Text: req.Text})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(status, m)
}

func (s *Server) createMacro(c *gin.Context) { s.saveMacro(c, "", http.StatusCreated) }

func (s *Server) updateMacro(c *gin.Context) {
	if c.Param("id") == "" {
		s.writeError(c, assist.Errorf(assist.EINVALID, "macro id is required"))
		return
	}
	s.saveMacro(c, c.Param("id"), http.StatusOK)
}

func (s *Server) deleteMacro(c *gin.Context) {
	a := s.assistant(c)
	if a == nil {
		return
	}
	if err := a.DeleteMacro(c.Request.Context(), principal(c).TenantID, c.Param("id")); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// assistCollector exports the acceptance of suggestions, read from the
// suggestion log at each scrape.
type assistCollector struct{ s *Server }

var (
	assistShownDesc  = prometheus.NewDesc("assist_suggestions_shown_total", "Reply suggestions shown to agents, by source.", []string{"source"}, nil)
	assistActedDesc  = prometheus.NewDesc("assist_suggestion_actions_total", "What agents did with reply suggestions, by source and action (sent, edited, ignored).", []string{"source", "action"}, nil)
	assistAcceptDesc = prometheus.NewDesc("assist_suggestion_acceptance_ratio", "Share of shown suggestions sent or edited, by intent.", []string{"intent"}, nil)
)

func (a assistCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- assistShownDesc
	ch <- assistActedDesc
	ch <- assistAcceptDesc
}

func (a assistCollector) Collect(ch chan<- prometheus.Metric) {
	if a.s.Assist == nil || a.s.Assist.Suggestions == nil {
		return
	}
	st, err := a.s.Assist.Suggestions.Stats(context.Background(), "")
	if err != nil {
		return
	}
	for _, r := range st.BySource {
		ch <- prometheus.MustNewConstMetric(assistShownDesc, prometheus.CounterValue, float64(r.Shown), r.Key)
		ch <- prometheus.MustNewConstMetric(assistActedDesc, prometheus.CounterValue, float64(r.Sent), r.Key, agentassist.ActionSent)
		ch <- prometheus.MustNewConstMetric(assistActedDesc, prometheus.CounterValue, float64(r.Edited), r.Key, agentassist.ActionEdited)
		ch <- prometheus.MustNewConstMetric(assistActedDesc, prometheus.CounterValue, float64(r.Ignored), r.Key, agentassist.ActionIgnored)
	}
	for _, r := range st.ByIntent {
		ch <- prometheus.MustNewConstMetric(assistAcceptDesc, prometheus.GaugeValue, r.Acceptance, r.Key)
	}
}
