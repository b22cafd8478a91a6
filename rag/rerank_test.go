package rag_test

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist/rag"
)

// TestChineseFAQEntryAboutSomethingElse asks in Chinese what an article
// answers, with words an FAQ entry about something else mentions in
// passing: the reply quotes the article, not the short FAQ answer.
func TestChineseFAQEntryAboutSomethingElse(t *testing.T) {
	s := &rag.Service{Index: &memIndex{}}
	ctx := context.Background()
	docs := []rag.Document{
		{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "zh-returns.md"}, Title: "退货与换货", Lang: "zh",
			Chunks: []rag.Chunk{{Lang: "zh", HeadingPath: []string{"退货与换货", "退货期限"},
				Text: "大部分商品支持签收后30天内无理由退货，商品需保持完好、包装齐全。\n定制商品、已拆封的食品和个人护理用品不支持无理由退货。\n退货申请在订单详情页提交，审核通过后请在7天内寄回。"}}},
		{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "zh-faq.jsonl"}, Title: "常见问题", Lang: "zh",
			Chunks: []rag.Chunk{
				{Lang: "zh", Question: "绿植是连盆一起发货的吗？", Answer: "绿植默认使用塑料育苗盆发货，标注含陶盆的才搭配陶瓷花盆，陶瓷花盆也可以单独购买。",
					Text: "绿植默认使用塑料育苗盆发货，标注含陶盆的才搭配陶瓷花盆，陶瓷花盆也可以单独购买。"},
				{Lang: "zh", Question: "可以开发票吗？", Answer: "可以，在订单详情页申请电子发票。", Text: "可以，在订单详情页申请电子发票。"},
			}},
	}
	for _, d := range docs {
		if _, err := s.Ingest(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	d, err := s.Draft(ctx, rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: "陶瓷花瓶买回来不喜欢 多少天内能退"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.Text, "30天内") || strings.Contains(d.Text, "育苗盆") {
		t.Errorf("reply quotes the FAQ entry on plant pots, not the return period:\n%s", d.Text)
	}
}
