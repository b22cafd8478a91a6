package dialog

import (
	"strings"
	"testing"
)

// REVIEW13A 3: "used" of a habit or of another thing is no use of this item.
func TestSaysUsedThisItem(t *testing.T) {
	for _, tc := range []struct {
		text string
		used bool
	}{
		{"they're a lot narrower than the ones i used to have", false},
		{"i'm used to a wider fit, these are too tight", false},
		{"i already use a different case, don't need this one", false},
		{"i used to wear a 38 in this brand", false},
		{"i use another charger anyway", false},
		{"i've worn them a couple of times already", true},
		{"i did wear them outside twice tho", true},
		{"wore them once to a wedding", true},
		{"i've used it for a week already", true},
		{"I've used them for a week", true},
		{"it's been used a few times", true},
		{"已经穿出门一次了", true},
		{"I haven't used it", false},
	} {
		if got := saysUsed(tc.text); got != tc.used {
			t.Errorf("saysUsed(%q) = %v, want %v", tc.text, got, tc.used)
		}
	}
}

// REVIEW13A 4: opened means a box, seal or packaging opened.
func TestSaysOpenedPackaging(t *testing.T) {
	for _, tc := range []struct {
		text   string
		opened bool
	}{
		{"i opened a ticket about them last week", false},
		{"我打开了app看了一下", false},
		{"我打开了才发现跟图片不一样", false},
		{"opened my email and saw the invoice", false},
		{"i opened the box and they just aren't my style", true},
		{"i already opened the box though", true},
		{"the phone case from that order too, i already took it out of the box though", true},
		{"don't like it, i ripped open the packaging already", true},
		{"盒子已经拆开了", true},
		{"包装已经打开了", true},
		{"已经拆封了", true},
		{"the seal is broken", true},
	} {
		if got := saysOpened.MatchString(strings.ToLower(tc.text)); got != tc.opened {
			t.Errorf("saysOpened(%q) = %v, want %v", tc.text, got, tc.opened)
		}
	}
}

// REVIEW13A 5: has/have asks with a subject and a participle, or "yet".
func TestHasAsks(t *testing.T) {
	for _, tc := range []struct {
		text string
		asks bool
	}{
		{"have the same pair at home already, got them as a gift", false},
		{"has a scratch on the heel", false},
		{"have two of these already, bought one by mistake", false},
		{"have the exact same ones from last winter, no need for two", false},
		{"has the dress been sent out yet", true},
		{"has it shipped", true},
		{"have you sent it out", true},
		{"oh and have you sent out the member day coupons yet", true},
		{"have the same one in black?", true},
	} {
		if got := asksOnTheWay(tc.text); got != tc.asks {
			t.Errorf("asksOnTheWay(%q) = %v, want %v", tc.text, got, tc.asks)
		}
	}
}

// REVIEW13A 1 and 8: "actually no", "no wait" open a correction or a
// question; the Chinese withdrawals are isCancel's.
func TestWithdraws(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"actually no", false},
		{"no wait", false},
		{"nvm keep the home address", true},
		{"never mind that", true},
		{"forget it", true},
		{"算了", true},
		{"不用了", true},
	} {
		if got := withdraws(tc.text); got != tc.want {
			t.Errorf("withdraws(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	for _, tc := range []struct {
		text string
		hold bool
	}{
		{"no wait, will i get the full refund if i cancel now?", true},
		{"hold on, do i get all my money back if i cancel?", true},
		{"等一下 取消的话钱能全退吗", true},
		{"wait for the courier", false},
		{"no, keep it", false},
	} {
		if got := holdLead.MatchString(tc.text); got != tc.hold {
			t.Errorf("holdLead(%q) = %v, want %v", tc.text, got, tc.hold)
		}
	}
}
