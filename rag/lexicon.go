package rag

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"

	"golang.org/x/text/unicode/norm"
)

// Lexicon is a bilingual (Chinese–English) word list for searching a
// question in the other language's articles: each entry has Chinese and
// English forms of one notion.
type Lexicon struct {
	entries []lexEntry
}

type lexEntry struct {
	zh []string   // normalised Chinese forms
	en [][]string // English forms, as stemmed words
	// as written, for the translation
	zhText, enText []string
}

// ParseLexicon reads a lexicon: one entry a line, Chinese forms separated
// by 、, a tab, English forms separated by ;. Blank lines and lines
// starting with # are skipped. Errors: a line without both sides.
func ParseLexicon(r io.Reader) (*Lexicon, error) {
	l := &Lexicon{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		zh, en, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("lexicon line %d: want Chinese forms, a tab, English forms", n)
		}
		var e lexEntry
		for _, f := range strings.Split(zh, "、") {
			if f = strings.TrimSpace(f); f != "" {
				e.zh = append(e.zh, lexNorm(f))
				e.zhText = append(e.zhText, f)
			}
		}
		for _, f := range strings.Split(en, ";") {
			if f = strings.TrimSpace(f); f != "" {
				e.en = append(e.en, lexWords(f))
				e.enText = append(e.enText, f)
			}
		}
		if len(e.zh) == 0 || len(e.en) == 0 {
			return nil, fmt.Errorf("lexicon line %d: a side is empty", n)
		}
		l.entries = append(l.entries, e)
	}
	return l, sc.Err()
}

func lexNorm(s string) string { return strings.ToLower(norm.NFKC.String(s)) }

// lexWords are the stemmed words of English text, stop words kept (a
// form like "how long" must match as written).
func lexWords(s string) []string {
	var out []string
	forEachRun(s, func(run string, han bool) {
		if !han {
			out = append(out, Stem(run))
		}
	})
	return out
}

// Translate returns the other language's forms of every entry the
// question holds, space-separated ("" when it holds none): for a Chinese
// question (lang "zh") the English forms, otherwise the Chinese ones. A
// Chinese form matches as a substring, an English one as a run of whole
// (stemmed) words.
func (l *Lexicon) Translate(question, lang string) string {
	var out []string
	if lang == "zh" {
		q := lexNorm(question)
		for _, e := range l.entries {
			for _, f := range e.zh {
				if strings.Contains(q, f) {
					out = append(out, e.enText...)
					break
				}
			}
		}
		return strings.Join(out, " ")
	}
	words := lexWords(question)
	for _, e := range l.entries {
		for _, f := range e.en {
			if containsRun(words, f) {
				out = append(out, e.zhText...)
				break
			}
		}
	}
	return strings.Join(out, " ")
}

func containsRun(words, run []string) bool {
	if len(run) == 0 {
		return false
	}
	for i := 0; i+len(run) <= len(words); i++ {
		ok := true
		for j, w := range run {
			if words[i+j] != w {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

//go:embed lexicon/shop.tsv
var shopLexicon []byte

var (
	defaultLexOnce sync.Once
	defaultLex     *Lexicon
)

// DefaultLexicon is the shop-domain lexicon shipped with Assist
// (rag/lexicon/shop.tsv).
func DefaultLexicon() *Lexicon {
	defaultLexOnce.Do(func() {
		l, err := ParseLexicon(bytes.NewReader(shopLexicon))
		if err != nil {
			panic("rag: embedded lexicon: " + err.Error())
		}
		defaultLex = l
	})
	return defaultLex
}
