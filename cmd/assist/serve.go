package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/assistd/assist"
	"github.com/assistd/assist/agentassist"
	"github.com/assistd/assist/analytics"
	"github.com/assistd/assist/api"
	"github.com/assistd/assist/auth"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/demoshop"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/gap"
	"github.com/assistd/assist/logging"
	"github.com/assistd/assist/models/onnx"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/nlu/intent"
	"github.com/assistd/assist/routing"
	"github.com/assistd/assist/sentiment"
	"github.com/assistd/assist/store/sqlite"
	"github.com/assistd/assist/ticket"
)

// ServeCmd starts the service and runs until interrupted.
type ServeCmd struct {
	Addr string `help:"Listen address (http.addr)." placeholder:"HOST:PORT"`
	DB   string `help:"SQLite database file (store.path)." placeholder:"FILE"`
	Demo bool   `help:"Seed the demo shop tenant with an admin and two agents and print their credentials (demo.seed)."`
}

// Run implements the command.
func (s *ServeCmd) Run(g *Globals) error {
	extra := map[string]string{}
	if s.Addr != "" {
		extra["http.addr"] = s.Addr
	}
	if s.DB != "" {
		extra["store.path"] = s.DB
	}
	if s.Demo {
		extra["demo.seed"] = "true"
	}
	cfg, err := g.LoadConfig(extra)
	if err != nil {
		return err
	}
	m := NewMain(cfg, g.Stdout)
	if err := m.Run(g.Ctx); err != nil {
		m.Close()
		return err
	}
	fmt.Fprintf(g.Stdout, "assist %s listening on http://%s\n", version, m.Addr())
	<-g.Ctx.Done()
	fmt.Fprintln(g.Stdout, "assist: shutting down")
	return m.Close()
}

// Main is the running service: the only place that knows every concrete
// type. Create it with NewMain, start it with Run, stop it with Close.
type Main struct {
	Config Config
	Stdout io.Writer
	Logger *slog.Logger
	Policy dialog.Policy // nil: the one dialog.policy names

	DB            *sqlite.DB
	ORT           *onnx.Runtime // nil when the library is not installed
	Auth          *auth.Service
	Conversations *conversation.Service
	Knowledge     *knowledge // the knowledge base and its rag service
	Tickets       *ticket.Service
	Routing       *routing.Engine
	Events        *routing.Bus          // routing and SLA events for staff
	Intents       *intent.Classifier    // the intent model, hot-swappable
	Sentiment     *sentiment.Classifier // the sentiment model, hot-swappable
	LLMIntents    nlu.Classifier        // the LLM intent classifier; nil without an LLM
	NLU           *nlu.Pipeline
	Assist        *agentassist.Service // agent assist: suggestions, summaries, macros
	GapRecorder   *gap.Recorder        // records knowledge gaps
	Gaps          *gap.Service         // the gap report and its review
	Hub           *conversation.Hub
	API           *api.Server
	HTTPServer    *http.Server
	Backend       flow.Backend   // the shop backend flows call (dialog.backend); nil: none
	Shop          *demoshop.Shop // the demo shop, when dialog.backend is demo
	// Now is the clock of the shop and of the bot's dates (demo.clock,
	// see clock.go), started by Run; set before Run to replace it.
	Now func() time.Time

	ln     net.Listener
	served chan error
	cancel context.CancelFunc
	bg     chan struct{}
}

// NewMain returns a Main for the configuration.
func NewMain(cfg Config, stdout io.Writer) *Main {
	if stdout == nil {
		stdout = io.Discard
	}
	return &Main{Config: cfg, Stdout: stdout}
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	return logging.New(w, cfg.Log.Format, cfg.Log.Level)
}

