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
