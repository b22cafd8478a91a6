package rag

import (
	"strings"
	"testing"
)

// trade is the hits for a question about a shop's trade accounts: the
// section introducing them first (it names hotels, offices and the
// account), then the section with the tier table, which the search did
// not find. Written for this test: not any help center's wording.
func trade() []Hit {
	sections := map[string]string{
		"Who can open one":  "Trade accounts are for offices, hotels, cafes and studios. A trade account gets tiered savings and invoices at month end.",
		"How to apply":      "1. Open Account > Trade.\n2. Upload your company registration.\n3. Most accounts are approved within 3 working days.",
		"Savings by basket": "Savings apply to one basket before delivery.\n\nBasket value (CNY) · Saving · Also included\n3,000 - 9,999 · 4% · Free delivery\n10,000 - 39,999 · 7% · Free assembly\n40,000 and above · 11% · Account manager",
		"Branded items":     "- Printing of your logo on cups and notebooks\n- Minimum order: 40 pieces per design\n- Lead time: 20 working days",
	}
	sec := func(h string, score float64) Hit {
		return Hit{Score: score, Chunk: Chunk{DocKey: DocKey{Doc: "en-trade.md"}, ID: h, Title: "Trade Accounts", Lang: "en",
			HeadingPath: []string{"Trade Accounts", h}, Text: sections[h]}}
	}
	return []Hit{sec("Who can open one", 0.05), sec("How to apply", 0.04), sec("Branded items", 0.03), sec("Savings by basket", 0)}
}

// A question naming an amount is answered by the tier row whose range
// holds it, with its headers, even when another section of the article
// names more of the question's words ("hotel", "account"); a question
// asking for a minimum or maximum number of things is answered by the
// count, not by a percentage.
func TestTierRowAndCountAcrossSections(t *testing.T) {
	for _, tc := range []struct {
		q, want, notWant string
	}{
		{"we run a hotel and will spend about 15k yuan in one basket, what % off with a trade account?", "7%", "4%"},
		{"our office plans a CNY 45,000 order, how much off do we get", "11%", "7%"},
		{"cafe owner here, roughly 5k rmb of cups, what percent saving on a trade account", "4%", "11%"},
		{"whats the minimum number of notebooks per design with our logo", "40 pieces", "%"},
	} {
		reply, _, _ := extract(trade(), tc.q, tc.q, "", Bigrams{})
		if !strings.Contains(reply, tc.want) || strings.Contains(reply, tc.notWant) {
			t.Errorf("%s:\n%s\nwant %q, not %q", tc.q, reply, tc.want, tc.notWant)
		}
	}
}

// A minimum or maximum number of things asks for a count, "% off" and
// "what percent" for an amount; every cue of a kind counts as asking
// (AsksFigure), not only its first.
func TestCountAndPercentCues(t *testing.T) {
	for _, tc := range []struct {
		q    string
		kind Kind
		asks bool
	}{
		{"whats the minimum number of mugs per design", KindCount, false},
		{"maximum quantity of samples per product line?", KindCount, false},
		{"定制杯子最少要订多少个", KindCount, true},
		{"what % off for a 20k order", KindAmount, true},
		{"what percent discount do trade accounts get", KindAmount, true},
		{"how many drops of oil go in the small diffuser", KindCount, true},
		{"how many times will the courier try", KindCount, true},
		{"is there a minimum spend for free delivery", KindAmount, false},
	} {
		if k := QuestionKind(tc.q); k != tc.kind {
			t.Errorf("%s: kind %s, want %s", tc.q, k, tc.kind)
		}
		if a := AsksFigure(tc.q); a != tc.asks {
			t.Errorf("%s: AsksFigure %v, want %v", tc.q, a, tc.asks)
		}
	}
}
