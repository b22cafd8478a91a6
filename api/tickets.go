package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/ticket"
)

// tickets returns the ticket service, or writes 503 when the server has
// none.
func (s *Server) tickets(c *gin.Context) (*ticket.Service, bool) {
	if s.Tickets == nil {
		s.writeError(c, assist.Errorf(assist.EUNAVAILABLE, "tickets are not enabled on this server"))
		return nil, false
	}
	return s.Tickets, true
}

// ticketPrincipal authenticates the caller of a ticket route open to
// customers: a staff token, or the customer token of the conversation
// named by the conversation_id query parameter.
func (s *Server) ticketPrincipal(c *gin.Context) (assist.Principal, error) {
	tok := bearer(c)
	if conversation.IsCustomerToken(tok) {
		conv := c.Query("conversation_id")
		if conv == "" {
			return assist.Principal{}, assist.Errorf(assist.EINVALID, "conversation_id is required with a customer token")
		}
		if s.Conversations == nil {
			return assist.Principal{}, assist.Errorf(assist.EUNAVAILABLE, "conversations are not enabled on this server")
		}
		return s.Conversations.Authorize(c.Request.Context(), conv, tok)
	}
	return s.staffPrincipal(c, tok)
}

// ticketJSON renders a ticket with its SLA state for p.
func (s *Server) ticketJSON(ctx context.Context, svc *ticket.Service, p assist.Principal, t *ticket.Ticket) (TicketJSON, error) {
	if p.Role == assist.RoleCustomer {
		return toTicket(t, nil, true), nil
	}
	timers, err := svc.SLAView(ctx, t)
	if err != nil {
		return TicketJSON{}, err
	}
	return toTicket(t, timers, false), nil
}

func (s *Server) createTicket(c *gin.Context) {
	svc, ok := s.tickets(c)
	if !ok {
		return
	}
	var req CreateTicketRequest
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	p := principal(c)
	t, err := svc.Create(c.Request.Context(), p, req.ticketValue())
	if err != nil {
		s.writeError(c, err)
		return
	}
	j, err := s.ticketJSON(c.Request.Context(), svc, p, t)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Location", "/v1/tickets/"+t.ID)
	c.JSON(http.StatusCreated, j)
}

// splitList reads a comma-separated query parameter.
func splitList(v string) []string {
	var out []string
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func (s *Server) listTickets(c *gin.Context) {
	svc, ok := s.tickets(c)
	if !ok {
		return
	}
	p, err := s.ticketPrincipal(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	f := ticket.Filter{Team: c.Query("team"), RequesterID: c.Query("requester_id"), AssigneeID: c.Query("assignee_id")}
	if p.Role.Staff() {
		f.ConversationID = c.Query("conversation_id")
	}
	if f.AssigneeID == "me" {
		f.AssigneeID = p.UserID
	}
	for _, st := range splitList(c.Query("status")) {
		f.Status = append(f.Status, ticket.Status(st))
	}
	for _, pr := range splitList(c.Query("priority")) {
		f.Priority = append(f.Priority, ticket.Priority(pr))
	}
	if v := c.Query("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			s.writeError(c, assist.Errorf(assist.EINVALID, "before must be a positive ticket number"))
			return
		}
		f.BeforeNumber = n
	}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > ticket.MaxPageSize {
			s.writeError(c, assist.Errorf(assist.EINVALID, "limit must be a number from 1 to %d", ticket.MaxPageSize))
			return
		}
		f.Limit = n
	}
	list, err := svc.List(c.Request.Context(), p, f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	res := TicketsResponse{Tickets: []TicketJSON{}}
	for _, t := range list {
		j, err := s.ticketJSON(c.Request.Context(), svc, p, t)
		if err != nil {
			s.writeError(c, err)
			return
		}
		res.Tickets = append(res.Tickets, j)
	}
	limit := f.Limit
	if limit == 0 {
		limit = ticket.DefaultPageSize
	}
	if len(list) == limit {
		res.NextBefore = list[len(list)-1].Number
	}
	c.JSON(http.StatusOK, res)
}

func (s *Server) getTicket(c *gin.Context) {
	svc, ok := s.tickets(c)
	if !ok {
		return
	}
	p, err := s.ticketPrincipal(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	t, err := svc.Get(ctx, p, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	comments, err := svc.Comments(ctx, p, t.ID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	j, err := s.ticketJSON(ctx, svc, p, t)
	if err != nil {
		s.writeError(c, err)
		return
	}
	res := TicketResponse{Ticket: j, Comments: mapAll(comments, toComment)}
	if p.Role == assist.RoleCustomer {
		// Customers see who wrote (their side or the shop's), not staff ids.
		for i := range res.Comments {
			res.Comments[i].AuthorID = ""
		}
	}
	if res.Comments == nil {
		res.Comments = []CommentJSON{}
	}
	c.JSON(http.StatusOK, res)
}

func (s *Server) updateTicket(c *gin.Context) {
	svc, ok := s.tickets(c)
	if !ok {
		return
	}
	var req UpdateTicketRequest
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	p := principal(c)
	t, err := svc.Update(c.Request.Context(), p, c.Param("id"), req.ticketValue())
	if err != nil {
		s.writeError(c, err)
		return
	}
	j, err := s.ticketJSON(c.Request.Context(), svc, p, t)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, j)
}

func (s *Server) commentTicket(c *gin.Context) {
	svc, ok := s.tickets(c)
	if !ok {
		return
	}
	var req CommentRequest
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	p := principal(c)
	com, t, err := svc.Reply(c.Request.Context(), p, c.Param("id"), req.Body, req.Internal)
	if err != nil {
		s.writeError(c, err)
		return
	}
	j, err := s.ticketJSON(c.Request.Context(), svc, p, t)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, CommentResponse{Comment: toComment(com), Ticket: j})
}

func (s *Server) ticketAudit(c *gin.Context) {
	svc, ok := s.tickets(c)
	if !ok {
		return
	}
	log, err := svc.AuditLog(c.Request.Context(), principal(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	res := AuditResponse{Records: mapAll(log, toAudit)}
	if res.Records == nil {
		res.Records = []AuditJSON{}
	}
	c.JSON(http.StatusOK, res)
}

func (s *Server) getSLAPolicies(c *gin.Context) {
	svc, ok := s.tickets(c)
	if !ok {
		return
	}
	pol, err := svc.Policies(c.Request.Context(), principal(c).TenantID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toPolicies(pol))
}

func (s *Server) putSLAPolicies(c *gin.Context) {
	svc, ok := s.tickets(c)
	if !ok {
		return
	}
	var req SLAPoliciesJSON
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	pol, err := req.ticketValue()
	if err != nil {
		s.writeError(c, err)
		return
	}
	all, err := svc.SetPolicies(c.Request.Context(), principal(c), pol)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toPolicies(all))
}

func (s *Server) getTeamHours(c *gin.Context) {
	svc, ok := s.tickets(c)
	if !ok {
		return
	}
	team := c.Param("team")
	h, err := svc.Hours(c.Request.Context(), principal(c), team)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toHours(team, h))
}

func (s *Server) putTeamHours(c *gin.Context) {
	svc, ok := s.tickets(c)
	if !ok {
		return
	}
	var req HoursJSON
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	h, err := req.ticketValue()
	if err != nil {
		s.writeError(c, err)
		return
	}
	team := c.Param("team")
	p := principal(c)
	if err := svc.SetHours(c.Request.Context(), p, team, h); err != nil {
		s.writeError(c, err)
		return
	}
	stored, err := svc.Hours(c.Request.Context(), p, team)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toHours(team, stored))
}
