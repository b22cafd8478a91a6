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

// A question whose own language's article answers it is answered in that
// language, even when the other language's version of the same article
// quotes more of its words; a question only the other language's article
// answers still gets that article (hasCounterpart). Phrasings written for
// this test (mend12c).
func TestCustomerLanguageArticleFirst(t *testing.T) {
	if got := docStem("en-account-security.md", "en"); got != "account-security.md" {
		t.Errorf("docStem(en-account-security.md) = %q", got)
	}
	if got := docStem("returns_zh.md", "zh"); got != "returns.md" {
		t.Errorf("docStem(returns_zh.md) = %q", got)
	}
	if got := docStem("shipping.md", "en"); got != "" {
		t.Errorf("docStem(shipping.md) = %q, want none", got)
	}
	zh := Chunk{DocKey: DocKey{Doc: "zh-account-security.md"}, Lang: "zh"}
	en := Chunk{DocKey: DocKey{Doc: "en-account-security.md"}, Lang: "en"}
	if !hasCounterpart(en, []Hit{{Chunk: Chunk{DocKey: DocKey{Doc: "zh-faq-account-freeze"}, Lang: "zh", Question: "账号被盗了怎么冻结？", Source: "zh-faq.jsonl"}}, {Chunk: zh}}) {
		t.Error("en-account-security.md: the Chinese version among the hits not seen")
	}
	if hasCounterpart(en, []Hit{{Chunk: Chunk{DocKey: DocKey{Doc: "zh-returns.md"}, Lang: "zh"}}}) {
		t.Error("en-account-security.md paired with zh-returns.md")
	}
	faq := Chunk{DocKey: DocKey{Doc: "en-faq.jsonl"}, Lang: "en", Question: "Do I pay GST?", Source: "/kb/en-faq.jsonl"}
	if hasCounterpart(faq, []Hit{{Chunk: Chunk{DocKey: DocKey{Doc: "zh-faq.jsonl"}, Lang: "zh", Question: "怎么退货？", Source: "/kb/zh-faq.jsonl"}}}) {
		t.Error("two FAQ files' entries without ids paired")
	}
}
