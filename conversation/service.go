package conversation

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/dialog"
)

// Limits on what a client may send.
const (
	DefaultMaxMessageRunes = 4000
	MaxIdempotencyKey      = 128
	MaxCustomerRef         = 200
	DefaultPageSize        = 100
	MaxPageSize            = 500
)

// Service is the conversation core. Its fields are its dependencies; Store
// and Policy are required, the rest have defaults.
type Service struct {
	Store  Store
	Policy dialog.Policy
	Hub    *Hub         // nil: no live events
	Logger *slog.Logger // nil: discard
	// Handoffs is told of every hand-off, after the turn that made it
	// (nil: nobody). See HandoffHandler.
	Handoffs HandoffHandler
	// Observers hear of every stored message, in order (see Observer).
	Observers []Observer
	Now       func() time.Time

	MaxMessageRunes int           // 0: DefaultMaxMessageRunes
	TurnTimeout     time.Duration // 0: 30s
	// CustomerSecret checks the shop's customer signatures (see
	// CustomerSignature) of the tenants without a secret of their own:
	// the installation's auth.customer_secret. Secrets, when set, gives
	// each tenant's own; a tenant that has some accepts only those.
	// With neither, every signature is refused.
	CustomerSecret []byte
	Secrets        CustomerSecrets

	locks keyedMutex
}

// NewConversation is what a customer's channel says when a conversation
// starts.
type NewConversation struct {
	Channel     string // "web", "api", ...; default "api"
	CustomerRef string // the shop's own customer reference, optional
	Lang        string // "zh", "en" or "" (guessed from the first message)

	// Who vouches for CustomerRef (see Create): the authenticated caller
	// (zero: anonymous), or the shop's signature, checked against the
	// tenant's slug.
	By         assist.Principal
	Signature  CustomerSignature
	TenantSlug string
}

// NewMessage is one message sent into a conversation.
type NewMessage struct {
	Text           string
	IdempotencyKey string
}

// PostResult is the outcome of posting a message.
type PostResult struct {
	Message *assist.Message
	Replies []*assist.Message // the bot's replies to a customer message
	Created bool              // false: a retry with a known idempotency key
}

func (s *Service) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) publish(tenantID string, e Event) {
	if s.Hub != nil {
		s.Hub.Publish(tenantID, e)
	}
}

// Create starts a conversation in a tenant and returns it with the customer
// token that gives access to it, and to nothing else. The token is shown
// once; only its hash is stored.
//
// A CustomerRef is believed only when the shop vouches for it: in.By is
// staff (a session or an API key) of the tenant, or in.Signature is a
// valid signature of it (VerifyCustomer). Otherwise it is EFORBIDDEN (a
// staff token of another tenant too); a malformed signature is EINVALID.
// Without a CustomerRef anyone may start a conversation.
func (s *Service) Create(ctx context.Context, tenantID string, in NewConversation) (*assist.Conversation, string, error) {
	return s.create(ctx, tenantID, in, false)
}

// CreateTrusted is Create for in-process callers that vouch for
// in.CustomerRef themselves (the eval story driver, tests): it checks
// neither in.By nor in.Signature. Never call it with a reference that came
// from a request.
func (s *Service) CreateTrusted(ctx context.Context, tenantID string, in NewConversation) (*assist.Conversation, string, error) {
	return s.create(ctx, tenantID, in, true)
}

