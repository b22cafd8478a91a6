package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/assistd/assist"
	"github.com/assistd/assist/analytics"
)

// RatingRequest is a customer's satisfaction rating of their conversation.
type RatingRequest struct {
	Score   int    `json:"score"`
	Comment string `json:"comment,omitempty"`
}

// RatingResponse is the stored rating.
type RatingResponse struct {
	ConversationID string    `json:"conversation_id"`
	Score          int       `json:"score"`
	Comment        string    `json:"comment,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
}

// defaultAnalyticsPeriod is the period of GET /v1/analytics without from.
const defaultAnalyticsPeriod = 7 * 24 * time.Hour

func (s *Server) analyticsService(c *gin.Context) *analytics.Service {
	if s.Analytics == nil {
		s.writeError(c, assist.Errorf(assist.EUNAVAILABLE, "analytics is not configured"))
	}
	return s.Analytics
}

// parsePeriodTime reads a time as RFC 3339 or a date (YYYY-MM-DD, UTC
// midnight).
func parsePeriodTime(name, v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	return time.Time{}, assist.Errorf(assist.EINVALID, "%s must be an RFC 3339 time or a date YYYY-MM-DD", name)
}

// getAnalytics serves GET /v1/analytics?from=…&to=… (default: the last 7
// days; a date as to means up to the end of that day).
func (s *Server) getAnalytics(c *gin.Context) {
	a := s.analyticsService(c)
	if a == nil {
		return
	}
	to := time.Now().UTC()
	if v := c.Query("to"); v != "" {
		t, err := parsePeriodTime("to", v)
		if err != nil {
			s.writeError(c, err)
			return
		}
		if len(v) == len(time.DateOnly) {
			t = t.Add(24 * time.Hour)
		}
		to = t
	}
	from := to.Add(-defaultAnalyticsPeriod)
	if v := c.Query("from"); v != "" {
		t, err := parsePeriodTime("from", v)
		if err != nil {
			s.writeError(c, err)
			return
		}
		from = t
	}
	r, err := a.Report(c.Request.Context(), principal(c).TenantID, from, to)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// rateConversation serves POST /v1/conversations/:id/rating: the
// conversation's customer rates it, once, after it is closed (409 before).
func (s *Server) rateConversation(c *gin.Context) {
	a := s.analyticsService(c)
	if a == nil {
		return
	}
	s.withConversation(c, bearer(c), func(p assist.Principal) {
		if p.Role != assist.RoleCustomer {
			s.writeError(c, assist.Errorf(assist.EFORBIDDEN, "only the conversation's customer rates it"))
			return
		}
		var req RatingRequest
		if err := bind(c, &req); err != nil {
			s.writeError(c, err)
			return
		}
		conv, err := s.Conversations.Get(c.Request.Context(), p, c.Param("id"))
		if err != nil {
			s.writeError(c, err)
			return
		}
		// Rated when it ends (the widget asks then): an open conversation
		// nobody has served yet would let any visitor push ratings into
		// the shop's CSAT.
		if conv.Owner != assist.OwnerClosed {
			s.writeError(c, assist.Errorf(assist.ECONFLICT, "the conversation can be rated once it is closed"))
			return
		}
		r, err := a.Rate(c.Request.Context(), conv.TenantID, conv.ID, req.Score, req.Comment)
		if err != nil {
			s.writeError(c, err)
			return
		}
		c.JSON(http.StatusCreated, RatingResponse{ConversationID: r.ConversationID, Score: r.Score, Comment: r.Comment, CreatedAt: r.At})
	})
}

// analyticsCollector publishes each tenant's numbers of the last 24 hours
// on /metrics, from the same reports GET /v1/analytics serves.
type analyticsCollector struct{ s *Server }

var (
	descConversations = prometheus.NewDesc("assist_analytics_conversations", "Conversations with a customer message, started in the last 24 h.", []string{"tenant"}, nil)
	descDeflection    = prometheus.NewDesc("assist_analytics_deflection_ratio", "Share of the last 24 h's conversations the bot resolved without a person.", []string{"tenant"}, nil)
	descHandoffs      = prometheus.NewDesc("assist_analytics_handoffs", "Hand-offs to people in the last 24 h, by reason.", []string{"tenant", "reason"}, nil)
	descFirstResponse = prometheus.NewDesc("assist_analytics_first_response_seconds", "Hand-off to first agent message in the last 24 h.", []string{"tenant", "quantile"}, nil)
	descCSAT          = prometheus.NewDesc("assist_analytics_csat_average", "Average satisfaction rating (1-5) given in the last 24 h.", []string{"tenant"}, nil)
	descCSATCount     = prometheus.NewDesc("assist_analytics_csat_ratings", "Satisfaction ratings given in the last 24 h.", []string{"tenant"}, nil)
	descForecast      = prometheus.NewDesc("assist_analytics_forecast_next_hour", "Conversations expected in the next hour.", []string{"tenant"}, nil)
)

func (a analyticsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descConversations, descDeflection, descHandoffs, descFirstResponse, descCSAT, descCSATCount, descForecast} {
		ch <- d
	}
}

func (a analyticsCollector) Collect(ch chan<- prometheus.Metric) {
	svc := a.s.Analytics
	if svc == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	ts, err := svc.Tenants(ctx)
	if err != nil {
		a.s.logger().Warn("analytics metrics: tenants", "err", err)
		return
	}
	to := time.Now().UTC()
	for _, t := range ts {
		r, err := svc.Report(ctx, t.ID, to.Add(-24*time.Hour), to)
		if err != nil {
			a.s.logger().Warn("analytics metrics", "tenant", t.Slug, "err", err)
			continue
		}
		g := func(d *prometheus.Desc, v float64, labels ...string) {
			ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, append([]string{t.Slug}, labels...)...)
		}
		g(descConversations, float64(r.Conversations))
		g(descDeflection, r.Deflection)
		for _, h := range r.ByReason {
			g(descHandoffs, float64(h.Count), h.Key)
		}
		g(descFirstResponse, r.FirstResponse.MedianSeconds, "0.5")
		g(descFirstResponse, r.FirstResponse.P90Seconds, "0.9")
		g(descCSAT, r.CSAT.Average)
		g(descCSATCount, float64(r.CSAT.Count))
		if len(r.Forecast.Next) > 0 {
			g(descForecast, r.Forecast.Next[0].Expected)
		}
	}
}
