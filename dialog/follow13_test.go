package dialog

import "testing"

// TestQuestionForms: 哪 in any form asks (not 哪怕, "even if"), and a
// question after an acknowledgement or filler is one ("so when exactly");
// a day asked ("which day", 哪天) asks for a fact of the task just
// answered.
func TestQuestionForms(t *testing.T) {
	for _, tc := range []struct {
		text     string
		question bool
	}{
		{"SN码在哪看", true},
		{"发票去哪儿下载", true},
		{"哪个快递", true},
		{"哪怕贵一点也行", false},
		{"so when exactly", true},
		{"ok so what day", true},
		{"right so which day is that", true},
		{"ok thanks", false},
		{"so i'll wait then", false},
	} {
		if got := isQuestion(tc.text); got != tc.question {
			t.Errorf("isQuestion(%q) = %v, want %v", tc.text, got, tc.question)
		}
	}
	for _, text := range []string{"ok so what date", "嗯 那具体是哪天", "right so which day is that"} {
		if !asksFact(text) {
			t.Errorf("asksFact(%q) = false, want true", text)
		}
	}
}