// Run opens the database, wires the services, seeds the demo tenant when
// asked, starts listening and serves in the background. It returns once
// the service accepts connections.
func (m *Main) Run(ctx context.Context) error {
	cfg := m.Config
	if m.Logger == nil {
		m.Logger = newLogger(cfg, os.Stderr)
	}
	m.Logger.Info("starting", "version", version, "config", cfg.Redacted())
	heapFloor(int64(cfg.Runtime.HeapFloorMB) << 20)
	if m.Now == nil {
		now, err := cfg.clock()
		if err != nil {
			return fmt.Errorf("demo.clock: %w", err)
		}
		m.Now = now
	}

	if dir := filepath.Dir(cfg.Store.Path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("data folder: %w", err)
		}
	}
	sync := sqlite.SyncFull
	if cfg.Store.Synchronous == "normal" {
		sync = sqlite.SyncNormal
	}
	db, err := sqlite.Open(ctx, cfg.Store.Path, sqlite.WithSynchronous(sync), sqlite.WithLogger(m.Logger))
	if err != nil {
		return err
	}
	m.DB = db

	// No model needs ONNX Runtime yet; load it now so a missing library is
	// reported at start, not at the first model.
	if rt, err := onnx.Load(onnx.Config{LibraryPath: cfg.ONNX.Library, IntraOpThreads: cfg.ONNX.Threads, Logger: m.Logger}); err != nil {
		m.Logger.Warn("ONNX Runtime not available; models will not load", "err", err)
	} else {
		m.ORT = rt
		m.Logger.Info("ONNX Runtime loaded", "version", rt.Version(), "library", rt.LibraryPath())
	}

	m.Hub = conversation.NewHub(256)
	m.Auth = newAuthService(db, cfg)
	m.Conversations = &conversation.Service{
		Store:           sqlite.NewConversationStore(db),
		Policy:          m.Policy,
		Hub:             m.Hub,
		Logger:          m.Logger,
		MaxMessageRunes: cfg.Conversation.MaxMessageChars,
		TurnTimeout:     cfg.Conversation.TurnTimeout,
		CustomerSecret:  []byte(cfg.Auth.CustomerSecret),
		Secrets:         m.Auth,
	}
	// Routing: restored from the database and reconciled with the
	// conversations before anything is served.
	m.Events = &routing.Bus{Buffer: 256}
	m.Tickets = newTicketService(db, cfg, m.Logger)
	follower := ticketFollower{Conversations: m.Conversations, tickets: m.Tickets, logger: m.Logger}
	if m.Routing, err = newRouting(ctx, db, cfg, follower, m.Events, m.Logger); err != nil {
		return err
	}
	m.Conversations.Handoffs = m.Routing
	m.Tickets.Teams = m.Routing
	m.Tickets.Notifier = slaEvents{bus: m.Events}
	// Every hand-off opens a ticket, after the handler already set (routing).
	// The wrapper passes routing's queue positions on, so the customer is
	// told their place after a hand-off (conversation.QueueTeller).
	m.Conversations.Handoffs = &ticket.Escalations{
		Tickets: m.Tickets,
		Next:    m.Conversations.Handoffs,
		History: func(ctx context.Context, tenantID, id string) ([]*assist.Message, error) {
			return m.Conversations.Store.Messages(ctx, tenantID, id, 0, 500)
		},
		// The note is agent assist's hand-off summary (built below,
		// before anything is served).
		Summary: func(ctx context.Context, c *assist.Conversation, h assist.Handoff, part []*assist.Message) string {
			return m.Assist.HandoffNote(ctx, c, h, part)
		},
	}
	if cfg.Demo.Seed {
		if _, err := seedDemo(ctx, m.Auth, cfg, m.Stdout); err != nil {
			return err
		}
		if err := seedDemoRouting(ctx, m.Auth, m.Routing, cfg, m.Stdout); err != nil {
			return err
		}
	}

	reg := prometheus.NewRegistry()
	m.API = api.New(api.Config{
		MaxBodyBytes:   cfg.HTTP.MaxBodyBytes,
		RateLimit:      cfg.HTTP.RateLimit,
		RateBurst:      cfg.HTTP.RateBurst,
		IPRateLimit:    cfg.HTTP.IPRateLimit,
		IPRateBurst:    cfg.HTTP.IPRateBurst,
		LoginRateLimit: cfg.HTTP.LoginRateLimit,
		LoginRateBurst: cfg.HTTP.LoginRateBurst,
		AllowedOrigins: cfg.HTTP.AllowedOrigins,
		TrustedProxies: cfg.HTTP.TrustedProxies,
		OperatorToken:  cfg.Auth.OperatorToken,
		MetricsToken:   cfg.HTTP.MetricsToken,
		ReportsDir:     cfg.Eval.ReportsDir,
	}, m.Conversations, m.Auth, m.Hub, m.Logger, reg)
	m.GapRecorder = m.newGapRecorder()
	if err := m.openKnowledge(ctx); err != nil {
		return err
	}
	m.API.Knowledge = m.Knowledge.api(cfg)
	m.API.Ready = db.Ready
	m.API.Version = version
	m.API.Tickets = m.Tickets
	m.API.Routing = m.Routing
	m.API.Events = m.Events
	m.API.Analytics = &analytics.Service{Store: sqlite.NewAnalyticsStore(db)}
	if err := m.openNLU(); err != nil {
		return err
	}
	m.openSentiment()
	if m.Backend == nil {
		if m.Backend, err = m.openBackend(ctx); err != nil {
			return err
		}
	}
	// The bot's policy needs the NLU and the knowledge base; no turn runs
	// before this point (turns start with the first request or Recover).
	if m.Policy == nil {
		p, err := m.newPolicy()
		if err != nil {
			return err
		}
		m.Policy = p
	}
	m.Conversations.Policy = m.Policy
	// Agent assist hears of every message; agents reach it through the API.
	if m.Assist, err = m.newAgentAssist(); err != nil {
		return err
	}
	if m.Knowledge != nil && m.Knowledge.Service != nil {
		m.GapRecorder.Knowledge = m.Knowledge.Service
		m.GapRecorder.Contacts = m.Knowledge.Service
	}
	if m.Gaps, err = m.newGapService(); err != nil {
		return err
	}
	m.Conversations.Observers = []conversation.Observer{m.Assist, m.GapRecorder, follower}
	m.API.Assist = m.Assist
	m.API.Gaps = m.Gaps
	m.API.GapRecorder = m.GapRecorder
	if m.Backend != nil {
		m.API.Shop = m.Backend
	}

	m.HTTPServer = &http.Server{
		Handler:           m.API.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	m.HTTPServer.RegisterOnShutdown(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		m.API.CloseSockets(ctx)
	})
	ln, err := net.Listen("tcp", cfg.HTTP.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.HTTP.Addr, err)
	}
	m.ln = ln
	m.served = make(chan error, 1)
	go func() { m.served <- m.HTTPServer.Serve(ln) }()

	// Background upkeep: resume the turns of messages stored before a crash
	// (at start, then every minute for turns that failed since), and purge
	// expired staff sessions (at start, then hourly).
	bgctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	m.cancel = cancel
	m.bg = make(chan struct{})
	go func() {
		defer close(m.bg)
		// The SLA scheduler: restores the timers of open tickets, then
		// warns and reports breaches until shutdown.
		slaDone := make(chan struct{})
		go func() {
			defer close(slaDone)
			if err := m.Tickets.RunSLA(bgctx); err != nil && bgctx.Err() == nil {
				m.Logger.Error("SLA scheduler stopped", "err", err)
			}
		}()
		defer func() { <-slaDone }()
		// Routing timeouts: offers not accepted, overflow, customers gone.
		// SIGHUP reloads the intent and sentiment models.
		hupDone := make(chan struct{})
		go func() { defer close(hupDone); m.reloadOnSIGHUP(bgctx) }()
		defer func() { <-hupDone }()
		routingDone := make(chan struct{})
		go func() { defer close(routingDone); m.Routing.Run(bgctx) }()
		defer func() { <-routingDone }()
		recoverTick := time.NewTicker(time.Minute)
		defer recoverTick.Stop()
		purgeTick := time.NewTicker(time.Hour)
		defer purgeTick.Stop()
		m.recoverTurns(bgctx)
		m.purgeSessions(bgctx)
		for {
			select {
			case <-bgctx.Done():
				return
			case <-recoverTick.C:
				m.recoverTurns(bgctx)
			case <-purgeTick.C:
				m.purgeSessions(bgctx)
			}
		}
	}()
	m.Logger.Info("listening", "addr", ln.Addr().String())
	return nil
}

