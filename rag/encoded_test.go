package rag_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/assistd/assist/nlu/text"
	"github.com/assistd/assist/rag"
)

// topicEncoder is a hand-written stand-in for a trained question encoder
// (rag/para): a text's vector counts the words of each topic it holds, so
// questions on one topic are close whatever other words they use.
type topicEncoder struct{ topics [][]string }

func (e *topicEncoder) Encode(text string) []float32 {
	v := make([]float32, len(e.topics))
	text = strings.ToLower(text)
	var n float64
	for i, words := range e.topics {
		for _, w := range words {
			if strings.Contains(text, w) {
				v[i]++
			}
		}
		n += float64(v[i] * v[i])
	}
	if n > 0 {
		for i := range v {
			v[i] /= float32(math.Sqrt(n))
		}
	}
	return v
}

var topics = &topicEncoder{topics: [][]string{
	{"packag", "box", "label", "unmarked", "discreet", "flatmate", "what i bought", "包装", "面单", "盒子"},
	{"ship", "deliver", "parcel", "courier", "运费"},
	{"warranty", "broken", "defect", "repair"},
}}

// A question asked in other words than a published entry's, which the
// entry's words alone do not reach, is answered from the entry when the
// question encoder puts it next to the entry, and not when the service has
// no encoder; a question in the other language, or one an article answers,
// is not.
func TestPublishedAnswerFoundByEncoder(t *testing.T) {
	const answer = "Yes. Tick Discreet packaging at checkout: the label then shows only \"Demo Store\", never the product name."
	const q = "I don't want my flatmates to know what I bought, can the box arrive unmarked so nobody sees the product?"
	ctx := context.Background()
	req := rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: q, Lang: "en"}
	plain := shopWithArticles(t)
	publish(t, plain, "gap-7", answer, "Can you ship without the product name on the label?")
	if _, ok, err := plain.MatchPublished(ctx, req); err != nil || ok {
		t.Fatalf("without an encoder: matched %v, err %v; the entry's words do not reach %q", ok, err, q)
	}

	s := shopWithArticles(t)
	s.Paraphrases = topics
	publish(t, s, "gap-7", answer, "Can you ship without the product name on the label?")
	if a, ok, err := s.MatchPublished(ctx, req); err != nil || !ok || a.Sources[0].Doc != "gap-7" {
		t.Fatalf("with an encoder: matched %v (%+v), err %v; want the published answer", ok, a.Sources, err)
	}
	if a := ask(t, s, q); !a.Known || a.Sources[0].Doc != "gap-7" {
		t.Fatalf("%q: %q from %+v, want the published answer", q, a.Text, a.Sources)
	}
	for _, other := range []string{
		"快递面单上能不写商品名吗，想低调一点包装",                          // other language: the entry is English
		"how long until my parcel is delivered",         // the shipping article's
		"my power bank is broken, is it under warranty", // the warranty article's
	} {
		req := rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: other}
		if a, ok, err := s.MatchPublished(ctx, req); err != nil || ok {
			t.Errorf("%q: matched %v (%q), err %v; want no published answer", other, ok, a.Text, err)
		}
	}
}

// A Chinese question naming a product in Latin letters is matched in the
// turn's language (AnswerRequest.Lang), not in one read again from its
// text, which mixes both scripts: the encoder finds the Chinese entry it
// asks in other words.
func TestPublishedAnswerFoundByEncoderInTheTurnsLanguage(t *testing.T) {
	ctx := context.Background()
	s := shopWithArticles(t)
	s.Paraphrases = topics
	d := rag.Document{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "gap-9"}, Title: "快递面单上能不写商品名吗？",
		Source: rag.PublishedSource, Lang: "zh"}
	const answer = "可以。下单时勾选「隐私包装」，面单上只显示店名，不写商品名。"
	for _, q := range []string{"快递面单上能不写商品名吗？", "包装上能别写买的是什么吗"} {
		d.Chunks = append(d.Chunks, rag.Chunk{Question: q, Answer: answer, Text: answer})
	}
	if _, err := s.Ingest(ctx, d); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"MacBook Air M3 盒子别写名字", "Nintendo Switch OLED 盒子上别写名字"} {
		if l := text.Detect(q); l == text.ZH {
			t.Fatalf("%q reads as %s; the case is a question whose text reads otherwise than the turn", q, l)
		}
		req := rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: q, Lang: "zh"}
		if a, ok, err := s.MatchPublished(ctx, req); err != nil || !ok || a.Sources[0].Doc != "gap-9" {
			t.Errorf("%q in a Chinese turn: matched %v (%+v), err %v; want the published answer", q, ok, a.Sources, err)
		}
		req.Lang = "en"
		if a, ok, err := s.MatchPublished(ctx, req); err != nil || ok {
			t.Errorf("%q in an English turn: matched %v (%q), err %v; the entry is Chinese", q, ok, a.Text, err)
		}
	}
}

// nanEncoder is a damaged question encoder (a diverged training): every
// vector is not a number.
type nanEncoder struct{}

func (nanEncoder) Encode(string) []float32 {
	return []float32{float32(math.NaN()), float32(math.NaN())}
}

// A damaged encoder matches no question to a published entry, rather than
// every one (comparisons with NaN are all false, so each guard passed).
func TestDamagedEncoderMatchesNothing(t *testing.T) {
	ctx := context.Background()
	s := shopWithArticles(t)
	s.Paraphrases = nanEncoder{}
	publish(t, s, "gap-7", "Yes. Tick Discreet packaging at checkout: the label then shows only \"Demo Store\".",
		"Can you ship without the product name on the label?")
	for _, q := range []string{"my label fell off the box", "the courier left my parcel at the wrong door"} {
		req := rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: q, Lang: "en"}
		if a, ok, err := s.MatchPublished(ctx, req); err != nil || ok {
			t.Errorf("%q: matched %v (%q), err %v; want no published answer", q, ok, a.Text, err)
		}
	}
}
