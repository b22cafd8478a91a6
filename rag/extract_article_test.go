package rag

import (
	"context"
	"strings"
	"testing"
)

// articleIndex is an Index holding one article's sections, which it lists
// (ChunkLister) but never finds by search.
type articleIndex struct{ sections []Chunk }

func (ix articleIndex) Replace(context.Context, DocKey, []Chunk) error       { return nil }
func (ix articleIndex) Search(context.Context, Query) ([]Hit, error)         { return nil, nil }
func (ix articleIndex) Documents(context.Context, Filter) ([]DocInfo, error) { return nil, nil }
func (ix articleIndex) Chunks(context.Context, DocKey) ([]Chunk, error)      { return ix.sections, nil }

// The section that answers is quoted even when the search did not return
// it: a customer asking how long a password must be gets the rule with
// "8-20位", although the search found the sections on resetting and on
// locking the account; it leads the hits, and the last hit makes room.
func TestQuoteASectionTheSearchMissed(t *testing.T) {
	key := DocKey{TenantID: "t", KB: "kb", Doc: "zh-account.md"}
	sec := func(id, heading, text string) Chunk {
		return Chunk{DocKey: key, ID: id, Title: "账户与安全", Lang: "zh", HeadingPath: []string{"账户与安全", heading}, Text: text}
	}
	reset := sec("1", "找回密码", "在登录页点击「忘记密码」，通过绑定的手机号接收验证码后重置密码。验证码有效期为5分钟。")
	rules := sec("2", "注册与登录", "- 可以用手机号或邮箱注册。\n- 密码要求8-20位，须同时包含字母和数字。")
	lock := sec("3", "登录保护", "连续输错密码5次，账户锁定30分钟。")
	other := Chunk{DocKey: DocKey{TenantID: "t", KB: "kb", Doc: "zh-payment.md"}, ID: "4", Title: "支付", Lang: "zh", Text: "支付密码可以在设置中修改。"}
	s := &Service{Index: articleIndex{sections: []Chunk{reset, rules, lock}}}
	hits := []Hit{{Chunk: lock, Score: 0.03, KeywordScore: 9}, {Chunk: reset, Score: 0.02, KeywordScore: 8}, {Chunk: other, Score: 0.01, KeywordScore: 3}}
	q := "密码设置要几位"
	d, err := s.draft(context.Background(), q, q, "", "zh", Query{Filter: Filter{TenantID: "t", KB: "kb"}, Terms: QuestionTerms(s.analyzer(), q)}, hits)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.Text, "8-20位") || strings.Contains(d.Text, "30分钟") {
		t.Errorf("reply %q, want the rule with 8-20位", d.Text)
	}
	if len(d.Hits) != 3 || d.Hits[0].Chunk.ID != "2" || d.Hits[1].Chunk.ID != "3" || d.Hits[2].Chunk.ID != "1" {
		var ids []string
		for _, h := range d.Hits {
			ids = append(ids, h.Chunk.ID)
		}
		t.Errorf("hits %v, want the quoted section first, then the search's hits without the last", ids)
	}
}
