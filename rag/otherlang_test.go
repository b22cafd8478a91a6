package rag_test

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist/rag"
)

// TestFigureFromTheOtherLanguage asks how long, in Chinese, what only the
// English article answers with a figure: the reply quotes the English
// figure (saying the source is in English) rather than the Chinese
// section that names the thing without it.
func TestFigureFromTheOtherLanguage(t *testing.T) {
	s := &rag.Service{Index: &memIndex{}}
	ctx := context.Background()
	for _, d := range []rag.Document{
		{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "zh-lamps.md"}, Title: "台灯选购", Lang: "zh",
			Chunks: []rag.Chunk{{Text: "台灯有护眼款和装饰款两种，保修服务由品牌方和本店共同提供，购买时请保留订单。", Lang: "zh"}}},
		{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "en-warranty.md"}, Title: "Warranty", Lang: "en",
			Chunks: []rag.Chunk{{Text: "Lamps are under warranty for 2 years from delivery. Bulbs are under warranty for 6 months.", Lang: "en"}}},
	} {
		if _, err := s.Ingest(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	d, err := s.Draft(ctx, rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: "台灯保修多久"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.Text, "2 years") {
		t.Errorf("台灯保修多久: the reply lacks the English article's figure:\n%s", d.Text)
	}
}
