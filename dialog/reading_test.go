package dialog

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/models/openai"
	"github.com/assistd/assist/models/openai/openaitest"
	"github.com/assistd/assist/rag"
	"github.com/assistd/assist/vector/vectortest"
)

// llmDesk is the real knowledge base (rag.Service over an in-memory
// index) writing its answers with a model behind an OpenAI-compatible
// server, offline: the server records every call.
func llmDesk(t *testing.T) (*rag.Service, *openaitest.Server) {
	t.Helper()
	srv := openaitest.NewServer(t)
	srv.Chat = func(_ context.Context, r openaitest.ChatRequest) (string, error) {
		q := r.LastUser()
		return "(written by the model) " + q[max(0, len(q)-40):], nil
	}
	llm, err := openai.New(openai.Config{BaseURL: srv.BaseURL(), APIKey: srv.APIKey, ChatModel: "m"})
	if err != nil {
		t.Fatal(err)
	}
	kb := &rag.Service{Index: vectortest.NewMemIndex(0), Generator: llm}
	key := func(doc string) rag.DocKey { return rag.DocKey{TenantID: "t1", KB: "help", Doc: doc} }
	for _, d := range []rag.Document{
		{DocKey: key("en-contact.md"), Title: "Contact us", Lang: "en", Chunks: []rag.Chunk{{Lang: "en",
			Text: "How do I reach you by phone or email, and when are you open? Call 400-800-1234 or email help@shop.example. Chat is open from 9:00 to 22:00 every day."}}},
		{DocKey: key("en-sale.md"), Title: "Double 11 sale", Lang: "en", Chunks: []rag.Chunk{{Lang: "en",
			Text: "The Double 11 sale runs from November 1 to November 11. During the sale every 300 spent takes 50 off."}}},
		{DocKey: key("en-account.md"), Title: "Deleting your account", Lang: "en", Chunks: []rag.Chunk{{Lang: "en",
			Text: "To delete your account, open Settings and tap Delete account. Store credit left on a deleted account is lost."}}},
	} {
		if _, err := kb.Ingest(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
	return kb, srv
}

// A question the bot reads more than one way (the customer's own words
// beside the contact question, a part of a message alone and after the
// part before, a question alone and after the one it continues) costs
// one model call per answer the customer is given: the readings are
// weighed before anything is written.
func TestOneModelCallPerAnswerGiven(t *testing.T) {
	for _, tc := range []struct {
		name  string
		nlu   script
		says  []string
		want  string   // in the last reply
		asked []string // each reaches the model, in some question it answers
	}{
		{name: "contact question in the customer's words", says: []string{"what's your phone number and when are you open to chat"},
			want: "written by the model"},
		{name: "two parts on one topic", says: []string{"is the double 11 sale still on? how much off do I get during the sale"},
			nlu:  script{"is the double 11 sale still on?": {label: "promotion_rules"}, "how much off do I get during the sale": {label: "promotion_rules"}},
			want: "written by the model", asked: []string{"is the double 11 sale still on?", "how much off do I get during the sale"}},
		{name: "a question after an answer", says: []string{"how do I delete my account", "will I lose my store credit?"},
			nlu:  script{"how do I delete my account": {label: "account_issue"}, "will I lose my store credit?": {label: "account_issue"}},
			want: "written by the model"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kb, srv := llmDesk(t)
			nlu := tc.nlu
			if nlu == nil {
				nlu = script{}
			}
			a := &Assistant{NLU: nlu, KB: kb, Rules: DefaultRules()}
			conv := &assist.Conversation{ID: "c1", TenantID: "t1"}
			var st *State
			var all []string
			for i, say := range tc.says {
				before := len(srv.ChatRequests())
				r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: say}, State: st})
				if err != nil {
					t.Fatal(err)
				}
				st = r.State
				written := 0
				for _, m := range r.Messages {
					written += strings.Count(m, "(written by the model)")
				}
				var answers []string
				for _, c := range srv.ChatRequests()[before:] {
					if q := c.LastUser(); strings.HasPrefix(c.Messages[0].Content, "Translate") {
						// The customer's own question may be translated to
						// search the other language; another reading never.
						if strings.Contains(q, `\n`) {
							t.Errorf("turn %d %q: a reading joined to the one before was translated: %s", i+1, say, q)
						}
					} else {
						answers = append(answers, q)
					}
				}
				all = append(all, answers...)
				if len(answers) != written {
					t.Errorf("turn %d %q: %d answers written by the model, %d given in %q; written:\n%s", i+1, say, len(answers), written, r.Messages, strings.Join(answers, "\n"))
				}
				if i == len(tc.says)-1 && !strings.Contains(strings.Join(r.Messages, "\n"), tc.want) {
					t.Errorf("turn %d %q: reply %q, want %q", i+1, say, r.Messages, tc.want)
				}
			}
			for _, q := range tc.asked {
				if !slices.ContainsFunc(all, func(a string) bool { return strings.Contains(a, q) }) {
					t.Errorf("the model answered\n%s\nnever %q", strings.Join(all, "\n"), q)
				}
			}
		})
	}
}
