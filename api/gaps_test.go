package api_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/api"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/gap"
	"github.com/assistd/assist/rag"
	"github.com/assistd/assist/store/sqlite"
)

type fakePublisher struct{ docs []rag.Document }

func (p *fakePublisher) Ingest(_ context.Context, d rag.Document) (int, error) {
	p.docs = append(p.docs, d)
	return len(d.Chunks), nil
}

// withGaps wires the gap recorder and report on the env's database.
func (e *env) withGaps(pub gap.Publisher) *gap.Recorder {
	store := sqlite.NewGapStore(e.DB)
	rec := &gap.Recorder{Store: store}
	e.Convs.Observers = append(e.Convs.Observers, rec)
	e.Server.GapRecorder = rec
	e.Server.Gaps = &gap.Service{Store: store, Publisher: pub, TrainingData: filepath.Join(e.t.TempDir(), "train.jsonl")}
	return rec
}

// A customer's thumbs-down puts the question into the report; a knowledge
// manager reviews, publishes and exports it; customers and agents cannot.
func TestGapReportFlow(t *testing.T) {
	e := newEnv(t)
	pub := &fakePublisher{}
	e.withGaps(pub)
	s := e.newShop("shop")
	c, tok := e.start("shop")
	// The handoff policy answers every message: rate its answer.
	res := e.say(c.ID, tok, "Can I pay by bank transfer? call me 13800138000", http.StatusCreated)
	if len(res.Replies) == 0 {
		t.Fatal("no bot reply to rate")
	}
	bot := res.Replies[0]
	rate := "/v1/conversations/" + c.ID + "/messages/" + bot.ID + "/feedback"
	wantError(t, e.post(rate, tok, api.ThumbsRequest{Rating: "meh"}), http.StatusBadRequest, assist.EINVALID, "rating")
	wantError(t, e.post("/v1/conversations/"+c.ID+"/messages/"+res.Message.ID+"/feedback", tok, api.ThumbsRequest{Rating: "down"}), http.StatusBadRequest, assist.EINVALID, "bot")
	wantError(t, e.post(rate, s.Agent, api.ThumbsRequest{Rating: "down"}), http.StatusForbidden, assist.EFORBIDDEN, "customer")
	decode[api.ThumbsResponse](t, e.post(rate, tok, api.ThumbsRequest{Rating: "down"}), http.StatusOK)
	wantError(t, e.post(rate, tok, api.ThumbsRequest{Rating: "up"}), http.StatusConflict, assist.ECONFLICT, "rated")

	wantError(t, e.get("/v1/gaps", s.Agent), http.StatusForbidden, assist.EFORBIDDEN, "")
	rep := decode[api.GapsResponse](t, e.get("/v1/gaps?status=open", s.Knowledge), http.StatusOK)
	if len(rep.Clusters) != 1 || rep.Clusters[0].ThumbsDown != 1 || strings.Contains(rep.Clusters[0].Questions[0], "13800138000") {
		t.Fatalf("report %+v", rep.Clusters)
	}
	id := rep.Clusters[0].ID
	one := decode[gap.Cluster](t, e.get("/v1/gaps/"+id, s.Knowledge), http.StatusOK)
	if len(one.Gaps) != 1 || one.Gaps[0].Kind != gap.KindThumbsDown {
		t.Errorf("cluster %+v", one)
	}
	// No agent answered: nothing to publish until someone writes one.
	wantError(t, e.post("/v1/gaps/"+id+"/publish", s.Knowledge, nil), http.StatusBadRequest, assist.EINVALID, "no answer")
	answer, intent := "Yes: choose bank transfer at checkout and pay within 24 hours.", "payment_issue"
	// An intent the model does not know (a typo, or a path) would become a
	// junk class at the next `make train`: refused, and nothing changes.
	for _, junk := range []string{"../../etc", "payment-issue", "Payment_Issue"} {
		wantError(t, e.send(request{method: http.MethodPatch, path: "/v1/gaps/" + id, token: s.Knowledge,
			body: gap.Edit{Answer: &answer, Intent: &junk}}), http.StatusBadRequest, assist.EINVALID, "intent")
	}
	if c := decode[gap.Cluster](t, e.get("/v1/gaps/"+id, s.Knowledge), http.StatusOK); c.Status != gap.StatusOpen || c.Answer != "" {
		t.Errorf("a refused edit changed the cluster: %+v", c)
	}
	acc := decode[gap.Cluster](t, e.send(request{method: http.MethodPatch, path: "/v1/gaps/" + id, token: s.Knowledge,
		body: gap.Edit{Answer: &answer, Intent: &intent}}), http.StatusOK)
	if acc.Status != gap.StatusAccepted || acc.ReviewedBy != s.KnowledgeID {
		t.Errorf("accepted %+v", acc)
	}
	p := decode[gap.Published](t, e.post("/v1/gaps/"+id+"/publish", s.Knowledge, nil), http.StatusOK)
	// The question's sentence holding the masked phone number is left
	// out: customers read, and the model learns, the question alone.
	if p.Cluster.Status != gap.StatusPublished || len(pub.docs) != 1 || pub.docs[0].Chunks[0].Answer != answer ||
		pub.docs[0].Chunks[0].Question != "Can I pay by bank transfer?" || p.Training != 1 {
		t.Errorf("published %+v, docs %+v", p, pub.docs)
	}
	wantError(t, e.post("/v1/gaps/"+id+"/dismiss", s.Knowledge, nil), http.StatusConflict, assist.ECONFLICT, "published")
	r := e.get("/v1/gaps/export?format=csv", s.Knowledge)
	rows, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if r.Status != http.StatusOK || err != nil || len(rows) != 2 || rows[1][1] != "published" {
		t.Errorf("export %d %q: %v", r.Status, r.Body, err)
	}
	wantError(t, e.get("/v1/gaps/export?format=xml", s.Knowledge), http.StatusBadRequest, assist.EINVALID, "format")
}

var _ conversation.Observer = (*gap.Recorder)(nil)
