package embed

import (
	"bufio"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/assistd/assist"
)

// Special tokens of a BERT vocabulary.
const (
	TokenUnknown = "[UNK]"
	TokenCLS     = "[CLS]"
	TokenSEP     = "[SEP]"
	TokenPad     = "[PAD]"
)

// Limits of the tokenizer.
const (
	DefaultMaxLength = 512
	maxWordRunes     = 100     // longer words become [UNK], as in BERT
	maxVocab         = 1 << 21 // entries of vocab.txt
	maxVocabLine     = 1024    // bytes of one vocab.txt line
)

// TokenizerConfig configures a Tokenizer.
type TokenizerConfig struct {
	// Lowercase lower-cases the text (uncased models).
	Lowercase bool
	// StripAccents removes combining marks after NFD; nil follows
	// Lowercase, as BERT does.
	StripAccents *bool
	// MaxLength is the most tokens Encode returns, [CLS] and [SEP]
	// included. 0: DefaultMaxLength.
	MaxLength int
}

// Tokenizer is a BERT WordPiece tokenizer. It is safe for concurrent use.
type Tokenizer struct {
	words  map[string]int64 // pieces that start a word
	conts  map[string]int64 // "##" pieces, without the "##"
	lower  bool
	strip  bool
	maxLen int
	unk    int64
	cls    int64
	sep    int64
	pad    int64
}

// ReadVocab reads a vocab.txt: one token per line, the line number being
// its id. Errors: EINVALID for an empty, oversized or non-UTF-8 file.
func ReadVocab(r io.Reader) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256), maxVocabLine)
	var vocab []string
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if !utf8.ValidString(line) {
			return nil, assist.Errorf(assist.EINVALID, "vocab line %d is not UTF-8", len(vocab)+1)
		}
		if len(vocab) == maxVocab {
			return nil, assist.Errorf(assist.EINVALID, "vocab has more than %d tokens", maxVocab)
		}
		vocab = append(vocab, line)
	}
	if err := sc.Err(); err != nil {
		return nil, assist.Wrap(assist.EINVALID, err, "reading the vocab")
	}
	if len(vocab) == 0 {
		return nil, assist.Errorf(assist.EINVALID, "vocab is empty")
	}
	return vocab, nil
}

// NewTokenizer returns a tokenizer over vocab (token i has id i). The vocab
// must hold [UNK], [CLS] and [SEP]; [PAD] defaults to id 0. Errors:
// EINVALID.
func NewTokenizer(vocab []string, cfg TokenizerConfig) (*Tokenizer, error) {
	if cfg.MaxLength < 0 || cfg.MaxLength == 1 || cfg.MaxLength == 2 {
		return nil, assist.Errorf(assist.EINVALID, "tokenizer max length %d: want 0 or at least 3", cfg.MaxLength)
	}
	t := &Tokenizer{
		words:  make(map[string]int64, len(vocab)),
		conts:  map[string]int64{},
		lower:  cfg.Lowercase,
		strip:  cfg.Lowercase,
		maxLen: cfg.MaxLength,
		pad:    0,
	}
	if cfg.StripAccents != nil {
		t.strip = *cfg.StripAccents
	}
	if t.maxLen == 0 {
		t.maxLen = DefaultMaxLength
	}
	for i, tok := range vocab {
		if tok == "" {
			continue
		}
		// A later duplicate wins, as in Hugging Face's load_vocab.
		if c, ok := strings.CutPrefix(tok, "##"); ok && c != "" {
			t.conts[c] = int64(i)
			continue
		}
		t.words[tok] = int64(i)
	}
	var ok bool
	for _, sp := range []struct {
		name string
		id   *int64
	}{{TokenUnknown, &t.unk}, {TokenCLS, &t.cls}, {TokenSEP, &t.sep}} {
		if *sp.id, ok = t.words[sp.name]; !ok {
			return nil, assist.Errorf(assist.EINVALID, "vocab has no %s token", sp.name)
		}
	}
	if id, ok := t.words[TokenPad]; ok {
		t.pad = id
	}
	return t, nil
}

// MaxLength is the most tokens Encode returns.
func (t *Tokenizer) MaxLength() int { return t.maxLen }

// PadID is the id of [PAD].
func (t *Tokenizer) PadID() int64 { return t.pad }

// Tokenize returns the WordPiece tokens of text, without [CLS] and [SEP]
// and without a length limit.
func (t *Tokenizer) Tokenize(text string) []string {
	var out []string
	t.each(text, func(piece string, cont bool, _ int64) bool {
		if cont {
			piece = "##" + piece
		}
		out = append(out, piece)
		return true
	})
	return out
}

// Encode returns the ids of [CLS], text's tokens and [SEP], keeping the
// first MaxLength-2 tokens of text.
func (t *Tokenizer) Encode(text string) []int64 {
	ids := make([]int64, 1, min(t.maxLen, 2+len(text)/2+8))
	ids[0] = t.cls
	t.each(text, func(_ string, _ bool, id int64) bool {
		if len(ids) == t.maxLen-1 {
			return false
		}
		ids = append(ids, id)
		return true
	})
	return append(ids, t.sep)
}

