package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/assistd/assist"
	"github.com/assistd/assist/agentassist"
	"github.com/assistd/assist/auth"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/routing"
	"github.com/assistd/assist/ticket"
)

// Config holds the HTTP layer's limits.
type Config struct {
	MaxBodyBytes   int64         // request bodies over this are refused with 413
	RateLimit      float64       // requests per second per client (its credential, else its IP); 0 disables
	RateBurst      int           // burst per client
	IPRateLimit    float64       // requests per second per IP, whatever the credential; 0 disables
	IPRateBurst    int           // burst per IP
	LoginRateLimit float64       // login attempts per second per IP (each costs a bcrypt check); 0 disables
	LoginRateBurst int           // burst of login attempts per IP
	AllowedOrigins []string      // WebSocket origins besides the server's own host
	TrustedProxies []string      // proxies whose X-Forwarded-For is believed
	PingInterval   time.Duration // WebSocket keep-alive pings
}

// DefaultConfig returns the limits used when a field is zero.
func DefaultConfig() Config {
	return Config{MaxBodyBytes: 64 << 10, RateLimit: 20, RateBurst: 40, IPRateLimit: 200, IPRateBurst: 400, LoginRateLimit: 1, LoginRateBurst: 10, PingInterval: 30 * time.Second}
}

// Server serves the API. Create it with New.
type Server struct {
	Conversations *conversation.Service
	Auth          *auth.Service
	Hub           *conversation.Hub
	Logger        *slog.Logger
	Ready         func(ctx context.Context) error // nil: always ready
	Knowledge     *Knowledge                      // nil: the knowledge routes answer 503
	Version       string
	Tickets       *ticket.Service      // nil: the ticket routes answer 503
	Routing       *routing.Engine      // nil: the routing routes answer 503
	Events        *routing.Bus         // routing events for GET /v1/agent/events
	NLU           *NLU                 // nil: the NLU routes answer 503
	Assist        *agentassist.Service // nil: the agent-assist and macro routes answer 503
	Shop          flow.Backend         // the shop actions agents run; nil: 503

	cfg          Config
	limiter      *limiter // per client
	ipLimiter    *limiter // per IP
	loginLimiter *limiter // login attempts per IP
	registry     *prometheus.Registry
	metrics      *metrics
	engine       *gin.Engine

	closing  chan struct{}
	closeMu  sync.Once
	sockMu   sync.Mutex // orders sockets.Add before sockets.Wait
	sockets  sync.WaitGroup
	shutting atomic.Bool
}

// New returns a server with its routes built. reg is where metrics are
// registered; nil creates a private registry.
func New(cfg Config, convs *conversation.Service, authn *auth.Service, hub *conversation.Hub, logger *slog.Logger, reg *prometheus.Registry) *Server {
	def := DefaultConfig()
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = def.MaxBodyBytes
	}
	if cfg.RateBurst <= 0 {
		cfg.RateBurst = def.RateBurst
	}
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = def.PingInterval
	}
	if cfg.IPRateBurst <= 0 {
		cfg.IPRateBurst = max(cfg.RateBurst, int(cfg.IPRateLimit*2))
	}
	if cfg.LoginRateBurst <= 0 {
		cfg.LoginRateBurst = def.LoginRateBurst
	}
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	s := &Server{
		Conversations: convs,
		Auth:          authn,
		Hub:           hub,
		Logger:        logger,
		cfg:           cfg,
		registry:      reg,
		closing:       make(chan struct{}),
	}
	if cfg.RateLimit > 0 {
		s.limiter = newLimiter(cfg.RateLimit, cfg.RateBurst)
	}
	if cfg.IPRateLimit > 0 {
		s.ipLimiter = newLimiter(cfg.IPRateLimit, cfg.IPRateBurst)
	}
	if cfg.LoginRateLimit > 0 {
		s.loginLimiter = newLimiter(cfg.LoginRateLimit, cfg.LoginRateBurst)
	}
	s.metrics = newMetrics(reg, hub)
	reg.MustRegister(assistCollector{s})
	s.engine = s.buildEngine()
	return s
}

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

