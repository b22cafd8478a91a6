package gse

import (
	"fmt"
	"strings"
	"unicode"

	gselib "github.com/go-ego/gse"

	"github.com/assistd/assist/rag"
)

// Analyzer segments Han text with gse. Safe for concurrent use.
type Analyzer struct {
	seg gselib.Segmenter
}

var _ rag.Analyzer = (*Analyzer)(nil)

// New loads gse's embedded Simplified Chinese dictionary.
func New() (*Analyzer, error) {
	a := &Analyzer{}
	a.seg.SkipLog = true
	if err := a.seg.LoadDictEmbed("zh_s"); err != nil {
		return nil, fmt.Errorf("loading the gse dictionary: %w", err)
	}
	return a, nil
}

// Terms implements rag.Analyzer: Han runs are cut in search mode (each
// word and its dictionary sub-words), other runs go through rag.Bigrams.
func (a *Analyzer) Terms(text string) []string {
	var out []string
	var other strings.Builder
	flushOther := func() {
		if other.Len() > 0 {
			out = append(out, rag.Bigrams{}.Terms(other.String())...)
			other.Reset()
		}
	}
	rs := []rune(text)
	for i := 0; i < len(rs); {
		if !unicode.Is(unicode.Han, rs[i]) {
			other.WriteRune(rs[i])
			i++
			continue
		}
		flushOther()
		j := i
		for j < len(rs) && unicode.Is(unicode.Han, rs[j]) {
			j++
		}
		for _, w := range a.seg.CutSearch(string(rs[i:j]), true) {
			if w = strings.TrimSpace(w); w != "" {
				out = append(out, w)
			}
		}
		i = j
	}
	flushOther()
	return out
}
