package rag

import "testing"

// What a quote leaves of a question uncovered, the lexicon bridging the
// languages: the English gift-card sentence holds 礼品卡 and 过期 (expire),
// the Chinese sentence on points neither. Written for this test.
func TestQuoteUncovered(t *testing.T) {
	lex := DefaultLexicon()
	q := "礼品卡多久会过期"
	en, _ := quoteUncovered(q, "Gift cards are valid for 3 years and expire at the end of the third year.", lex)
	zh, _ := quoteUncovered(q, "积分在获得当年及次年的12月31日到期。", lex)
	if en >= zh {
		t.Errorf("%s: uncovered by the gift-card quote %d, by the points quote %d; want fewer", q, en, zh)
	}
	q = "my potted plant died, is there a refund"
	zh, _ = quoteUncovered(q, "绿植签收后30天内枯死的，可以补发或退款。", lex)
	en, _ = quoteUncovered(q, "Repaired parts carry a 90-day warranty.", lex)
	if zh >= en {
		t.Errorf("%s: uncovered by the plant quote %d, by the repairs quote %d; want fewer", q, zh, en)
	}
}
