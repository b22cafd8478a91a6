package dialog

import (
	"reflect"
	"strings"
	"testing"

	nlutext "github.com/assistd/assist/nlu/text"
)

// TestRulesReadAsTheirExpressions: the rules of many cue phrases, which
// nlu/text.Pattern matches branch by branch, read customers' messages as
// their whole regular expressions do (whether one matches, and where the
// cue is): ways of asking how to reach the shop, of reporting harm only
// staff can repair, and messages that are neither, in both languages.
func TestRulesReadAsTheirExpressions(t *testing.T) {
	says := []string{
		"whats the number to call you guys", "Is there a phone line I could ring instead?", "when r u guys open on sundays",
		"Do your human agents work weekends?", "what hours are real people on the chat", "can I email your support team",
		"你们客服电话是多少啊", "晚上九点打电话还有人接吗", "人工客服一般几点上班", "发个邮件可以吗 邮箱给我",
		"My account was HACKED and someone ordered stuff", "I was charged twice for the same lamp", "i never placed this order, it was a gift from my aunt",
		"扣了我两次钱", "账号被人登了还改了地址", "朋友送的 不是我买的 但是坏了",
		"where's my hoodie", "and how many days does delivery take for remote areas?", "那如果是质量问题的话运费还要我自己出吗？",
		"the courier's phone just rings", "I need a phone case for the gift", "快递员电话一直没人接", "ok thanks, bye!", "",
	}
	rules := []*nlutext.Pattern{contactCues, otherLine, peopleHours, gifted}
	for _, n := range staffNeeds {
		rules = append(rules, n.re)
		if n.gift != nil {
			rules = append(rules, n.gift)
		}
	}
	for _, s := range says {
		for _, text := range []string{s, strings.ToLower(s)} {
			for _, p := range rules {
				re := p.Regexp()
				if got, want := p.MatchString(text), re.MatchString(text); got != want {
					t.Errorf("%.60s…: MatchString(%q) = %v, want %v", p, text, got, want)
				}
				if got, want := p.FindStringIndex(text), re.FindStringIndex(text); !reflect.DeepEqual(got, want) {
					t.Errorf("%.60s…: FindStringIndex(%q) = %v, want %v", p, text, got, want)
				}
			}
		}
	}
}
