package rag_test

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/assistd/assist/rag"
)

func TestBigramsTerms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"退货运费", []string{"退货", "货运", "运费"}},
		{"退", []string{"退"}},
		{"Refunds for iPhone 15", []string{"refund", "iphone", "15"}},
		{"怎么申请退货？", []string{"申请", "请退", "退货"}}, // 怎么 is a question word
		{"ＡＢＣ　満９９", []string{"abc", "満", "99"}}, // NFKC: full width → ASCII
		{"customer's boxes", []string{"customer", "box"}},
		{"", nil},
		{"\xff\xfe退货", []string{"退货"}},
	}
	for _, tt := range tests {
		got := rag.Bigrams{}.Terms(tt.in)
		if len(got) == 0 && len(tt.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Terms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStem(t *testing.T) {
	for in, want := range map[string]string{"Refunds": "refund", "policies": "policy", "boxes": "box",
		"address": "address", "status": "status", "shop's": "shop", "is": "is", "vip": "vip", "包邮s": "包邮s"} {
		if got := rag.Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLang(t *testing.T) {
	for in, want := range map[string]string{"怎么退货": "zh", "How do I return it?": "en",
		"我的iPhone 15 Pro坏了": "zh", "Is 包邮 free shipping over the threshold": "mixed", "12345": ""} {
		if got := rag.Lang(in); got != want {
			t.Errorf("Lang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSentences(t *testing.T) {
	got := rag.Sentences("七天内可退货。运费由谁出？Returns take 3 days. Then refund!\nDone")
	want := []string{"七天内可退货。", "运费由谁出？", "Returns take 3 days.", "Then refund!", "Done"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Sentences = %q, want %q", got, want)
	}
}

func TestTrim(t *testing.T) {
	text := "我们支持多种支付方式。退货须在签收后七天内申请。质量问题的退货运费由卖家承担。会员可以积分。"
	got := rag.Trim(text, "退货运费谁承担", rag.Bigrams{}, 2)
	if got != "退货须在签收后七天内申请。质量问题的退货运费由卖家承担。" {
		t.Fatalf("Trim = %q", got)
	}
	if short := rag.Trim("一句话。", "x", rag.Bigrams{}, 2); short != "一句话。" {
		t.Fatalf("short text changed: %q", short)
	}
}

func TestHashEmbedder(t *testing.T) {
	e := rag.HashEmbedder{Dims: 64}
	vs, err := e.Embed(context.Background(), []string{"退货运费", "退货运费", "membership points", ""})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 4 || len(vs[0]) != 64 || e.Dim() != 64 {
		t.Fatalf("shape %d×%d", len(vs), len(vs[0]))
	}
	dot := func(a, b []float32) float64 {
		var s float64
		for i := range a {
			s += float64(a[i] * b[i])
		}
		return s
	}
	if d := dot(vs[0], vs[1]); math.Abs(d-1) > 1e-5 {
		t.Errorf("same text cosine %v, want 1", d)
	}
	if d := dot(vs[0], vs[2]); d > 0.5 {
		t.Errorf("unrelated texts cosine %v", d)
	}
	for _, x := range vs[3] {
		if x != 0 {
			t.Fatal("empty text has a non-zero vector")
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Embed(ctx, []string{"x"}); err == nil {
		t.Error("cancelled context: no error")
	}
}
