package dialog

import "testing"

// TestWrongOrderWords: the words saying the order held is the wrong one,
// and what is left of the message for the task restarted for the order
// meant (REVIEW14 1).
func TestWrongOrderWords(t *testing.T) {
	for _, c := range []struct {
		text  string
		wrong bool
		rest  string
	}{
		{"actually no, its the other order. the sweater", true, "the sweater"},
		{"不对不对 是另一个订单 床垫那个", true, "床垫那个"},
		{"no wrong order", true, ""},
		{"不是这个订单", true, ""},
		{"搞错了 是毛衣那单", false, "是毛衣那单"},
		{"the heel came off after a week", false, "the heel came off after a week"},
		{"尺码不对 太小了", false, "太小了"},
		{"you sent the wrong colour", false, "you sent the wrong colour"},
	} {
		if got := wrongOrderCue.MatchString(c.text); got != c.wrong {
			t.Errorf("wrongOrderCue(%q) = %v, want %v", c.text, got, c.wrong)
		}
		if got := withoutCorrection(c.text); got != c.rest {
			t.Errorf("withoutCorrection(%q) = %q, want %q", c.text, got, c.rest)
		}
	}
	if leadsWithCorrection("尺码不对 太小了") {
		t.Error(`"尺码不对" opens with a reason, not a correction`)
	}
	if !leadsWithCorrection("actually no, the boots") {
		t.Error(`"actually no, the boots" opens with a correction`)
	}
}