func (s *Service) create(ctx context.Context, tenantID string, in NewConversation, trusted bool) (*assist.Conversation, string, error) {
	if tenantID == "" {
		return nil, "", assist.Errorf(assist.EINVALID, "tenant is required")
	}
	channel := strings.TrimSpace(in.Channel)
	if channel == "" {
		channel = "api"
	}
	if !isSlug(channel, 32) {
		return nil, "", assist.Errorf(assist.EINVALID, "channel must be 1-32 letters, digits, '-' or '_'")
	}
	if !utf8.ValidString(in.CustomerRef) || utf8.RuneCountInString(in.CustomerRef) > MaxCustomerRef {
		return nil, "", assist.Errorf(assist.EINVALID, "customer_ref must be valid UTF-8 of at most %d characters", MaxCustomerRef)
	}
	switch in.Lang {
	case "", "zh", "en":
	default:
		return nil, "", assist.Errorf(assist.EINVALID, "lang must be \"zh\", \"en\" or empty")
	}
	vouched := "in-process"
	if !trusted {
		var err error
		if vouched, err = s.vouch(ctx, tenantID, in); err != nil {
			return nil, "", err
		}
	}
	token, hash, err := newCustomerToken(tenantID)
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	c := &assist.Conversation{
		ID:          uuid.Must(uuid.NewV7()).String(),
		TenantID:    tenantID,
		Channel:     channel,
		CustomerRef: in.CustomerRef,
		Lang:        in.Lang,
		Owner:       assist.OwnerBot,
		CreatedAt:   now,
		UpdatedAt:   now,
		TokenHash:   hash,
	}
	if err := s.Store.CreateConversation(ctx, c); err != nil {
		return nil, "", fmt.Errorf("create conversation: %w", err)
	}
	s.logger().InfoContext(ctx, "conversation created", "tenant_id", tenantID, "conversation_id", c.ID, "channel", channel, "customer_ref_by", vouched)
	return c, token, nil
}

// Customer tokens look like "ct.<tenant id>.<secret>": the tenant part lets
// a request find the conversation's tenant; the whole token is hashed.
const customerTokenPrefix = "ct."

func newCustomerToken(tenantID string) (string, []byte, error) {
	var b [32]byte
	if _, err := io.ReadFull(rand.Reader, b[:]); err != nil {
		return "", nil, fmt.Errorf("customer token: %w", err)
	}
	tok := customerTokenPrefix + tenantID + "." + base64.RawURLEncoding.EncodeToString(b[:])
	h := sha256.Sum256([]byte(tok))
	return tok, h[:], nil
}

// IsCustomerToken reports whether tok has the shape of a customer token.
func IsCustomerToken(tok string) bool { return strings.HasPrefix(tok, customerTokenPrefix) }

// Authorize checks a customer token against a conversation and returns the
// customer principal. A token of another conversation is ENOTFOUND, like
// an unknown conversation, so a customer learns nothing about other
// customers' conversations, not even that they exist.
func (s *Service) Authorize(ctx context.Context, conversationID, token string) (assist.Principal, error) {
	rest, ok := strings.CutPrefix(token, customerTokenPrefix)
	tenantID, _, ok2 := strings.Cut(rest, ".")
	if !ok || !ok2 || tenantID == "" {
		return assist.Principal{}, assist.Errorf(assist.EUNAUTHORIZED, "invalid customer token")
	}
	c, err := s.Store.Conversation(ctx, tenantID, conversationID)
	if err != nil {
		if assist.ErrorCode(err) == assist.ENOTFOUND {
			return assist.Principal{}, assist.Errorf(assist.ENOTFOUND, "conversation not found")
		}
		return assist.Principal{}, err
	}
	h := sha256.Sum256([]byte(token))
	if len(c.TokenHash) != len(h) || subtle.ConstantTimeCompare(c.TokenHash, h[:]) != 1 {
		return assist.Principal{}, assist.Errorf(assist.ENOTFOUND, "conversation not found")
	}
	return assist.Principal{TenantID: tenantID, Role: assist.RoleCustomer, ConversationID: c.ID}, nil
}

// Get returns a conversation the principal may see.
func (s *Service) Get(ctx context.Context, p assist.Principal, id string) (*assist.Conversation, error) {
	c, err := s.Store.Conversation(ctx, p.TenantID, id)
	if err != nil {
		return nil, err
	}
	if !p.CanSee(c) {
		return nil, assist.Errorf(assist.ENOTFOUND, "conversation not found")
	}
	return c, nil
}

