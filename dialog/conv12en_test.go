package dialog

import "testing"

func TestLeavesQueueConv12en(t *testing.T) {
	for text, leaves := range map[string]bool{
		"forget it, just get me a human":                  false,
		"never mind that, just put me through to someone": false,
		"nvm, connect me to a person anyway":              false,
		"nvm, cancel the agent request":                   true,
		"never mind, found it":                            true,
		"no need for a human, how long do refunds take":   true,
	} {
		if got := leavesQueue(text); got != leaves {
			t.Errorf("leavesQueue(%q) = %v, want %v", text, got, leaves)
		}
	}
}

func TestNoOfThing(t *testing.T) {
	for text, want := range map[string]bool{
		"no cash on delivery either i guess": true,
		"no installments either i suppose":   true,
		"no apple pay then?":                 true,
		"no thanks":                          false,
		"no, not now":                        false,
		"no i'm fine":                        false,
		"no need for a person":               false,
		"no":                                 false,
		"nope":                               false,
		// REVIEW12A 3: a "no" with no thing after it declines.
		"no maybe later":             false,
		"no actually all sorted now": false,
		"no cheers":                  false,
		"no lol im fine":             false,
		"no all good now":            false,
		"no we're sorted thank you":  false,
		"no its working now":         false,
		"no not right now":           false,
		// a thing the shop may offer, or asked about
		"no paypal either?":             true,
		"no gift wrapping at all?":      true,
		"no express delivery i take it": true,
		"no stickers then?":             true,
	} {
		if got := noOfThing(text); got != want {
			t.Errorf("noOfThing(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestSentenceCuts(t *testing.T) {
	text := "hello there, hope ur having a nice sunday :) do you take paypal? im in germany"
	cuts := sentenceCuts(text)
	if len(cuts) != 2 || text[cuts[0]:] != "do you take paypal? im in germany" {
		t.Errorf("sentenceCuts = %v", cuts)
	}
}
