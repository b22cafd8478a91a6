package ingest

import (
	"strings"
	"unicode/utf8"

	"github.com/tmc/langchaingo/textsplitter"

	nlutext "github.com/assistd/assist/nlu/text"
)

// Sizes are the chunk sizes, in characters (runes), per language.
type Sizes struct {
	ZH, EN         int // chunk size for Chinese and for other text
	ZHOver, ENOver int // overlap
}

// DefaultSizes suit a help center: about 350 Chinese characters or 200
// English words per chunk.
var DefaultSizes = Sizes{ZH: 350, EN: 1200, ZHOver: 60, ENOver: 200}

func (s Sizes) withDefaults() Sizes {
	if s.ZH <= 0 {
		s.ZH = DefaultSizes.ZH
	}
	if s.EN <= 0 {
		s.EN = DefaultSizes.EN
	}
	if s.ZHOver <= 0 || s.ZHOver >= s.ZH {
		s.ZHOver = min(DefaultSizes.ZHOver, s.ZH/4)
	}
	if s.ENOver <= 0 || s.ENOver >= s.EN {
		s.ENOver = min(DefaultSizes.ENOver, s.EN/4)
	}
	return s
}

// sentMark is inserted after each sentence end so the splitter can cut
// there while the punctuation stays with its sentence; it is removed from
// the chunks.
const sentMark = "\x1e"

var sentEnds = strings.NewReplacer(
	"。", "。"+sentMark, "！", "！"+sentMark, "？", "？"+sentMark, "；", "；"+sentMark,
	". ", ". "+sentMark, "! ", "! "+sentMark, "? ", "? "+sentMark, "; ", "; "+sentMark,
)

// Split cuts text into chunks of about the language's size with overlap,
// preferring paragraph, line and sentence boundaries, in that order.
func Split(text string, sizes Sizes) []string {
	text = strings.ReplaceAll(text, sentMark, " ")
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	sizes = sizes.withDefaults()
	size, over := sizes.EN, sizes.ENOver
	if nlutext.Detect(text) == nlutext.ZH {
		size, over = sizes.ZH, sizes.ZHOver
	}
	if utf8.RuneCountInString(text) <= size {
		return []string{text}
	}
	sp := textsplitter.NewRecursiveCharacter(
		textsplitter.WithChunkSize(size),
		textsplitter.WithChunkOverlap(over),
		textsplitter.WithSeparators([]string{"\n\n", "\n", sentMark, " ", ""}),
		textsplitter.WithLenFunc(utf8.RuneCountInString),
	)
	parts, err := sp.SplitText(sentEnds.Replace(text))
	if err != nil { // the recursive splitter never fails; keep the text whole
		return []string{text}
	}
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		p = strings.TrimSpace(strings.ReplaceAll(p, sentMark, ""))
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}