// List returns the tenant's conversations; staff only.
func (s *Service) List(ctx context.Context, p assist.Principal, f Filter) ([]*assist.Conversation, error) {
	if !p.Role.Staff() {
		return nil, assist.Errorf(assist.EFORBIDDEN, "only staff can list conversations")
	}
	switch f.Owner {
	case "", assist.OwnerBot, assist.OwnerQueue, assist.OwnerAgent, assist.OwnerClosed:
	default:
		return nil, assist.Errorf(assist.EINVALID, "unknown owner %q", f.Owner)
	}
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = DefaultPageSize
	}
	return s.Store.ListConversations(ctx, p.TenantID, f)
}

// Messages returns up to limit messages after the message afterID (all from
// the start when afterID is empty), in order.
func (s *Service) Messages(ctx context.Context, p assist.Principal, conversationID, afterID string, limit int) ([]*assist.Message, error) {
	c, err := s.Get(ctx, p, conversationID)
	if err != nil {
		return nil, err
	}
	after, err := s.seqOf(ctx, c, afterID)
	if assist.ErrorCode(err) == assist.EINVALID {
		return nil, assist.Errorf(assist.EINVALID, "after: %s", assist.ErrorMessage(err))
	}
	if err != nil {
		return nil, err
	}
	return s.messagesAfter(ctx, c, after, limit)
}

// SeqOf returns the Seq of a message of the conversation, 0 for "". An id
// that is not a message of this conversation is EINVALID.
func (s *Service) SeqOf(ctx context.Context, p assist.Principal, conversationID, messageID string) (int64, error) {
	c, err := s.Get(ctx, p, conversationID)
	if err != nil {
		return 0, err
	}
	return s.seqOf(ctx, c, messageID)
}

func (s *Service) seqOf(ctx context.Context, c *assist.Conversation, messageID string) (int64, error) {
	if messageID == "" {
		return 0, nil
	}
	m, err := s.Store.Message(ctx, c.TenantID, messageID)
	if err != nil && assist.ErrorCode(err) != assist.ENOTFOUND {
		return 0, err
	}
	if err != nil || m.ConversationID != c.ID {
		return 0, assist.Errorf(assist.EINVALID, "no message %q in this conversation", messageID)
	}
	return m.Seq, nil
}

// MessagesAfterSeq returns up to limit messages with Seq > afterSeq, in
// order. Live clients use it to turn "something was stored" into the
// messages themselves, in the order they were committed.
func (s *Service) MessagesAfterSeq(ctx context.Context, p assist.Principal, conversationID string, afterSeq int64, limit int) ([]*assist.Message, error) {
	c, err := s.Get(ctx, p, conversationID)
	if err != nil {
		return nil, err
	}
	return s.messagesAfter(ctx, c, afterSeq, limit)
}

func (s *Service) messagesAfter(ctx context.Context, c *assist.Conversation, afterSeq int64, limit int) ([]*assist.Message, error) {
	if limit <= 0 || limit > MaxPageSize {
		limit = DefaultPageSize
	}
	return s.Store.Messages(ctx, c.TenantID, c.ID, afterSeq, limit)
}

// Typing tells the other side that the principal is typing.
func (s *Service) Typing(ctx context.Context, p assist.Principal, conversationID string) error {
	c, err := s.Get(ctx, p, conversationID)
	if err != nil {
		return err
	}
	s.publish(c.TenantID, Event{Type: EventTyping, ConversationID: c.ID, Author: authorOf(p)})
	return nil
}

func authorOf(p assist.Principal) assist.Author {
	if p.Role == assist.RoleCustomer {
		return assist.AuthorCustomer
	}
	return assist.AuthorAgent
}

