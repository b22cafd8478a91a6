package rag_test

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist/rag"
)

// TestLeadInBringsItsList asks questions whose words are those of a
// sentence announcing a list ("Gift cards cannot be used for:"): the
// answer is that sentence with the whole list after it, never the
// announcement alone or the list cut short.
func TestLeadInBringsItsList(t *testing.T) {
	s := articlesService(t, "leadin")
	ctx := context.Background()
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"what can't gift cards be used for", []string{"buying other gift cards", "shipping fees on orders under CNY 50", "launch day", "instalment plan"}},
		{"开专票需要提交什么信息", []string{"公司全称", "统一社会信用代码", "注册地址和电话", "开户行及账号"}},
	} {
		d, err := s.Draft(ctx, rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(d.Text, w) {
				t.Errorf("%s: answer lacks %q:\n%s", tc.q, w, d.Text)
			}
		}
	}
}
