package dialog

import (
	"testing"

	"github.com/assistd/assist/nlu"
)

// TestPlaceAddressVetoesOnlyAPlaceSaidForAnotherQuestion: the model's
// change_address stands unless the message states where the address is
// and asks about the fee, the time or free shipping (review 9, #2).
func TestPlaceAddressVetoesOnlyAPlaceSaidForAnotherQuestion(t *testing.T) {
	for _, tc := range []struct {
		text   string
		change bool
	}{
		// a change of address, in words other than a change word
		{"can my parcel be delivered to my office please", true},
		{"I need a different delivery address for my order", true},
		{"我想用另一个收货地址", true},
		{"地址填成老家的了 能送公司吗", true},
		{"could the package go to my parents' house rather than mine", true},
		{"跑鞋那单能不能寄我单位 家里没人收", true},
		{"收货地址想用公司的那个", true},
		{"I'd like my order shipped to my work address instead of home", true},
		{"跑鞋那单收货地址要改一下", true},
		{"浙江省杭州市西湖区文三路华星时代广场", true},
		{"100 North Main Street, Springfield", true},
		// where the address is, said for a question about shipping
		{"不满的话呢 我收货地址在新疆", false},
		{"那要是不满99呢 我地址在青海", false},
		{"不够99的话运费多少 我收货地址在西藏", false},
		{"我的收货地址在新疆 一般发货后几天能到", false},
		{"and if i don't reach it? my address is in tibet", false},
		{"my delivery address is in Xinjiang, how much is delivery?", false},
		{"i live in lhasa, how long does delivery take?", false},
		{"我人在海南 包邮吗", false},
	} {
		res := placeAddress(nlu.Result{Intent: nlu.Intent{Label: changeAddress, Confidence: 0.9}}, tc.text)
		if got := res.Intent.Label == changeAddress; got != tc.change {
			t.Errorf("%q: change_address kept = %v, want %v", tc.text, got, tc.change)
		}
	}
}

// TestGivesAddressReadsAsTheFlowDoes: an address to send to is read by
// the flow's own reader (review 9, #6), not a weaker copy.
func TestGivesAddressReadsAsTheFlowDoes(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"100 North Main Street, Springfield", true},
		{"send it to Flat 3, 22 Baker Street please", true},
		{"Room 1202, 1 Jianguomenwai Avenue, Beijing", true},
		{"12 Baker Street", true},
		{"88 Upper Thames Street, London", true},
		{"45 Queen's Road Central, Hong Kong", true},
		{"上海市静安区南京西路1266号18楼", true},
		{"杭州市滨江区江南大道588号恒鼎大厦", true},
		{"我收货地址在新疆", false},
		{"my address is in tibet", false},
		{"偏远地区运费多少", false},
	} {
		if got := givesAddress(tc.text, nil); got != tc.want {
			t.Errorf("givesAddress(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
