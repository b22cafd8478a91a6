package rag_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/assistd/assist/rag"
)

// TestSpecificTheArticleNeverNames: asked whether the shop ships to a place
// its shipping article never names (Macau, when it ships to Hong Kong and
// Singapore), the same passage is a less likely answer than for a place it
// names; in Chinese too, and a place named in another section of the same
// article counts as named.
func TestSpecificTheArticleNeverNames(t *testing.T) {
	s := &rag.Service{Index: &memIndex{}}
	ctx := context.Background()
	for _, d := range []rag.Document{
		{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "en-shipping.md"}, Title: "Shipping", Chunks: []rag.Chunk{
			{Text: "We ship from our warehouse to Hong Kong and Singapore. Standard delivery takes 3-5 business days.", HeadingPath: []string{"Shipping", "Where we ship"}},
			{Text: "Orders to Taiwan go by sea freight.", HeadingPath: []string{"Shipping", "Other places"}}}},
		{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "zh-shipping.md"}, Title: "配送", Chunks: []rag.Chunk{
			{Text: "我们从仓库发货，可以寄到香港和新加坡，普通快递3-5个工作日送达。"}}},
		{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "en-returns.md"}, Title: "Returns", Chunks: []rag.Chunk{
			{Text: "You can return an item within 7 days of delivery."}}},
	} {
		if _, err := s.Ingest(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	absent := slices.Index(rag.FeatureNames, "specific_absent")
	if absent < 0 {
		t.Fatal("no specific_absent feature")
	}
	f := rag.Filter{TenantID: tenant, KB: "help"}
	for _, tc := range []struct{ named, unnamed, lang string }{
		{"do you ship to singapore", "do you ship to macau", "en"},
		{"能寄到新加坡吗", "能寄到澳门吗", "zh"},
		{"do you ship to taiwan", "do you ship to malaysia", "en"},
	} {
		f.Lang = tc.lang
		named, err := s.Draft(ctx, rag.AnswerRequest{Filter: f, Question: tc.named})
		if err != nil {
			t.Fatal(err)
		}
		unnamed, err := s.Draft(ctx, rag.AnswerRequest{Filter: f, Question: tc.unnamed})
		if err != nil {
			t.Fatal(err)
		}
		if len(named.Hits) == 0 || len(unnamed.Hits) == 0 || named.Hits[0].Chunk.Doc != unnamed.Hits[0].Chunk.Doc {
			t.Fatalf("%q / %q: hits differ: %+v / %+v", tc.named, tc.unnamed, named.Hits, unnamed.Hits)
		}
		if named.Features[absent] != 0 || unnamed.Features[absent] != 1 {
			t.Errorf("%q: specific_absent %v, %q: %v; want 0 and 1", tc.named, named.Features[absent], tc.unnamed, unnamed.Features[absent])
		}
		if !(unnamed.Confidence < named.Confidence) {
			t.Errorf("confidence %q %.2f, %q %.2f: want the place never named lower", tc.unnamed, unnamed.Confidence, tc.named, named.Confidence)
		}
	}
}

func TestParseSpecifics(t *testing.T) {
	if _, err := rag.ParseSpecifics(strings.NewReader("# comment\n\nplace\t澳门\tmacau\n")); err != nil {
		t.Errorf("good file: %v", err)
	}
	for _, bad := range []string{"place\t澳门\n", "\t澳门\tmacau\n", "place\t\t\n"} {
		if _, err := rag.ParseSpecifics(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
	if rag.DefaultSpecifics() == nil {
		t.Error("no shipped specifics")
	}
}

// TestQuestionTheArticleDoesNotSpeakOf: asked something about the coupon
// article's subject that the article never speaks of (giving a coupon to
// a friend, topping up a gift card), the reply from that article is less
// likely right than one to a question it answers, and less likely than
// the same reply would be if the article spoke of it; in both languages.
// The scene a customer sets before asking ("买了个吸顶灯") and the
// lexicon's other forms of a word (退钱 asked, 退款 written) do not count
// against the article where the question is asked.
func TestQuestionTheArticleDoesNotSpeakOf(t *testing.T) {
	s := &rag.Service{Index: &memIndex{}}
	ctx := context.Background()
	for _, d := range []rag.Document{
		{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "zh-coupons.md"}, Title: "优惠券", Chunks: []rag.Chunk{
			{Text: "优惠券在下单时使用，每个订单只能使用一张优惠券，过期的优惠券不能再用。", HeadingPath: []string{"优惠券", "使用规则"}},
			{Text: "新用户注册后可以领取满99减10的优惠券，有效期30天。", HeadingPath: []string{"优惠券", "领取"}}}},
		{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "en-gift-cards.md"}, Title: "Gift cards", Chunks: []rag.Chunk{
			{Text: "A gift card is valid for 3 years from purchase. You can use up to 5 gift cards on one order.", HeadingPath: []string{"Gift cards", "Using a gift card"}},
			{Text: "Gift cards cannot be exchanged for cash. Lost gift cards cannot be replaced.", HeadingPath: []string{"Gift cards", "Rules"}}}},
		{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "zh-refunds.md"}, Title: "退款", Chunks: []rag.Chunk{
			{Text: "退款会在审核通过后3个工作日内原路退回。"}}},
	} {
		if _, err := s.Ingest(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	f := rag.Filter{TenantID: tenant, KB: "help"}
	uncovered := slices.Index(rag.FeatureNames, "uncovered")
	focus := slices.Index(rag.FeatureNames, "focus_uncovered")
	if uncovered < 0 || focus < 0 {
		t.Fatal("no uncovered features")
	}
	m := rag.DefaultAnswerability()
	for _, tc := range []struct{ spoken, unspoken string }{
		{"过期的优惠券还能用吗", "优惠券可以送给朋友用吗"},
		{"can i exchange my gift card for cash", "can i top up or reload my gift card"},
		{"我用优惠券买了个吸顶灯 过期的优惠券还能用吗", "优惠券能转让给家人吗"},
		{"退钱要几天到账", "退款能退到微信零钱吗"},
	} {
		spoken, err := s.Draft(ctx, rag.AnswerRequest{Filter: f, Question: tc.spoken})
		if err != nil {
			t.Fatal(err)
		}
		unspoken, err := s.Draft(ctx, rag.AnswerRequest{Filter: f, Question: tc.unspoken})
		if err != nil {
			t.Fatal(err)
		}
		if len(spoken.Hits) == 0 || len(unspoken.Hits) == 0 || spoken.Hits[0].Chunk.Doc != unspoken.Hits[0].Chunk.Doc {
			t.Fatalf("%q / %q: not the same article", tc.spoken, tc.unspoken)
		}
		if spoken.Features[focus] != 0 || unspoken.Features[focus] == 0 {
			t.Errorf("uncovered in the question's last clause: %q %v, %q %v; want 0 and more", tc.spoken, spoken.Features[focus], tc.unspoken, unspoken.Features[focus])
		}
		if !(unspoken.Confidence < spoken.Confidence) {
			t.Errorf("confidence %q %.2f, %q %.2f: want the one the article does not speak of lower", tc.unspoken, unspoken.Confidence, tc.spoken, spoken.Confidence)
		}
		x := slices.Clone(unspoken.Features)
		x[uncovered], x[focus], x[slices.Index(rag.FeatureNames, "uncovered_share")] = 0, 0, 0
		if p := m.Prob(x); !(unspoken.Confidence < p) {
			t.Errorf("%q: confidence %.2f, %.2f if the article spoke of it: want lower", tc.unspoken, unspoken.Confidence, p)
		}
	}
}

// TestMeasureThePassageDoesNotGive: asked a product's wattage, loudness or
// water temperature, a passage about the product that gives other figures
// (its tank, its running time) but none in the unit asked is a less likely
// answer than the same passage asked what it gives; in both languages. A
// figure in the unit asked counts ("12 W", "45分贝"), another unit does
// not ("3 weeks" is not watts).
func TestMeasureThePassageDoesNotGive(t *testing.T) {
	s := &rag.Service{Index: &memIndex{}}
	ctx := context.Background()
	for _, d := range []rag.Document{
		{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "en-diffuser.md"}, Title: "Diffuser care", Chunks: []rag.Chunk{
			{Text: "The D300 diffuser holds 300ml of water and runs for about 8 hours. Clean the tank every 3 weeks.", HeadingPath: []string{"Diffuser care", "The D300 diffuser"}}}},
		{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "en-lamp.md"}, Title: "Desk lamp", Chunks: []rag.Chunk{
			{Text: "The desk lamp takes an E27 bulb of at most 12 W and is silent, under 20 dB.", HeadingPath: []string{"Desk lamp", "Bulbs"}}}},
		{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "zh-humidifier.md"}, Title: "加湿器", Chunks: []rag.Chunk{
			{Text: "H2加湿器水箱容量2L，连续工作约12小时，请每周清洗一次水箱。"}}},
		{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "en-powerbank.md"}, Title: "PowerGo power bank", Chunks: []rag.Chunk{
			{Text: "The PowerGo power bank has a battery capacity of 20000mAh and charges two phones at once.", HeadingPath: []string{"PowerGo power bank", "Battery"}}}},
		{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "zh-powerbank.md"}, Title: "闪充移动电源", Chunks: []rag.Chunk{
			{Text: "闪充移动电源电池容量为10000毫安时，可同时给两台手机充电。"}}},
	} {
		if _, err := s.Ingest(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	f := rag.Filter{TenantID: tenant, KB: "help"}
	absent := slices.Index(rag.FeatureNames, "measure_absent")
	if absent < 0 {
		t.Fatal("no measure_absent feature")
	}
	for _, tc := range []struct {
		question string
		want     float64
	}{
		{"how many watts does the D300 diffuser use", 1},
		{"how loud is the D300 diffuser in decibels", 1},
		{"how much water does the D300 diffuser hold", 0},
		{"what wattage of bulb can the desk lamp take", 0},
		{"how noisy is the desk lamp", 0},
		{"H2加湿器功率多少瓦", 1},
		{"H2加湿器水温多少度合适", 1},
		{"H2加湿器水箱容量多少", 0},
		{"what is the battery capacity of the PowerGo power bank", 0},
		{"闪充移动电源的电池容量有多大", 0},
		{"how many watts does the PowerGo power bank charge at", 1},
	} {
		d, err := s.Draft(ctx, rag.AnswerRequest{Filter: f, Question: tc.question})
		if err != nil {
			t.Fatal(err)
		}
		if d.Features == nil {
			t.Fatalf("%q: no draft", tc.question)
		}
		if got := d.Features[absent]; got != tc.want {
			t.Errorf("%q: measure_absent %v, want %v (reply %q)", tc.question, got, tc.want, d.Text)
		}
		if tc.want == 1 {
			x := slices.Clone(d.Features)
			x[absent] = 0
			if p := rag.DefaultAnswerability().Prob(x); !(d.Confidence < p) {
				t.Errorf("%q: confidence %.2f, %.2f if the passage gave the figure: want lower", tc.question, d.Confidence, p)
			}
		}
	}
	// "Battery capacity" asks the battery's, not a volume: the passage
	// giving it in mAh answers, it is not declined.
	for _, q := range []string{"what is the battery capacity of the PowerGo power bank", "闪充移动电源的电池容量有多大"} {
		d, err := s.Draft(ctx, rag.AnswerRequest{Filter: f, Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if s.Abstains(d.Confidence) {
			t.Errorf("%q: declined (confidence %.2f) with %q", q, d.Confidence, d.Text)
		}
	}
}

func TestParseMeasures(t *testing.T) {
	if _, err := rag.ParseMeasures(strings.NewReader("# comment\n\npower\tW; 瓦\t功率; how many watts\n")); err != nil {
		t.Errorf("good file: %v", err)
	}
	for _, bad := range []string{"power\tW\n", "\tW\t功率\n", "power\t\t功率\n", "power\tW\t\n"} {
		if _, err := rag.ParseMeasures(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
	if rag.DefaultMeasures() == nil {
		t.Error("no shipped measures")
	}
}

// TestYesNoEntryForAnotherQuestion: an FAQ entry that answers yes or no
// ("Can I take the power bank on a plane?") quoted for a question that
// asks neither yes nor no nor a figure ("where is my power bank") is a
// less likely answer than the same entry quoted for its own question.
func TestYesNoEntryForAnotherQuestion(t *testing.T) {
	s := &rag.Service{Index: &memIndex{}}
	ctx := context.Background()
	d := rag.Document{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "en-faq.jsonl"}, Title: "FAQ", Chunks: []rag.Chunk{
		{Question: "Can I take the PowerGo power bank on a plane?", Answer: "Yes, the PowerGo is rated 74Wh, so most airlines allow it in carry-on luggage.",
			Text: "Yes, the PowerGo is rated 74Wh, so most airlines allow it in carry-on luggage."}}}
	if _, err := s.Ingest(ctx, d); err != nil {
		t.Fatal(err)
	}
	entry := slices.Index(rag.FeatureNames, "yesno_entry")
	f := rag.Filter{TenantID: tenant, KB: "help", Lang: "en"}
	for _, tc := range []struct {
		question string
		want     float64
	}{
		{"where is my PowerGo", 1},
		{"how much does the PowerGo cost", 0}, // an amount: figure_missing judges it
		{"can i bring the PowerGo on a plane", 0},
	} {
		dr, err := s.Draft(ctx, rag.AnswerRequest{Filter: f, Question: tc.question})
		if err != nil {
			t.Fatal(err)
		}
		if dr.Features == nil || dr.Features[entry] != tc.want {
			t.Fatalf("%q: features %v, want yesno_entry %v", tc.question, dr.Features, tc.want)
		}
		if tc.want == 1 {
			x := slices.Clone(dr.Features)
			x[entry] = 0
			if p := rag.DefaultAnswerability().Prob(x); !(dr.Confidence < p) {
				t.Errorf("%q: confidence %.2f, %.2f if the entry asked the same: want lower", tc.question, dr.Confidence, p)
			}
		}
	}
}
