package dialog

import (
	"reflect"
	"regexp"
	"testing"
)

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

// letterSizes names exactly the sizes it always named, and the patterns
// built on it find the same spans as with the sizes spelt out.
func TestLetterSizes(t *testing.T) {
	const spelt = `XXXL|XXL|XXS|XL|XS|S|M|L`
	want := map[string]bool{"XXXL": true, "XXL": true, "XL": true, "XXS": true, "XS": true, "S": true, "M": true, "L": true}
	whole := regexp.MustCompile(`^(?:` + letterSizes + `)$`)
	var words func(prefix string, n int)
	words = func(prefix string, n int) {
		if prefix != "" && whole.MatchString(prefix) != want[prefix] {
			t.Errorf("%q: matches %v, want %v", prefix, !want[prefix], want[prefix])
		}
		if n == 0 {
			return
		}
		for _, c := range []string{"X", "S", "M", "L"} {
			words(prefix+c, n-1)
		}
	}
	words("", 5)
	in := func(sizes string) *regexp.Regexp {
		return regexp.MustCompile(`(?i)(改|换)(成|为)\s*(` + sizes + `)(码|号|的)?|\b(to|in) (a |size )?(` + sizes + `)\b`)
	}
	now, before := in(letterSizes), in(spelt)
	for _, s := range []string{"换成XXL的", "改成xl码", "改为XXXL", "换成XS", "swap it to size xxs please", "in a L instead", "to XXXXL",
		"to XLL", "change to m", "in XXL and to S", "改成XXXXL", "to xxxs", "换成LXL"} {
		if g, w := now.FindAllStringSubmatchIndex(s, -1), before.FindAllStringSubmatchIndex(s, -1); !reflect.DeepEqual(g, w) {
			t.Errorf("%q: %v, spelt out %v", s, g, w)
		}
	}
}
