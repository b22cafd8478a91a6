package catalog

import (
	"strings"
	"testing"
)

// Staff read every hand-off reason in words, in both languages, and the
// wording has no "reason." key that is not a reason code.
func TestReasonsReadInWords(t *testing.T) {
	c := Default()
	for _, code := range Reasons() {
		for _, lang := range Langs {
			if got := c.ReasonText(code, lang); got == "reason."+code || got == code {
				t.Errorf("%s in %s reads %q: add reason.%s to words/%s.yaml", code, lang, got, code, lang)
			}
		}
	}
	for _, key := range c.Keys() {
		if code, ok := strings.CutPrefix(key, "reason."); ok && code != "none" && !IsReason(code) {
			t.Errorf("wording key %s names no reason code", key)
		}
	}
	if got := c.ReasonText(ReasonAnger, "zh"); got != "客户情绪激动" {
		t.Errorf("anger in zh reads %q", got)
	}
	if got := c.ReasonText("", "en"); got != "Escalated conversation" {
		t.Errorf("no reason reads %q", got)
	}
}
