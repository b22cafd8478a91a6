package intent

import (
	"fmt"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu/text"
)

// FeatureConfig says which hashed features the featurizer produces. It is
// stored in model.json, so serving featurizes exactly as training did.
//
// Messages are split (text.Segments) into tokens: each Latin word is a
// token, and each Chinese character is a token. From the tokens come:
// unigrams, bigrams of adjacent tokens (English word bigrams and Chinese
// character bigrams, also across a language switch; or only the Chinese
// character bigrams), Chinese character
// trigrams inside a run of Han characters, and character n-grams of each
// Latin word with boundary marks ("<ord", "rder>"), which make the model
// robust to typos and inflections. Every feature is hashed (FNV-1a, with a
// different prefix per kind) into Buckets rows.
type FeatureConfig struct {
	Buckets     int  `json:"buckets"`      // rows of the embedding table
	Unigrams    bool `json:"unigrams"`     // Latin words and single Chinese characters
	Bigrams     bool `json:"bigrams"`      // adjacent token pairs
	HanBigrams  bool `json:"han_bigrams"`  // adjacent Chinese characters only (implied by Bigrams)
	HanTrigrams bool `json:"han_trigrams"` // three Chinese characters in a row
	CharMin     int  `json:"char_min"`     // Latin-word character n-grams, shortest; 0 for none
	CharMax     int  `json:"char_max"`     // longest
	MaxFeatures int  `json:"max_features"` // features kept per message (the first ones); 0: DefaultMaxFeatures
}

// DefaultMaxFeatures caps the features of one message: a message past a
// few hundred characters carries no more intent, and the cap bounds the
// cost of a request.
const DefaultMaxFeatures = 512

// DefaultFeatures is the combination that measured best (see README,
// "Performance").
var DefaultFeatures = FeatureConfig{
	Buckets:     1 << 17,
	Unigrams:    true,
	Bigrams:     true,
	HanTrigrams: true,
	CharMin:     3,
	CharMax:     5,
}

// Validate returns an EINVALID error when the configuration cannot work.
func (c FeatureConfig) Validate() error {
	switch {
	case c.Buckets < 16 || c.Buckets > 1<<24:
		return assist.Errorf(assist.EINVALID, "features: buckets %d out of range [16, 16777216]", c.Buckets)
	case c.CharMin < 0 || c.CharMax < c.CharMin || c.CharMax > 8:
		return assist.Errorf(assist.EINVALID, "features: char n-gram range [%d, %d] invalid", c.CharMin, c.CharMax)
	case c.CharMin == 0 && c.CharMax != 0:
		return assist.Errorf(assist.EINVALID, "features: char_max set without char_min")
	case !c.Unigrams && !c.Bigrams && !c.HanBigrams && !c.HanTrigrams && c.CharMin == 0:
		return assist.Errorf(assist.EINVALID, "features: no feature kind enabled")
	case c.MaxFeatures < 0:
		return assist.Errorf(assist.EINVALID, "features: negative max_features")
	}
	return nil
}

// String names the combination, as the measurements in the README do.
func (c FeatureConfig) String() string {
	s := ""
	add := func(on bool, name string) {
		if on {
			if s != "" {
				s += "+"
			}
			s += name
		}
	}
	add(c.Unigrams, "uni")
	add(c.Bigrams, "bi")
	add(c.HanBigrams && !c.Bigrams, "hanbi")
	add(c.HanTrigrams, "hantri")
	add(c.CharMin > 0, fmt.Sprintf("char%d-%d", c.CharMin, c.CharMax))
	return fmt.Sprintf("%s/%d", s, c.Buckets)
}

// Feature kinds, the first byte hashed, so equal strings of different kinds
// land in different rows.
const (
	kindUni byte = 'u'
	kindBi  byte = 'b'
	kindTri byte = 't'
	kindCh  byte = 'c'
)

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

type hasher uint64

func newHash(kind byte) hasher { return hasher((fnvOffset ^ uint64(kind)) * fnvPrime) }

func (h hasher) str(s string) hasher {
	for i := 0; i < len(s); i++ {
		h = (h ^ hasher(s[i])) * fnvPrime
	}
	return h
}

func (h hasher) byte(b byte) hasher { return (h ^ hasher(b)) * fnvPrime }

// token is one unit of the token sequence: a Latin word or one Chinese
// character (a slice of the normalised text), and whether it is Han.
type token struct {
	s   string
	han bool
}

// Featurize appends to dst the feature ids (in [0, Buckets)) of normalised
// text s and returns dst. The same text always gives the same ids, in the
// same order. The config must be valid.
func (c FeatureConfig) Featurize(dst []int32, s string) []int32 {
	max := c.MaxFeatures
	if max == 0 {
		max = DefaultMaxFeatures
	}
	start := len(dst)
	n := uint64(c.Buckets)
	emit := func(h hasher) bool {
		dst = append(dst, int32(uint64(h)%n))
		return len(dst)-start < max
	}

	var segBuf [32]text.Segment
	segs := text.Segments(segBuf[:0], s)
	var tokBuf [64]token
	toks := tokBuf[:0]
	for _, seg := range segs {
		if seg.Kind == text.Han {
			for i, r := range seg.Text {
				toks = append(toks, token{s: seg.Text[i : i+len(string(r))], han: true})
			}
			continue
		}
		toks = append(toks, token{s: seg.Text})
	}

	for i, t := range toks {
		if c.Unigrams && !emit(newHash(kindUni).str(t.s)) {
			return dst
		}
		if i > 0 && (c.Bigrams || c.HanBigrams && t.han && toks[i-1].han) && !emit(newHash(kindBi).str(toks[i-1].s).byte(0).str(t.s)) {
			return dst
		}
		if c.HanTrigrams && i > 1 && t.han && toks[i-1].han && toks[i-2].han &&
			!emit(newHash(kindTri).str(toks[i-2].s).str(toks[i-1].s).str(t.s)) {
			return dst
		}
		if c.CharMin > 0 && !t.han && !c.charGrams(t.s, emit) {
			return dst
		}
	}
	return dst
}

// charGrams emits the character n-grams of word w with boundary marks; it
// returns false when emit says to stop.
func (c FeatureConfig) charGrams(w string, emit func(hasher) bool) bool {
	// Rune boundaries of "<" + w + ">", as byte offsets into that string,
	// without building it: offset 0 is "<", then w's runes, then ">".
	var offBuf [40]int
	offs := offBuf[:0]
	offs = append(offs, 0)
	for i := range w {
		offs = append(offs, 1+i)
	}
	offs = append(offs, 1+len(w), 2+len(w)) // ">" and the end
	runes := len(offs) - 1
	piece := func(h hasher, from, to int) hasher { // bytes [from, to) of "<"+w+">"
		for p := from; p < to; p++ {
			switch {
			case p == 0:
				h = h.byte('<')
			case p == 1+len(w):
				h = h.byte('>')
			default:
				h = h.byte(w[p-1])
			}
		}
		return h
	}
	for n := c.CharMin; n <= c.CharMax; n++ {
		if n > runes {
			break
		}
		for i := 0; i+n <= runes; i++ {
			if n == runes && n-2 > 0 && c.Unigrams {
				continue // the whole marked word duplicates the unigram
			}
			if !emit(piece(newHash(kindCh), offs[i], offs[i+n])) {
				return false
			}
		}
	}
	return true
}
