package text

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// patternCases are expressions of the shape the bot's rules use.
var patternCases = []string{
	`(?i)\bhack(ed|er)\b|\bcompromised\b|\b(someone|somebody|a stranger|stranger)\b[^.?!]{0,30}\b(logged|log|got|signed|sign)\s*(in|into|on)\b|被盗|盗号|(账号|账户|帐号|帐户)[^，。？！,.?!]{0,8}被(人)?(登|改|用|盗)`,
	`(?i)\bcharged\b[^.?!]{0,20}\b(twice|two times|double|2x)\b|\bdouble[- ]?(charg|billed|paid|payment)\w*|(扣|付|支付|扣款|扣费|收)了?我?(两|2|二)次|(两|2)笔(扣款|钱|付款)`,
	`(?i)\b(\d+|two|three|several|a few)\s+(days?|weeks?|business days)\b|已经\d+天`,
	`(?i)请参阅|请参考|详见|参见|\bsee (the |our )?(\w+ )?(article|page|section)\b|\brefer to\b`,
	`(?i)\byour\s+(phone|e-?mail|hours)\b|\b(opening|business)\s+hours\b|电话|客服`,
	`\bSKU\d+\b|订单`,        // no (?i): upper case looked for as written
	`(?i)desk|kilo|sweets`, // k and s: the Kelvin sign and the long s match too
	`(?i)straße|ΣΊΣΥΦΟΣ|σ`, // non-ASCII letters under (?i): no words needed
	`a*|b`,                 // matches the empty text
	`(?i)[a-c]x|[两二]次|y{2,}`,
	`(?i)\bhow (long|much)\b|多久|\bSKU\s*\d+`, // mixed case in the expression
	`(?i)sku订单|退货`,                           // a word of letters and Han
	// top-level alternatives split for MatchString: anchors, classes
	// holding | and ], escapes, groups, an empty branch
	`^where|次$|[|\]]x|a\|b|(how|what) (long|much)|desk||[^.?!]{0,3}\bhacked`,
	`(?i)^\W*(so|ok)\s+can i|\bwhen\b[^.?!]{0,30}\b(humans?|agents?)\b|[[:digit:]]+\s*days|客服(电话|热线)|\byour\s+(phone|e-?mail)\b`,
	`(?:desk|kilo)|(?i)sweets|订单|两次`, // flags set mid-way: not split
	// branches matching at the same start: the first in order is the match
	`ab|a|abc|x`, `b|abc|ab|c`, `(?i)\bhow\b|how long|\w+ long|long`,
}

var patternTexts = []string{
	"İSTANBUL DESK", "ſ", "K", "desK", "DeSk", "dEs", "kiloK",
	// longer than shortText: lower-cased once
	strings.Repeat("Where is my ORDER, 订单 ", 12) + "My Account Was HACKED", strings.Repeat("Nothing here at all. ", 15),
	"", "my account was hacked", "My ACCOUNT was HACKED!", "someone logged into my account", "账号被人登了", "我的账户被盗了",
	"I was charged twice", "charged me 2x", "扣了我两次", "两笔扣款", "2笔钱", "it has been 3 days", "two weeks ago", "已经5天了",
	"please see the article on returns", "请参阅英文文章", "REFER TO the page", "what are your opening hours", "your e-mail?", "客服电话",
	"SKU123 please", "sku123 please", "订单DD2026", "DESK", "DES\u212a", "\u017fweets", "SWEETS", "STRASSE", "straße", "ΣΊΣΥΦΟΣ", "σ",
	"bx", "BX", "两次", "二次", "yy", "hello there", "abc", "xabcab", "and How LONG", "so long", "İstanbul desk", "where is my order", "谢谢",
}

