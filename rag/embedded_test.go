package rag

import (
	"bytes"
	"testing"
)

// The word lists shipped inside the binary are parsed on first use, and a
// list that does not parse stops the process there (DefaultLexicon,
// DefaultSpecifics, the notion index): this test is where an edit that
// breaks one of them fails instead, with the parser's message.
func TestEmbeddedListsParse(t *testing.T) {
	lex, err := ParseLexicon(bytes.NewReader(shopLexicon))
	if err != nil {
		t.Fatalf("lexicon/shop.tsv: %v", err)
	}
	if err := lex.ParseSayings(bytes.NewReader(shopSayings)); err != nil {
		t.Fatalf("lexicon/sayings.tsv: %v", err)
	}
	para, err := ParseLexicon(bytes.NewReader(paraphraseLexicon))
	if err != nil {
		t.Fatalf("paraphrase.tsv: %v", err)
	}
	if len(lex.entries) == 0 || len(para.entries) == 0 {
		t.Fatalf("an embedded lexicon is empty: shop %d entries, paraphrase %d", len(lex.entries), len(para.entries))
	}
	if _, err := ParseSpecifics(bytes.NewReader(specificsTSV)); err != nil {
		t.Fatalf("specifics.tsv: %v", err)
	}
	// The lazily built values the search reads are the same lists.
	if DefaultLexicon() == nil || DefaultSpecifics() == nil || len(notions().feature) == 0 {
		t.Fatal("an embedded list built nothing")
	}
}