// CleanText checks and tidies message text: it must be valid UTF-8, not
// empty, and at most max characters; control characters other than newline
// and tab are dropped and surrounding space trimmed.
func CleanText(text string, max int) (string, error) {
	if !utf8.ValidString(text) {
		return "", assist.Errorf(assist.EINVALID, "text is not valid UTF-8")
	}
	text = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, text)
	text = strings.TrimSpace(text)
	if text == "" {
		return "", assist.Errorf(assist.EINVALID, "text is empty")
	}
	if n := utf8.RuneCountInString(text); n > max {
		return "", assist.Errorf(assist.ETOOLARGE, "text has %d characters; the limit is %d", n, max)
	}
	return text, nil
}

func checkKey(key string) error {
	if len(key) > MaxIdempotencyKey {
		return assist.Errorf(assist.EINVALID, "idempotency key is longer than %d bytes", MaxIdempotencyKey)
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			return assist.Errorf(assist.EINVALID, "idempotency key must be printable ASCII without spaces")
		}
	}
	return nil
}

// Post stores a message from the principal and, for a customer message in
// a conversation the bot owns, runs its turn and returns the bot's replies.
// The message is durable before Post returns, even if the turn fails. A
// retry with the same idempotency key returns the stored message and its
// replies with Created false; if the first attempt died before its turn ran,
// the retry runs it.
func (s *Service) Post(ctx context.Context, p assist.Principal, conversationID string, in NewMessage) (*PostResult, error) {
	max := s.MaxMessageRunes
	if max <= 0 {
		max = DefaultMaxMessageRunes
	}
	text, err := CleanText(in.Text, max)
	if err != nil {
		return nil, err
	}
	if err := checkKey(in.IdempotencyKey); err != nil {
		return nil, err
	}
	c, err := s.Get(ctx, p, conversationID)
	if err != nil {
		return nil, err
	}
	if p.Role == assist.RoleKnowledge {
		return nil, assist.Errorf(assist.EFORBIDDEN, "knowledge managers cannot write to customers")
	}
	if c.Owner == assist.OwnerClosed {
		return nil, assist.Errorf(assist.ECONFLICT, "conversation is closed")
	}
	m := &assist.Message{
		ID:             uuid.Must(uuid.NewV7()).String(),
		TenantID:       c.TenantID,
		ConversationID: c.ID,
		Author:         authorOf(p),
		AuthorID:       p.UserID,
		Text:           text,
		IdempotencyKey: in.IdempotencyKey,
		// Only a customer message to the bot has a turn to run; one sent
		// while a person owns the conversation is for that person. While
		// the customer waits in the queue the bot still serves them.
		Handled:   p.Role != assist.RoleCustomer || !botServes(c.Owner),
		CreatedAt: s.now(),
	}
	if m.Author == assist.AuthorAgent {
		return s.postAgent(ctx, p, c, m)
	}
	res, err := s.store(ctx, m)
	if err != nil {
		return nil, err
	}
	if res.Created && m.Handled {
		s.customerMessage(ctx, c, res.Message) // for the person who owns it
		s.observe(ctx, Observation{Conversation: c, Message: res.Message})
	}
	// The turn runs to the end even if the client goes away. If it fails,
	// the message is still stored and acknowledged; Recover runs the turn
	// later (and a retry with the same key runs it at once).
	replies, err := s.runTurn(context.WithoutCancel(ctx), res.Message)
	if err != nil {
		s.logger().ErrorContext(ctx, "turn failed; will be retried", "tenant_id", c.TenantID, "conversation_id", c.ID, "message_id", res.Message.ID, "err", err)
		return res, nil
	}
	res.Replies = replies
	return res, nil
}

// store appends m idempotently and publishes it when it is new.
func (s *Service) store(ctx context.Context, m *assist.Message) (*PostResult, error) {
	stored, created, err := s.Store.AppendMessage(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("post message: %w", err)
	}
	if !created && (stored.Author != m.Author || stored.Text != m.Text) {
		return nil, assist.Errorf(assist.ECONFLICT, "idempotency key was already used for a different message")
	}
	if created {
		s.publish(m.TenantID, Event{Type: EventMessage, ConversationID: m.ConversationID, Message: stored})
		s.logger().InfoContext(ctx, "message stored", "tenant_id", m.TenantID, "conversation_id", m.ConversationID,
			"message_id", stored.ID, "author", stored.Author, "chars", utf8.RuneCountInString(stored.Text))
	}
	return &PostResult{Message: stored, Created: created}, nil
}

