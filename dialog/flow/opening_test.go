package flow

import "testing"

// What a customer opens a message with before saying what they want is
// read past, by the kinds the reader asks for; words that only begin
// like an opening word are kept.
func TestStripOpening(t *testing.T) {
	for _, tc := range []struct {
		text  string
		kinds Opening
		want  string
	}{
		{"ok thanks! where's my lamp", Courtesy, "where's my lamp"},
		{"Hi, 在吗？ 键盘到了没", Courtesy, "键盘到了没"},
		{"好的谢谢 那运费呢", Courtesy, "那运费呢"},
		{"hmm actually no, keep it", Filler, "no, keep it"},
		{"呃 不用了", Filler, "不用了"},
		{"alright, no thanks", Ack | Filler, "no thanks"},
		{"嗯嗯 那质量问题呢", Ack, "那质量问题呢"},
		{"  ok  ", Ack, ""},
		// Kinds not asked for stay.
		{"thanks, where's my lamp", Ack, "thanks, where's my lamp"},
		{"hello there", Filler, "hello there"},
		// A word that only begins like one.
		{"okay so where is it", Ack | Filler, "where is it"},
		{"sorry, wrong order", Filler, "sorry, wrong order"},
		{"history of the shop", Courtesy, "history of the shop"},
		{"kettle is broken", Courtesy, "kettle is broken"},
		{"好像还没到", Courtesy, "好像还没到"},
		{"行李箱到了吗", Courtesy, "行李箱到了吗"},
		{"好，那什么时候到", Courtesy, "那什么时候到"},
		{"额外的运费谁出", Courtesy, "额外的运费谁出"},
		{"额度怎么提升", Ack | Filler, "额度怎么提升"},
		{"额，那运费呢", Courtesy, "那运费呢"},
		{"额 那运费呢", Courtesy, "那运费呢"},
		{"fine print?", Courtesy, "fine print?"},
		{"k-pop album arrived damaged", Courtesy, "k-pop album arrived damaged"},
		{"right earbud broken", Courtesy, "right earbud broken"},
		{"well made but too small", Courtesy, "well made but too small"},
		{"so-so quality, can I return it", Courtesy, "so-so quality, can I return it"},
		{"right, so where is it", Courtesy, "where is it"},
		{"fine thanks, what about shipping", Courtesy, "what about shipping"},
		{"k thx", Courtesy, ""},
		{"well... never mind", Filler, "never mind"},
	} {
		if got := StripOpening(tc.text, tc.kinds); got != tc.want {
			t.Errorf("StripOpening(%q, %b) = %q, want %q", tc.text, tc.kinds, got, tc.want)
		}
	}
}

// An acknowledgement in front of a no says no; in front of "no problem"
// it agrees.
func TestAckBeforeNo(t *testing.T) {
	for _, tc := range []struct {
		text string
		no   bool
	}{
		{"ok never mind", true},
		{"alright, no thanks", true},
		{"hmm ok nah", true},
		{"ok no problem at all, go ahead", false},
		{"okay", false},
		{"ok sure", false},
	} {
		if got := isNo(tc.text); got != tc.no {
			t.Errorf("isNo(%q) = %v, want %v", tc.text, got, tc.no)
		}
	}
}

// A yes or a no with thanks or a filler around it is only that answer.
func TestBareWithCourtesies(t *testing.T) {
	for _, tc := range []struct {
		text string
		bare bool
	}{
		{"yes thx", true},
		{"hmm no thanks", true},
		{"好的多谢", true},
		{"yes ty", true},
		{"yes cancel it", false},
		{"ok thanks, and the lamp?", false},
	} {
		if got := Bare(tc.text); got != tc.bare {
			t.Errorf("Bare(%q) = %v, want %v", tc.text, got, tc.bare)
		}
	}
}