// newPolicy returns the bot's policy named by dialog.policy: the Assistant
// (NLU, sentiment, knowledge base, task flows on the shop backend and the
// escalation rules; see newAssistant in dialog.go), or the HandoffPolicy
// that queues every conversation for a person.
func (m *Main) newPolicy() (dialog.Policy, error) {
	if m.Config.Dialog.Policy == "handoff" {
		return dialog.HandoffPolicy{}, nil
	}
	var (
		parser  dialog.Parser
		scorer  sentiment.Scorer
		kb      dialog.Answerer
		backend flow.Backend
	)
	if m.NLU != nil {
		parser = m.NLU
	}
	if m.Sentiment != nil {
		scorer = m.Sentiment
	}
	if m.Knowledge != nil && m.Knowledge.Service != nil {
		kb = m.Knowledge.Service
	}
	if m.Backend != nil {
		backend = m.Backend
	}
	return newAssistant(m.Config, m.Now, parser, scorer, kb, backend)
}

// Addr returns the address the service listens on.
func (m *Main) Addr() string {
	if m.ln == nil {
		return ""
	}
	return m.ln.Addr().String()
}

// URL returns the service's base URL.
func (m *Main) URL() string {
	host, port, _ := net.SplitHostPort(m.Addr())
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "127.0.0.1"
	}
	p, _ := strconv.Atoi(port)
	return fmt.Sprintf("http://%s", net.JoinHostPort(host, strconv.Itoa(p)))
}

