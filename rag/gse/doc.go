// Package gse is a rag.Analyzer that segments Chinese into words with
// github.com/go-ego/gse and its embedded dictionary (search mode: long
// words and their parts), and treats other text as rag.Bigrams does.
//
// It is the alternative to the default character bigrams; the README's
// performance section compares the two on cmrc2018 (recall, memory,
// speed). New loads the dictionary (slow, memory-hungry): share one
// Analyzer.
package gse
