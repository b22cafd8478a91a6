package rag_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/assistd/assist/ingest"
	"github.com/assistd/assist/rag"
)

// articlesService is a Service over the small hand-written articles of
// testdata/DIR, keyword leg only.
func articlesService(t *testing.T, dir string) *rag.Service {
	t.Helper()
	return articlesOn(t, &memIndex{}, dir)
}

// articlesOn is articlesService over the index ix.
func articlesOn(t *testing.T, ix rag.Index, dir string) *rag.Service {
	t.Helper()
	s := &rag.Service{Index: ix}
	ctx := context.Background()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no articles: %v", err)
	}
	for _, f := range files {
		docs, err := ingest.LoadFile(ctx, f, ingest.Options{TenantID: tenant, KB: "help"})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			if _, err := s.Ingest(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
	}
	return s
}

// TestAnswerFromTheRightSection asks what customers ask where the words
// of the question are spread over several sections of one article: the
// answer quotes the section that holds what was asked (the one whose
// heading names it, the one with the figure in the unit asked for, the
// sentence that says whether), not the section the search ranked first.
func TestAnswerFromTheRightSection(t *testing.T) {
	s := articlesService(t, "sections")
	for _, tc := range []struct {
		q       string
		want    []string
		notWant []string
	}{
		// The heading "Christmas and New Year" names the day asked about.
		{"do couriers deliver on new years day", []string{"1 January"}, []string{"one business day later"}},
		// "defective" is answered by "not considered a defect".
		{"tiny hairline cracks in the glaze of my mug, is it defective", []string{"not considered a defect"}, nil},
		// 几位 asks for a number of 位: the rule with "8-20位", not the
		// sentences about passwords with other figures.
		{"密码设置要几位", []string{"8-20位"}, []string{"5分钟", "30分钟"}},
	} {
		d, err := s.Draft(context.Background(), rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		rag.CheckAnswer(t, tc.q, d.Text, tc.want, tc.notWant)
	}
}
