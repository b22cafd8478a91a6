package api

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/routing"
	"github.com/assistd/assist/ticket"
)

// routingStaff are the roles that take conversations.
var routingStaff = []assist.Role{assist.RoleAgent, assist.RoleSupervisor, assist.RoleAdmin}

// router returns the routing engine, or writes 503 when there is none.
func (s *Server) router(c *gin.Context) *routing.Engine {
	if s.Routing == nil {
		s.writeError(c, assist.Errorf(assist.EUNAVAILABLE, "routing is not configured"))
	}
	return s.Routing
}

func (s *Server) listAgents(c *gin.Context) {
	e := s.router(c)
	if e == nil {
		return
	}
	as, err := e.Agents(principal(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	out := make([]AgentJSON, 0, len(as))
	for _, a := range as {
		out = append(out, toAgent(a))
	}
	c.JSON(http.StatusOK, AgentsResponse{Agents: out})
}

func (s *Server) setPresence(c *gin.Context) {
	e := s.router(c)
	if e == nil {
		return
	}
	var req PresenceRequest
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	st, err := e.SetPresence(c.Request.Context(), principal(c), routing.Presence(req.Presence))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toAgent(st))
}

func (s *Server) putAgentProfile(c *gin.Context) {
	e := s.router(c)
	if e == nil {
		return
	}
	var req AgentProfileRequest
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	p := principal(c)
	u, err := s.Auth.Store.User(c.Request.Context(), p.TenantID, c.Param("id"))
	if err != nil {
		if assist.ErrorCode(err) == assist.ENOTFOUND {
			err = assist.Errorf(assist.ENOTFOUND, "no staff member %q", c.Param("id"))
		}
		s.writeError(c, err)
		return
	}
	if u.Role != assist.RoleAgent && u.Role != assist.RoleSupervisor && u.Role != assist.RoleAdmin {
		s.writeError(c, assist.Errorf(assist.EINVALID, "a %s does not take conversations", u.Role))
		return
	}
	st, err := e.SetProfile(c.Request.Context(), p, u.ID, routing.Profile{Skills: req.Skills, Langs: req.Langs, Teams: req.Teams, Capacity: req.Capacity})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toAgent(st))
}

func (s *Server) listQueues(c *gin.Context) {
	e := s.router(c)
	if e == nil {
		return
	}
	limit := 0
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			s.writeError(c, assist.Errorf(assist.EINVALID, "limit must be a number from 1 to 1000"))
			return
		}
		limit = n
	}
	qs, err := e.Queues(principal(c), limit)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, QueuesResponse{Queues: toQueues(qs)})
}

