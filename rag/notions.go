package rag

import (
	"bytes"
	_ "embed"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"
)

// A notion is one thing customers name with different words, in either
// language: a line of the shop lexicon (rag/lexicon/shop.tsv: "退货、退回
// 	return; send back") or of the paraphrase lexicon (rag/paraphrase.tsv:
// "礼物、礼品	gift; present"). Paraphrases of one question seldom share
// their words ("can u wrap it as a present" and "Do you offer gift
// wrapping?", "会不会变小" and "会缩水吗"), more often their notions, so a
// question's paraphrase features hold the notions it names in place of
// the words that name them.
//
// The paraphrase lexicon is for matching questions with each other (the
// gap report's clusters, published answers), not for searching articles:
// its words are only alike as customers ask ("uni" and "student"), not
// equivalent in an article.

//go:embed paraphrase.tsv
var paraphraseLexicon []byte

// paraphraseLex is the paraphrase lexicon, parsed once.
var paraphraseLex = sync.OnceValue(func() *Lexicon {
	l, err := ParseLexicon(bytes.NewReader(paraphraseLexicon))
	if err != nil {
		panic("rag: embedded paraphrase lexicon: " + err.Error())
	}
	return l
})

// notionIndex finds the notions of a text.
type notionIndex struct {
	feature []string            // the feature of each notion
	thing   map[string]bool     // the features of the notions that name goods (thingKind)
	en      map[string][]enForm // English forms by their first (folded) word
	zh      map[string][]int    // Chinese forms: the notions of each
	zhMax   int                 // the longest Chinese form, in characters
}

type enForm struct {
	words []string
	ids   []int
}

// notions is the notion index of the shop lexicon and the paraphrase
// lexicon, built once.
var notions = sync.OnceValue(func() *notionIndex {
	ix := &notionIndex{en: map[string][]enForm{}, zh: map[string][]int{}, thing: map[string]bool{}}
	for _, l := range []*Lexicon{DefaultLexicon(), paraphraseLex()} {
		for _, e := range l.entries {
			ix.add(e)
		}
	}
	return ix
})

// add indexes one lexicon entry as a notion. Forms of one character (换,
// 天, "w") are left out: they are parts of too many other words (切换,
// 今天).
func (ix *notionIndex) add(e lexEntry) {
	id := len(ix.feature)
	ix.feature = append(ix.feature, "~"+e.enText[0]+"#"+strconv.Itoa(id))
	if e.thing {
		ix.thing[ix.feature[id]] = true
	}
	for _, f := range e.zh {
		if n := utf8.RuneCountInString(f); n > 1 && !slices.Contains(ix.zh[f], id) {
			ix.zh[f] = append(ix.zh[f], id)
			ix.zhMax = max(ix.zhMax, n)
		}
	}
	for _, f := range e.enText {
		words := foldAll(lexWords(f))
		if len(words) == 0 || len(words) == 1 && len(words[0]) < 2 {
			continue
		}
		forms := ix.en[words[0]]
		found := false
		for i := range forms {
			if slices.Equal(forms[i].words, words) {
				if !slices.Contains(forms[i].ids, id) {
					forms[i].ids = append(forms[i].ids, id)
				}
				found = true
			}
		}
		if !found {
			forms = append(forms, enForm{words: words, ids: []int{id}})
		}
		ix.en[words[0]] = forms
	}
}

// wordsAt returns how many words the longest form starting at words[i]
// spans (0: none) and the notions it names.
func (ix *notionIndex) wordsAt(words []string, i int) (int, []int) {
	n, ids := 0, []int(nil)
	for _, f := range ix.en[words[i]] {
		if len(f.words) > n && i+len(f.words) <= len(words) && slices.Equal(words[i:i+len(f.words)], f.words) {
			n, ids = len(f.words), f.ids
		}
	}
	return n, ids
}

// charsAt returns how many characters the longest Chinese form starting
// at rs[i] spans (0: none) and the notions it names.
func (ix *notionIndex) charsAt(rs []rune, i int) (int, []int) {
	for n := min(ix.zhMax, len(rs)-i); n > 1; n-- {
		if ids, ok := ix.zh[string(rs[i:i+n])]; ok {
			return n, ids
		}
	}
	return 0, nil
}
