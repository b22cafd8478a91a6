package dialog

import "testing"

// 呢 asks only as a particle at a phrase's end; 呢子 is a woollen cloth, and
// a customer naming their 呢子大衣 while a flow asks for the item has not
// asked anything.
func TestAsksSomewhereParticleNotCloth(t *testing.T) {
	for _, text := range []string{"我买的呢子大衣", "退那件呢子大衣", "就是那条呢绒裤子 尺码小了"} {
		if asksSomewhere(text) {
			t.Errorf("asksSomewhere(%q) = true: naming a 呢子 item asks nothing", text)
		}
	}
	for _, text := range []string{"呢子大衣还能退吗", "那运费呢", "大衣退了 那围巾呢 一起退", "that one呢"} {
		if !asksSomewhere(text) {
			t.Errorf("asksSomewhere(%q) = false: it asks", text)
		}
	}
}