// Handler returns the HTTP handler of all routes.
func (s *Server) Handler() http.Handler { return s.engine }

// CloseSockets tells every open WebSocket to close with a close frame
// ("going away") and waits until they have, or until ctx is done. It is
// meant for http.Server.RegisterOnShutdown.
func (s *Server) CloseSockets(ctx context.Context) {
	s.sockMu.Lock()
	s.shutting.Store(true)
	s.sockMu.Unlock()
	s.closeMu.Do(func() { close(s.closing) })
	done := make(chan struct{})
	go func() { s.sockets.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

func (s *Server) buildEngine() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	if len(s.cfg.TrustedProxies) > 0 {
		_ = e.SetTrustedProxies(s.cfg.TrustedProxies)
	} else {
		_ = e.SetTrustedProxies(nil)
	}
	e.Use(s.recoverer, s.requestLog, s.rateLimit, s.limitBody)
	e.NoRoute(func(c *gin.Context) {
		s.writeError(c, assist.Errorf(assist.ENOTFOUND, "no route %s %s", c.Request.Method, c.Request.URL.Path))
	})
	e.NoMethod(func(c *gin.Context) {
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, ErrorBody{Error: ErrorDetail{Code: "method_not_allowed", Message: "method not allowed"}})
	})
	for _, r := range s.routes() {
		h := r.handler
		if r.staff != nil {
			h = s.requireStaff(r.staff, h)
		}
		e.Handle(r.method, r.path, h)
	}
	return e
}

// route is one row of the route table.
type route struct {
	method  string
	path    string
	handler gin.HandlerFunc
	staff   []assist.Role // non-nil: only these staff roles
	summary string
}

// Roles allowed on staff routes.
var (
	anyStaff    = []assist.Role{assist.RoleAgent, assist.RoleSupervisor, assist.RoleKnowledge, assist.RoleAdmin}
	supervisors = []assist.Role{assist.RoleSupervisor, assist.RoleAdmin}
	adminsOnly  = []assist.Role{assist.RoleAdmin}
)

// middleware ---------------------------------------------------------------

const requestIDKey = "assist.request_id"

func requestID(c *gin.Context) string { return c.GetString(requestIDKey) }

func validRequestID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (s *Server) recoverer(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.logger().ErrorContext(c.Request.Context(), "panic", "request_id", requestID(c), "route", c.FullPath(), "panic", v)
			s.writeError(c, assist.Errorf(assist.EINTERNAL, "internal error"))
		}
	}()
	c.Next()
}

// requestLog gives every request an id, logs it (route, status, duration,
// conversation id; never the query string, which may carry a token, nor any
// message text) and records its metrics.
func (s *Server) requestLog(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if !validRequestID(id) {
		id = newRequestID()
	}
	c.Set(requestIDKey, id)
	c.Request = c.Request.WithContext(assist.NewContextWithRequestID(c.Request.Context(), id))
	c.Header("X-Request-ID", id)
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	d := time.Since(start)
	status := c.Writer.Status()
	s.metrics.observe(c.Request.Method, route, status, d)
	attrs := []slog.Attr{
		slog.String("request_id", id),
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Float64("duration_ms", float64(d.Microseconds())/1000),
	}
	if cid := c.Param("id"); cid != "" && strings.HasPrefix(route, "/v1/conversations/") {
		attrs = append(attrs, slog.String("conversation_id", cid))
	}
	level := slog.LevelInfo
	if route == "/healthz" || route == "/readyz" || route == "/metrics" {
		level = slog.LevelDebug
	}
	s.logger().LogAttrs(c.Request.Context(), level, "request", attrs...)
}

// rateLimit applies two token buckets: one per client, keyed by the
// request's credential (so customers behind one carrier NAT do not share a
// budget) or, without one, by its IP; and one per IP whatever the
// credential, so made-up tokens buy no extra budget.
func (s *Server) rateLimit(c *gin.Context) {
	p := c.FullPath()
	if p == "/healthz" || p == "/readyz" || p == "/metrics" {
		c.Next()
		return
	}
	if ok, retry := s.allow(s.clientKeys(c), time.Now()); !ok {
		s.tooMany(c, retry)
		return
	}
	c.Next()
}

