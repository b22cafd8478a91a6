package rag

import "testing"

// TestWithoutKind: the subject of a question stays when the words asking
// for a kind of answer go.
func TestWithoutKind(t *testing.T) {
	cases := []struct {
		q    string
		kind Kind
		rest string
	}{
		{"do u ship to hong kong? how much is shipping", KindAmount, "do u ship to hong kong? is shipping"},
		{"下单后一般几天能到", KindDuration, "下单后一般 能到"},
		{"寄到西藏运费多少", KindAmount, "寄到西藏运费多少"},
		{"运费要多少钱", KindAmount, "运费要"},
		{"what is the return fee", KindAmount, "what is the return fee"},
		{"铂金会员", KindOther, "铂金会员"},
		{"前天买的东西今天降价了 能退差价吗", KindYesNo, "前天买的东西今天降价了 能退差价吗"},
		{"can I return it", KindYesNo, "I return it"},
	}
	for _, c := range cases {
		if k, rest := WithoutKind(c.q); k != c.kind || rest != c.rest {
			t.Errorf("WithoutKind(%q) = %s %q, want %s %q", c.q, k, rest, c.kind, c.rest)
		}
	}
}

// A question asking how long, how much or how many wants the figure; one
// that only names a fee or a discount in a yes/no question does not.
func TestAsksFigure(t *testing.T) {
	for q, want := range map[string]bool{
		"how long until my refund shows up":           true,
		"what does a second key cost? how much":       true,
		"运费险多少钱一单":                                    true,
		"这个券能用几天":                                     true,
		"can I use a voucher on top of the discount?": false,
		"运费退不退":                                       false,
		"do you add a fee for paying by card":         false,
		"can I pay by bank transfer":                  false,
	} {
		if got := AsksFigure(q); got != want {
			t.Errorf("AsksFigure(%q) = %v, want %v", q, got, want)
		}
	}
}
