package rag

import (
	_ "embed"
	"fmt"
	nlutext "github.com/assistd/assist/nlu/text"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Measures are what a customer may ask of a product that a figure in a
// unit answers (power in watts, loudness in decibels, weight, size…;
// rag/measures.tsv). The answer confidence compares the measure a
// question asks with the figures the passage gives.
type Measures struct {
	items []measure
	// seen remembers asked's answers (a question is read by each of its
	// drafts).
	seen memo[string, []measure]
}

type measure struct {
	name string
	asks specific         // the ways a question asks it
	unit *nlutext.Pattern // a number written in one of its units
}

// ParseMeasures reads measures: one a line, the name, a tab, the units
// (;-separated), a tab, the ways of asking (;-separated). Blank lines and
// lines starting with # are skipped. Errors: a line without a name, a
// unit or a way of asking.
func ParseMeasures(r io.Reader) (*Measures, error) {
	ms := &Measures{}
	err := tabLines(r, func(n int, parts []string) error {
		if len(parts) != 3 || strings.TrimSpace(parts[0]) == "" {
			return fmt.Errorf("measures line %d: want a name, a tab, units, a tab, ways of asking", n)
		}
		var units []string
		for _, u := range strings.Split(parts[1], ";") {
			u = strings.TrimSpace(u)
			if u == "" {
				continue
			}
			q := regexp.QuoteMeta(u)
			if r := []rune(u); unicode.IsLetter(r[len(r)-1]) && !unicode.Is(unicode.Han, r[len(r)-1]) {
				// A Latin unit ends where the word does: "3 weeks" is
				// not in watts.
				q += `(?:[^\pL]|$)`
			}
			units = append(units, q)
		}
		it := measure{name: strings.TrimSpace(parts[0])}
		for _, f := range strings.Split(parts[2], ";") {
			it.asks.add(f)
		}
		if len(units) == 0 || len(it.asks.zh)+len(it.asks.en) == 0 {
			return fmt.Errorf("measures line %d: no unit or no way of asking", n)
		}
		it.unit = nlutext.MustPattern(`(?i)\d(?:[.,]\d+)?\s*(?:` + strings.Join(units, "|") + `)`)
		ms.items = append(ms.items, it)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ms, nil
}

// asked are the measures question asks. A measure named only inside a
// longer way another measure is asked is not asked: "battery capacity"
// asks the battery's, not a volume, though "capacity" alone asks a volume.
func (ms *Measures) asked(question string) []measure {
	if out, ok := ms.seen.get(question); ok {
		return out
	}
	out := ms.askedOnce(question)
	if len(question) <= memoMaxText {
		ms.seen.put(question, out)
	}
	return out
}

// askedOnce is asked, not remembered.
func (ms *Measures) askedOnce(question string) []measure {
	q := specificText(question)
	var out []measure
	var forms [][]form
	for _, it := range ms.items {
		if fs := it.asks.forms(q, true); len(fs) > 0 {
			out = append(out, it)
			forms = append(forms, fs)
		}
	}
	var keep []measure
	for i, it := range out {
		inside := func(f form) bool {
			for j := range forms {
				if j != i && slices.ContainsFunc(forms[j], f.within) {
					return true
				}
			}
			return false
		}
		if !allOf(forms[i], inside) {
			keep = append(keep, it)
		}
	}
	return keep
}

func allOf(fs []form, ok func(form) bool) bool {
	for _, f := range fs {
		if !ok(f) {
			return false
		}
	}
	return true
}

// form is a way of asking found in a question: a Chinese form, or an
// English one as stemmed words.
type form struct {
	zh string
	en []string
}

// within reports whether f is part of the longer form g.
func (f form) within(g form) bool {
	if f.zh != "" {
		return len(g.zh) > len(f.zh) && strings.Contains(g.zh, f.zh)
	}
	return len(g.en) > len(f.en) && containsRun(g.en, f.en)
}

// missing reports whether text gives no figure of one of the measures.
func missingMeasure(asked []measure, text string) bool {
	t := lexNorm(text)
	for _, m := range asked {
		if !m.unit.MatchString(t) {
			return true
		}
	}
	return false
}

//go:embed measures.tsv
var measuresTSV []byte

// DefaultMeasures are the measures shipped with Assist
// (rag/measures.tsv), parsed once.
var DefaultMeasures = embedded("measures.tsv", measuresTSV, ParseMeasures)
