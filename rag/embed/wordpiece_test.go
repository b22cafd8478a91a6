package embed_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/rag/embed"
)

// testVocab is a tiny BERT-style vocabulary written for these tests.
var testVocab = []string{
	"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
	"the", "refund", "##s", "un", "##want", "##ed", "want", ",", "!", ".", "?",
	"退", "货", "款", "cafe", "hello", "world", "order", "##ing", "a", "##b", "Café",
}

func tokenizer(t testing.TB, cfg embed.TokenizerConfig) *embed.Tokenizer {
	t.Helper()
	tok, err := embed.NewTokenizer(testVocab, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestTokenize(t *testing.T) {
	no := false
	tests := []struct {
		name string
		cfg  embed.TokenizerConfig
		text string
		want string
	}{
		{"lower-cased with a suffix", embed.TokenizerConfig{Lowercase: true}, "Refunds!", "refund ##s !"},
		{"greedy longest match", embed.TokenizerConfig{Lowercase: true}, "unwanted", "un ##want ##ed"},
		{"unsplittable word is one UNK", embed.TokenizerConfig{Lowercase: true}, "unwantedx", "[UNK]"},
		{"CJK characters split one by one", embed.TokenizerConfig{Lowercase: true}, "退货退款政策", "退 货 退 款 [UNK] [UNK]"},
		{"CJK next to Latin", embed.TokenizerConfig{Lowercase: true}, "order退货", "order 退 货"},
		{"accents stripped when lower-casing", embed.TokenizerConfig{Lowercase: true}, "CAFÉ", "cafe"},
		{"cased keeps accents", embed.TokenizerConfig{}, "Café", "Café"},
		{"lower-cased without stripping", embed.TokenizerConfig{Lowercase: true, StripAccents: &no}, "CAFÉ", "[UNK]"},
		{"punctuation splits", embed.TokenizerConfig{Lowercase: true}, "hello,world.", "hello , world ."},
		{"full-width punctuation splits", embed.TokenizerConfig{Lowercase: true}, "退货？", "退 货 [UNK]"},
		{"control and format characters dropped", embed.TokenizerConfig{Lowercase: true}, "hel\x00lo wor\u200bld", "hello world"},
		{"invalid UTF-8 dropped", embed.TokenizerConfig{Lowercase: true}, "hel\xfflo", "hello"},
		{"unicode whitespace", embed.TokenizerConfig{Lowercase: true}, " hello\tworld\u3000the\n", "hello world the"},
		{"continuation of a one-letter word", embed.TokenizerConfig{}, "ab", "a ##b"},
		{"too long a word", embed.TokenizerConfig{}, strings.Repeat("a", 101), "[UNK]"},
		{"empty", embed.TokenizerConfig{}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(tokenizer(t, tt.cfg).Tokenize(tt.text), " ")
			if got != tt.want {
				t.Errorf("Tokenize(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestEncode(t *testing.T) {
	tok := tokenizer(t, embed.TokenizerConfig{Lowercase: true, MaxLength: 5})
	tests := []struct {
		text string
		want []int64
	}{
		{"", []int64{2, 3}},
		{"the refund", []int64{2, 5, 6, 3}},
		{"the refunds!", []int64{2, 5, 6, 7, 3}},             // exactly 5
		{"the refunds! hello world", []int64{2, 5, 6, 7, 3}}, // cut to 5
		{"unknownword", []int64{2, 1, 3}},
	}
	for _, tt := range tests {
		if got := tok.Encode(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("Encode(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestNewTokenizerErrors(t *testing.T) {
	if _, err := embed.NewTokenizer([]string{"[PAD]", "[CLS]", "[SEP]"}, embed.TokenizerConfig{}); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("vocab without [UNK]: %v", err)
	}
	if _, err := embed.NewTokenizer(testVocab, embed.TokenizerConfig{MaxLength: 2}); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("max length 2: %v", err)
	}
}

func TestReadVocab(t *testing.T) {
	got, err := embed.ReadVocab(strings.NewReader("[PAD]\r\n[UNK]\r\nhello\n"))
	if err != nil || !slices.Equal(got, []string{"[PAD]", "[UNK]", "hello"}) {
		t.Errorf("ReadVocab = %q, %v", got, err)
	}
	for _, bad := range []string{"", "ok\n\xff\xfe\n", strings.Repeat("x", 2000) + "\n"} {
		if _, err := embed.ReadVocab(strings.NewReader(bad)); assist.ErrorCode(err) != assist.EINVALID {
			t.Errorf("ReadVocab(%.20q) = %v, want EINVALID", bad, err)
		}
	}
}

func BenchmarkTokenizerEncode(b *testing.B) {
	vocab := append([]string{}, testVocab...)
	// A vocabulary of realistic size: 20,000 made-up pieces.
	for i := range 20000 {
		vocab = append(vocab, strings.Repeat(string(rune('a'+i%26)), 1+i%5)+string(rune('a'+(i/26)%26)))
		vocab = append(vocab, "##"+string(rune('a'+i%26))+string(rune('a'+(i/7)%26)))
	}
	tok, err := embed.NewTokenizer(vocab, embed.TokenizerConfig{Lowercase: true})
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat("Where is my refund? I returned the order on Monday, 退货已经寄回，请尽快退款。 ", 8)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		tok.Encode(text)
	}
}
