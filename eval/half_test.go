package eval

import (
	"slices"
	"testing"
)

// The two halves of a replay file share no line and together hold every
// line, with both languages in each when the file lists one language
// after the other.
func TestHalfSplitsAReplayFileInTwo(t *testing.T) {
	var lines []GapLine
	for i, q := range []string{"a", "b", "c", "d", "甲", "乙", "丙"} {
		lang := "en"
		if i >= 4 {
			lang = "zh"
		}
		lines = append(lines, GapLine{Lang: lang, Questions: []string{q, q + "?"}})
	}
	first := func(ls []GapLine) []string {
		var out []string
		for _, l := range ls {
			out = append(out, l.Questions[0])
		}
		return out
	}
	if got, want := first(Half(lines, 0)), []string{"a", "c", "甲", "丙"}; !slices.Equal(got, want) {
		t.Errorf("half 0 = %v, want %v", got, want)
	}
	if got, want := first(Half(lines, 1)), []string{"b", "d", "乙"}; !slices.Equal(got, want) {
		t.Errorf("half 1 = %v, want %v", got, want)
	}
}
