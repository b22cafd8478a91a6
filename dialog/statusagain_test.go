package dialog

import "testing"

// Right after an order's status a day asked about asks when it comes; a
// goodbye naming a day is a goodbye (REVIEW11B 5).
func TestAsksDayParting(t *testing.T) {
	for _, tc := range []struct {
		text    string
		asks    bool
		parting string
	}{
		{"so tuesday-ish?", true, ""},
		{"what day would that be", true, ""},
		{"thanks, so by friday?", true, ""},
		{"星期几啊", true, ""},
		{"周五前ok不", true, ""},
		{"谢谢 周五前能到吗", true, ""},
		{"great thanks, nice weekend!", false, "thanks"},
		{"ok thanks, talk tomorrow", false, "thanks"},
		{"cheers, see you monday", false, "thanks"},
		{"cool, have a good sunday", false, "goodbye"},
		{"好的 谢谢 周末愉快", false, "thanks"},
		{"行 明天再说吧", false, "goodbye"},
		{"知道了 谢谢 下周见", false, "thanks"},
	} {
		if got := asksDay(tc.text); got != tc.asks {
			t.Errorf("asksDay(%q) = %v, want %v", tc.text, got, tc.asks)
		}
		if got := partingLabel(tc.text); got != tc.parting {
			t.Errorf("partingLabel(%q) = %q, want %q", tc.text, got, tc.parting)
		}
	}
}
