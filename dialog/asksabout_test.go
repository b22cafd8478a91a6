package dialog

import "testing"

// The mood of a clause that names a problem: supposed or asked in
// general (a question about the product), or stated (a report). Phrasings
// written for the pattern, both languages, both directions.
func TestIrrealis(t *testing.T) {
	for _, c := range []struct {
		clause   string
		supposed bool
	}{
		// asked: what would happen, or of the product in general
		{"修身牛仔裤洗了会掉色吗", true},
		{"会不会变形", true},
		{"羊毛大衣掉毛吗", true},
		{"皮靴容易开胶吗", true},
		{"如果充不进电怎么办", true},
		{"万一漏电呢", true},
		{"用久了可能会生锈吗", true},
		{"will the wool coat pill after a few wears", true},
		{"can the rug get stained easily", true},
		{"does it crack in cold weather", true},
		{"do the chelsea boots crack in the snow", true},
		{"would the speaker crackle at full volume", true},
		{"what if the zip breaks", true},
		{"are they prone to fraying", true},
		// stated: what did happen, or does not happen now
		{"大衣起球了", false},
		{"毛衣洗了一次就掉色了", false},
		{"耳机是不是坏了", false},
		{"开不了机", false},
		{"不能用了", false},
		{"会员买的水壶漏水了", false},
		{"my coat is already pilling", false},
		{"the earbuds won't charge", false},
		{"it can't connect to my phone anymore", false},
		{"the blender doesn't turn on", false},
		{"the boots let water in the first time it rained", false},
		{"did it break in transit", false},
	} {
		if got := irrealis(c.clause); got != c.supposed {
			t.Errorf("irrealis(%q) = %v, want %v", c.clause, got, c.supposed)
		}
	}
}
