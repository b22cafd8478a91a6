package rag_test

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist/rag"
)

// TestOwnLanguageArticleFirst: a Chinese question on one's own account
// that the Chinese article answers gets the Chinese article (the freeze
// steps or the codes section), not the English version of it quoted; a
// question only the other language's article answers still gets that
// article, saying which language it is in. Phrasings written for this
// test (mend12c), not the stories'.
func TestOwnLanguageArticleFirst(t *testing.T) {
	f := rag.Filter{TenantID: tenant, KB: "help"}
	paired := []string{"zh-account-security.md", "en-account-security.md", "zh-faq.jsonl", "en-faq.jsonl"}
	for _, tc := range []struct {
		kb      []string
		q       string
		want    []string // one of them in the reply
		notWant string
	}{
		{paired, "没人动过我手机 却弹出来一条登录验证码 号是不是被人盗了", []string{"冻结", "验证码"}, "英文帮助文章"},
		{paired, "我压根没登录 怎么收到了验证码 账号会不会被别人登了", []string{"冻结", "验证码"}, "英文帮助文章"},
		{paired, "短信里来了个登录码 不是我要的 是有人在登我账户吗", []string{"冻结", "验证码"}, "英文帮助文章"},
		{paired, "got a login code out of nowhere and i wasn't signing in, is someone in my account", []string{"freeze", "code"}, "Chinese help article"},
		// Only the other language's article answers.
		{[]string{"en-returns.md", "zh-account-security.md"}, "七天无理由退回去 寄回的快递费要我自己付吗", []string{"英文帮助文章"}, ""},
		{[]string{"en-returns.md", "zh-account-security.md"}, "不想要了退货 邮费是谁承担", []string{"英文帮助文章"}, ""},
		{[]string{"zh-shipping.md", "en-warranty.md"}, "what shipping fee do remote areas pay", []string{"Chinese help article"}, ""},
	} {
		s := demoService(t, tc.kb...)
		d, err := s.Draft(context.Background(), rag.AnswerRequest{Filter: f, Question: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		ok := false
		for _, w := range tc.want {
			ok = ok || strings.Contains(d.Text, w)
		}
		if !ok || tc.notWant != "" && strings.Contains(d.Text, tc.notWant) {
			t.Errorf("%s: reply (confidence %.2f):\n%s\nwant one of %q, not %q", tc.q, d.Confidence, d.Text, tc.want, tc.notWant)
		}
	}
}
