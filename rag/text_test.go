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
		{"退货运费", []string{"退货", "货运", "运费", "退", "货", "运", "费"}},
		{"退", []string{"退"}},
		{"Refunds for iPhone 15", []string{"refund", "iphone", "15"}},
		{"怎么申请退货？", []string{"申请", "请退", "退货", "申", "请", "退", "货"}}, // 怎么 is a question word
		{"ＡＢＣ　満９９", []string{"abc", "満", "99"}},                     // NFKC: full width → ASCII
		{"customer's boxes", []string{"customer", "box"}},
		{"", nil},
		{"\xff\xfe退货", []string{"退货", "退", "货"}},
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

func TestSentences(t *testing.T) {
	got := rag.Sentences("七天内可退货。运费由谁出？Returns take 3 days. Then refund!\nDone")
	want := []string{"七天内可退货。", "运费由谁出？", "Returns take 3 days.", "Then refund!", "Done"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Sentences = %q, want %q", got, want)
	}
}

func TestBigramsQueryTerms(t *testing.T) {
	tests := []struct {
		a    rag.Bigrams
		in   string
		want []string
	}{
		// Short: bigrams first, then the characters.
		{rag.Bigrams{}, "发票怎么开", []string{"发票", "开", "发", "票"}},
		{rag.Bigrams{}, "积分怎么用？", []string{"积分", "用", "积", "分"}},
		// Longer than ShortQuestion: bigrams only (a lone character between
		// question words stays).
		{rag.Bigrams{ShortQuestion: 4}, "怎么申请退货呢", []string{"申请", "请退", "退货"}},
		{rag.Bigrams{ShortQuestion: -1}, "发票怎么开", []string{"发票", "开"}},
		// English is not affected.
		{rag.Bigrams{}, "How do I use my points?", []string{"use", "point"}},
		{rag.Bigrams{}, "", nil},
	}
	for _, tt := range tests {
		got := tt.a.QueryTerms(tt.in)
		if len(got) == 0 && len(tt.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%+v.QueryTerms(%q) = %q, want %q", tt.a, tt.in, got, tt.want)
		}
	}
}

func TestTrim(t *testing.T) {
	zhInvoice := "电子普通发票在订单签收后 24 小时内开具，发送至下单时填写的邮箱。" +
		"下单时在结算页「发票」一栏选择发票类型并填写抬头。" +
		"发票抬头填错时，在订单详情中点击「换开发票」。" +
		"每个订单可以换开发票 1 次。"
	enRefund := "Refunds go back to the account you paid with. " +
		"Alipay and WeChat Pay refunds arrive in 1-3 business days. " +
		"Bank card refunds take 3-7 business days. " +
		"You can check the refund status in My orders."
	tests := []struct {
		name, text, q string
		n             int
		want          string
	}{
		{"zh overlap", "我们支持多种支付方式。退货须在签收后七天内申请。质量问题的退货运费由卖家承担。会员可以积分。",
			"退货运费谁承担", 2, "退货须在签收后七天内申请。质量问题的退货运费由卖家承担。"},
		// 发票 is in every sentence: the rarer 结算/填写/选择 words pick them.
		{"zh passage-wide word", zhInvoice, "下单时怎么选发票类型", 1, "下单时在结算页「发票」一栏选择发票类型并填写抬头。"},
		{"zh change title", zhInvoice, "发票抬头填错了怎么办", 1, "发票抬头填错时，在订单详情中点击「换开发票」。"},
		{"en bank card", enRefund, "how long does a refund to my bank card take", 1, "Bank card refunds take 3-7 business days."},
		{"en status", enRefund, "where can i check my refund status", 1, "You can check the refund status in My orders."},
		{"en two", enRefund, "wechat pay refund or bank card refund, how many days", 2,
			"Alipay and WeChat Pay refunds arrive in 1-3 business days. Bank card refunds take 3-7 business days."},
		{"short text kept", "一句话。", "x", 2, "一句话。"},
	}
	for _, tt := range tests {
		if got := rag.Trim(tt.text, tt.q, rag.Bigrams{}, tt.n); got != tt.want {
			t.Errorf("%s: Trim = %q, want %q", tt.name, got, tt.want)
		}
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
