package pii_test

import (
	"strings"
	"testing"

	"github.com/assistd/assist/nlu/pii"
)

// The shop's own contact data, written in its articles, is not personal:
// an agent's reply giving it keeps it, a customer's address is masked.
func TestPublicKeepsTheShopsAddresses(t *testing.T) {
	pub := pii.NewPublic("Write to help@shop.example or call 021-6234 5678, 9:00 to 18:00.")
	for _, tc := range []struct {
		text       string
		keep, gone []string
	}{
		{"Write to Help@Shop.example and we reply in a day.", []string{"Help@Shop.example"}, nil},
		{"Send your CV to jobs@shop.example and we reply in a week.", nil, []string{"jobs@shop.example"}},
		{"Mail help@shop.example; I also wrote to ann@example.com.", []string{"help@shop.example"}, []string{"ann@example.com"}},
		{"请拨打 021 6234 5678，或者打我手机 13800138000", []string{"021 6234 5678"}, []string{"13800138000"}},
		{"help@shop.example.evil.com asked for it", nil, []string{"help@shop.example.evil.com"}},
		{"a literal [EMAIL_1] and help@shop.example", []string{"[EMAIL_1]", "help@shop.example"}, nil},
	} {
		got := pub.Mask(tc.text)
		for _, k := range tc.keep {
			if !strings.Contains(got, k) {
				t.Errorf("Mask(%q) = %q, want %q kept", tc.text, got, k)
			}
		}
		for _, g := range tc.gone {
			if strings.Contains(got, g) {
				t.Errorf("Mask(%q) = %q, want %q masked", tc.text, got, g)
			}
		}
		if n := len(pub.Find(got)); n != 0 {
			t.Errorf("Find(Mask(%q)) = %d personal values, want 0", tc.text, n)
		}
	}
	// A shop publishing an address at a mail provider keeps only that
	// address: its customers' addresses there stay personal.
	qq := pii.NewPublic("客服邮箱 shop@qq.com")
	if got := qq.Mask("已发到 ann@qq.com，抄送 shop@qq.com"); strings.Contains(got, "ann@qq.com") || !strings.Contains(got, "shop@qq.com") {
		t.Errorf("Mask with a provider's address published = %q, want ann@qq.com masked and shop@qq.com kept", got)
	}
	var none *pii.Public
	if got := none.Mask("jobs@shop.example"); got != "[EMAIL_1]" {
		t.Errorf("nil Public masked %q, want everything masked", got)
	}
	if n := len(none.Find("jobs@shop.example")); n != 1 {
		t.Errorf("nil Public found %d, want 1", n)
	}
}
