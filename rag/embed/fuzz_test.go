package embed_test

import (
	"strings"
	"testing"

	"github.com/assistd/assist/rag/embed"
)

// FuzzTokenizer feeds text to the WordPiece tokenizer: the ids start with
// [CLS], end with [SEP], stay within the vocabulary and MaxLength, never
// a panic.
func FuzzTokenizer(f *testing.F) {
	for _, s := range []string{"The refunds, unwanted!", "退货退款", "Café cafe\u0301", "\x00\xff", strings.Repeat("a", 1000), "##s [CLS]"} {
		f.Add(s)
	}
	tok, err := embed.NewTokenizer(testVocab, embed.TokenizerConfig{Lowercase: true, MaxLength: 32})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ids := tok.Encode(text)
		if len(ids) < 2 || len(ids) > tok.MaxLength() {
			t.Fatalf("Encode(%q): %d ids", text, len(ids))
		}
		for _, id := range ids {
			if id < 0 || int(id) >= len(testVocab) {
				t.Fatalf("Encode(%q): id %d outside the vocabulary", text, id)
			}
		}
		if testVocab[ids[0]] != "[CLS]" || testVocab[ids[len(ids)-1]] != "[SEP]" {
			t.Fatalf("Encode(%q) = %v: want [CLS] ... [SEP]", text, ids)
		}
		_ = tok.Tokenize(text)
	})
}

// FuzzReadVocab feeds vocabulary files to the reader: a list or an error.
func FuzzReadVocab(f *testing.F) {
	f.Add(strings.Join(testVocab, "\n"))
	f.Add("\r\n\r\n[UNK]\r\n")
	f.Fuzz(func(t *testing.T, data string) {
		vocab, err := embed.ReadVocab(strings.NewReader(data))
		if err != nil {
			return
		}
		_, _ = embed.NewTokenizer(vocab, embed.TokenizerConfig{})
	})
}
