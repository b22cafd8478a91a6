package text

import (
	"reflect"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"full-width latin and digits", "ＡＢＣ１２３", "abc123"},
		{"full-width punctuation", "订单，在哪？", "订单,在哪?"},
		{"ideographic full stop stays", "你好。", "你好。"},
		{"lower case", "Where Is MY Order", "where is my order"},
		{"whitespace collapsed and trimmed", "  hello\t\n  world \u3000", "hello world"},
		{"ideographic space", "退货\u3000政策", "退货 政策"},
		{"control and format characters dropped", "ab\u0000c\u200bd\u200e", "abcd"},
		{"half-width katakana widened", "ｶﾀｶﾅ", "カタカナ"},
		{"ligature", "ﬁle", "file"},
		{"circled digit", "①", "1"},
		{"invalid utf-8 repaired", "ab\xffcd", "ab\ufffdcd"},
		{"mixed", "我的ＩＰｈｏｎｅ１５　坏了！", "我的iphone15 坏了!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.in)
			if got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Normalize(got); again != got {
				t.Errorf("not idempotent: %q → %q", got, again)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		in   string
		want Lang
	}{
		{"", EN},
		{"where is my parcel", EN},
		{"我的快递到哪了", ZH},
		{"我的iphone坏了怎么办", ZH},
		{"my 快递 is late", Mixed},
		{"订单 order 还没 ship", Mixed},
		{"please check order 123456 快", EN},
		{"123456", EN},
		{"?!", EN},
		{"好", ZH},
	}
	for _, tt := range tests {
		if got := Detect(tt.in); got != tt.want {
			t.Errorf("Detect(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestSegments(t *testing.T) {
	tests := []struct {
		in   string
		want []Segment
	}{
		{"", nil},
		{"where's my order?", []Segment{{Word, "wheres"}, {Word, "my"}, {Word, "order"}}},
		{"我的iphone15坏了,怎么办", []Segment{{Han, "我的"}, {Word, "iphone15"}, {Han, "坏了"}, {Han, "怎么办"}}},
		{"退款 ¥199.00 到账", []Segment{{Han, "退款"}, {Word, "199"}, {Word, "00"}, {Han, "到账"}}},
		{"'quoted'", []Segment{{Word, "quoted"}}},
		{"😀 ok", []Segment{{Word, "ok"}}},
	}
	for _, tt := range tests {
		got := Segments(nil, tt.in)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Segments(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "ＡＢＣ", "我的iPhone 坏了!", "\xff\xfe", "ǅ", "ﬃ", "İstanbul", "ｶﾞ", "\u0345\u0399", "a\u200bb", "Ⅻ", "㍿"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Normalize(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Normalize(%q) = %q: not valid UTF-8", s, got)
		}
		if again := Normalize(got); again != got {
			t.Fatalf("Normalize not idempotent on %q: %q → %q", s, got, again)
		}
		Detect(got)
		for _, seg := range Segments(nil, got) {
			if seg.Text == "" || !utf8.ValidString(seg.Text) {
				t.Fatalf("Segments(%q): bad segment %q", got, seg.Text)
			}
		}
	})
}

func TestReplyLang(t *testing.T) {
	tests := []struct {
		s    string
		prev Lang
		want Lang
	}{
		{"where is my order?", ZH, EN}, // the customer switched: answer in English now
		{"我的订单到哪了", EN, ZH},            // and back
		{"hello", ZH, EN},              // one plain word of four letters
		{"ok", ZH, ZH},                 // too little to switch
		{"1", ZH, ZH},                  // a number
		{"DD202611050002", ZH, ZH},     // an order number is not English
		{"dd202611050002 pls", ZH, ZH}, // nor with one short word
		{"👍", EN, EN},                  // no letters
		{"我的iphone坏了", EN, ZH},         // Chinese with a product name
		{"my 快递 is late", ZH, ZH},      // evenly mixed: keep
		{"my 快递 is late", "", ZH},      // without a conversation language: it has Chinese
		{"ok", "", EN},                 // without one: Detect
		{"yes please", ZH, EN},         // two words
	}
	for _, tt := range tests {
		if got := ReplyLang(tt.s, tt.prev); got != tt.want {
			t.Errorf("ReplyLang(%q, %q) = %q, want %q", tt.s, tt.prev, got, tt.want)
		}
	}
}