func TestPatternMatchesAsItsRegexp(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var words []string
	for _, s := range patternTexts {
		words = append(words, strings.Fields(s)...)
	}
	texts := append([]string(nil), patternTexts...)
	for range 3000 { // texts of the cases' words, in random case
		var b strings.Builder
		for range 1 + rng.IntN(5) {
			w := words[rng.IntN(len(words))]
			if rng.IntN(3) == 0 {
				w = strings.ToUpper(w)
			}
			b.WriteString(w)
			b.WriteString([]string{" ", "", "，", ". "}[rng.IntN(4)])
		}
		texts = append(texts, b.String())
	}
	for _, expr := range patternCases {
		p, re := MustPattern(expr), regexp.MustCompile(expr)
		for _, s := range texts {
			if got, want := p.MatchString(s), re.MatchString(s); got != want {
				t.Errorf("%s: MatchString(%q) = %v, want %v", expr, s, got, want)
			}
			if got, want := p.FindString(s), re.FindString(s); got != want {
				t.Errorf("%s: FindString(%q) = %q, want %q", expr, s, got, want)
			}
			same := func(name string, got, want any) {
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: %s(%q) = %v, want %v", expr, name, s, got, want)
				}
			}
			same("FindStringIndex", p.FindStringIndex(s), re.FindStringIndex(s))
			same("FindStringSubmatch", p.FindStringSubmatch(s), re.FindStringSubmatch(s))
			same("FindStringSubmatchIndex", p.FindStringSubmatchIndex(s), re.FindStringSubmatchIndex(s))
			same("FindAllString", p.FindAllString(s, -1), re.FindAllString(s, -1))
			same("FindAllStringIndex", p.FindAllStringIndex(s, -1), re.FindAllStringIndex(s, -1))
			same("FindAllStringSubmatch", p.FindAllStringSubmatch(s, -1), re.FindAllStringSubmatch(s, -1))
			same("FindAllStringSubmatchIndex", p.FindAllStringSubmatchIndex(s, 2), re.FindAllStringSubmatchIndex(s, 2))
			same("ReplaceAllString", p.ReplaceAllString(s, "<$0>"), re.ReplaceAllString(s, "<$0>"))
			same("ReplaceAllLiteralString", p.ReplaceAllLiteralString(s, "$0"), re.ReplaceAllLiteralString(s, "$0"))
			same("ReplaceAllStringFunc", p.ReplaceAllStringFunc(s, strings.ToUpper), re.ReplaceAllStringFunc(s, strings.ToUpper))
			for _, n := range []int{-1, 0, 1, 2} {
				same(fmt.Sprintf("Split(n=%d)", n), p.Split(s, n), re.Split(s, n))
			}
		}
	}
}

func TestSplitBranches(t *testing.T) {
	for _, c := range []struct {
		expr string
		want []string
	}{
		{`a|b|c|d`, []string{"a", "b", "c", "d"}},
		{`(?i)a|(b|c)|[|]|d\|e|f`, []string{"(?i)a", "(?i)(b|c)", "(?i)[|]", `(?i)d\|e`, "(?i)f"}},
		{`[]|]x|[^]|]|[[:alpha:]|]|z`, []string{"[]|]x", "[^]|]", "[[:alpha:]|]", "z"}},
		{`a|b|c`, nil},             // too few
		{`(?:a|b)|c|(?i)d|e`, nil}, // flags mid-way
		{`\Qa|b\E|c|d|e`, nil},     // quoted
		{`(?i:a)|b|c|d`, []string{"(?i:a)", "b", "c", "d"}},
	} {
		if got := splitBranches(c.expr); !reflect.DeepEqual(got, c.want) {
			t.Errorf("splitBranches(%q) = %q, want %q", c.expr, got, c.want)
		}
	}
}

func TestPatternNeeds(t *testing.T) {
	for _, c := range []struct {
		expr string
		need bool // words were found
	}{
		{`(?i)\bhack(ed|er)\b|被盗`, true},
		{`(扣|付)了?我?(两|2|二)次`, true},
		{`a*|b`, false},
		{`(?i)straße`, false},
		{`\w+`, false},
	} {
		if got := MustPattern(c.expr).need != nil; got != c.need {
			t.Errorf("%s: words found %v, want %v (%q)", c.expr, got, c.need, MustPattern(c.expr).need)
		}
	}
}

func BenchmarkPattern(b *testing.B) {
	p, re := MustPattern(patternCases[0]), regexp.MustCompile(patternCases[0])
	const s = "How much do I need to spend for free shipping on an order this size?"
	b.Run("regexp", func(b *testing.B) {
		for b.Loop() {
			re.MatchString(s)
		}
	})
	b.Run("pattern", func(b *testing.B) {
		for b.Loop() {
			p.MatchString(s)
		}
	})
}

func TestContainsFold(t *testing.T) {
	for _, c := range []struct {
		s, w string
		want bool
	}{
		{"", "", true}, {"abc", "", true}, {"", "a", false},
		{"How Much", "how much", true}, {"HOW MUCH", "much", true}, {"how muc", "much", false},
		{"xxSKU订单", "sku订单", true}, {"sku订", "sku订单", false}, {"aaab", "aab", true},
		{"İstanbul", "istanbul", false}, // İ is not I under (?i)
	} {
		if got := containsFold(c.s, c.w); got != c.want {
			t.Errorf("containsFold(%q, %q) = %v, want %v", c.s, c.w, got, c.want)
		}
	}
}
