package rag

import (
	"math"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist/rag/para"
)

// A yes/no question is read against the passage for what it asks after
// its modal verb: the subject it sets the scene with counts as asked only
// with it.
func TestPredicateMissing(t *testing.T) {
	for _, c := range []struct {
		question, passage string
		missing           bool
	}{
		{"can i rent it for a weekend", "Floor lamps ship within 48 hours of payment.", true},
		{"do gift cards expire", "Flash-sale items, clearance items and gift cards cannot be bought with coupons.", true},
		{"can i pay with alipay", "We accept Alipay, WeChat Pay and bank cards.", false},
		{"马克杯可以定制印照片吗", "解冻须验证身份：上传本人证件照片，审核在 1 个工作日内完成。", true},
		{"裤子小了能换大一号吗", "尺码、颜色不合适：自签收之日起 7 天内申请换货，可换同款不同尺码。", false},
		{"两张优惠券能一块儿叠着用吗", "每个订单只能使用 1 张优惠券。", true},
	} {
		m, p := predicateMissing(c.question, c.passage, DefaultLexicon())
		if p == 0 || (m > 0) != c.missing {
			t.Errorf("%q: %d of %d asked pieces missing, want missing %v", c.question, m, p, c.missing)
		}
	}
}

// notionEncoder encodes a text as the notions whose words it holds (one
// dimension each), for tests: 一块儿 and 叠加 are one notion.
type notionEncoder [][]string

func (e notionEncoder) Encode(text string) []float32 {
	v := make([]float32, len(e))
	var n float64
	for i, words := range e {
		for _, w := range words {
			if strings.Contains(strings.ToLower(text), w) {
				v[i], n = 1, n+1
				break
			}
		}
	}
	for i := range v {
		if n > 0 {
			v[i] /= float32(math.Sqrt(n))
		}
	}
	return v
}

// A yes/no draft is lowered when its passage speaks of none of what is
// asked: words missing and no sentence close in meaning. The customer's
// own verb for what the passage says (一块儿 for 叠加, "go out" for
// dispatched) is not lowered; without an encoder nothing is.
func TestUnaskedReadsMeaning(t *testing.T) {
	enc := notionEncoder{{"一块儿", "叠加", "combine", "together"}, {"发出", "发货", "go out", "dispatch"}, {"rent"}, {"定制", "印"}, {"优惠券", "券", "coupon"}}
	s := &Service{Paraphrases: enc}
	for _, c := range []struct {
		question, passage string
		lowered           bool
	}{
		{"两张优惠券能一块儿叠着用吗", "每个订单只能使用 1 张优惠券，多张优惠券不能叠加。", false},
		{"if i pay at 3pm can it go out today", "In-stock items are dispatched within 48 hours of payment. Orders paid before 16:00 usually leave the same day.", false},
		{"can i rent it for a weekend", "Floor lamps ship within 48 hours of payment.", true},
		{"马克杯可以定制印照片吗", "解冻须验证身份：上传本人证件照片，审核在 1 个工作日内完成。", true},
		{"can i pay with alipay", "We accept Alipay, WeChat Pay and bank cards.", false},
	} {
		got := s.unasked(c.question, c.passage)
		if got != c.lowered {
			t.Errorf("%q: unasked %v, want %v", c.question, got, c.lowered)
		}
		if got && unasked(0.35, got) >= 0.2 {
			t.Errorf("%q: 0.35 lowered to %.2f, want below 0.2", c.question, unasked(0.35, got))
		}
	}
	if (&Service{}).unasked("can i rent it for a weekend", "Floor lamps ship within 48 hours of payment.") {
		t.Error("without an encoder: lowered")
	}
}