// each calls yield with every WordPiece of text (the piece without "##",
// whether it continues a word, and its id; [UNK] for a word that cannot
// be split) until yield returns false.
func (t *Tokenizer) each(text string, yield func(piece string, cont bool, id int64) bool) {
	text = clean(text)
	var buf strings.Builder
	start := -1
	for i, r := range text {
		switch {
		case isSpace(r):
			if start >= 0 && !t.word(text[start:i], &buf, yield) {
				return
			}
			start = -1
		case isCJK(r):
			if start >= 0 && !t.word(text[start:i], &buf, yield) {
				return
			}
			start = -1
			if !t.wordpiece(text[i:i+utf8.RuneLen(r)], yield) {
				return
			}
		default:
			if start < 0 {
				start = i
			}
		}
	}
	if start >= 0 {
		t.word(text[start:], &buf, yield)
	}
}

// clean drops NUL, U+FFFD (and so invalid UTF-8) and control characters
// other than whitespace. It returns text itself when there are none.
func clean(text string) string {
	drop := func(r rune) bool { return r == 0 || r == utf8.RuneError || isControl(r) }
	i := strings.IndexFunc(text, drop)
	if i < 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	b.WriteString(text[:i])
	for _, r := range text[i:] {
		if !drop(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// word normalises one whitespace-separated word, splits it on punctuation
// and yields its pieces.
func (t *Tokenizer) word(w string, buf *strings.Builder, yield func(string, bool, int64) bool) bool {
	if t.lower || t.strip {
		w = t.normalize(w, buf)
	}
	start := 0
	for i, r := range w {
		if isPunct(r) {
			n := utf8.RuneLen(r)
			if start < i && !t.wordpiece(w[start:i], yield) {
				return false
			}
			if !t.wordpiece(w[i:i+n], yield) {
				return false
			}
			start = i + n
		}
	}
	if start < len(w) {
		return t.wordpiece(w[start:], yield)
	}
	return true
}

// normalize lower-cases w and strips its accents, as configured.
func (t *Tokenizer) normalize(w string, buf *strings.Builder) string {
	if t.lower {
		w = strings.ToLower(w)
	}
	if !t.strip {
		return w
	}
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return w
	}
	buf.Reset()
	for _, r := range norm.NFD.String(w) {
		if !unicode.Is(unicode.Mn, r) {
			buf.WriteRune(r)
		}
	}
	return buf.String()
}

// wordpiece splits one word greedily, longest match first.
func (t *Tokenizer) wordpiece(w string, yield func(string, bool, int64) bool) bool {
	if w == "" {
		return true
	}
	if utf8.RuneCountInString(w) > maxWordRunes {
		return yield(TokenUnknown, false, t.unk)
	}
	if id, ok := t.words[w]; ok {
		return yield(w, false, id)
	}
	// Find all pieces first: a word with an unsplittable rest is one [UNK].
	type piece struct {
		s  string
		id int64
	}
	var pieces [16]piece
	found := pieces[:0]
	for start := 0; start < len(w); {
		end := len(w)
		var id int64 = -1
		for end > start {
			var ok bool
			if start == 0 {
				id, ok = t.words[w[start:end]]
			} else {
				id, ok = t.conts[w[start:end]]
			}
			if ok {
				break
			}
			id = -1
			_, size := utf8.DecodeLastRuneInString(w[start:end])
			end -= size
		}
		if id < 0 {
			return yield(TokenUnknown, false, t.unk)
		}
		found = append(found, piece{w[start:end], id})
		start = end
	}
	for i, p := range found {
		if !yield(p.s, i > 0, p.id) {
			return false
		}
	}
	return true
}

func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r'
	}
	return unicode.Is(unicode.Zs, r)
}

func isControl(r rune) bool {
	if r < utf8.RuneSelf {
		return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f
	}
	return unicode.In(r, unicode.Cc, unicode.Cf)
}

// isPunct is BERT's punctuation: ASCII non-alphanumeric symbols and
// Unicode P*.
func isPunct(r rune) bool {
	if r < utf8.RuneSelf {
		return (r >= 33 && r <= 47) || (r >= 58 && r <= 64) || (r >= 91 && r <= 96) || (r >= 123 && r <= 126)
	}
	return unicode.IsPunct(r)
}

// isCJK is BERT's CJK ideograph test (the CJK Unified Ideographs blocks
// and compatibility ideographs; not kana or hangul).
func isCJK(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF) ||
		(r >= 0x20000 && r <= 0x2A6DF) || (r >= 0x2A700 && r <= 0x2B73F) ||
		(r >= 0x2B740 && r <= 0x2B81F) || (r >= 0x2B820 && r <= 0x2CEAF) ||
		(r >= 0xF900 && r <= 0xFAFF) || (r >= 0x2F800 && r <= 0x2FA1F)
}