// postAgent stores a staff member's message in a conversation a person
// owns: the assigned agent's own, or, for a supervisor, a colleague's,
// which they join with a note the customer and the agent see (once). A
// message never changes the owner: an agent claims a queued conversation
// (routing) before writing in it. Errors: ECONFLICT when the bot or the
// queue has the conversation, EFORBIDDEN for an agent writing in a
// colleague's. It holds the conversation's turn lock, so a bot turn in
// flight finishes first and no bot reply lands after a person spoke.
func (s *Service) postAgent(ctx context.Context, p assist.Principal, c *assist.Conversation, m *assist.Message) (*PostResult, error) {
	unlock := s.locks.lock(c.TenantID + "/" + c.ID)
	defer func() { unlock() }()
	cur, err := s.Store.Conversation(ctx, c.TenantID, c.ID)
	if err != nil {
		return nil, fmt.Errorf("post message: %w", err)
	}
	supervisor := p.Role == assist.RoleSupervisor || p.Role == assist.RoleAdmin
	switch {
	case cur.Owner == assist.OwnerClosed:
		return nil, assist.Errorf(assist.ECONFLICT, "conversation is closed")
	case cur.Owner != assist.OwnerAgent:
		return nil, assist.Errorf(assist.ECONFLICT, "the conversation is not yours: claim it from the queue first")
	case cur.AssigneeID != p.UserID && !supervisor:
		return nil, assist.Errorf(assist.EFORBIDDEN, "the conversation is assigned to a colleague")
	}
	if cur.AssigneeID != p.UserID {
		if err := s.joinNote(ctx, cur, p); err != nil {
			return nil, err
		}
	}
	res, err := s.store(ctx, m)
	if err == nil && res.Created {
		unlock()
		unlock = func() {}
		s.observe(ctx, Observation{Conversation: cur, Message: res.Message})
	}
	return res, err
}

// joinNote stores, once per supervisor and conversation, the visible note
// that they joined a colleague's conversation.
func (s *Service) joinNote(ctx context.Context, c *assist.Conversation, p assist.Principal) error {
	note := &assist.Message{
		ID:             uuid.Must(uuid.NewV7()).String(),
		TenantID:       c.TenantID,
		ConversationID: c.ID,
		Author:         assist.AuthorSystem,
		AuthorID:       p.UserID,
		Text:           catalog.Default().Say(c.Lang, "conversation.supervisor_joined"),
		IdempotencyKey: "joined:" + p.UserID,
		Handled:        true,
		CreatedAt:      s.now(),
	}
	if len(note.IdempotencyKey) > MaxIdempotencyKey {
		note.IdempotencyKey = note.IdempotencyKey[:MaxIdempotencyKey]
	}
	if _, err := s.store(ctx, note); err != nil && assist.ErrorCode(err) != assist.ECONFLICT {
		return fmt.Errorf("supervisor join note: %w", err)
	}
	return nil
}