// listSkills lists every skill queue of the tenant, for the transfer form.
func (s *Server) listSkills(c *gin.Context) {
	e := s.router(c)
	if e == nil {
		return
	}
	skills, err := e.Skills(principal(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, SkillsResponse{Skills: skills})
}

// routingAction runs one action of the engine on the route's conversation.
func (s *Server) routingAction(c *gin.Context, do func(ctx context.Context, e *routing.Engine, p assist.Principal, id string) (*routing.Decision, error)) {
	e := s.router(c)
	if e == nil {
		return
	}
	d, err := do(c.Request.Context(), e, principal(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, RoutingResponse{Decision: d})
}

func (s *Server) acceptConversation(c *gin.Context) {
	s.routingAction(c, func(ctx context.Context, e *routing.Engine, p assist.Principal, id string) (*routing.Decision, error) {
		return e.Accept(ctx, p, id)
	})
}

func (s *Server) claimConversation(c *gin.Context) {
	s.routingAction(c, func(ctx context.Context, e *routing.Engine, p assist.Principal, id string) (*routing.Decision, error) {
		return e.Claim(ctx, p, id)
	})
}

func (s *Server) declineConversation(c *gin.Context) {
	s.routingAction(c, func(ctx context.Context, e *routing.Engine, p assist.Principal, id string) (*routing.Decision, error) {
		return e.Decline(ctx, p, id)
	})
}

func (s *Server) releaseConversation(c *gin.Context) {
	s.routingAction(c, func(ctx context.Context, e *routing.Engine, p assist.Principal, id string) (*routing.Decision, error) {
		return e.Release(ctx, p, id)
	})
}

func (s *Server) closeConversation(c *gin.Context) {
	s.routingAction(c, func(ctx context.Context, e *routing.Engine, p assist.Principal, id string) (*routing.Decision, error) {
		return e.Close(ctx, p, id)
	})
}

func (s *Server) transferConversation(c *gin.Context) {
	var req TransferRequest
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	s.routingAction(c, func(ctx context.Context, e *routing.Engine, p assist.Principal, id string) (*routing.Decision, error) {
		d, err := e.Transfer(ctx, p, id, routing.Target{AgentID: req.AgentID, Skill: req.Skill, Note: req.Note})
		if err == nil {
			s.noteTransfer(ctx, p, id, strings.TrimSpace(req.Note))
		}
		return d, err
	})
}

// noteTransfer adds the transfer note, as an internal note, to the
// conversation's active tickets, where the next agent reads it. The
// transfer is done already: a failure here is logged, not returned.
func (s *Server) noteTransfer(ctx context.Context, p assist.Principal, convID, note string) {
	if note == "" || s.Tickets == nil {
		return
	}
	lang := ""
	if conv, err := s.Conversations.Get(ctx, p, convID); err == nil {
		lang = conv.Lang
	}
	body := catalog.Default().SayFor(p.TenantID, lang, "ticket.transfer_note", "note", note)
	tks, err := s.Tickets.List(ctx, p, ticket.Filter{ConversationID: convID, Status: []ticket.Status{ticket.StatusNew, ticket.StatusOpen, ticket.StatusPending, ticket.StatusOnHold}})
	for _, tk := range tks {
		if err == nil {
			_, _, err = s.Tickets.Reply(ctx, p, tk.ID, body, true)
		}
	}
	if err != nil {
		s.logger().ErrorContext(ctx, "transfer note not added to the ticket", "tenant_id", p.TenantID, "conversation_id", convID, "err", err)
	}
}

func (s *Server) assignConversation(c *gin.Context) {
	var req AssignRequest
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	if req.AgentID == "" {
		s.writeError(c, assist.Errorf(assist.EINVALID, "agent_id is required"))
		return
	}
	s.routingAction(c, func(ctx context.Context, e *routing.Engine, p assist.Principal, id string) (*routing.Decision, error) {
		return e.Assign(ctx, p, id, req.AgentID)
	})
}

func (s *Server) routingDecisions(c *gin.Context) {
	e := s.router(c)
	if e == nil {
		return
	}
	p := principal(c)
	conv, err := s.Conversations.Get(c.Request.Context(), p, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	ds, err := e.Decisions(c.Request.Context(), p, conv.ID, 0)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if ds == nil {
		ds = []*routing.Decision{}
	}
	c.JSON(http.StatusOK, DecisionsResponse{Decisions: ds})
}

// queuePosition tells the customer (with the conversation's token) or
// staff where the conversation stands.
func (s *Server) queuePosition(c *gin.Context) {
	s.withConversation(c, bearer(c), func(p assist.Principal) {
		conv, err := s.Conversations.Get(c.Request.Context(), p, c.Param("id"))
		if err != nil {
			s.writeError(c, err)
			return
		}
		var pos routing.Position
		ok := false
		if s.Routing != nil {
			pos, ok = s.Routing.Position(conv.TenantID, conv.ID)
		}
		c.JSON(http.StatusOK, toPosition(conv, pos, ok, p.Role.Staff()))
	})
}

// agentEvents streams the caller's routing events as server-sent events:
// offers, assignments, customer messages, transfers, queue changes, SLA
// warnings and agent assist ("assist", the body of GET .../assist) meant
// for them (supervisors: everything in their tenant). A
// "ping" comment keeps proxies from closing an idle stream. A subscriber
// that falls behind gets a "lagged" event and the stream ends (reconnect
// and re-read the queues); at shutdown it gets "shutdown"; when its
// session ends (logout, ended by an admin, expiry: at once; on another
// replica: at the next ping) it gets "unauthorized".
func (s *Server) agentEvents(c *gin.Context) {
	if s.Routing == nil || s.Events == nil {
		s.writeError(c, assist.Errorf(assist.EUNAVAILABLE, "routing is not configured"))
		return
	}
	if !s.trackSocket() {
		s.writeError(c, assist.Errorf(assist.EUNAVAILABLE, "shutting down"))
		return
	}
	defer s.sockets.Done()
	p := principal(c)
	tok := c.GetString(credentialKey)
	sessionEnded, stopWatch, err := s.watchSession(c, p, tok)
	if err != nil {
		s.writeError(c, err)
		return
	}
	defer stopWatch()
	sub := s.Events.Subscribe(p.TenantID, p.UserID, p.Role)
	defer sub.Close()

	c.Header("Content-Type", "text/event-stream")
	c.Header("Cache-Control", "no-cache")
	c.Header("X-Accel-Buffering", "no")
	c.Status(http.StatusOK)
	c.SSEvent("ready", gin.H{"user_id": p.UserID, "role": p.Role})
	c.Writer.Flush()
	ping := time.NewTicker(s.cfg.PingInterval)
	defer ping.Stop()
	ctx := c.Request.Context()
	c.Stream(func(w io.Writer) bool {
		select {
		case ev, ok := <-sub.C:
			if !ok {
				c.SSEvent("lagged", gin.H{"message": "fell behind; reconnect"})
				return false
			}
			if ev.Payload != nil {
				c.SSEvent(ev.Type, ev.Payload)
			} else {
				c.SSEvent(ev.Type, ev)
			}
			return true
		case <-sessionEnded:
			c.SSEvent("unauthorized", gin.H{"message": sessionEndedReason})
			return false
		case <-ping.C:
			// The session may have ended on another replica.
			if !s.stillStaff(ctx, p, tok) {
				c.SSEvent("unauthorized", gin.H{"message": sessionEndedReason})
				return false
			}
			_, err := w.Write([]byte(": ping\n\n"))
			return err == nil
		case <-s.closing:
			c.SSEvent("shutdown", gin.H{"message": "server shutting down"})
			return false
		case <-ctx.Done():
			return false
		}
	})
}
