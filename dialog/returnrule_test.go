package dialog

import (
	"testing"

	"github.com/assistd/assist/nlu"
)

// mend14e: a rule asked with a return is asked again without the
// customer's item; what is left is the rule ("退货必须带吊牌吗").
func TestWithoutProducts(t *testing.T) {
	for _, c := range []struct {
		text, product, want string
	}{
		{"卫衣退货必须带吊牌吗", "卫衣", "退货必须带吊牌吗"},
		{"i want to return the hoodie, do the tags have to stay on?", "hoodie", "i want to return, do the tags have to stay on?"},
		{"returning my hoodie - do i need to keep the tags on it?", "hoodie", "returning - do i need to keep the tags on it?"},
		{"退货必须带吊牌吗", "", "退货必须带吊牌吗"}, // no product
		{"卫衣", "卫衣", "卫衣"},             // nothing else left
		{"退货必须带吊牌吗", "耳机", "退货必须带吊牌吗"}, // not in the text
	} {
		var ents []nlu.Entity
		if c.product != "" {
			ents = []nlu.Entity{{Type: "order_id", Text: "x"}, {Type: "product", Text: c.product}}
		}
		if got := withoutProducts(c.text, ents); got != c.want {
			t.Errorf("withoutProducts(%q, %q) = %q, want %q", c.text, c.product, got, c.want)
		}
	}
}