// clientKeys are the rate-limit keys of a request: its IP (IPv6 by /64,
// which one subscriber usually holds whole) and its credential, or its IP
// again when it has none.
type clientKeys struct{ ip, client string }

func (s *Server) clientKeys(c *gin.Context) clientKeys {
	ip := c.ClientIP()
	if a, err := netip.ParseAddr(ip); err == nil && a.Is6() && !a.Is4In6() {
		if pfx, err := a.Prefix(64); err == nil {
			ip = pfx.String()
		}
	}
	k := clientKeys{ip: "ip:" + ip, client: "ip:" + ip}
	tok := bearer(c)
	if tok == "" {
		tok = c.Query("token")
	}
	if tok != "" {
		h := sha256.Sum256([]byte(tok))
		k.client = "cred:" + hex.EncodeToString(h[:12])
	}
	return k
}

// allow takes a token from the IP's bucket and from the client's; when
// either is empty it says how long to wait.
func (s *Server) allow(k clientKeys, now time.Time) (bool, time.Duration) {
	if s.ipLimiter != nil {
		if ok, retry := s.ipLimiter.allow(k.ip, now); !ok {
			return false, retry
		}
	}
	if s.limiter != nil {
		if ok, retry := s.limiter.allow(k.client, now); !ok {
			return false, retry
		}
	}
	return true, 0
}

func (s *Server) tooMany(c *gin.Context, retry time.Duration) {
	secs := max(1, int((retry+time.Second-1)/time.Second)) // rounded up
	c.Header("Retry-After", strconv.Itoa(secs))
	s.writeError(c, assist.Errorf(assist.ERATELIMITED, "too many requests; retry in %d s", secs))
}

func (s *Server) limitBody(c *gin.Context) {
	limit := s.bodyLimit(c)
	if c.Request.ContentLength > limit {
		s.writeError(c, assist.Errorf(assist.ETOOLARGE, "request body is over the limit of %d bytes", limit))
		return
	}
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	}
	c.Next()
}

const principalKey = "assist.principal"

// bearer returns the token of an "Authorization: Bearer" header.
func bearer(c *gin.Context) string {
	h := c.GetHeader("Authorization")
	if tok, ok := strings.CutPrefix(h, "Bearer "); ok {
		return strings.TrimSpace(tok)
	}
	return ""
}

// staffPrincipal authenticates a staff token.
func (s *Server) staffPrincipal(c *gin.Context, tok string) (assist.Principal, error) {
	if tok == "" {
		return assist.Principal{}, assist.Errorf(assist.EUNAUTHORIZED, "missing credentials: send Authorization: Bearer <token>")
	}
	return s.Auth.Authenticate(c.Request.Context(), tok)
}

// requireStaff lets through only staff with one of the roles.
func (s *Server) requireStaff(roles []assist.Role, next gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, err := s.staffPrincipal(c, bearer(c))
		if err != nil {
			s.writeError(c, err)
			return
		}
		allowed := false
		for _, r := range roles {
			if p.Role == r {
				allowed = true
			}
		}
		if !allowed {
			s.writeError(c, assist.Errorf(assist.EFORBIDDEN, "your role %s may not do this", p.Role))
			return
		}
		c.Set(principalKey, p)
		next(c)
	}
}

// conversationPrincipal authenticates the caller of a conversation route:
// the customer token of that conversation, or a staff token.
func (s *Server) conversationPrincipal(c *gin.Context, tok string) (assist.Principal, error) {
	if conversation.IsCustomerToken(tok) {
		return s.Conversations.Authorize(c.Request.Context(), c.Param("id"), tok)
	}
	return s.staffPrincipal(c, tok)
}

func principal(c *gin.Context) assist.Principal {
	p, _ := c.Get(principalKey)
	pp, _ := p.(assist.Principal)
	return pp
}

// trackSocket registers an open socket, unless the server is shutting down.
func (s *Server) trackSocket() bool {
	s.sockMu.Lock()
	defer s.sockMu.Unlock()
	if s.shutting.Load() {
		return false
	}
	s.sockets.Add(1)
	return true
}