// Close stops the service gracefully: it stops accepting, lets in-flight
// requests finish (up to http.shutdown_timeout), sends every WebSocket a
// close frame, then closes the database cleanly.
func (m *Main) Close() error {
	var errs []error
	if m.HTTPServer != nil {
		timeout := m.Config.HTTP.ShutdownTimeout
		if timeout <= 0 {
			timeout = 15 * time.Second
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		if err := m.HTTPServer.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("http shutdown: %w", err))
		}
		// Shutdown does not wait for hijacked connections, and runs its
		// RegisterOnShutdown hook in a goroutine of its own: wait here for
		// every WebSocket to be closed before the database is.
		m.API.CloseSockets(ctx)
		cancel()
		if err := <-m.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, fmt.Errorf("http serve: %w", err))
		}
		m.HTTPServer = nil
	}
	if m.cancel != nil {
		m.cancel()
		<-m.bg
		m.cancel = nil
	}
	if m.Intents != nil {
		if err := m.Intents.Close(); err != nil {
			errs = append(errs, fmt.Errorf("intent model: %w", err))
		}
	}
	if m.Sentiment != nil {
		if err := m.Sentiment.Close(); err != nil {
			errs = append(errs, fmt.Errorf("sentiment model: %w", err))
		}
	}
	if m.ORT != nil {
		if err := m.ORT.Close(); err != nil {
			errs = append(errs, fmt.Errorf("onnx runtime: %w", err))
		}
		m.ORT = nil
	}
	if m.Shop != nil {
		if err := m.Shop.Close(); err != nil {
			errs = append(errs, fmt.Errorf("demo shop: %w", err))
		}
		m.Shop = nil
	}
	if m.Knowledge != nil {
		if err := m.Knowledge.Close(); err != nil {
			errs = append(errs, fmt.Errorf("kb index: %w", err))
		}
		m.Knowledge = nil
	}
	if m.DB != nil {
		if err := m.DB.Close(); err != nil {
			errs = append(errs, err)
		}
		m.DB = nil
	}
	if m.Logger != nil {
		m.Logger.Info("stopped")
	}
	return errors.Join(errs...)
}

// newTicketService builds the ticket service on the database, with the
// configured default SLA targets and warning threshold. Its Notifier (the
// agent event stream) and Teams (routing) are set by the caller when
// available; without them SLA events are logged and agents see their own
// and unassigned tickets.
func newTicketService(db *sqlite.DB, cfg Config, logger *slog.Logger) *ticket.Service {
	t := func(s SLATargets) ticket.Targets {
		return ticket.Targets{FirstResponse: s.FirstResponse, NextResponse: s.NextResponse, Resolution: s.Resolution}
	}
	return &ticket.Service{
		Store:  sqlite.NewTicketStore(db),
		Logger: logger,
		Defaults: ticket.Policies{
			ticket.PriorityLow: t(cfg.Ticket.SLA.Low), ticket.PriorityNormal: t(cfg.Ticket.SLA.Normal),
			ticket.PriorityHigh: t(cfg.Ticket.SLA.High), ticket.PriorityUrgent: t(cfg.Ticket.SLA.Urgent),
		},
		Warning: ticket.Warning{Fraction: cfg.Ticket.WarnFraction, Before: cfg.Ticket.WarnBefore},
	}
}

func newAuthService(db *sqlite.DB, cfg Config) *auth.Service {
	return &auth.Service{Store: sqlite.NewAuthStore(db), SessionTTL: cfg.Auth.SessionTTL, BcryptCost: cfg.Auth.BcryptCost}
}

func (m *Main) recoverTurns(ctx context.Context) {
	n, err := m.Conversations.Recover(ctx)
	if err != nil && ctx.Err() == nil {
		m.Logger.Error("recovering unhandled messages", "err", err)
	}
	if n > 0 {
		m.Logger.Info("recovered unhandled messages", "count", n)
	}
}

func (m *Main) purgeSessions(ctx context.Context) {
	n, err := m.Auth.PurgeExpiredSessions(ctx)
	if err != nil && ctx.Err() == nil {
		m.Logger.Error("purging expired sessions", "err", err)
	}
	if n > 0 {
		m.Logger.Info("purged expired sessions", "count", n)
	}
}

// The hand-off chain tells customers their queue position.
var (
	_ conversation.QueueTeller = (*routing.Engine)(nil)
	_ conversation.QueueTeller = (*ticket.Escalations)(nil)
	// ... whether anyone serves their queue, and lets them leave it.
	_ conversation.QueueStaffing = (*routing.Engine)(nil)
	_ conversation.QueueStaffing = (*ticket.Escalations)(nil)
	_ conversation.QueueLeaver   = (*routing.Engine)(nil)
	_ conversation.QueueLeaver   = (*ticket.Escalations)(nil)
)