// runTurn runs the turn of a stored customer message once: turns of one
// conversation run one at a time, and a message already handled returns
// its stored replies.
func (s *Service) runTurn(ctx context.Context, m *assist.Message) (replies []*assist.Message, err error) {
	unlock := s.locks.lock(m.TenantID + "/" + m.ConversationID)
	// Routing is told once the lock is released: it may change the owner,
	// which takes this lock. A hand-off's after adds the queue message to
	// the replies.
	var after func()
	defer func() {
		unlock()
		if after != nil {
			after()
		}
	}()

	cur, err := s.Store.Message(ctx, m.TenantID, m.ID)
	if err != nil {
		return nil, fmt.Errorf("turn %s: %w", m.ID, err)
	}
	if cur.Handled {
		return s.Store.Replies(ctx, m.TenantID, m.ID)
	}
	c, err := s.Store.Conversation(ctx, m.TenantID, m.ConversationID)
	if err != nil {
		return nil, fmt.Errorf("turn %s: %w", m.ID, err)
	}
	result := TurnResult{TenantID: c.TenantID, ConversationID: c.ID, MessageID: m.ID}
	if !botServes(c.Owner) {
		// A person owns the conversation (or it is closed): no bot reply.
		if err := s.Store.CompleteTurn(ctx, result); err != nil {
			return nil, fmt.Errorf("turn %s: %w", m.ID, err)
		}
		after = func() {
			s.customerMessage(ctx, c, cur)
			s.observe(ctx, Observation{Conversation: c, Message: cur})
		}
		return nil, nil
	}

	state, err := s.loadState(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("turn %s: %w", m.ID, err)
	}
	turn := dialog.Turn{Conversation: c, Message: cur, State: state}
	timeout := s.TurnTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	reply, err := s.Policy.Respond(tctx, turn)
	cancel()
	if err != nil {
		s.logger().ErrorContext(ctx, "dialog policy failed", "tenant_id", c.TenantID, "conversation_id", c.ID, "message_id", m.ID, "err", err)
		// The stored state is kept as it was before this turn.
		reply = dialog.Reply{
			Messages: []string{dialog.ErrorText(dialog.Lang(turn))},
			Handoff:  &dialog.Handoff{Reason: dialog.ReasonBotError},
		}
	}
	if reply.State != nil {
		raw, trimmed, err := encodeState(reply.State)
		if err != nil {
			return nil, fmt.Errorf("turn %s: encode dialog state: %w", m.ID, err)
		}
		if len(trimmed) > 0 {
			s.logger().WarnContext(ctx, "dialog state over the size limit; trimmed", "tenant_id", c.TenantID, "conversation_id", c.ID,
				"message_id", m.ID, "limit", MaxStateBytes, "bytes", len(raw), "dropped", trimmed)
		}
		result.State = raw
	}
	now := s.now()
	for i, text := range reply.Messages {
		if strings.TrimSpace(text) == "" {
			continue
		}
		var att *assist.Attachments
		if i < len(reply.Attachments) && !reply.Attachments[i].Empty() {
			att = reply.Attachments[i]
		}
		result.Replies = append(result.Replies, &assist.Message{
			ID:             uuid.Must(uuid.NewV7()).String(),
			TenantID:       c.TenantID,
			ConversationID: c.ID,
			Author:         assist.AuthorBot,
			Text:           text,
			ReplyTo:        m.ID,
			Attachments:    att,
			Handled:        true,
			CreatedAt:      now,
		})
	}
	waiting := c.Owner == assist.OwnerQueue
	switch {
	case waiting && reply.Leave:
		result.Owner = &OwnerChange{Owner: assist.OwnerBot, Reason: ReasonCustomerLeft}
	case waiting && (reply.Handoff != nil || reply.QueueStatus):
		// Already waiting for a person: say where they stand instead.
		reply.Handoff = nil
		if q := s.queueNote(ctx, c, m, turnLang(reply, c, turn), now); q != nil {
			result.Replies = append(result.Replies, q)
		}
	case reply.Handoff != nil:
		result.Owner = &OwnerChange{Owner: assist.OwnerQueue, Reason: reply.Handoff.Reason}
	}
	if err := s.Store.CompleteTurn(ctx, result); err != nil {
		return nil, fmt.Errorf("turn %s: %w", m.ID, err)
	}
	for _, r := range result.Replies {
		s.publish(c.TenantID, Event{Type: EventMessage, ConversationID: c.ID, Message: r})
	}
	observed := Observation{Conversation: c, Message: cur, Replies: result.Replies, Reply: &reply}
	if waiting {
		after = func() {
			if result.Owner != nil {
				s.publish(c.TenantID, Event{Type: EventStatus, ConversationID: c.ID, Owner: result.Owner.Owner, Reason: result.Owner.Reason})
				s.leaveQueue(ctx, c)
			} else {
				s.customerMessage(ctx, c, cur) // for the people it waits for
			}
			s.observe(ctx, observed)
		}
		return result.Replies, nil
	}
	if result.Owner != nil {
		s.publish(c.TenantID, Event{Type: EventStatus, ConversationID: c.ID, Owner: result.Owner.Owner, Reason: result.Owner.Reason})
		s.logger().InfoContext(ctx, "conversation handed off", "tenant_id", c.TenantID, "conversation_id", c.ID, "reason", result.Owner.Reason)
		lang := turnLang(reply, c, turn)
		h := assist.Handoff{Reason: reply.Handoff.Reason, Intent: reply.Handoff.Intent, Evidence: maps.Clone(reply.Handoff.Evidence),
			Sentiment: reply.Handoff.Sentiment, VIP: reply.Handoff.VIP, Lang: lang}
		after = func() {
			s.observe(ctx, observed)
			s.handOff(ctx, c, h, cur)
			if q := s.tellQueue(ctx, c, cur, lang); q != nil {
				replies = append(replies, q)
			}
		}
		return result.Replies, nil
	}
	after = func() { s.observe(ctx, observed) }
	return result.Replies, nil
}

