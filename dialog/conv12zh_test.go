package dialog

import "testing"

// The spoken question forms with 不 instead of 吗 (conv12zh): a closing 不
// after what can or may be, and X不X; not the 不 of giving in or refusing.
func TestSpokenQuestionForms(t *testing.T) {
	for text, want := range map[string]bool{
		"一起买的袜子要是不合适能退不":    true,
		"能改送到公司不":           true,
		"退得了不":              true,
		"那双十一满300减50那种算降价不": true,
		"被套那单一直没付 还在不在啊":    true,
		"行不":      true,
		"算了不":     false,
		"要不":      false,
		"我想了想还是不": false,
		"我不要了 不":  false,
		"我说不":     false,
	} {
		if got := isQuestion(text); got != want {
			t.Errorf("isQuestion(%q) = %v, want %v", text, got, want)
		}
	}
}
