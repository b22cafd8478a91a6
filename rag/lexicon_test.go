package rag_test

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist/rag"
)

func TestLexiconSayings(t *testing.T) {
	l, err := rag.ParseLexicon(strings.NewReader("退款\trefund\n"))
	if err != nil {
		t.Fatal(err)
	}
	err = l.ParseSayings(strings.NewReader("# comment\nstopped working; won't turn on\tfaulty broken\npwd\tpassword\nhb\t花呗\n坏了; 没反应\t故障\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ q, lang, want string }{
		{"My kettle STOPPED working yesterday", "en", "faulty broken"},
		{"the lamp won't turn on and i forgot my pwd", "en", "faulty broken password"},
		{"is it working now", "en", ""}, // a form matches as a whole run of words
		{"hb分期有手续费吗", "zh", "花呗"},
		{"hb instalments", "en", ""}, // Chinese words only for a Chinese question
		{"耳机按了没反应", "zh", "故障"},
		{"耳机按了没反应", "en", ""},
	} {
		if got := l.Expand(tc.q, tc.lang); got != tc.want {
			t.Errorf("Expand(%q, %s) = %q, want %q", tc.q, tc.lang, got, tc.want)
		}
	}
	for _, bad := range []string{"pwd password\n", "pwd\t\n", " ; \tpassword\n"} {
		if err := l.ParseSayings(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseSayings(%q): no error", bad)
		}
	}
	if rag.DefaultLexicon().Expand("my blender died", "en") == "" {
		t.Error("the shipped sayings do not know that a blender that died is faulty")
	}
	// Follow-ups say what happened in their own words (follow11.yaml).
	for _, tc := range []struct{ q, lang, want string }{
		{"what if my kid spilled juice on them", "en", "water damage"},
		{"不小心掉水里了 还管吗", "zh", "进水"},
		{"btw another site has it for 550", "en", "other websites other shops"},
		{"可是别家卖得更便宜", "zh", "其他网站 其他店铺"},
		{"what if theres a hole in them", "en", "quality problems defective"},
		{"the other one is fine", "en", ""},
	} {
		if got := rag.DefaultLexicon().Expand(tc.q, tc.lang); !strings.Contains(got, tc.want) || tc.want == "" && got != "" {
			t.Errorf("shipped sayings: Expand(%q, %s) = %q, want %q", tc.q, tc.lang, got, tc.want)
		}
	}
}

func TestLexiconMixed(t *testing.T) {
	l, err := rag.ParseLexicon(strings.NewReader("退货、退回\treturn; send back\n运费\tshipping fee; postage\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ q, lang, want string }{
		// Chinese with an English shop word: its Chinese forms.
		{"你好 想问下 return 要几天", "zh", "退货"},
		// English with a Chinese one: its English forms.
		{"how much is 运费 for a sofa", "en", "shipping fee"},
		// One language only: nothing to add (Translate searches the
		// other language's articles).
		{"退货要几天", "zh", ""},
		{"how long do returns take", "en", ""},
		// Mostly English, answered in Chinese (a Chinese follow-up
		// joined to an English question): searched in its own words.
		{"how long does a return take and who pays 运费", "zh", ""},
	} {
		if got := l.Mixed(tc.q, tc.lang); got != tc.want {
			t.Errorf("Mixed(%q, %s) = %q, want %q", tc.q, tc.lang, got, tc.want)
		}
	}
}

// TestMixedLanguageQuestion: a customer writing Chinese with the shop
// word in English gets the Chinese article's answer; one writing English
// with the Chinese word gets the English article's.
func TestMixedLanguageQuestion(t *testing.T) {
	s := demoService(t, "zh-returns.md", "en-returns.md", "zh-account-security.md", "en-account-security.md")
	f := rag.Filter{TenantID: tenant, KB: "help"}
	for _, tc := range []struct{ q, lang, doc string }{
		{"请问 refund 要等几天", "zh", "zh-returns.md"},
		{"who pays the 运费 when I send something back", "en", "en-returns.md"},
	} {
		d, err := s.Draft(context.Background(), rag.AnswerRequest{Filter: f, Question: tc.q, Lang: tc.lang})
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Hits) == 0 || d.Hits[0].Chunk.Doc != tc.doc {
			t.Errorf("%s: first hit %v, want %s", tc.q, docsOf(d.Hits), tc.doc)
		}
	}
}

// TestColloquialQuestion: a customer saying what happened in everyday
// words ("stopped working", "forgot my password") is answered from the
// article or FAQ entry that uses the help center's words for it.
func TestColloquialQuestion(t *testing.T) {
	s := demoService(t, "en-warranty.md", "en-account-security.md", "en-returns.md", "en-faq.jsonl")
	f := rag.Filter{TenantID: tenant, KB: "help"}
	for _, tc := range []struct{ q, doc string }{
		{"my speaker just died after two months, what now", "warranty"},
		{"i forgot my password and can't get in", "account"},
	} {
		d, err := s.Draft(context.Background(), rag.AnswerRequest{Filter: f, Question: tc.q, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Hits) == 0 || !strings.Contains(d.Hits[0].Chunk.Doc, tc.doc) {
			t.Errorf("%s: first hit %v, want a %s document", tc.q, docsOf(d.Hits), tc.doc)
		}
	}
}

func docsOf(hits []rag.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Chunk.Doc)
	}
	return out
}

// TestShippedSayingsNameWhatArticlesCallIt checks that the shipped
// sayings give the help center's words for everyday names of holidays,
// cards, plugs and places ("lunar new year" is the Spring Festival).
func TestShippedSayingsNameWhatArticlesCallIt(t *testing.T) {
	l := rag.DefaultLexicon()
	for _, tc := range []struct{ q, lang, want string }{
		{"is the warehouse open over lunar new year", "en", "spring festival"},
		{"last order date before chinese new year?", "en", "spring festival"},
		{"还在过年 能发货吗", "zh", "春节"},
		{"do you answer chats during golden week", "en", "national day"},
		{"黄金周客服上班吗", "zh", "国庆"},
		{"can i pay with amex in singapore", "en", "american express"},
		{"does the lamp come with a plug adaptor", "en", "adapter"},
		{"SG customer here, how much is delivery", "en", "singapore"},
	} {
		if got := l.Expand(tc.q, tc.lang); !strings.Contains(got, tc.want) {
			t.Errorf("Expand(%q, %s) = %q, want %q in it", tc.q, tc.lang, got, tc.want)
		}
	}
}
