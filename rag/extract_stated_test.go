package rag_test

import (
	"context"
	"testing"

	"github.com/assistd/assist/rag"
)

// TestStatedCaseAnswers asks yes-or-no questions in which the customer
// states their case in figures: amounts they pay are answered with the
// rule and the figure it compares them with (the threshold row), and the
// figures of their coupon do not pick the article's example that happens
// to hold them over the rule asked about.
func TestStatedCaseAnswers(t *testing.T) {
	s := demoService(t, "en-shipping.md", "zh-shipping.md", "en-coupons.md", "zh-coupons.md")
	for _, tc := range []struct {
		q       string
		want    []string
		notWant []string
	}{
		{"if my basket is 105 and i use a 10 yuan coupon is delivery still free", []string{"¥99", "¥8"}, nil},
		{"购物车108元 用了15元的券 运费还免吗", []string{"¥99", "¥8"}, nil},
		{"can i stack my 20 off 199 coupon with a full reduction", []string{"can be combined with a full-reduction"}, []string{"for example \"¥20 off ¥199\""}},
		{"满299减30的优惠券能和满减一起用吗", []string{"优惠券可以与满减活动"}, nil},
	} {
		d, err := s.Draft(context.Background(), rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		rag.CheckAnswer(t, tc.q, d.Text, tc.want, tc.notWant)
	}
}

// TestRateAnswersStatedAmount asks how much comes off a stated amount:
// the rate it reaches ("¥50 off every ¥300") answers, as a tier row whose
// range holds the amount does, over another section of the article.
func TestRateAnswersStatedAmount(t *testing.T) {
	s := demoService(t, "en-promotions.md", "zh-promotions.md")
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"spent ¥650 on double 11 stuff, how much do i get off", []string{"¥50 off every ¥300"}},
		{"double 11 order of ¥1,000, how much will be knocked off", []string{"¥50 off every ¥300"}},
		{"双十一凑了¥900 能优惠多少钱", []string{"减 ¥50"}},
	} {
		d, err := s.Draft(context.Background(), rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		rag.CheckAnswer(t, tc.q, d.Text, tc.want, nil)
	}
}
