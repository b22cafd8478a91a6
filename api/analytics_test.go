package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/analytics"
	"github.com/assistd/assist/api"
	"github.com/assistd/assist/routing"
	"github.com/assistd/assist/store/sqlite"
)

// A customer rates their conversation once; the supervisor's numbers and
// /metrics show it.
func TestRatingAndAnalytics(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.cfg.MetricsToken = metricsToken })
	e.Server.Analytics = &analytics.Service{Store: sqlite.NewAnalyticsStore(e.DB)}
	e.withRouting(routing.DefaultConfig())
	s := e.newShop("rated")
	conv, tok := e.start("rated")
	e.say(conv.ID, tok, "where is my parcel?", http.StatusCreated)
	other, otherTok := e.start("rated")

	path := "/v1/conversations/" + conv.ID + "/rating"
	// Nobody has served the conversation yet: a visitor cannot push
	// ratings into the shop's CSAT before it ends.
	wantError(t, e.post(path, tok, map[string]any{"score": 1}), http.StatusConflict, assist.ECONFLICT, "closed")
	decode[api.RoutingResponse](t, e.post("/v1/conversations/"+conv.ID+"/close", s.Admin, nil), http.StatusOK)
	wantError(t, e.post(path, tok, map[string]any{"score": 6}), http.StatusBadRequest, "invalid", "score")
	wantError(t, e.post(path, s.Agent, map[string]any{"score": 5}), http.StatusForbidden, "forbidden", "customer")
	wantError(t, e.post(path, otherTok, map[string]any{"score": 5}), http.StatusNotFound, "not_found", "")
	wantError(t, e.post(path, "", map[string]any{"score": 5}), http.StatusUnauthorized, "unauthorized", "")
	got := decode[api.RatingResponse](t, e.post(path, tok, api.RatingRequest{Score: 4, Comment: "<b>quick</b>"}), http.StatusCreated)
	if got.Score != 4 || got.Comment != "<b>quick</b>" || got.ConversationID != conv.ID {
		t.Errorf("rating %+v", got)
	}
	wantError(t, e.post(path, tok, map[string]any{"score": 1}), http.StatusConflict, "conflict", "already")
	_ = other

	wantError(t, e.get("/v1/analytics", s.Agent), http.StatusForbidden, "forbidden", "")
	wantError(t, e.get("/v1/analytics?from=yesterday", s.Admin), http.StatusBadRequest, "invalid", "from")
	r := decode[analytics.Report](t, e.get("/v1/analytics", s.Admin), http.StatusOK)
	// The conversation nobody wrote in does not count; the one written
	// in was handed to people by the hand-off policy of the test server,
	// but without a ticket service no hand-off is recorded.
	if r.Conversations != 1 || r.CSAT.Count != 1 || r.CSAT.Average != 4 || r.CSAT.Scores[3] != 1 {
		t.Errorf("report: %d conversations, CSAT %+v; want 1 and one 4", r.Conversations, r.CSAT)
	}
	// One conversation of history: not enough for a forecast, and the
	// report says so rather than repeating it for every hour.
	if r.Forecast.Enough || len(r.Forecast.Next) != 0 || r.Forecast.HistoryHours < 1 || r.Forecast.MinHistoryDays < 1 {
		t.Errorf("forecast: enough %v, %d hours, %d hours of history; want no forecast", r.Forecast.Enough, len(r.Forecast.Next), r.Forecast.HistoryHours)
	}
	m := e.get("/metrics", metricsToken)
	for _, want := range []string{`assist_analytics_conversations{tenant="rated"} 1`, `assist_analytics_csat_average{tenant="rated"} 4`} {
		if !strings.Contains(string(m.Body), want) {
			t.Errorf("/metrics with the metrics token lacks %s", want)
		}
	}
}

const metricsToken = "metrics-0123456789abcdef0123456789abcdef"

// /metrics is open to anyone for the service's own numbers, but shops'
// slugs and business numbers (assist_analytics_*) only with the metrics
// token: an outsider cannot list the shops or read their volumes and
// CSAT; a wrong token is refused; without a token configured nobody gets
// them.
func TestMetricsHideShopsWithoutTheToken(t *testing.T) {
	for _, configured := range []bool{true, false} {
		e := newEnv(t, func(o *envOptions) {
			if configured {
				o.cfg.MetricsToken = metricsToken
			}
		})
		e.Server.Analytics = &analytics.Service{Store: sqlite.NewAnalyticsStore(e.DB)}
		e.newShop("secretshop")
		conv, tok := e.start("secretshop")
		e.say(conv.ID, tok, "where is my parcel?", http.StatusCreated)
		s := e.newShop("other")

		m := e.get("/metrics", "")
		if m.Status != http.StatusOK || !strings.Contains(string(m.Body), "assist_http_requests_total") {
			t.Fatalf("/metrics without the token: %d, want 200 with the service's metrics", m.Status)
		}
		for _, who := range []string{"", s.Admin, metricsToken} {
			if !configured || who != metricsToken {
				if b := string(e.get("/metrics", who).Body); strings.Contains(b, "secretshop") || strings.Contains(b, "assist_analytics_") {
					t.Errorf("configured %v: /metrics with %q shows the shops' numbers", configured, who)
				}
			}
		}
		if !configured {
			continue
		}
		wantError(t, e.get("/metrics", "not-the-metrics-token"), http.StatusUnauthorized, assist.EUNAUTHORIZED, "metrics token")
		if m := e.get("/metrics", metricsToken); !strings.Contains(string(m.Body), `assist_analytics_conversations{tenant="secretshop"} 1`) ||
			!strings.Contains(string(m.Body), "assist_http_requests_total") {
			t.Errorf("/metrics with the token lacks the shop's numbers or the service's")
		}
	}
}
