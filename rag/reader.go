package rag

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"
)

// Specifics are the things a customer may ask a shop whether it offers
// (places, payment methods, couriers, services…), each of a kind
// (rag/specifics.tsv). The answer confidence compares those a question
// names with those the quoted article names.
type Specifics struct {
	items []specific
}

type specific struct {
	kind string
	zh   []string   // normalised Chinese forms
	en   [][]string // English forms, as stemmed words
}

// ParseSpecifics reads specifics: one a line, the kind, a tab, Chinese
// forms separated by 、, a tab, English forms separated by ;. Blank lines
// and lines starting with # are skipped. Errors: a line without a kind
// or without any form.
func ParseSpecifics(r io.Reader) (*Specifics, error) {
	sp := &Specifics{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 3 || strings.TrimSpace(parts[0]) == "" {
			return nil, fmt.Errorf("specifics line %d: want a kind, a tab, Chinese forms, a tab, English forms", n)
		}
		it := specific{kind: strings.TrimSpace(parts[0])}
		for _, f := range strings.Split(parts[1], "、") {
			f = strings.TrimSpace(f)
			if strings.IndexFunc(f, func(r rune) bool { return unicode.Is(unicode.Han, r) }) < 0 {
				// A Latin form on the Chinese side (DHL, 3C) is matched
				// as whole words: "ups" is not in "groups".
				if w := lexWords(f); len(w) > 0 {
					it.en = append(it.en, w)
				}
				continue
			}
			it.zh = append(it.zh, lexNorm(f))
		}
		for _, f := range strings.Split(parts[2], ";") {
			if w := lexWords(strings.TrimSpace(f)); len(w) > 0 {
				it.en = append(it.en, w)
			}
		}
		if len(it.zh) == 0 && len(it.en) == 0 {
			return nil, fmt.Errorf("specifics line %d: no form", n)
		}
		sp.items = append(sp.items, it)
	}
	return sp, sc.Err()
}

// textForms is a text prepared for matching forms: normalised, and as
// stemmed words.
type textForms struct {
	norm  string
	words []string
	has   map[string]bool // the words, to skip forms whose first word is absent
}

func specificText(text string) textForms {
	t := textForms{norm: lexNorm(text), words: lexWords(text)}
	t.has = make(map[string]bool, len(t.words))
	for _, w := range t.words {
		t.has[w] = true
	}
	return t
}

// in reports whether t names it: a Chinese form as a substring, an
// English one as a run of whole words.
func (it specific) in(t textForms) bool {
	for _, f := range it.zh {
		if strings.Contains(t.norm, f) {
			return true
		}
	}
	for _, f := range it.en {
		if t.has[f[0]] && containsRun(t.words, f) {
			return true
		}
	}
	return false
}

// named are the specifics question names.
func (sp *Specifics) named(question string) []specific {
	q := specificText(question)
	var out []specific
	for _, it := range sp.items {
		if it.in(q) {
			out = append(out, it)
		}
	}
	return out
}

// absentFrom reports whether text misses the question's specifics of
// some kind: names none of those of that kind. A question naming two
// couriers ("it came by YTO, can I choose SF?") is answered by a passage
// naming one; one naming a day and a place ("sundays in singapore") is
// not by a passage naming only the place.
func absentFrom(named []specific, text string) bool {
	t := specificText(text)
	found := map[string]bool{}
	for _, it := range named {
		if it.in(t) {
			found[it.kind] = true
		}
	}
	for _, it := range named {
		if !found[it.kind] {
			return true
		}
	}
	return false
}

//go:embed specifics.tsv
var specificsTSV []byte

// DefaultSpecifics are the specifics shipped with Assist
// (rag/specifics.tsv), parsed once.
var DefaultSpecifics = sync.OnceValue(func() *Specifics {
	sp, err := ParseSpecifics(bytes.NewReader(specificsTSV))
	if err != nil {
		panic(fmt.Sprintf("rag: embedded specifics.tsv: %v", err))
	}
	return sp
})

// article is the text of the quoted chunk's document (for an FAQ entry,
// its FAQ: "remote areas" answers for Xinjiang when another entry names
// it): every chunk when the Index can list them (a ChunkLister), else the
// hits of the same document.
func (s *Service) article(ctx context.Context, best Chunk, hits []Hit) (string, error) {
	var b strings.Builder
	if cl, ok := s.Index.(ChunkLister); ok {
		cs, err := cl.Chunks(ctx, best.DocKey)
		if err != nil {
			return "", err
		}
		for _, c := range cs {
			b.WriteString(indexText(c))
			b.WriteByte('\n')
		}
		if b.Len() > 0 {
			return b.String(), nil
		}
	}
	for _, h := range hits {
		if h.Chunk.Doc == best.Doc {
			b.WriteString(indexText(h.Chunk))
			b.WriteByte('\n')
		}
	}
	return b.String(), nil
}

// readArticle sets the feature that reads the quoted chunk's article
// against the question: specific_absent (see FeatureNames), 1 when the
// article and the other hits miss one of the specifics the question
// names. The article is read only when the question names one.
func (s *Service) readArticle(ctx context.Context, question string, hits []Hit, x Features) error {
	named := DefaultSpecifics().named(question)
	if len(named) == 0 {
		return nil
	}
	art, err := s.article(ctx, hits[0].Chunk, hits)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(art)
	for _, h := range hits {
		b.WriteString(indexText(h.Chunk))
		b.WriteByte('\n')
	}
	if absentFrom(named, b.String()) {
		x[specificAbsentFeature] = 1
	}
	return nil
}
