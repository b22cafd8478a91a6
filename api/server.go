package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/assistd/assist"
	"github.com/assistd/assist/agentassist"
	"github.com/assistd/assist/analytics"
	"github.com/assistd/assist/auth"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/gap"
	"github.com/assistd/assist/routing"
	"github.com/assistd/assist/ticket"
	"github.com/assistd/assist/web"
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
	OperatorToken  string        // the platform operator's token for /v1/platform; "": that API is off
	ReportsDir     string        // the evaluation reports the console shows (eval.reports_dir); "": 503
	// MetricsToken, sent as a Bearer token to /metrics, adds each shop's
	// business numbers (assist_analytics_*, labelled with its slug);
	// without it /metrics shows only the service's own. "": nobody gets them.
	MetricsToken string
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
	Gaps          *gap.Service         // nil: the gap routes answer 503
	GapRecorder   *gap.Recorder        // customers' thumbs; nil: 503
	Analytics     *analytics.Service   // nil: GET /v1/analytics and ratings answer 503

	cfg          Config
	limiter      *limiter // per client
	ipLimiter    *limiter // per IP
	loginLimiter *limiter // login attempts per IP
	registry     *prometheus.Registry
	metrics      *metrics
	shopMetrics  *prometheus.Registry // per-shop gauges, behind Config.MetricsToken
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
	// Shops' numbers are kept off the public registry (see metricsHandler).
	s.shopMetrics = prometheus.NewRegistry()
	s.shopMetrics.MustRegister(analyticsCollector{s})
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
	e.Use(nosniff, s.recoverer, s.requestLog, s.rateLimit, s.limitBody, s.csrf)
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
		if r.operator {
			h = s.requireOperator(h)
		}
		e.Handle(r.method, r.path, h)
	}
	// The browser pages (package web): not API routes, so not in the
	// route table nor in openapi.json.
	pages := gin.WrapH(web.Handler())
	for _, p := range web.Pages {
		e.GET(p.Path, pages)
	}
	e.GET(web.AssetsPrefix+"*file", pages)
	return e
}

// route is one row of the route table.
type route struct {
	method   string
	path     string
	handler  gin.HandlerFunc
	staff    []assist.Role // non-nil: only these staff roles
	operator bool          // only the platform operator (Config.OperatorToken)
	summary  string
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

// allow takes a token from the client's bucket and from the IP's; when
// either is empty it says how long to wait. The client's bucket is asked
// first and a request refused by either takes nothing from the other, so
// a client over its own limit does not spend the budget of its
// neighbours behind the same IP (a carrier NAT, an office).
func (s *Server) allow(k clientKeys, now time.Time) (bool, time.Duration) {
	giveBack := func() {}
	if s.limiter != nil {
		ok, retry, undo := s.limiter.take(k.client, now)
		if !ok {
			return false, retry
		}
		giveBack = undo
	}
	if s.ipLimiter != nil {
		if ok, retry := s.ipLimiter.allow(k.ip, now); !ok {
			giveBack()
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

const (
	principalKey  = "assist.principal"
	credentialKey = "assist.credential" // the staff token requireStaff checked
)

// watchSession watches the session a long-lived request (WebSocket,
// event stream) was opened with: ended is closed when a staff session
// ends (logout, ended by an admin, expiry; see auth.Watch), whether its
// token came as a Bearer header, a query parameter or the session cookie.
// A customer's or an API key's ended never closes. Call stop when done.
func (s *Server) watchSession(c *gin.Context, p assist.Principal, tok string) (ended <-chan struct{}, stop func(), err error) {
	if p.UserID == "" {
		return nil, func() {}, nil
	}
	w, err := s.Auth.Watch(c.Request.Context(), tok)
	if err != nil {
		return nil, nil, err
	}
	return w.Ended(), w.Stop, nil
}

// stillStaff re-checks a staff credential: the same user with the same
// role, its session not ended (here or on another replica).
func (s *Server) stillStaff(ctx context.Context, p assist.Principal, tok string) bool {
	now, err := s.Auth.Authenticate(ctx, tok)
	return err == nil && now.UserID == p.UserID && now.Role == p.Role && now.TenantID == p.TenantID
}

// ended reports whether ch is closed (a nil ch never is).
func ended(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// bearer returns the request's credential: the token of an
// "Authorization: Bearer" header or, without one, the staff session cookie
// a browser sends (see csrf for the check cookie requests pass).
func bearer(c *gin.Context) string {
	if tok := headerToken(c); tok != "" {
		return tok
	}
	if ck, err := c.Cookie(SessionCookie); err == nil {
		return ck
	}
	return ""
}

// headerToken returns the token of an "Authorization: Bearer" header only.
func headerToken(c *gin.Context) string {
	h := c.GetHeader("Authorization")
	if tok, ok := strings.CutPrefix(h, "Bearer "); ok {
		return strings.TrimSpace(tok)
	}
	return ""
}

// SessionCookie is the HttpOnly, SameSite=Strict cookie in which login
// leaves a browser's staff session, out of reach of page scripts.
const SessionCookie = "assist_session"

// CSRFHeader must be "1" on a state-changing request authenticated by the
// session cookie, unless its Origin is the server's own.
const CSRFHeader = "X-Assist-CSRF"

// csrf refuses a state-changing request that rides on the session cookie
// alone: a form or script on another site cannot set CSRFHeader, nor send
// this server's Origin. Requests with an Authorization header carry their
// credential explicitly and need neither.
func (s *Server) csrf(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	if _, err := c.Cookie(SessionCookie); err != nil || headerToken(c) != "" {
		c.Next()
		return
	}
	if c.GetHeader(CSRFHeader) == "1" || sameOrigin(c.Request) {
		c.Next()
		return
	}
	s.writeError(c, assist.Errorf(assist.EFORBIDDEN, "a request signed in by cookie needs the header %s: 1", CSRFHeader))
}

// nosniff tells browsers to take every answer as its Content-Type says,
// never to guess (a JSON answer is never run as a script or page).
func nosniff(c *gin.Context) {
	c.Header("X-Content-Type-Options", "nosniff")
	c.Next()
}

// sameOrigin reports whether the request's Origin header names the host it
// was sent to.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		return false
	}
	u, err := url.Parse(o)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
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
		tok := bearer(c)
		p, err := s.staffPrincipal(c, tok)
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
		c.Set(credentialKey, tok)
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
