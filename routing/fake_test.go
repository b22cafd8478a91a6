package routing

import (
	"context"
	"sync"

	"github.com/assistd/assist"
)

// memStore is a Store in memory, for the engine's tests.
type memStore struct {
	mu        sync.Mutex
	agents    map[[2]string]*Agent
	entries   map[[2]string]*Entry
	decisions []*Decision
	fail      error // returned by every write when set
}

func newMemStore() *memStore {
	return &memStore{agents: map[[2]string]*Agent{}, entries: map[[2]string]*Entry{}}
}

func (s *memStore) PutAgent(_ context.Context, a *Agent) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.agents[[2]string{a.TenantID, a.UserID}] = a.clone()
	return nil
}

func (s *memStore) Agents(context.Context) ([]*Agent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*Agent
	for _, a := range s.agents {
		out = append(out, a.clone())
	}
	return out, nil
}

func (s *memStore) PutEntry(_ context.Context, e *Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.entries[[2]string{e.TenantID, e.ConversationID}] = e.clone()
	return nil
}

func (s *memStore) DeleteEntry(_ context.Context, tenantID, convID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	delete(s.entries, [2]string{tenantID, convID})
	return nil
}

func (s *memStore) Entries(context.Context) ([]*Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*Entry
	for _, e := range s.entries {
		out = append(out, e.clone())
	}
	return out, nil
}

func (s *memStore) AddDecision(_ context.Context, d *Decision) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.decisions = append(s.decisions, d)
	return nil
}

func (s *memStore) Decisions(_ context.Context, tenantID, convID string, limit int) ([]*Decision, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*Decision
	for _, d := range s.decisions {
		if d.TenantID == tenantID && d.ConversationID == convID {
			out = append(out, d)
		}
	}
	return out, nil
}

func (s *memStore) entry(tenantID, convID string) *Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.entries[[2]string{tenantID, convID}]
}

// fakeConvs is the conversation core as the engine sees it: owners by id.
type fakeConvs struct {
	mu    sync.Mutex
	convs map[[2]string]*assist.Conversation
}

func newFakeConvs() *fakeConvs { return &fakeConvs{convs: map[[2]string]*assist.Conversation{}} }

func (f *fakeConvs) add(tenantID, id string, owner assist.Owner) *assist.Conversation {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := &assist.Conversation{ID: id, TenantID: tenantID, Owner: owner}
	f.convs[[2]string{tenantID, id}] = c
	return c
}

func (f *fakeConvs) Conversation(_ context.Context, tenantID, id string) (*assist.Conversation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.convs[[2]string{tenantID, id}]
	if c == nil {
		return nil, assist.Errorf(assist.ENOTFOUND, "conversation not found")
	}
	cc := *c
	return &cc, nil
}

func (f *fakeConvs) SetOwner(_ context.Context, tenantID, id string, owner assist.Owner, assignee, reason string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.convs[[2]string{tenantID, id}]
	if c == nil {
		return assist.Errorf(assist.ENOTFOUND, "conversation not found")
	}
	c.Owner, c.AssigneeID, c.Reason = owner, assignee, reason
	return nil
}

func (f *fakeConvs) owner(tenantID, id string) (assist.Owner, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.convs[[2]string{tenantID, id}]
	return c.Owner, c.AssigneeID
}

func (f *fakeConvs) Owned(_ context.Context, owner assist.Owner) ([]*assist.Conversation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*assist.Conversation
	for _, c := range f.convs {
		if c.Owner == owner {
			cc := *c
			out = append(out, &cc)
		}
	}
	return out, nil
}