// A customer's own word for what the passage says, one notion of the
// paraphrase lexicon (恢复, 反悔 for 撤销; "take back" for cancelling the
// request; 发走 for 出库; 另外付钱 for 另收), is no unasked clause even when
// the encoder reads the two far apart; a passage holding no word of the
// notion still is.
func TestUnaskedCustomersWords(t *testing.T) {
	s := &Service{Paraphrases: notionEncoder{{"nothing close"}}}
	account := "注销账户\n申请提交后有 15 天冷静期，期间登录即可撤销注销；冷静期满后账户和个人信息将被永久删除。"
	for _, c := range []struct {
		question, passage string
		lowered           bool
	}{
		{"注销以后还能恢复吗", account, false},
		{"账号注销了反悔的话能撤回吗", account, false},
		{"i asked to close my account, can i take that back", "Close account\nThere is a 15-day cooling-off period; logging in during it cancels the request.", false},
		{"下午五点付的款今天能发走吗", "发货时间\n每天16:00前付款的订单，仓库当天出库；16:00之后付款的订单次日出库。", false},
		{"满包邮了还要另外付钱吗", "包邮规则\n含活体植物的订单，每单另收¥6保湿包装费，包邮订单同样收取。", false},
		{"删掉的聊天记录还能恢复吗", "无理由退货\n商品未穿着、未洗涤，吊牌完好，签收后 7 天内可申请。", true},
		{"do you charge extra for engraving", "Invoices\nAn e-invoice has the same legal standing as a paper one.", true},
	} {
		if got := s.unasked(c.question, c.passage); got != c.lowered {
			t.Errorf("%q: unasked %v, want %v", c.question, got, c.lowered)
		}
	}
}

var _ ModelEncoder = (*para.Net)(nil)

// countingNet is a question encoder that names its model and counts the
// texts it encodes.
type countingNet struct {
	id    string
	calls *int
}

func (e *countingNet) Encode(text string) []float32 {
	*e.calls++
	return []float32{1}
}

func (e *countingNet) ModelID() string { return e.id }

