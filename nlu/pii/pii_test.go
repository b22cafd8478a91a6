package pii

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

type found struct {
	Kind Kind
	Text string
}

func finds(s string) []found {
	var out []found
	for _, m := range Find(s) {
		out = append(out, found{m.Kind, s[m.Start:m.End]})
	}
	return out
}

func TestFind(t *testing.T) {
	tests := []struct {
		in   string
		want []found
	}{
		// Phones.
		{"我的手机是13812345678，谢谢", []found{{Phone, "13812345678"}}},
		{"call me at +86 138-1234-5678 please", []found{{Phone, "+86 138-1234-5678"}}},
		{"电话：138 1234 5678。", []found{{Phone, "138 1234 5678"}}},
		{"电话：138　1234　5678。", []found{{Phone, "138　1234　5678"}}}, // ideographic spaces
		{"0086-15912345678", []found{{Phone, "0086-15912345678"}}},
		{"手机号１３８１２３４５６７８", []found{{Phone, "１３８１２３４５６７８"}}},
		{"tel19912345678", []found{{Phone, "19912345678"}}},
		{"座机010-62345678有人吗", []found{{Phone, "010-62345678"}}},
		{"打(0755)23456789", []found{{Phone, "(0755)23456789"}}},
		{"UK office +44 20 7946 0958.", []found{{Phone, "+44 20 7946 0958"}}},
		{"order 913812345678", nil},        // 12 digits: no mobile inside a longer number
		{"12345678901 is not mobile", nil}, // 2nd digit 2
		{"数量 3 件 13812345678", []found{{Phone, "13812345678"}}},
		// E-mail.
		{"mail: li.wei+shop@example.com.cn!", []found{{Email, "li.wei+shop@example.com.cn"}}},
		{"邮箱是abc_1@qq.com吗", []found{{Email, "abc_1@qq.com"}}},
		{"not an email: a@b, @example.com, x@y.z", nil},
		// Identity numbers.
		{"身份证44030519900101123X", []found{{ID, "44030519900101123X"}}},
		{"id 310115198506074525.", []found{{ID, "310115198506074525"}}},
		{"身份证11010519491231002x", []found{{ID, "11010519491231002x"}}},
		// A mistyped identity number is still one: ID-shaped (area, a
		// real birth date) is enough, the check digit is not needed.
		{"bad check digit 440305199001011231", []found{{ID, "440305199001011231"}}},
		{"my ID is 110101199003077777", []found{{ID, "110101199003077777"}}},
		{"18 digits, no birth date 440305123456789012", nil},
		// Cards.
		{"卡号 6222 0202 0011 2233 446", []found{{Card, "6222 0202 0011 2233 446"}}},
		{"card 4111-1111-1111-1111 exp 12/28", []found{{Card, "4111-1111-1111-1111"}}},
		{"卡号6228480012345671", []found{{Card, "6228480012345671"}}},
		{"Luhn fails 6222020200112233445", nil},
		{"订单号 20261103123456", nil},
		{"card 6228480012345671 13812345678", []found{{Card, "6228480012345671"}, {Phone, "13812345678"}}},
		// Several, and priorities.
		{"我叫张三 13912345678 zhang@shop.cn 身份证310115198506074525 卡6228480012345671",
			[]found{{Phone, "13912345678"}, {Email, "zhang@shop.cn"}, {ID, "310115198506074525"}, {Card, "6228480012345671"}}},
		{"13812345678@163.com", []found{{Email, "13812345678@163.com"}}},
		{"", nil},
		{"no data here, 订单 12345", nil},
	}
	for _, tt := range tests {
		if got := finds(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Find(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// Landlines as customers write them (area code, then the number grouped
// by spaces or hyphens) and passport numbers are masked; order numbers,
// tracking numbers, amounts and dates stay.
func TestFindLandlinesPassportsAndLookalikes(t *testing.T) {
	tests := []struct {
		in   string
		want []found
	}{
		{"ring me at 021-6234 5678 or (010) 8888 6666", []found{{Phone, "021-6234 5678"}, {Phone, "(010) 8888 6666"}}},
		{"座机0755-12345678", []found{{Phone, "0755-12345678"}}},
		{"座机 0755 1234 5678，白天", []found{{Phone, "0755 1234 5678"}}},
		{"电话021-62345678转", []found{{Phone, "021-62345678"}}},
		{"（０１０）８８８８６６６６", []found{{Phone, "（０１０）８８８８６６６６"}}},
		{"passport E12345678, 护照号G12345678。", []found{{Passport, "E12345678"}, {Passport, "G12345678"}}},
		{"护照 EA1234567", []found{{Passport, "EA1234567"}}},
		{"passport e12345678", []found{{Passport, "e12345678"}}},
		// Lookalikes that stay.
		{"订单 DD202611030001 到哪了", nil},
		{"订单DD2026110312345还没发货", nil},
		{"顺丰 SF1234567890123，圆通 YT1234567890123", nil},
		{"中通 75312345678901 到了吗", nil},
		{"中通单号 031234567890123", nil},
		{"退款 ¥1299.00，2026-12-06 下单，12/06 签收", nil},
		{"2026-11-03 10:25 paid 0.99", nil},
		{"SKU CL-HD-001 or PE12345678 or E123456789 or XG12345678", nil},
		{"订单号 440305199001011231888", nil},
	}
	for _, tt := range tests {
		if got := finds(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Find(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if got := Mask("passport E12345678, phone 021-6234 5678"); got != "passport [PASSPORT_1], phone [PHONE_1]" {
		t.Errorf("Mask = %q", got)
	}
	masked, v := MaskWithVault("passport E12345678")
	if v.Unmask(masked) != "passport E12345678" {
		t.Errorf("Unmask(%q) = %q", masked, v.Unmask(masked))
	}
}

func TestChecks(t *testing.T) {
	for id, want := range map[string]bool{
		"11010519491231002X": true, "11010519491231002x": true, "440305199001011231": false,
		"1101051949123100": false, "11010519491231002Y": false,
	} {
		if ValidID(id) != want {
			t.Errorf("ValidID(%s) != %v", id, want)
		}
	}
	for n, want := range map[string]bool{"4111111111111111": true, "4111111111111112": false, "": false, "41x1": false} {
		if Luhn(n) != want {
			t.Errorf("Luhn(%s) != %v", n, want)
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"手机13812345678，再说一遍13812345678", "手机[PHONE_1]，再说一遍[PHONE_1]"},
		{"a@x.com b@x.com a@x.com", "[EMAIL_1] [EMAIL_2] [EMAIL_1]"},
		{"13812345678 / 13912345678 / li@x.cn", "[PHONE_1] / [PHONE_2] / [EMAIL_1]"},
		{"身份证44030519900101123X 卡号 4111 1111 1111 1111", "身份证[ID_1] 卡号 [CARD_1]"},
		{"nothing to hide", "nothing to hide"},
		// A literal placeholder in the text keeps its number to itself.
		{"[PHONE_1] is my old one, new: 13812345678", "[PHONE_1] is my old one, new: [PHONE_2]"},
	}
	var m Masker
	for _, tt := range tests {
		if got := m.Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
		masked, v := MaskWithVault(tt.in)
		if got := v.Unmask(masked); got != tt.in {
			t.Errorf("Unmask(Mask(%q)) = %q", tt.in, got)
		}
	}
}

func TestVaultAcrossTexts(t *testing.T) {
	v := NewVault()
	a := v.Mask("我的电话 13812345678")
	b := v.Mask("还是13812345678，邮箱 li@x.cn")
	if a != "我的电话 [PHONE_1]" || b != "还是[PHONE_1]，邮箱 [EMAIL_1]" {
		t.Fatalf("masked %q, %q", a, b)
	}
	// A later text that writes a used placeholder literally.
	c := v.Mask("you wrote [PHONE_1] and [CARD_7]")
	if strings.Contains(c, "[PHONE_1]") || v.Unmask(c) != "you wrote [PHONE_1] and [CARD_7]" {
		t.Errorf("literal placeholder: masked %q, unmasked %q", c, v.Unmask(c))
	}
	// An LLM answer using the placeholders gets the values back; unknown
	// placeholders stay.
	answer := "好的，我们会致电 [PHONE_1] 并发邮件到 [EMAIL_1]，[EMAIL_9] 不存在。"
	if got := v.Unmask(answer); got != "好的，我们会致电 13812345678 并发邮件到 li@x.cn，[EMAIL_9] 不存在。" {
		t.Errorf("Unmask = %q", got)
	}
	if val, ok := v.Value("[EMAIL_1]"); !ok || val != "li@x.cn" {
		t.Errorf("Value = %q, %v", val, ok)
	}
	var nilVault *Vault
	if nilVault.Unmask("[PHONE_1]") != "[PHONE_1]" {
		t.Errorf("nil vault changed the text")
	}
}

func TestHandler(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(NewHandler(slog.NewJSONHandler(&buf, nil)))
	log = log.With("customer", "li@x.cn")
	log.Info("call 13812345678 back",
		"text", "我的手机13912345678",
		"err", errors.New("lookup 6228480012345671 failed"),
		slog.Group("g", "phone", "+86 138 1234 5678", "n", 3),
		"ok", "order 12345")
	out := buf.String()
	for _, leak := range []string{"li@x.cn", "13812345678", "13912345678", "6228480012345671", "138 1234 5678"} {
		if strings.Contains(out, leak) {
			t.Errorf("log leaks %s: %s", leak, out)
		}
	}
	for _, keep := range []string{"[PHONE_1]", "[EMAIL_1]", "[CARD_1]", `"n":3`, "order 12345"} {
		if !strings.Contains(out, keep) {
			t.Errorf("log lacks %s: %s", keep, out)
		}
	}

	buf.Reset()
	log = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: ReplaceAttr}))
	log.WithGroup("req").Info("x", "email", "a@b.cn", "count", 2)
	if out := buf.String(); strings.Contains(out, "a@b.cn") || !strings.Contains(out, "req.email=[EMAIL_1]") {
		t.Errorf("ReplaceAttr: %s", out)
	}
	if !NewHandler(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn})).Enabled(context.Background(), slog.LevelWarn) {
		t.Error("Enabled not passed through")
	}
}

func FuzzMask(f *testing.F) {
	for _, s := range []string{
		"我的手机是13812345678，邮箱li@x.cn",
		"+86 138-1234-5678 / 4111 1111 1111 1111 / 44030519900101123X",
		"[PHONE_1] 13812345678 [EMAIL_2]",
		"(0755)23456789 +44 20 7946 0958",
		"１３８１２３４５６７８＠qq.com",
		"\xff\xfe13812345678\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, m := range Find(s) {
			if m.Start < 0 || m.End > len(s) || m.Start >= m.End || (utf8.ValidString(s) && (!utf8.RuneStart(s[m.Start]) || (m.End < len(s) && !utf8.RuneStart(s[m.End])))) {
				t.Fatalf("bad span %+v in %q", m, s)
			}
		}
		masked, v := MaskWithVault(s)
		if got := v.Unmask(masked); got != s {
			t.Fatalf("Unmask(Mask(%q)) = %q via %q", s, got, masked)
		}
		if again := Find(masked); len(again) != 0 {
			t.Fatalf("Mask(%q) = %q still holds %+v", s, masked, again)
		}
	})
}

