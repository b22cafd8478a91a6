package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/assistd/assist"
	"github.com/assistd/assist/gap"
)

// gapReviewers are the roles that review the gap report.
var gapReviewers = []assist.Role{assist.RoleKnowledge, assist.RoleSupervisor, assist.RoleAdmin}

// gaps returns the gap service, or writes 503 when there is none.
func (s *Server) gaps(c *gin.Context) *gap.Service {
	if s.Gaps == nil {
		s.writeError(c, assist.Errorf(assist.EUNAVAILABLE, "the gap report is not configured"))
	}
	return s.Gaps
}

func (s *Server) gapReport(c *gin.Context) ([]*gap.Cluster, bool) {
	g := s.gaps(c)
	if g == nil {
		return nil, false
	}
	limit := 0
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			s.writeError(c, assist.Errorf(assist.EINVALID, "limit must be a number from 1 to 1000"))
			return nil, false
		}
		limit = n
	}
	cs, err := g.Report(c.Request.Context(), principal(c).TenantID, gap.Status(c.Query("status")), limit)
	if err != nil {
		s.writeError(c, err)
		return nil, false
	}
	return cs, true
}

func (s *Server) listGaps(c *gin.Context) {
	if cs, ok := s.gapReport(c); ok {
		c.JSON(http.StatusOK, GapsResponse{Clusters: cs})
	}
}

func (s *Server) exportGaps(c *gin.Context) {
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != "csv" {
		s.writeError(c, assist.Errorf(assist.EINVALID, "format must be csv or json"))
		return
	}
	cs, ok := s.gapReport(c)
	if !ok {
		return
	}
	if format == "json" {
		c.Header("Content-Disposition", `attachment; filename="gaps.json"`)
		c.JSON(http.StatusOK, GapsResponse{Clusters: cs})
		return
	}
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="gaps.csv"`)
	c.Status(http.StatusOK)
	if err := gap.WriteCSV(c.Writer, cs); err != nil {
		s.logger().WarnContext(c.Request.Context(), "gap export interrupted", "err", err)
	}
}

func (s *Server) getGap(c *gin.Context) {
	g := s.gaps(c)
	if g == nil {
		return
	}
	cl, err := g.Get(c.Request.Context(), principal(c).TenantID, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, cl)
}

func (s *Server) acceptGap(c *gin.Context) {
	g := s.gaps(c)
	if g == nil {
		return
	}
	var e gap.Edit
	if err := bind(c, &e); err != nil {
		s.writeError(c, err)
		return
	}
	p := principal(c)
	cl, err := g.Accept(c.Request.Context(), p.TenantID, c.Param("id"), p.UserID, e)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, cl)
}

func (s *Server) publishGap(c *gin.Context) {
	g := s.gaps(c)
	if g == nil {
		return
	}
	p := principal(c)
	res, err := g.Publish(c.Request.Context(), p.TenantID, c.Param("id"), p.UserID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

func (s *Server) dismissGap(c *gin.Context) {
	g := s.gaps(c)
	if g == nil {
		return
	}
	var req DismissGapRequest
	if c.Request.ContentLength != 0 {
		if err := bind(c, &req); err != nil {
			s.writeError(c, err)
			return
		}
	}
	p := principal(c)
	cl, err := g.Dismiss(c.Request.Context(), p.TenantID, c.Param("id"), p.UserID, req.Note)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, cl)
}

// rateMessage takes the customer's thumbs on a bot message; a thumbs-down
// goes into the gap report.
func (s *Server) rateMessage(c *gin.Context) {
	var req ThumbsRequest
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	s.withConversation(c, bearer(c), func(p assist.Principal) {
		if p.Role != assist.RoleCustomer {
			s.writeError(c, assist.Errorf(assist.EFORBIDDEN, "only the conversation's customer rates its answers"))
			return
		}
		if s.GapRecorder == nil {
			s.writeError(c, assist.Errorf(assist.EUNAVAILABLE, "ratings are not recorded"))
			return
		}
		ctx := c.Request.Context()
		conv, err := s.Conversations.Get(ctx, p, c.Param("id"))
		if err != nil {
			s.writeError(c, err)
			return
		}
		m, err := s.Conversations.Store.Message(ctx, conv.TenantID, c.Param("mid"))
		if err != nil || m.ConversationID != conv.ID {
			s.writeError(c, assist.Errorf(assist.ENOTFOUND, "no message %q in this conversation", c.Param("mid")))
			return
		}
		var q *assist.Message
		if m.ReplyTo != "" {
			if q, err = s.Conversations.Store.Message(ctx, conv.TenantID, m.ReplyTo); err != nil {
				q = nil
			}
		}
		if err := s.GapRecorder.Rate(ctx, conv, m, q, req.Rating); err != nil {
			s.writeError(c, err)
			return
		}
		c.JSON(http.StatusOK, ThumbsResponse{MessageID: m.ID, Rating: req.Rating})
	})
}