// The encodings unasked remembers are keyed by the model's name, not by
// the encoder: a model loaded again (each story of eval dialog, a reload)
// reads them, and an encoder no longer served is not kept reachable by
// them (REVIEW13A 10: a 50 MB model pinned per story until the memo
// starts afresh). An encoder that does not name its model encodes each
// time.
func TestEncodingsKeyedByModel(t *testing.T) {
	var c memo[codeKey, []float32]
	calls := 0
	encodeOnce(&c, &countingNet{"m1", &calls}, "Refunds take 3 days.")
	encodeOnce(&c, &countingNet{"m1", &calls}, "Refunds take 3 days.")
	if calls != 1 {
		t.Errorf("one model loaded twice encoded a sentence %d times, want 1", calls)
	}
	encodeOnce(&c, &countingNet{"m2", &calls}, "Refunds take 3 days.")
	if calls != 2 {
		t.Errorf("another model: %d encodings, want 2 (its own)", calls)
	}
	unnamed := notionEncoder{{"refund"}}
	encodeOnce(&c, unnamed, "refund")
	if len(c.m) != 2 {
		t.Errorf("an encoder without a model name was remembered: %d entries, want 2", len(c.m))
	}

	collected := make(chan struct{})
	func() {
		n := &countingNet{"m3", new(int)}
		runtime.AddCleanup(n, func(ch chan struct{}) { close(ch) }, collected)
		encodeOnce(&c, n, "Refunds take 3 days.")
	}()
	for range 20 {
		runtime.GC()
		select {
		case <-collected:
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Error("an encoder the service dropped is still reachable through the remembered encodings")
}

// The cost of reading a yes/no question against its passage with the
// shipped encoder (skipped without it): the asked clause and each
// sentence encoded.
func BenchmarkUnasked(b *testing.B) {
	n, err := para.Load(filepath.Join("..", ".cache", "models", "paraphrase"))
	if err != nil {
		b.Skip("no question encoder in .cache/models (make models)")
	}
	s := &Service{Paraphrases: n}
	passage := "发货时效\n现货商品在付款后 48 小时内发货；当天 16:00 前付款的订单，通常当天发出；周末和节假日正常发货，春节期间的发货安排会另行公告。预售商品按商品页标注的时间发货。"
	for b.Loop() {
		s.unasked("买的毛衣能帮忙绣个名字吗", passage)
	}
}

// The features that read the passage against what is asked: the share of
// the question and of its asked clause the passage does not hold, always;
// the encoder's (asked_far, unasked) only for a Service with an encoder
// and a model fitted with it (Answerability.Encoder).
func TestReadAskedFeatures(t *testing.T) {
	enc := notionEncoder{{"rent"}, {"一块儿", "叠加"}}
	q, passage := "can i rent the floor lamp for a weekend", "Floor lamps ship within 48 hours of payment."
	base := *DefaultAnswerability()
	withEnc := base
	encModel := base
	withEnc.Encoder = &encModel
	for _, c := range []struct {
		name          string
		s             *Service
		far, unasked0 bool
	}{
		{"no encoder", &Service{Answerability: &withEnc, AllFeatures: true}, false, false},
		{"encoder, model without it (training)", &Service{Paraphrases: enc, Answerability: &base, AllFeatures: true}, true, true},
		{"encoder and its model", &Service{Paraphrases: enc, Answerability: &withEnc}, true, true},
	} {
		x := make(Features, len(FeatureNames))
		c.s.readAsked(q, passage, KindYesNo, x)
		if x[quoteUncoveredFeature] <= 0 || x[quoteUncoveredFeature] >= 1 {
			t.Errorf("%s: quote_uncovered %.2f, want between 0 and 1 (rent, weekend missing; lamp held)", c.name, x[quoteUncoveredFeature])
		}
		if x[askedMissingFeature] <= 0 {
			t.Errorf("%s: asked_missing %.2f, want above 0", c.name, x[askedMissingFeature])
		}
		if got := x[askedFarFeature] > 0; got != c.far {
			t.Errorf("%s: asked_far %.2f, want above 0: %v", c.name, x[askedFarFeature], c.far)
		}
		if got := x[unaskedFeature] == 1; got != c.unasked0 {
			t.Errorf("%s: unasked %v, want %v", c.name, got, c.unasked0)
		}
	}
	// A model that weighs none of them and has no gate: nothing is read
	// (the cost is not paid), encoder or not.
	noGate := base
	noGate.Gate = nil
	x := make(Features, len(FeatureNames))
	(&Service{Paraphrases: enc, Answerability: &noGate}).readAsked(q, passage, KindYesNo, x)
	if x[quoteUncoveredFeature] != 0 || x[askedMissingFeature] != 0 || x[askedFarFeature] != 0 {
		t.Errorf("model without weights for them: features %v, want 0", x[quoteUncoveredFeature:])
	}
	// With a gate (the shipped model's), the word features are read for it,
	// the encoder's only where they can move the gate (readGateAsked).
	x = make(Features, len(FeatureNames))
	(&Service{Paraphrases: enc, Answerability: &base}).readAsked(q, passage, KindYesNo, x)
	if x[askedMissingFeature] <= 0 || x[askedFarFeature] != 0 {
		t.Errorf("gate: asked_missing %.2f asked_far %.2f, want above 0 and 0 (read later, only near the gate's threshold)", x[askedMissingFeature], x[askedFarFeature])
	}
	// What the passage says in the customer's words leaves nothing asked
	// missing.
	x = make(Features, len(FeatureNames))
	(&Service{Paraphrases: enc, Answerability: &withEnc}).readAsked("两张优惠券能一块儿用吗", "每个订单只能使用 1 张优惠券，多张优惠券不能叠加。", KindYesNo, x)
	if x[askedFarFeature] != 0 || x[unaskedFeature] != 0 {
		t.Errorf("一块儿 for 叠加: asked_far %.2f unasked %v, want 0", x[askedFarFeature], x[unaskedFeature])
	}
	// With the encoder's model, the post-check is the model's: a draft's
	// confidence is not lowered after it.
	if !(&Service{Paraphrases: enc, Answerability: &withEnc}).readsAsked() || (&Service{Paraphrases: enc}).readsAsked() && DefaultAnswerability().Encoder == nil {
		t.Error("readsAsked: want true with an encoder model and an encoder only")
	}
}