func BenchmarkMask(b *testing.B) {
	msgs := []string{
		"你好，我的订单DD2026110312345还没发货，手机13812345678，麻烦尽快处理一下",
		"Hi, I ordered a jacket last week and it still hasn't shipped. My email is li.wei@example.com",
		"我想问一下这个羽绒服有没有XL码的，什么时候补货啊",
		"Where is my parcel? Tracking SF1234567890123, call me at +86 139-1234-5678",
	}
	var n int
	for _, m := range msgs {
		n += len(m)
	}
	b.SetBytes(int64(n / len(msgs)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_ = Mask(msgs[i%len(msgs)])
	}
}

// Text masked from a message holding every kind of personal data shows
// each value as a placeholder that Placeholders finds, so no masked value
// reaches a customer unnoticed (a kind added to Find is found too).
func TestPlaceholdersFindEveryKindMasked(t *testing.T) {
	msg := "手机13812345678，邮箱abc_1@qq.com，身份证44030519900101123X，卡号 6222 0202 0011 2233 446，护照E12345678"
	kinds := map[Kind]bool{}
	for _, m := range Find(msg) {
		kinds[m.Kind] = true
	}
	if len(kinds) != len(priority) {
		t.Fatalf("the message holds kinds %v, want every kind Find reports", kinds)
	}
	masked, v := MaskWithVault(msg)
	got := Placeholders(masked)
	if len(got) != v.Len() || len(got) != len(kinds) {
		t.Errorf("Placeholders(%q) = %q, want the %d the vault made", masked, got, v.Len())
	}
	if ph := Placeholders("call 010-[PHONE] or write to [NAME_1]"); len(ph) != 0 {
		t.Errorf("Placeholders of text without any = %q", ph)
	}
}
