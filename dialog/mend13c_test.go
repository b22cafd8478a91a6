package dialog

import "testing"

// TestWhichAsksZH: 哪 makes a message a question where it asks which or
// where (REVIEW13A 7), not where it means any one at all, the polite
// "not at all", "even if", or what the customer cannot place of their own.
func TestWhichAsksZH(t *testing.T) {
	for _, tc := range []struct {
		text     string
		question bool
	}{
		// the reviewer's
		{"哪里哪里 你们已经很快了 谢谢", false},
		{"哪个都行 先退手机壳吧", false},
		{"随便哪天都可以", false},
		{"不知道放哪了", false},
		// own: statements
		{"哪儿的话 不麻烦", false},
		{"不管哪个颜色都可以", false},
		{"哪天送都行 我在家", false},
		{"忘了哪天买的了", false},
		{"发票不知道丢哪去了", false},
		{"哪怕贵一点也行", false},
		// own: questions
		{"SN码在哪看", true},
		{"退货寄到哪里", true},
		{"你们是哪家快递发的", true},
		{"哪天能到", true},
		{"哪个颜色还有货", true},
		{"不知道在哪看物流", true},
		{"我的快递到哪了", true},
		{"哪个都行吗", true},
	} {
		if got := isQuestion(tc.text); got != tc.question {
			t.Errorf("isQuestion(%q) = %v, want %v", tc.text, got, tc.question)
		}
	}
}
