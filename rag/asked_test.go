package rag

import "testing"

// A yes/no question is read against the passage for what it asks after
// its modal verb: the subject it sets the scene with need not be there.
func TestPredicateMissing(t *testing.T) {
	for _, c := range []struct {
		question, passage string
		lowered           bool
	}{
		{"can i rent it for a weekend", "Floor lamps ship within 48 hours of payment.", true},
		// The subject after "do" and the scene in the asked clause count
		// as asked pieces too: one missing piece of three is not enough
		// (a limit of this reading, see data/rag/answerability/README.md).
		{"do gift cards expire", "Flash-sale items, clearance items and gift cards cannot be bought with coupons.", false},
		{"can i rent a floor lamp for a weekend", "Floor lamps ship within 48 hours of payment.", false},
		{"can i pay with alipay", "We accept Alipay, WeChat Pay and bank cards.", false},
		{"马克杯可以定制印照片吗", "解冻须验证身份：上传本人证件照片，审核在 1 个工作日内完成。", true},
		{"衣服能改短一点再寄给我吗", "收到的商品尺码不合适，可以申请换货。", true},
		{"裤子小了能换大一号吗", "尺码、颜色不合适：自签收之日起 7 天内申请换货，可换同款不同尺码。", false},
		{"电饭煲带到国外能用吗", "国际配送覆盖 DHL 可到达的国家和地区。", false},
		{"马克杯能放进洗碗机吗", "收到的商品尺码不合适，可以申请换货。", true},
	} {
		share := unaskedShare(predicateMissing(c.question, c.passage, DefaultLexicon()))
		if got := unasked(0.35, share) < 0.2; got != c.lowered {
			t.Errorf("%q: share %.2f, declined at 0.35 %v, want %v", c.question, share, got, c.lowered)
		}
	}
}
