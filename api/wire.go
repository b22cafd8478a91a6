package api

import (
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
)

// Wire types: the JSON the API reads and writes, and their pure
// conversions to and from the domain. No gin code here.

// CreateConversationRequest starts a conversation. A customer_ref needs
// the shop's signature (customer_sig, customer_expires) or a staff or API
// key token of the tenant.
type CreateConversationRequest struct {
	Tenant          string `json:"tenant"`
	Channel         string `json:"channel,omitempty"`
	CustomerRef     string `json:"customer_ref,omitempty"`
	Lang            string `json:"lang,omitempty"`
	CustomerSig     string `json:"customer_sig,omitempty"`
	CustomerExpires int64  `json:"customer_expires,omitempty"`
}

// ConversationJSON is a conversation on the wire.
type ConversationJSON struct {
	ID          string    `json:"id"`
	Channel     string    `json:"channel"`
	CustomerRef string    `json:"customer_ref,omitempty"`
	Lang        string    `json:"lang,omitempty"`
	Owner       string    `json:"owner"`
	AssigneeID  string    `json:"assignee_id,omitempty"`
	Reason      string    `json:"reason,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	// CustomerName is the signed-in customer's name from the shop, for
	// staff reading one conversation ("" when unknown or not asked).
	CustomerName string `json:"customer_name,omitempty"`
}

// CreateConversationResponse carries the customer token, shown only here.
type CreateConversationResponse struct {
	Conversation ConversationJSON `json:"conversation"`
	Token        string           `json:"token"`
}

// PostMessageRequest sends a message. The idempotency key may also come in
// the Idempotency-Key header.
type PostMessageRequest struct {
	Text           string `json:"text"`
	IdempotencyKey string `json:"idempotency_key,omitempty"`
}

// MessageJSON is a message on the wire.
type MessageJSON struct {
	ID             string `json:"id"`
	ConversationID string `json:"conversation_id"`
	Seq            int64  `json:"seq"`
	Author         string `json:"author"`
	AuthorID       string `json:"author_id,omitempty"`
	Text           string `json:"text"`
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	ReplyTo        string `json:"reply_to,omitempty"`
	// Attachments: a bot message's quick replies, cards and sources.
	Attachments *assist.Attachments `json:"attachments,omitempty"`
	CreatedAt   time.Time           `json:"created_at"`
}

// PostMessageResponse is the stored message and the bot's replies.
type PostMessageResponse struct {
	Message MessageJSON   `json:"message"`
	Replies []MessageJSON `json:"replies"`
	Created bool          `json:"created"`
}

// MessagesResponse is a page of messages.
type MessagesResponse struct {
	Messages []MessageJSON `json:"messages"`
}

// ConversationsResponse is a page of conversations.
type ConversationsResponse struct {
	Conversations []ConversationJSON `json:"conversations"`
}

// LoginRequest opens a staff session.
type LoginRequest struct {
	Tenant   string `json:"tenant"`
	Email    string `json:"email"`
	Password string `json:"password"`
	// Cookie asks for the session in the HttpOnly cookie only: the response
	// then carries no token (what the staff pages ask for).
	Cookie bool `json:"cookie,omitempty"`
}

// LoginResponse carries the session token (unless the request asked for
// the cookie only). Login also sets it as the SessionCookie.
type LoginResponse struct {
	Token     string    `json:"token,omitempty"`
	ExpiresAt time.Time `json:"expires_at"`
	User      UserJSON  `json:"user"`
}

// UserJSON is a staff member on the wire.
type UserJSON struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"created_at"`
}

// IntentJSON is one intent of the catalogue with its name per language.
type IntentJSON struct {
	Label string            `json:"label"`
	Kind  string            `json:"kind"`
	Name  map[string]string `json:"name"` // "zh", "en"
}

// IntentsResponse lists the intents the bot knows.
type IntentsResponse struct {
	Intents []IntentJSON `json:"intents"`
}

// MeResponse describes the caller.
type MeResponse struct {
	TenantID string `json:"tenant_id"`
	UserID   string `json:"user_id"`
	Role     string `json:"role"`
	Name     string `json:"name,omitempty"` // the staff member's name ("" for an API key)
}

// CreateUserRequest adds a staff member.
type CreateUserRequest struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Password string `json:"password"`
}

// UsersResponse lists staff members.
type UsersResponse struct {
	Users []UserJSON `json:"users"`
}

// EndSessionsResponse says how many of a staff member's sessions ended.
type EndSessionsResponse struct {
	Ended int `json:"ended"`
}

// CreateAPIKeyRequest issues a key acting as a user.
type CreateAPIKeyRequest struct {
	UserID string `json:"user_id"`
	Name   string `json:"name"`
}

// CreateAPIKeyResponse carries the key, shown only here.
type CreateAPIKeyResponse struct {
	ID   string `json:"id"`
	Key  string `json:"key"`
	Role string `json:"role"`
}

// WSClientFrame is what a client sends on the conversation WebSocket.
type WSClientFrame struct {
	Type           string `json:"type"` // "message" or "typing"
	Text           string `json:"text,omitempty"`
	IdempotencyKey string `json:"idempotency_key,omitempty"`
}

// WSFrame is what the server sends on the conversation WebSocket.
type WSFrame struct {
	Type           string       `json:"type"` // "message", "typing", "status", "ack", "error"
	ConversationID string       `json:"conversation_id,omitempty"`
	Message        *MessageJSON `json:"message,omitempty"`
	IdempotencyKey string       `json:"idempotency_key,omitempty"` // ack, error: the key of the client's frame
	Created        bool         `json:"created,omitempty"`         // ack: false for a retry of a stored message
	Author         string       `json:"author,omitempty"`
	Owner          string       `json:"owner,omitempty"`
	Reason         string       `json:"reason,omitempty"`
	Error          *ErrorDetail `json:"error,omitempty"`
}

func toConversation(c *assist.Conversation) ConversationJSON {
	return ConversationJSON{
		ID: c.ID, Channel: c.Channel, CustomerRef: c.CustomerRef, Lang: c.Lang,
		Owner: string(c.Owner), AssigneeID: c.AssigneeID, Reason: c.Reason,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
	}
}

func toConversations(cs []*assist.Conversation) []ConversationJSON {
	return mapAll(cs, toConversation)
}

// mapAll converts every element; the result is never nil, so JSON shows [].
func mapAll[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

func toMessage(m *assist.Message) MessageJSON {
	return MessageJSON{
		ID: m.ID, ConversationID: m.ConversationID, Seq: m.Seq, Author: string(m.Author),
		AuthorID: m.AuthorID, Text: m.Text, IdempotencyKey: m.IdempotencyKey,
		ReplyTo: m.ReplyTo, Attachments: m.Attachments, CreatedAt: m.CreatedAt,
	}
}

func toMessages(ms []*assist.Message) []MessageJSON { return mapAll(ms, toMessage) }

func toUser(u *assist.User) UserJSON {
	return UserJSON{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), CreatedAt: u.CreatedAt}
}

func toFrame(e conversation.Event) WSFrame {
	f := WSFrame{Type: e.Type, ConversationID: e.ConversationID, Author: string(e.Author), Owner: string(e.Owner), Reason: e.Reason}
	if e.Message != nil {
		m := toMessage(e.Message)
		f.Message = &m
	}
	return f
}