// botServes reports whether the bot answers a customer's messages in a
// conversation owned by owner: its own, and while the customer waits in
// the queue for a person.
func botServes(owner assist.Owner) bool {
	return owner == assist.OwnerBot || owner == assist.OwnerQueue
}

// turnLang is the language the turn was answered in: the dialog's
// decision, else the conversation's.
func turnLang(reply dialog.Reply, c *assist.Conversation, turn dialog.Turn) string {
	switch {
	case reply.Handoff != nil && reply.Handoff.Lang != "":
		return reply.Handoff.Lang
	case reply.State != nil && reply.State.Lang != "":
		return reply.State.Lang
	case c.Lang != "":
		return c.Lang
	}
	return dialog.Lang(turn)
}

// Recover runs the turns of customer messages that were stored but whose
// turn never ran (the process died in between). It returns how many it ran.
func (s *Service) Recover(ctx context.Context) (int, error) {
	n := 0
	for {
		ms, err := s.Store.Unhandled(ctx, 100)
		if err != nil {
			return n, fmt.Errorf("recover: %w", err)
		}
		if len(ms) == 0 {
			return n, nil
		}
		progress := false
		for _, m := range ms {
			if ctx.Err() != nil {
				return n, ctx.Err()
			}
			if _, err := s.runTurn(ctx, m); err != nil {
				s.logger().ErrorContext(ctx, "recover turn failed", "tenant_id", m.TenantID, "conversation_id", m.ConversationID, "message_id", m.ID, "err", err)
				continue
			}
			progress = true
			n++
		}
		if !progress {
			return n, errors.New("recover: no turn could run")
		}
	}
}

func isSlug(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// keyedMutex serialises work per key and forgets keys nobody holds.
type keyedMutex struct {
	mu sync.Mutex
	m  map[string]*keyedEntry
}

type keyedEntry struct {
	mu   sync.Mutex
	refs int
}

func (k *keyedMutex) lock(key string) (unlock func()) {
	k.mu.Lock()
	if k.m == nil {
		k.m = make(map[string]*keyedEntry)
	}
	e := k.m[key]
	if e == nil {
		e = &keyedEntry{}
		k.m[key] = e
	}
	e.refs++
	k.mu.Unlock()
	e.mu.Lock()
	return func() {
		e.mu.Unlock()
		k.mu.Lock()
		e.refs--
		if e.refs == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
}
