package rag

import "testing"

// A Latin form matches whole words only, wherever it is written: UPS is
// not in "groups", nor EMS in "items"; a Chinese form is a substring.
func TestSpecificsMatchWholeWords(t *testing.T) {
	sp := DefaultSpecifics()
	for _, tc := range []struct {
		question string
		want     bool
	}{
		{"do you ship with UPS", true},
		{"do you give discounts to groups", false},
		{"how many items can I return", false},
		{"能用顺丰寄吗", true},
		{"我想寄到澳门", true},
		{"我想退货", false},
	} {
		if got := len(sp.named(tc.question)) > 0; got != tc.want {
			t.Errorf("%q names a specific: %v, want %v", tc.question, got, tc.want)
		}
	}
}
