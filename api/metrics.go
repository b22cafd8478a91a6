package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/assistd/assist/conversation"
)

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	messages *prometheus.CounterVec
}

func newMetrics(reg *prometheus.Registry, hub *conversation.Hub) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "assist_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "assist_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "assist_messages_total", Help: "Messages stored, by author.",
		}, []string{"author"}),
	}
	cs := []prometheus.Collector{m.requests, m.duration, m.messages}
	if hub != nil {
		cs = append(cs, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "assist_live_subscriptions", Help: "Open live event subscriptions (WebSockets).",
		}, func() float64 { return float64(hub.Subscribers()) }))
	}
	for _, c := range cs {
		reg.MustRegister(c)
	}
	// The process and Go runtime collectors may already be registered by the
	// caller; a duplicate is not an error here.
	_ = reg.Register(collectors.NewGoCollector())
	_ = reg.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
	default:
		method = "OTHER" // clients choose the method: keep the label's values few
	}
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}
