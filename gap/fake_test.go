package gap_test

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/gap"
)

// memStore is a gap.Store in memory.
type memStore struct {
	mu       sync.Mutex
	gaps     []gap.Gap
	clusters map[string]*gap.Cluster
	ratings  map[string]string
}

func newMemStore() *memStore {
	return &memStore{clusters: map[string]*gap.Cluster{}, ratings: map[string]string{}}
}

func (s *memStore) AddGap(_ context.Context, g *gap.Gap) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range s.gaps {
		if g.MessageID != "" && x.MessageID == g.MessageID && x.Kind == g.Kind {
			return assist.Errorf(assist.ECONFLICT, "duplicate")
		}
	}
	s.gaps = append(s.gaps, *g)
	return nil
}

func (s *memStore) Gaps(_ context.Context, tenantID string, f gap.Filter) ([]gap.Gap, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []gap.Gap
	for _, g := range s.gaps {
		if g.TenantID != tenantID || f.ConversationID != "" && g.ConversationID != f.ConversationID ||
			f.ClusterID != "" && g.ClusterID != f.ClusterID || f.Unclustered && g.ClusterID != "" {
			continue
		}
		out = append(out, g)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

func (s *memStore) MarkEscalated(_ context.Context, tenantID, conv string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.gaps {
		if s.gaps[i].TenantID == tenantID && s.gaps[i].ConversationID == conv {
			s.gaps[i].Escalated = true
		}
	}
	return nil
}

func (s *memStore) AddAgentAnswer(_ context.Context, tenantID, conv, text string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.gaps {
		g := &s.gaps[i]
		if g.TenantID == tenantID && g.ConversationID == conv && !g.At.After(at) {
			if g.AgentAnswer != "" {
				g.AgentAnswer += "\n\n"
			}
			g.AgentAnswer += text
		}
	}
	return nil
}

func (s *memStore) SetCluster(_ context.Context, tenantID, id string, ids []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.gaps {
		if s.gaps[i].TenantID == tenantID && slices.Contains(ids, s.gaps[i].ID) {
			s.gaps[i].ClusterID = id
		}
	}
	return nil
}

func (s *memStore) PutCluster(_ context.Context, c *gap.Cluster) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cc := *c
	cc.Gaps, cc.Questions = nil, nil
	cc.Variants = slices.Clone(c.Variants)
	s.clusters[c.TenantID+"/"+c.ID] = &cc
	return nil
}

func (s *memStore) Clusters(_ context.Context, tenantID string) ([]*gap.Cluster, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*gap.Cluster
	for k, c := range s.clusters {
		if strings.HasPrefix(k, tenantID+"/") {
			cc := *c
			cc.Variants = slices.Clone(c.Variants)
			out = append(out, &cc)
		}
	}
	return out, nil
}

func (s *memStore) Rate(_ context.Context, tenantID, _, messageID, rating string, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := tenantID + "/" + messageID
	if _, ok := s.ratings[k]; ok {
		return assist.Errorf(assist.ECONFLICT, "rated already")
	}
	s.ratings[k] = rating
	return nil
}
