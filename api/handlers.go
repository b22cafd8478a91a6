package api

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	_ "embed"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/assistd/assist"
	"github.com/assistd/assist/auth"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog/flow"
)

//go:embed openapi.json
var openapiDoc []byte

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok", "version": s.Version})
}

func (s *Server) readyz(c *gin.Context) {
	if s.shutting.Load() {
		s.writeError(c, assist.Errorf(assist.EUNAVAILABLE, "shutting down"))
		return
	}
	if s.Ready != nil {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		if err := s.Ready(ctx); err != nil {
			s.logger().WarnContext(ctx, "not ready", "err", err)
			s.writeError(c, assist.Errorf(assist.EUNAVAILABLE, "not ready"))
			return
		}
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}

// metricsHandler serves the service's metrics to anyone, and the shops'
// business numbers too when the request carries Config.MetricsToken: they
// name every shop, so an outsider must not read them. A Bearer token that
// is not the metrics token is refused (401) when one is configured.
func (s *Server) metricsHandler(c *gin.Context) {
	var g prometheus.Gatherer = s.registry
	if tok := headerToken(c); tok != "" && s.cfg.MetricsToken != "" {
		want, got := sha256.Sum256([]byte(s.cfg.MetricsToken)), sha256.Sum256([]byte(tok))
		if subtle.ConstantTimeCompare(want[:], got[:]) != 1 {
			s.writeError(c, assist.Errorf(assist.EUNAUTHORIZED, "invalid metrics token (http.metrics_token)"))
			return
		}
		g = prometheus.Gatherers{s.registry, s.shopMetrics}
	}
	promhttp.HandlerFor(g, promhttp.HandlerOpts{}).ServeHTTP(c.Writer, c.Request)
}

func (s *Server) openapi(c *gin.Context) {
	c.Data(http.StatusOK, "application/json", openapiDoc)
}

// staff ----------------------------------------------------------------------

func (s *Server) login(c *gin.Context) {
	if s.loginLimiter != nil {
		if ok, retry := s.loginLimiter.allow(s.clientKeys(c).ip, time.Now()); !ok {
			s.tooMany(c, retry)
			return
		}
	}
	var req LoginRequest
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	if req.Cookie {
		if err := cookieLoginAllowed(c.Request); err != nil {
			s.writeError(c, err)
			return
		}
	}
	tok, sess, u, err := s.Auth.Login(c.Request.Context(), req.Tenant, req.Email, req.Password)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if req.Cookie {
		s.setSessionCookie(c, tok, time.Until(sess.ExpiresAt))
		tok = "" // the browser keeps it in the HttpOnly cookie only
	}
	c.JSON(http.StatusOK, LoginResponse{Token: tok, ExpiresAt: sess.ExpiresAt, User: toUser(u)})
}

// setSessionCookie leaves the staff session in an HttpOnly, SameSite=Strict
// cookie (Secure over TLS); an empty token with a negative age clears it.
func (s *Server) setSessionCookie(c *gin.Context, tok string, age time.Duration) {
	c.SetSameSite(http.SameSiteStrictMode)
	c.SetCookie(SessionCookie, tok, int(age/time.Second), "/", "", s.overTLS(c), true)
}

// overTLS reports whether the browser reached us over TLS: directly, or
// through a trusted proxy (Config.TrustedProxies) that says
// X-Forwarded-Proto: https. Anyone else's header is not believed.
func (s *Server) overTLS(c *gin.Context) bool {
	if c.Request.TLS != nil {
		return true
	}
	if !strings.EqualFold(strings.TrimSpace(c.GetHeader("X-Forwarded-Proto")), "https") {
		return false
	}
	ip := net.ParseIP(c.RemoteIP())
	if ip == nil {
		return false
	}
	for _, p := range s.cfg.TrustedProxies {
		if _, n, err := net.ParseCIDR(p); err == nil && n.Contains(ip) {
			return true
		}
		if t := net.ParseIP(p); t != nil && t.Equal(ip) {
			return true
		}
	}
	return false
}

func (s *Server) logout(c *gin.Context) {
	s.setSessionCookie(c, "", -time.Second)
	if err := s.Auth.Logout(c.Request.Context(), bearer(c)); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) me(c *gin.Context) {
	p := principal(c)
	me := MeResponse{TenantID: p.TenantID, UserID: p.UserID, Role: string(p.Role)}
	if p.UserID != "" {
		if u, err := s.Auth.Store.User(c.Request.Context(), p.TenantID, p.UserID); err == nil {
			me.Name = u.Name
		}
	}
	c.JSON(http.StatusOK, me)
}

func (s *Server) listUsers(c *gin.Context) {
	p := principal(c)
	us, err := s.Auth.Store.ListUsers(c.Request.Context(), p.TenantID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, UsersResponse{Users: mapAll(us, toUser)})
}

func (s *Server) createUser(c *gin.Context) {
	var req CreateUserRequest
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	u, err := s.Auth.CreateUser(c.Request.Context(), principal(c).TenantID, auth.NewUser{
		Email: req.Email, Name: req.Name, Role: assist.Role(req.Role), Password: req.Password,
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, toUser(u))
}

// endSessions ends every session of a staff member of the admin's
// tenant: their tokens stop working and their open sockets and event
// streams close at once.
func (s *Server) endSessions(c *gin.Context) {
	n, err := s.Auth.EndSessions(c.Request.Context(), principal(c).TenantID, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, EndSessionsResponse{Ended: n})
}

func (s *Server) createAPIKey(c *gin.Context) {
	var req CreateAPIKeyRequest
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	key, k, err := s.Auth.CreateAPIKey(c.Request.Context(), principal(c).TenantID, req.UserID, req.Name)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, CreateAPIKeyResponse{ID: k.ID, Key: key, Role: string(k.Role)})
}

// conversations --------------------------------------------------------------

// createConversation is open to anyone; a bearer token is optional and,
// when sent, must be a valid staff or API key token: the shop's server
// creating a conversation for its customer (see conversation.Service.Create
// for who may set customer_ref).
func (s *Server) createConversation(c *gin.Context) {
	var req CreateConversationRequest
	if err := bind(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	var by assist.Principal
	// Only an explicit header counts here: a staff member's session cookie
	// must not turn a customer's widget conversation into a staff one.
	if tok := headerToken(c); tok != "" {
		p, err := s.staffPrincipal(c, tok)
		if err != nil {
			s.writeError(c, err)
			return
		}
		by = p
	}
	if req.Tenant == "" {
		s.writeError(c, assist.Errorf(assist.EINVALID, "tenant is required"))
		return
	}
	t, err := s.Auth.Store.TenantBySlug(c.Request.Context(), req.Tenant)
	if err != nil {
		if assist.ErrorCode(err) == assist.ENOTFOUND {
			err = assist.Errorf(assist.ENOTFOUND, "no such tenant")
		}
		s.writeError(c, err)
		return
	}
	conv, tok, err := s.Conversations.Create(c.Request.Context(), t.ID, conversation.NewConversation{
		Channel: req.Channel, CustomerRef: req.CustomerRef, Lang: req.Lang,
		By: by, TenantSlug: req.Tenant,
		Signature: conversation.CustomerSignature{Sig: req.CustomerSig, Expires: req.CustomerExpires},
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Location", "/v1/conversations/"+conv.ID)
	c.JSON(http.StatusCreated, CreateConversationResponse{Conversation: toConversation(conv), Token: tok})
}

func (s *Server) listConversations(c *gin.Context) {
	f := conversation.Filter{Owner: assist.Owner(c.Query("owner")), AssigneeID: c.Query("assignee_id")}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			s.writeError(c, assist.Errorf(assist.EINVALID, "limit must be a positive number"))
			return
		}
		f.Limit = n
	}
	cs, err := s.Conversations.List(c.Request.Context(), principal(c), f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, ConversationsResponse{Conversations: toConversations(cs)})
}

// withConversation authenticates the caller of a conversation route and
// runs h with its principal.
func (s *Server) withConversation(c *gin.Context, tok string, h func(p assist.Principal)) {
	p, err := s.conversationPrincipal(c, tok)
	if err != nil {
		s.writeError(c, err)
		return
	}
	h(p)
}

func (s *Server) getConversation(c *gin.Context) {
	s.withConversation(c, bearer(c), func(p assist.Principal) {
		conv, err := s.Conversations.Get(c.Request.Context(), p, c.Param("id"))
		if err != nil {
			s.writeError(c, err)
			return
		}
		out := toConversation(conv)
		if p.Role.Staff() {
			out.CustomerName = s.customerName(c.Request.Context(), conv)
		}
		c.JSON(http.StatusOK, out)
	})
}

// customerName asks the shop for a signed-in customer's name (its
// get_member action, a read), so staff see whom they talk to; "" when
// there is no shop, no customer ref or no answer within 2 seconds.
func (s *Server) customerName(ctx context.Context, conv *assist.Conversation) string {
	if s.Shop == nil || conv.CustomerRef == "" {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	res, err := s.Shop.Call(ctx, flow.Request{Action: "get_member", TenantID: conv.TenantID, ConversationID: conv.ID,
		CustomerRef: conv.CustomerRef, Lang: conv.Lang})
	if err != nil || res.Status != flow.StatusOK {
		return ""
	}
	name, _ := res.Data["name"].(string)
	return name
}

func (s *Server) listMessages(c *gin.Context) {
	s.withConversation(c, bearer(c), func(p assist.Principal) {
		limit := 0
		if l := c.Query("limit"); l != "" {
			n, err := strconv.Atoi(l)
			if err != nil || n < 1 {
				s.writeError(c, assist.Errorf(assist.EINVALID, "limit must be a positive number"))
				return
			}
			limit = n
		}
		ms, err := s.Conversations.Messages(c.Request.Context(), p, c.Param("id"), c.Query("after"), limit)
		if err != nil {
			s.writeError(c, err)
			return
		}
		c.JSON(http.StatusOK, MessagesResponse{Messages: toMessages(ms)})
	})
}

func (s *Server) postMessage(c *gin.Context) {
	s.withConversation(c, bearer(c), func(p assist.Principal) {
		var req PostMessageRequest
		if err := bind(c, &req); err != nil {
			s.writeError(c, err)
			return
		}
		key := req.IdempotencyKey
		if h := c.GetHeader("Idempotency-Key"); h != "" {
			if key != "" && key != h {
				s.writeError(c, assist.Errorf(assist.EINVALID, "Idempotency-Key header and idempotency_key field differ"))
				return
			}
			key = h
		}
		res, err := s.Conversations.Post(c.Request.Context(), p, c.Param("id"), conversation.NewMessage{Text: req.Text, IdempotencyKey: key})
		if err != nil {
			s.writeError(c, err)
			return
		}
		status := http.StatusOK
		if res.Created {
			status = http.StatusCreated
			s.metrics.messages.WithLabelValues(string(res.Message.Author)).Inc()
		}
		c.JSON(status, PostMessageResponse{Message: toMessage(res.Message), Replies: toMessages(res.Replies), Created: res.Created})
	})
}

func (s *Server) typing(c *gin.Context) {
	s.withConversation(c, bearer(c), func(p assist.Principal) {
		if err := s.Conversations.Typing(c.Request.Context(), p, c.Param("id")); err != nil {
			s.writeError(c, err)
			return
		}
		c.Status(http.StatusNoContent)
	})
}

// cookieLoginAllowed refuses a login that would set the session cookie
// from anywhere but the server's own pages (login CSRF: another site's
// form signing the victim's browser into the attacker's account). The
// body must be application/json, which a cross-site form cannot send
// without a CORS preflight, and an Origin, when sent, must be the
// server's own; clients that send none (curl, the shop's server) are not
// browsers.
func cookieLoginAllowed(r *http.Request) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return assist.Errorf(assist.EINVALID, "a login that sets the session cookie must send Content-Type: application/json")
	}
	if _, sent := r.Header["Origin"]; sent && !sameOrigin(r) {
		return assist.Errorf(assist.EFORBIDDEN, "a login that sets the session cookie must come from this server's origin")
	}
	return nil
}
