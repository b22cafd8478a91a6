package rag_test

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist/rag"
)

// smells is a stand-in question encoder (see topicEncoder) that knows one
// shape of question, a new purchase that smells, whatever it is about.
var smells = &topicEncoder{topics: [][]string{
	{"smell", "odour", "odor", "stink", "异味", "味道", "气味", "怪味", "臭"},
}}

// The encoder puts a question next to a published answer of the same
// shape: a question naming a product the entry never mentions (a kettle
// asked against a pillow's answer) is not given it, in either language;
// one naming the entry's product in other words, or naming none, is.
func TestPublishedAnswerNotGivenForAnotherProduct(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		lang, answer string
		questions    []string // the entry's
		other        []string // name another product: refused
		same         []string // name the entry's product or none: answered
	}{{
		lang:      "en",
		answer:    "A new memory pillow may smell slightly when unpacked, from its sealed wrapping; it is harmless. Air it for 2-3 days out of direct sun.",
		questions: []string{"Is it normal that my new memory pillow smells?"},
		other: []string{
			"my kettle gives the water a strange odour, should I worry",
			"the rug we got has a chemical stink, should I worry",
		},
		same: []string{
			"got the pillow yesterday and it stinks a bit, should I worry",
			"opened it yesterday and it stinks a bit, is it harmless",
		},
	}, {
		lang:      "zh",
		answer:    "竹纤维记忆枕刚拆封有轻微气味是正常的，来自密封包装，对人体无害；放在通风处晾 2–3 天就会散去。",
		questions: []string{"新买的记忆枕有味道正常吗？"},
		other: []string{
			"电水壶烧开的水有股怪味，要紧吗",
			"地毯一股刺鼻的气味，要紧吗",
		},
		same: []string{
			"枕头有点臭，要紧吗",
			"刚拆开有点臭，要晾几天",
		},
	}}
	for _, c := range cases {
		plain, s := shopWithArticles(t), shopWithArticles(t)
		s.Paraphrases = smells
		for _, sv := range []*rag.Service{plain, s} {
			d := rag.Document{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "gap-" + c.lang}, Title: c.questions[0],
				Source: rag.PublishedSource, Lang: c.lang}
			for _, q := range c.questions {
				d.Chunks = append(d.Chunks, rag.Chunk{Question: q, Answer: c.answer, Text: c.answer})
			}
			if _, err := sv.Ingest(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range append(append([]string{}, c.other...), c.same...) {
			req := rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: q, Lang: c.lang}
			if _, ok, err := plain.MatchPublished(ctx, req); err != nil || ok {
				t.Fatalf("%q without an encoder: matched %v, err %v; the case is a question only the encoder reaches", q, ok, err)
			}
		}
		for _, q := range c.other {
			req := rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: q, Lang: c.lang}
			if a, ok, err := s.MatchPublished(ctx, req); err != nil || ok {
				t.Errorf("%q: given %q, err %v; the entry is about another product", q, a.Text, err)
			}
		}
		for _, q := range c.same {
			req := rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: q, Lang: c.lang}
			if a, ok, err := s.MatchPublished(ctx, req); err != nil || !ok || a.Sources[0].Doc != "gap-"+c.lang {
				t.Errorf("%q: matched %v (%+v), err %v; want the published answer", q, ok, a.Sources, err)
			}
		}
	}
}

// A published answer that names no goods ("tap Notify me on the product
// page") answers for any product, whatever its questions named.
func TestPublishedAnswerForAnyProductStillGiven(t *testing.T) {
	restock := &topicEncoder{topics: [][]string{{"notif", "restock", "sold out", "alert"}}}
	plain, s := shopWithArticles(t), shopWithArticles(t)
	s.Paraphrases = restock
	for _, sv := range []*rag.Service{plain, s} {
		publish(t, sv, "gap-restock", "Tap 'Notify me' under the sold-out size on the product page; we message you as soon as it is restocked.",
			"The jeans are sold out in my size, can I get notified when they're back?")
	}
	q := "will the green cardigan be restocked? can I get an alert"
	req := rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: q, Lang: "en"}
	if _, ok, err := plain.MatchPublished(context.Background(), req); err != nil || ok {
		t.Fatalf("%q without an encoder: matched %v, err %v; the case is a question only the encoder reaches", q, ok, err)
	}
	if a, ok, err := s.MatchPublished(context.Background(), req); err != nil || !ok || a.Sources[0].Doc != "gap-restock" {
		t.Errorf("%q: matched %v (%+v), err %v; want the published answer", q, ok, a.Sources, err)
	}
}

// A lexicon line may mark its notion as goods with a third field; any
// other kind there is an error, not forms read as English.
func TestLexiconKind(t *testing.T) {
	if _, err := rag.ParseLexicon(strings.NewReader("水壶\tkettle\tthing\n")); err != nil {
		t.Errorf("a thing: %v", err)
	}
	if _, err := rag.ParseLexicon(strings.NewReader("水壶\tkettle\tgadget\n")); err == nil {
		t.Error("kind gadget: no error")
	}
	if got := rag.DefaultLexicon().Translate("记忆枕头", "zh"); got != "" && strings.Contains(got, "thing") {
		t.Errorf("Translate gives the kind as a form: %q", got)
	}
}
