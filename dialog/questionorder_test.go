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
