package auth

import (
	"context"
	"encoding/hex"
	"strings"
	"sync"
	"time"
)

// Watch tells something long-lived (a WebSocket, an event stream) that
// the staff credential it was opened with has ended. Ended is closed at
// the session's Logout or EndSessions in this process, or when the
// session expires; an API key's watch ends only with Stop. Holders should
// still re-check the credential now and then (other replicas' logouts do
// not reach this process).
type Watch struct {
	ended chan struct{}
	once  sync.Once
	stop  func()
}

// Ended is closed when the credential ends.
func (w *Watch) Ended() <-chan struct{} { return w.ended }

// Stop releases the watch. It does not close Ended.
func (w *Watch) Stop() { w.stop() }

func (w *Watch) end() { w.once.Do(func() { close(w.ended) }) }

// watchers are the open watches by session hash (hex).
type watchers struct {
	mu sync.Mutex
	m  map[string]map[*Watch]string // hash → watch → user id
}

func (ws *watchers) add(hash, userID string, w *Watch) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if ws.m == nil {
		ws.m = map[string]map[*Watch]string{}
	}
	if ws.m[hash] == nil {
		ws.m[hash] = map[*Watch]string{}
	}
	ws.m[hash][w] = userID
}

func (ws *watchers) remove(hash string, w *Watch) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	delete(ws.m[hash], w)
	if len(ws.m[hash]) == 0 {
		delete(ws.m, hash)
	}
}

// end ends every watch of the session hash.
func (ws *watchers) end(hash string) {
	ws.mu.Lock()
	var ended []*Watch
	for w := range ws.m[hash] {
		ended = append(ended, w)
	}
	ws.mu.Unlock()
	for _, w := range ended {
		w.end()
	}
}

// endUser ends every watch of the user's sessions.
func (ws *watchers) endUser(userID string) {
	ws.mu.Lock()
	var ended []*Watch
	for _, m := range ws.m {
		for w, u := range m {
			if u == userID {
				ended = append(ended, w)
			}
		}
	}
	ws.mu.Unlock()
	for _, w := range ended {
		w.end()
	}
}

// Watch returns a watch on the staff credential tok, which must be valid
// now (EUNAUTHORIZED otherwise, like Authenticate). Call Stop when done.
func (s *Service) Watch(ctx context.Context, tok string) (*Watch, error) {
	p, err := s.Authenticate(ctx, tok)
	if err != nil {
		return nil, err
	}
	w := &Watch{ended: make(chan struct{})}
	if !strings.HasPrefix(tok, SessionPrefix) {
		w.stop = func() {}
		return w, nil
	}
	sess, err := s.Store.SessionByHash(ctx, HashToken(tok))
	if err != nil {
		return nil, err
	}
	hash := hex.EncodeToString(sess.Hash)
	s.watches.add(hash, p.UserID, w)
	timer := time.AfterFunc(sess.ExpiresAt.Sub(s.now()), w.end)
	w.stop = func() {
		timer.Stop()
		s.watches.remove(hash, w)
	}
	return w, nil
}

// EndSessions ends every session of a user in the tenant: they are
// deleted, and their watches in this process end at once. It returns how
// many sessions ended.
func (s *Service) EndSessions(ctx context.Context, tenantID, userID string) (int, error) {
	if _, err := s.Store.User(ctx, tenantID, userID); err != nil {
		return 0, err
	}
	n, err := s.Store.DeleteUserSessions(ctx, tenantID, userID)
	if err != nil {
		return 0, err
	}
	s.watches.endUser(userID)
	return n, nil
}
