package rag_test

import (
	"strings"
	"testing"

	"github.com/assistd/assist/rag"
)

// A longer form of the lexicons never swallows the notion of a word in it
// ("我的订单" still names an order, "收货地址" an address, "gift wrapping" a
// gift): a paraphrase naming only the word would otherwise miss the entry
// naming the longer form. Abbreviations customers type name the notion of
// the word ("acct", "pkg", "tmrw").
func TestNotionsKeepTheirWords(t *testing.T) {
	for text, want := range map[string][]string{
		"我的订单到哪了":                      {"order"},
		"怎么修改收货地址":                     {"address", "change"},
		"do you offer gift wrapping":   {"gift", "wrap"},
		"can I change my home address": {"address", "change"},
		"退款到账要多久":                      {"refund"},
		"can i update my acct email":   {"account", "change", "email"},
		"where is my pkg, due tmrw?":   {"courier", "tomorrow"},
		"沙发面料可以寄样品吗":                   {"sample"},
	} {
		f := rag.ParaphraseFeatures(text)
		for _, n := range want {
			found := false
			for k := range f {
				found = found || strings.HasPrefix(k, "~"+n+"#") || strings.HasPrefix(k, "~"+n+" ")
			}
			if !found {
				t.Errorf("%q: no notion %q in %v", text, n, f)
			}
		}
	}
}
