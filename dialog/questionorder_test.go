package dialog

import "testing"

// A customer in a flow who says to go ahead has consented; one who asks in
// question order is asking the help center.
func TestQuestionOrderGoAheadIsNotAQuestion(t *testing.T) {
	for _, text := range []string{
		"if it's the same price just do it",
		"if the new one costs the same do that then",
		"do it if there is no fee",
	} {
		if asksWhatIf(text) {
			t.Errorf("asksWhatIf(%q) = true: telling the bot to go ahead is consent", text)
		}
		if isQuestion(text) {
			t.Errorf("isQuestion(%q) = true", text)
		}
	}
	for _, text := range []string{
		"if the jacket is too small can i swap it",
		"if it arrives late is there a refund",
		"do you ship to macau",
		"does the kettle come with a plug for hk",
		"would that work if i return it next week",
	} {
		if !isQuestion(text) && !inverted.MatchString(text) {
			t.Errorf("%q is not read as a question", text)
		}
	}
	if !asksWhatIf("if the jacket is too small can i swap it") || !asksWhatIf("if it arrives late is there a refund") {
		t.Error("a question under a condition is not read as a what-if")
	}
}

// A closing 吧 after a word that judges or allows asks to be told yes
// ("这总算质量问题吧"); the 吧 of a suggestion or of giving in does not.
func TestConfirmingBaIsAQuestion(t *testing.T) {
	for text, want := range map[string]bool{
		"啊？？那降噪时有时无的 这总算质量问题吧": true,
		"屏幕有条线 这属于质量问题吧":       true,
		"才穿了一次 应该还能退吧":         true,
		"没拆封的话可以退吧～":           true,
		"那就退了吧":                false,
		"行吧":                   false,
		"那按质量问题退吧":             false,
		"算了吧 不要了":              false,
		"是的转吧":                 false,
		"可以安排吧":                false,
		"好的 可以的吧":              false,
		"是的麻烦安排一下吧":            false,
		"能退就退吧":                false,
		"只能这样了吧":               false,
		"没照片 算了还是退了吧":          false,
		"是的就这样改吧":              false,
	} {
		if got := asksConfirm(text); got != want {
			t.Errorf("asksConfirm(%q) = %v, want %v", text, got, want)
		}
	}
}

// isQuestion, which 27 decisions read (an offer taken, a queue left, a
// cancel clause), takes no closing 吧 for a question: a yes or a
// decision that ends in 吧 is neither.
func TestYesWithBaIsNoQuestion(t *testing.T) {
	for _, text := range []string{"是的转吧", "可以安排吧", "好的 可以的吧", "能退就退吧", "还是退了吧", "那就取消吧", "应该可以了吧 我再等等"} {
		if isQuestion(text) {
			t.Errorf("isQuestion(%q) = true, want false", text)
		}
	}
}
