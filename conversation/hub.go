package conversation

import (
	"sync"

	"github.com/assistd/assist"
)

// Event types published on the Hub.
const (
	EventMessage = "message" // a stored message
	EventTyping  = "typing"  // someone is typing
	EventStatus  = "status"  // the conversation's owner changed
)

// Event is one change of a conversation, as live clients see it.
type Event struct {
	Type           string          `json:"type"`
	ConversationID string          `json:"conversation_id"`
	Message        *assist.Message `json:"message,omitempty"`
	Author         assist.Author   `json:"author,omitempty"` // typing: who
	Owner          assist.Owner    `json:"owner,omitempty"`  // status: the new owner
	Reason         string          `json:"reason,omitempty"` // status: why
}

// Subscription receives a conversation's events. C is closed when the
// subscription is cancelled or when the subscriber fell too far behind
// (Lagged then reports true); a client that lagged reconnects and catches
// up from the store, so nothing is lost.
type Subscription struct {
	C      <-chan Event
	c      chan Event
	hub    *Hub
	key    string
	lagged bool
	once   sync.Once
}

// Lagged reports whether the subscription was closed because its buffer
// was full.
func (s *Subscription) Lagged() bool {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return s.lagged
}

// Close cancels the subscription. It is safe to call more than once.
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.hub.removeLocked(s)
}

// Hub fans conversation events out to live subscribers in this process.
// The zero value is ready to use.
type Hub struct {
	mu     sync.Mutex
	subs   map[string]map[*Subscription]struct{}
	buffer int
}

// NewHub returns a hub whose subscribers buffer up to buffer events.
func NewHub(buffer int) *Hub {
	return &Hub{buffer: buffer}
}

func hubKey(tenantID, conversationID string) string { return tenantID + "/" + conversationID }

// Subscribe returns a subscription to one conversation's events.
func (h *Hub) Subscribe(tenantID, conversationID string) *Subscription {
	n := h.buffer
	if n <= 0 {
		n = 64
	}
	c := make(chan Event, n)
	s := &Subscription{C: c, c: c, hub: h, key: hubKey(tenantID, conversationID)}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = make(map[string]map[*Subscription]struct{})
	}
	m := h.subs[s.key]
	if m == nil {
		m = make(map[*Subscription]struct{})
		h.subs[s.key] = m
	}
	m[s] = struct{}{}
	return s
}

// Publish sends e to the conversation's subscribers without blocking.
func (h *Hub) Publish(tenantID string, e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs[hubKey(tenantID, e.ConversationID)] {
		select {
		case s.c <- e:
		default:
			s.lagged = true
			h.removeLocked(s)
		}
	}
}

// Subscribers returns how many subscriptions are open, for metrics.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, m := range h.subs {
		n += len(m)
	}
	return n
}

func (h *Hub) removeLocked(s *Subscription) {
	s.once.Do(func() {
		if m := h.subs[s.key]; m != nil {
			delete(m, s)
			if len(m) == 0 {
				delete(h.subs, s.key)
			}
		}
		close(s.c)
	})
}
