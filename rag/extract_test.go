package rag_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assistd/assist/ingest"
	"github.com/assistd/assist/models"
	"github.com/assistd/assist/rag"
)

// demoService is a Service over articles of the demo shop's help center
// (data/kb/demo), loaded the way `assist ingest` loads them, keyword leg
// only.
func demoService(t *testing.T, names ...string) *rag.Service {
	t.Helper()
	return demoOn(t, &memIndex{}, names...)
}

// demoOn is demoService on the index ix.
func demoOn(t testing.TB, ix rag.Index, names ...string) *rag.Service {
	t.Helper()
	s := &rag.Service{Index: ix}
	ctx := context.Background()
	for _, name := range names {
		f := filepath.Join("..", "data", "kb", "demo", name)
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

// TestExtractedAnswers asks the demo help center what customers ask and
// checks that the answer, without an LLM, carries what was asked: the
// figure, the table row with its column headers, the list item; and not
// the rest of the section.
func TestExtractedAnswers(t *testing.T) {
	s := demoService(t, "zh-shipping.md", "en-membership.md", "zh-returns.md", "en-faq.jsonl")
	for _, tc := range []struct {
		q       string
		want    []string // all in the answer
		notWant []string // none in the answer
	}{
		// A table row, with its column headers, not the other rows.
		{"寄到新疆要几天", []string{"地区：偏远地区", "时效（发货后）：5–7 天"}, []string{"2–4 天", "DHL"}},
		{"points needed for the gold level?", []string{"Level: Gold; Points needed: 2,000 points"}, []string{"10,000"}},
		// A duration from a numbered list, not the whole list.
		{"退货申请通过了 我自己寄回 单号要几天内填", []string{"3 天内"}, []string{"48 小时"}},
		// A list item that answers a yes/no question, with its condition.
		{"退货的时候赠品要不要一起寄回去", []string{"赠品须一并寄回", "从退款中扣除"}, []string{"申请被驳回"}},
		// An FAQ entry answers with its answer.
		{"who pays for return postage when i send something back", []string{"¥12", "$6"}, nil},
	} {
		ans, err := s.Draft(context.Background(), rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(ans.Text, "[1]") {
			t.Errorf("%s: no reply with a citation: %+v", tc.q, ans)
			continue
		}
		rag.CheckAnswer(t, tc.q, ans.Text, tc.want, tc.notWant)
	}
}

// TestListAndOverviewAnswers asks for a list ("which … do you take") and
// for an article in short: the reply is the whole table with its headers,
// or what the article says first, never the sentence saying what the
// article covers.
func TestListAndOverviewAnswers(t *testing.T) {
	s := demoService(t, "en-payment.md", "en-returns.md", "en-exchanges.md", "zh-invoices.md", "zh-faq.jsonl")
	for _, tc := range []struct {
		q       string
		want    []string
		notWant []string
	}{
		{"what payment methods do you take", []string{"Method: Alipay", "Method: PayPal; For: International orders", "Method: Store credit and gift cards"}, []string{"This article"}},
		{"your return policy in short please", []string{"7-day no-reason returns"}, []string{"This article", "photos"}},
		// A how-to question: the section saying how, not a neighbouring FAQ entry.
		{"发票怎么开？", []string{"申请开票"}, []string{"换开"}},
	} {
		d, err := s.Draft(context.Background(), rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		rag.CheckAnswer(t, tc.q, d.Text, tc.want, tc.notWant)
	}
}

// TestAnswerHoldsAskedFigure asks when, how many and how long: the reply
// quotes the date, time or number asked for, not a sentence beside it.
func TestAnswerHoldsAskedFigure(t *testing.T) {
	s := demoService(t, "en-contact.md", "zh-account-security.md", "en-payment.md", "en-returns.md", "en-exchanges.md", "en-refunds.md", "zh-promotions.md")
	for _, tc := range []struct{ q, want string }{
		{"密码要设置几位", "8"},
		{"when does the phone line open", "9:00"},
		{"after my return is approved and I post it myself, how long do I have to enter the tracking number", "3 days"},
		{"how many photos can I upload for a quality problem", "1 to 5 photos"},
		{"预售尾款几号开始付", "11 月"},
	} {
		d, err := s.Draft(context.Background(), rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(d.Text, tc.want) {
			t.Errorf("%s: reply lacks %q:\n%s", tc.q, tc.want, d.Text)
		}
	}
}

func TestQuestionKind(t *testing.T) {
	for q, want := range map[string]rag.Kind{
		"退款多久到账":                                           rag.KindDuration,
		"单号要几天内填":                                          rag.KindDuration,
		"how long does a refund take?":                     rag.KindDuration,
		"when will my parcel arrive":                       rag.KindDuration,
		"退货运费多少钱":                                          rag.KindAmount,
		"how much is express shipping?":                    rag.KindAmount,
		"is there a fee for gift wrap":                     rag.KindAmount,
		"赠品要不要寄回":                                          rag.KindYesNo,
		"can I return underwear?":                          rag.KindYesNo,
		"发票可以改抬头吗":                                         rag.KindYesNo,
		"这款耳机有现货吗":                                         rag.KindYesNo,
		"ordered the wrong colour, can I still change it?": rag.KindYesNo,
		"how many alerts can I set":                        rag.KindCount,
		"密码要设置几位":                                          rag.KindCount,
		"春节几号开始放假":                                         rag.KindDuration,
		"where do I enter a coupon code":                   rag.KindOther,
		"怎么修改收货地址":                                         rag.KindHowTo,
		"付款要在几分钟内完成":                                       rag.KindDuration,
		"改签第二次还收钱吗":                                        rag.KindAmount,
		"分期的利息怎么算":                                         rag.KindAmount,
		"保价费多少":                                            rag.KindAmount,
	} {
		if got := rag.QuestionKind(q); got != want {
			t.Errorf("QuestionKind(%q) = %s, want %s", q, got, want)
		}
	}
}

// TestFollowUpWithTopic asks an elliptic follow-up: alone it is about
// something else; with the question it continues, it is answered from the
// article that question was about. A question with words of its own is
// answered on its own, whatever was asked before (no answer lagging one
// question behind).
func TestFollowUpWithTopic(t *testing.T) {
	s := demoService(t, "zh-returns.md", "zh-membership.md", "zh-shipping.md", "zh-invoices.md", "en-returns.md", "en-membership.md", "en-shipping.md", "en-invoices.md")
	f := rag.Filter{TenantID: tenant, KB: "help"}
	for _, tc := range []struct {
		q, topic, doc, want string
	}{
		{"那金卡会员呢", "无理由退货的运费谁出", "zh-returns.md", "免收退货运费"},
		{"那金卡会员呢", "", "zh-membership.md", ""},
		{"and for gold members?", "who pays the postage for a no-reason return", "en-returns.md", "Free"},
		{"金卡会员需要多少积分", "无理由退货的运费谁出", "zh-membership.md", ""},
		{"会员有哪些等级？", "可以开发票吗？", "zh-membership.md", ""},
		{"多少天内可以退货？", "会员有哪些等级？", "zh-returns.md", "7 天"},
		{"Can I get an invoice?", "How much is shipping?", "en-invoices.md", ""},
	} {
		d, err := s.Draft(context.Background(), rag.AnswerRequest{Filter: f, Question: tc.q, Topic: tc.topic})
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Hits) == 0 || d.Hits[0].Chunk.Doc != tc.doc || !strings.Contains(d.Text, tc.want) {
			doc := ""
			if len(d.Hits) > 0 {
				doc = d.Hits[0].Chunk.Doc
			}
			t.Errorf("%q after %q: answered from %s: %s; want %s with %q", tc.q, tc.topic, doc, d.Text, tc.doc, tc.want)
		}
	}
}

// TestFollowUpContinues asks a follow-up pointing back ("do they expire?"
// after what points are for) that the caller marked as continuing its
// topic: its own words pick the passage, from the topic's article, rather
// than the topic's words picking the passage the topic's answer quoted.
func TestFollowUpContinues(t *testing.T) {
	s := demoService(t, "zh-membership.md", "zh-coupons.md", "en-membership.md", "en-coupons.md")
	f := rag.Filter{TenantID: tenant, KB: "help"}
	for _, tc := range []struct {
		q, topic, doc, want string
	}{
		{"它会过期吗", "积分能干嘛用", "zh-membership.md", "12 月 31 日"},
		{"do they expire at some point?", "what can i use my points for", "en-membership.md", "31 December"},
	} {
		d, err := s.Draft(context.Background(), rag.AnswerRequest{Filter: f, Question: tc.q, Topic: tc.topic, Continues: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Hits) == 0 || d.Hits[0].Chunk.Doc != tc.doc || !strings.Contains(d.Text, tc.want) {
			doc := ""
			if len(d.Hits) > 0 {
				doc = d.Hits[0].Chunk.Doc
			}
			t.Errorf("%q continuing %q: answered from %s: %s; want %s with %q", tc.q, tc.topic, doc, d.Text, tc.doc, tc.want)
		}
	}
}

// TestCrossLingual asks in Chinese what only an English article answers
// (and the other way round): the shop lexicon finds the words in the
// other language, and the reply quotes the article, saying which language
// it is in.
func TestCrossLingual(t *testing.T) {
	f := rag.Filter{TenantID: tenant, KB: "help"}
	for _, tc := range []struct {
		kb     []string
		q, doc string
		want   []string
	}{
		{[]string{"en-returns.md", "zh-account-security.md"}, "无理由退货的运费谁出", "en-returns.md", []string{"英文帮助文章", "$6"}},
		{[]string{"zh-shipping.md", "en-warranty.md"}, "how much is the shipping fee to remote areas", "zh-shipping.md", []string{"Chinese help article", "¥15"}},
	} {
		s := demoService(t, tc.kb...)
		d, err := s.Draft(context.Background(), rag.AnswerRequest{Filter: f, Question: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Hits) == 0 || d.Hits[0].Chunk.Doc != tc.doc {
			t.Errorf("%s: hits %+v, want %s first", tc.q, d.Hits, tc.doc)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(d.Text, w) {
				t.Errorf("%s: reply lacks %q:\n%s", tc.q, w, d.Text)
			}
		}
	}
}

func TestLexiconTranslate(t *testing.T) {
	l, err := rag.ParseLexicon(strings.NewReader("# comment\n退货、退回\treturn; send back\n运费\tshipping fee\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ q, lang, want string }{
		{"退货运费谁出", "zh", "return send back shipping fee"},
		{"Who pays the shipping fee for a return?", "en", "退货 退回 运费"},
		{"is shipping free", "en", ""}, // "shipping" alone is not "shipping fee"
		{"我要退款", "zh", ""},
	} {
		if got := l.Translate(tc.q, tc.lang); got != tc.want {
			t.Errorf("Translate(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
	if _, err := rag.ParseLexicon(strings.NewReader("退货 return\n")); err == nil {
		t.Error("a line without a tab: no error")
	}
	if rag.DefaultLexicon().Translate("保修几年", "zh") == "" {
		t.Error("the shop lexicon does not know 保修")
	}
}

// translator is a fake model: asked to translate, it looks the question
// up; asked to answer, it cites source [1].
type translator struct {
	asked []string
	to    map[string]string
}

func (tr *translator) ChatStream(_ context.Context, req models.ChatRequest, onDelta func(string) error) error {
	if strings.HasPrefix(req.Messages[0].Content, "Translate") {
		var q string
		if err := json.Unmarshal([]byte(req.Messages[1].Content), &q); err != nil {
			return err
		}
		tr.asked = append(tr.asked, q)
		return onDelta(tr.to[q])
	}
	return onDelta("您需要支付退货运费 [1]。")
}

// TestCrossLingualWithModel: with a model configured and a lexicon that
// knows none of the question's shop words (only 谁, "who"), a question its
// own words cannot answer is translated by the model, and the model answers
// it, in the customer's language, from the other language's article.
func TestCrossLingualWithModel(t *testing.T) {
	s := demoService(t, "en-returns.md", "en-payment.md", "en-invoices.md", "en-membership.md", "zh-account-security.md")
	gen := &translator{to: map[string]string{"无理由退货的运费谁出": "who pays the postage for a no-reason return"}}
	lex, err := rag.ParseLexicon(strings.NewReader("谁\twho\n"))
	if err != nil {
		t.Fatal(err)
	}
	s.Generator, s.Lexicon = gen, lex
	ans, err := s.Answer(context.Background(), rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: "无理由退货的运费谁出"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(gen.asked) != 1 || !ans.Known || !ans.Generated || ans.Lang != "zh" || len(ans.Sources) == 0 || ans.Sources[0].Doc != "en-returns.md" {
		t.Errorf("asked to translate %q; answer %+v", gen.asked, ans)
	}
}

// TestFollowUpNamingAbsentThing asks, after a question the help center
// answered, a follow-up naming a specific thing (a city, a walk-in store, a
// student discount) that no article names: searched with the topic's
// words it finds the topic's article again, but the reply would answer the
// topic, not the question, so it declines. A follow-up naming what the
// article speaks of (platinum members) is still answered from it.
func TestFollowUpNamingAbsentThing(t *testing.T) {
	s := demoService(t, "zh-membership.md", "zh-contact.md", "en-membership.md", "en-contact.md")
	f := rag.Filter{TenantID: tenant, KB: "help"}
	for _, tc := range []struct {
		q, topic string
		decline  bool
	}{
		{"学生折扣也有吗", "会员日金卡打几折", true},
		{"any discount for students too?", "what do gold members get on member day", true},
		{"那在杭州有实体店吗", "客服电话是多少", true},
		{"那铂金呢", "会员日金卡打几折", false},
		{"and for platinum?", "what do gold members get on member day", false},
	} {
		d, err := s.Draft(context.Background(), rag.AnswerRequest{Filter: f, Question: tc.q, Topic: tc.topic, Continues: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Declines(d); got != tc.decline {
			t.Errorf("%q after %q: declines %v (confidence %.2f: %s), want %v", tc.q, tc.topic, got, d.Confidence, d.Text, tc.decline)
		}
	}
}

// TestDoesIsNotAWord asks "how long does X take" where an FAQ entry asks
// "How long does a refund … take?": "does" is a stop word as its stem
// "doe" too, so the entry does not outrank X's own passage by the words
// that only ask.
func TestDoesIsNotAWord(t *testing.T) {
	s := demoOn(t, &listingIndex{}, "en-warranty.md", "en-account-security.md", "en-refunds.md", "en-faq.jsonl")
	for _, tc := range []struct{ q, want string }{
		{"how long does a bank card refund take", "3–7 business days"},
		{"how long does it take to unfreeze my account", "1 business day"},
		{"how long does unfreezing an account take", "1 business day"},
	} {
		d, err := s.Draft(context.Background(), rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		rag.CheckAnswer(t, tc.q, d.Text, []string{tc.want}, nil)
	}
	for _, term := range rag.QuestionTerms(rag.Bigrams{}, "how long does the repair take") {
		if term == "doe" {
			t.Errorf("\"does\" is searched as %q", term)
		}
	}
}
