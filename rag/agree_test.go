package rag_test

import (
	"context"
	"math"
	"testing"

	"github.com/assistd/assist/rag"
)

// tableEncoder is a stand-in question encoder that puts given texts at
// given angles in a plane (degrees) and every other text, the articles'
// titles and passages among them, at the angle other.
type tableEncoder struct {
	at    map[string]float64
	other float64
}

func (e tableEncoder) Encode(text string) []float32 {
	a, ok := e.at[text]
	if !ok {
		a = e.other
	}
	r := a * math.Pi / 180
	return []float32{float32(math.Cos(r)), float32(math.Sin(r))}
}

// When the question's words and its encoding put the same published entry
// first, the entry is given when it is closer than every article, even by
// less than the margin the encoding alone needs; when another entry holds
// as much of the question's words, the encoding alone decides, with the
// margin.
func TestPublishedAnswerWhenWordsAndEncoderAgree(t *testing.T) {
	const (
		walletQ = "Can I keep store credit in a wallet?"
		walletA = "Yes: refunds can go to your Assist wallet under Me → Wallet and pay for later orders."
		q       = "wallet balance for next time instead of money back?"
		otherQ  = "Can I check my balance?"
		otherA  = "Your points balance is under Me → Points."
	)
	// The question at 40°, the entry at 0° (cosine 0.77), the articles at
	// 85° (cosine 0.71): closer to the entry, but by less than 0.1.
	enc := tableEncoder{at: map[string]float64{walletQ: 0, walletA: 0, q: 40, otherQ: 90, otherA: 90}, other: 85}
	ctx := context.Background()
	req := rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: q, Lang: "en"}

	s := shopWithArticles(t)
	s.Paraphrases = enc
	publish(t, s, "gap-wallet", walletA, walletQ)
	if a, ok, err := s.MatchPublished(ctx, req); err != nil || !ok || a.Sources[0].Doc != "gap-wallet" {
		t.Errorf("words and encoder agree: matched %v (%+v), err %v; want the wallet entry", ok, a.Sources, err)
	}

	s = shopWithArticles(t)
	s.Paraphrases = enc
	publish(t, s, "gap-wallet", walletA, walletQ)
	publish(t, s, "gap-points", otherA, otherQ)
	if a, ok, err := s.MatchPublished(ctx, req); err != nil || ok {
		t.Errorf("the words put another entry first: matched %v (%q), err %v; want none", ok, a.Text, err)
	}
}

// An entry the question's words match is quoted before the articles when
// its words cover the question better than theirs by publishedMargin, or
// by any amount when the question encoder also puts the question closer
// to the entry than to every article; a question an article's words cover
// better stays the article's.
func TestPublishedAnswerBeforeArticlesWhenEncoderAgrees(t *testing.T) {
	const (
		wrapQ = "Do you offer gift wrapping?"
		wrapA = "Yes, tick Gift wrap at checkout: ¥10 per order, with a card for your message."
	)
	ctx := context.Background()
	for _, tc := range []struct {
		q    string
		want bool // with an encoder that puts it closer to the entry
	}{
		{"my parcel ships to another province, can it be gift wrapped?", true},
		{"standard shipping to my province, and gift wrapping too?", true},
		{"does a gift wrapped parcel still ship within 48 hours?", false},
	} {
		// The question at 75° from the entry: too far for the encoder
		// to match it alone (cosine 0.26); the articles at 270° (closer
		// to the entry) or at 75° (closer to the articles).
		for _, articles := range []float64{270, 75} {
			s := shopWithArticles(t)
			s.Paraphrases = tableEncoder{at: map[string]float64{wrapQ: 0, wrapA: 0, tc.q: 75}, other: articles}
			publish(t, s, "gap-wrap", wrapA, wrapQ)
			_, ok, err := s.MatchPublished(ctx, rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: tc.q, Lang: "en"})
			if want := tc.want && articles == 270; err != nil || ok != want {
				t.Errorf("%q, articles at %v°: matched %v, err %v; want %v", tc.q, articles, ok, err, want)
			}
		}
	}
}
