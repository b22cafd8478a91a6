package flow

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestAddressIn(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"pls send the dress to my office instead: 杭州市滨江区江南大道 3850 号 5 楼, Olivia Brown, 134 1234 5606",
			"杭州市滨江区江南大道 3850 号 5 楼, Olivia Brown, 134 1234 5606"},
		{"那单地址改一下 深圳市福田区福华三路100号18楼 李雷 13612345604", "深圳市福田区福华三路100号18楼 李雷 13612345604"},
		{"寄到我公司杭州市西湖区文三路 90 号吧", "杭州市西湖区文三路 90 号吧"},
		{"朝阳区建国路88号SOHO现代城", "朝阳区建国路88号SOHO现代城"},
		{"can you ship it to Flat 3, 22 Baker Street, London NW1 6XE instead", "Flat 3, 22 Baker Street, London NW1 6XE instead"},
		{"new address is 12 Park Road, London", "12 Park Road, London"},
		// not addresses
		{"我在超市买的东西坏了", ""},
		{"偏远地区运费多少", ""},
		{"the 2 items I ordered", ""},
		{"订单 DD202611050002 什么时候到", ""},
	} {
		if got := addressIn(tc.text); got != tc.want {
			t.Errorf("addressIn(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// The one list of yes and no words, read the way customers type.
func TestAnswerWords(t *testing.T) {
	for _, tc := range []struct {
		text    string
		yes, no bool
		bare    bool // only a yes or a no
	}{
		{text: "嗯 提交吧", yes: true, bare: true},
		{text: "确认提交", yes: true, bare: true},
		{text: "好的确认", yes: true, bare: true},
		{text: "嗯嗯确认", yes: true, bare: true},
		{text: "没问题", yes: true, bare: true},
		{text: "fine, yes submit", yes: true},
		{text: "yes submit it", yes: true},
		{text: "ok yes go ahead and submit", yes: true, bare: true},
		{text: "yep that's right", yes: true, bare: true},
		{text: "yes go ahead", yes: true, bare: true},
		{text: "yes cancel it", yes: true},
		{text: "不用了", no: true, bare: true},
		{text: "nope", no: true, bare: true},
		{text: "快点行不行"},
		{text: "hmm actually no, keep it", no: true},
		{text: "oh yes please", yes: true, bare: true},
		{text: "呃 不用了", no: true, bare: true},
		{text: "sorry what was that"},
		{text: "要", yes: true, bare: true},
		{text: "要等你们收到货才退是吧"},
		{text: "great thank you"},
		{text: "确认一下退货运费多少？"},
		{text: "ok never mind, i'll keep them", no: true},
		{text: "alright, not now thanks", no: true, bare: true},
		{text: "okay no problem, submit it", yes: true},
	} {
		yes, no := Answer(tc.text)
		if yes != tc.yes || no != tc.no {
			t.Errorf("Answer(%q) = %v, %v; want %v, %v", tc.text, yes, no, tc.yes, tc.no)
		}
		if got := Bare(tc.text); got != tc.bare {
			t.Errorf("Bare(%q) = %v, want %v", tc.text, got, tc.bare)
		}
	}
}

// The quick replies of the reason question are the reasons the shop
// allows for the order's products.
func TestReasonChoicesFollowTheShop(t *testing.T) {
	shop := newFakeShop()
	e := newEngine(t, shop)
	in := Input{Text: "I want to return DD202611040012", Lang: "en", CustomerRef: "c5", ConversationID: "c"}
	in.Entities = extractor.Extract(in.Text)
	run, out, err := e.Start(context.Background(), "return_request", in, nil)
	if err != nil || out.Asking != "reason" {
		t.Fatalf("Start: asking %q, err %v", out.Asking, err)
	}
	var labels []string
	for _, c := range e.Choices(run, "en").Choices {
		labels = append(labels, c.Label)
	}
	if want := []string{"quality problem", "changed mind", "wrong item", "other reason"}; !slices.Equal(labels, want) {
		t.Errorf("choices %v, want %v", labels, want)
	}
}

func TestRunesHavePrefix(t *testing.T) {
	texts := []string{"", "省", "浙江省杭州市", "市区", "特别行政区", "特别行", "a\xffb省", "自治区x", "区"}
	for _, s := range texts {
		rs := []rune(s)
		for i := 0; i <= len(rs); i++ {
			for _, p := range append([]string{""}, zhDivisions...) {
				if got, want := runesHavePrefix(rs[i:], p), strings.HasPrefix(string(rs[i:]), p); got != want {
					t.Errorf("runesHavePrefix(%q, %q) = %v, want %v", string(rs[i:]), p, got, want)
				}
			}
		}
	}
}

// TestTrimToMarker: an address typed at its question after the words
// that introduce it is the address alone ("改成 上海市…", REVIEW14 1).
func TestTrimToMarker(t *testing.T) {
	for in, want := range map[string]string{
		"改成 上海市徐汇区漕溪北路 200 号 王芳 139 0000 1111":   "上海市徐汇区漕溪北路 200 号 王芳 139 0000 1111",
		"Change it to 88 Nanjing Road, Shanghai": "88 Nanjing Road, Shanghai",
		"上海市徐汇区漕溪北路 200 号":                       "上海市徐汇区漕溪北路 200 号",
		"改成":                                     "改成",
	} {
		if got := trimToMarker(in); got != want {
			t.Errorf("trimToMarker(%q) = %q, want %q", in, got, want)
		}
	}
}
