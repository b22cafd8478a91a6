package dialog

import "testing"

// A day or a duration is no size; a size stays one (REVIEW10B 5).
func TestVariantTextDates(t *testing.T) {
	for _, c := range []struct {
		text   string
		modify bool // asksModify
		swap   bool // asksVariant on variantText
	}{
		{"羽绒服那单能改到30号再发吗", false, false},
		{"跑鞋那单能不能换到20号送 那几天不在家", false, false},
		{"羽绒服能不能改成12月28号再送", false, false},
		{"跑鞋可以换成25号之后发吗", false, false},
		{"can i modify my running shoes order so it arrives in 10 days?", false, false},
		{"could you change my order to arrive on the 30th instead", false, false},
		{"跑鞋那单能换成44码吗", true, true},
		{"S能改成M吗", true, true},
		{"could i switch my running shoes to a 44 before you send them out", false, true},
		{"can I switch the jacket to an L", true, true},
	} {
		if got := asksModify(c.text); got != c.modify {
			t.Errorf("asksModify(%q) = %v, want %v", c.text, got, c.modify)
		}
		if got := asksVariant.MatchString(variantText(c.text)); got != c.swap {
			t.Errorf("asksVariant(variantText(%q)) = %v, want %v", c.text, got, c.swap)
		}
	}
}

// Money, credit or one more on top is no other size or colour (REVIEW10B 6).
func TestNotVariantSwap(t *testing.T) {
	for text, want := range map[string]bool{
		"can i exchange the running shoes for store credit?":                           true,
		"love the merino jumper, can i change my order to add another one in black?":   true,
		"美利奴毛衣那单能再加一件黑色的吗":                                                             true,
		"跑鞋能换成购物金吗":                                                                    true,
		"the merino jumper i got last week is way too big, can i swap it for a small?": false,
		"跑鞋能换成44码吗":                                                                    false,
	} {
		if got := notVariantSwap.MatchString(text); got != want {
			t.Errorf("notVariantSwap(%q) = %v, want %v", text, got, want)
		}
	}
}
