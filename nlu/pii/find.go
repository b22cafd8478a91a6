package pii

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Kind is a kind of personal data; it names its placeholders.
type Kind string

const (
	Phone Kind = "PHONE"
	Email Kind = "EMAIL"
	ID    Kind = "ID"
	Card  Kind = "CARD"
	// Passport is a Chinese passport number: E or G and 8 digits, or E,
	// a letter and 7 digits (EA1234567).
	Passport Kind = "PASSPORT"
)

// Match is one piece of personal data in a text: text[Start:End], as
// written.
type Match struct {
	Kind       Kind
	Start, End int // byte offsets
}

// The patterns run on ASCII; Find folds full-width forms first. "_" in a
// pattern is an optional separator between digit groups.
// Digit patterns are anchored: Find tries them where numbers start.
func pattern(s string) *regexp.Regexp {
	return regexp.MustCompile(`^(?:` + strings.ReplaceAll(s, `_`, `[ \-]`) + `)`)
}

var (
	reMobile = pattern(`(?:(?:\+|00)?86_?)?1[3-9]\d_?\d{4}_?\d{4}`)
	// A landline: the area code (0 and 2-3 digits, maybe in brackets)
	// and the 7-8 digit number, grouped 3-4 or 4-4 as people write it:
	// 021-6234 5678, (010) 8888 6666, 0755-12345678, 02162345678.
	reLandline = pattern(`(?:\(0\d{2,3}\)_?|0\d{2,3}_?)\d{3,4}_?\d{4}`)
	reE164     = pattern(`\+[1-9](?:_?\d){7,14}`)
	// An identity number by its shape: 6-digit area, a birth date
	// (19xx/20xx, month, day), 3 digits and the check character. The check
	// digit is not required: a mistyped number is still someone's.
	reID          = pattern(`[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]`)
	reCard        = pattern(`[2-6](?:_?\d){12,18}`)
	phonePatterns = []*regexp.Regexp{reMobile, reE164, reLandline}
	rePassport    = regexp.MustCompile(`[EeGg]\d{8}|[Ee][A-HJ-NP-Z]\d{7}`)
	reEmail       = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}`)
)

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlnumByte(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// Fold returns s with the full-width forms of ASCII (U+FF01-U+FF5E) and
// the ideographic space replaced by ASCII, and for each byte of the result
// (and its end) the offset in s it came from; nil offsets when nothing
// changed. The one width fold of the finders here and of nlu/entity.
func Fold(s string) (string, []int) {
	has := false
	for i := 0; i+1 < len(s); i++ {
		if s[i] == 0xef && (s[i+1] == 0xbc || s[i+1] == 0xbd) || s[i] == 0xe3 && s[i+1] == 0x80 {
			has = true
			break
		}
	}
	if !has {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s))
	offs := make([]int, 0, len(s)+1)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= 0xff01 && r <= 0xff5e && size == 3:
			b.WriteByte(byte(r - 0xfee0))
			offs = append(offs, i)
		case r == 0x3000:
			b.WriteByte(' ')
			offs = append(offs, i)
		default:
			b.WriteString(s[i : i+size])
			for k := range size {
				offs = append(offs, i+k)
			}
		}
		i += size
	}
	offs = append(offs, len(s))
	return b.String(), offs
}

// DigitsOf returns the ASCII digits of s (full-width ones folded), keeping
// a final X of an identity number as 'X'.
func DigitsOf(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteByte(byte('0' + r - '０'))
		case (r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ') && i == len(s)-utf8.RuneLen(r):
			b.WriteByte('X')
		}
	}
	return b.String()
}

// ValidID reports whether id (18 characters, digits or a final X) carries
// the right GB 11643 check digit.
func ValidID(id string) bool {
	if len(id) != 18 {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		c := id[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * weights[i]
	}
	want := "10X98765432"[sum%11]
	last := id[17]
	if last == 'x' {
		last = 'X'
	}
	return last == want
}

// Luhn reports whether the ASCII digits of n pass the Luhn check.
func Luhn(n string) bool {
	if n == "" {
		return false
	}
	sum := 0
	double := false
	for i := len(n) - 1; i >= 0; i-- {
		c := n[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// Find returns the personal data in s, ordered by position, without
// overlaps (EMAIL, then ID, CARD, PASSPORT, PHONE wins a contested span).
// Full-width digits and signs count as their ASCII forms. Spans fall on
// rune boundaries.
func Find(s string) []Match {
	f, offs := Fold(s)
	all := find(f)
	if offs != nil {
		for i := range all {
			all[i].Start, all[i].End = offs[all[i].Start], offs[all[i].End]
		}
	}
	return all
}

// find finds the matches of s; then, while that reveals more, it blanks
// the found spans and looks again: a greedy candidate that lost to a
// higher-priority match can hide a shorter one next to it, which masking
// would otherwise expose.
func find(s string) []Match {
	all := findOnce(s)
	for round := 0; len(all) > 0 && round < 4; round++ {
		b := []byte(s)
		for _, m := range all {
			for i := m.Start; i < m.End; i++ {
				b[i] = '#'
			}
		}
		more := findOnce(string(b))
		if len(more) == 0 {
			break
		}
		all = resolve(append(all, more...))
	}
	return all
}

func findOnce(s string) []Match {
	var all []Match
	digits := 0
	for i := 0; i < len(s) && digits < 7; i++ {
		if isDigit(s[i]) {
			digits++
		}
	}
	if strings.IndexByte(s, '@') >= 0 {
		for _, m := range reEmail.FindAllStringIndex(s, -1) {
			all = append(all, Match{Email, m[0], m[1]})
		}
	}
	if digits >= 7 {
		for _, m := range rePassport.FindAllStringIndex(s, -1) {
			if !alnumAround(s, m[0], m[1]) {
				all = append(all, Match{Passport, m[0], m[1]})
			}
		}
	}
	if digits < 7 {
		return all
	}
	// Every digit pattern starts where a number starts: at a digit, "+"
	// or "(" that does not follow a digit or "+". Try the anchored
	// patterns only there.
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) && c != '+' && c != '(' || i > 0 && (isDigit(s[i-1]) || s[i-1] == '+') {
			continue
		}
		rest := s[i:]
		if isDigit(c) && c != '0' {
			if m := reID.FindStringIndex(rest); m != nil {
				if end := i + m[1]; !alnumAround(s, i, end) {
					all = append(all, Match{ID, i, end})
				}
			}
			if c >= '2' && c <= '6' {
				if m := reCard.FindStringIndex(rest); m != nil {
					if end, ok := cardEnd(s, i, i+m[1]); ok {
						all = append(all, Match{Card, i, end})
					}
				}
			}
		}
		for _, re := range phonePatterns {
			m := re.FindStringIndex(rest)
			if m == nil {
				continue
			}
			end := i + m[1]
			if re == reLandline && isDigit(c) && i > 0 && isAlnumByte(s[i-1]) {
				continue // inside a code such as YT0…
			}
			if re == reE164 {
				// The greedy match may have run into the next number:
				// end at the last group boundary that stands alone.
				end = groupEnd(s, i, end, 8)
			}
			if end > 0 && (end == len(s) || !isDigit(s[end])) {
				all = append(all, Match{Phone, i, end})
			}
		}
	}
	return resolve(all)
}

// groupEnd returns the largest end <= end of s[start:end] with at least
// min digits before it and no digit after it, or -1.
func groupEnd(s string, start, end, min int) int {
	for e := end; e > start; e-- {
		if isDigit(s[e-1]) && (e == len(s) || !isDigit(s[e])) {
			n := 0
			for i := start; i < e; i++ {
				if isDigit(s[i]) {
					n++
				}
			}
			if n >= min {
				return e
			}
			return -1
		}
	}
	return -1
}

// alnumAround reports whether an ASCII letter or digit touches
// s[start:end].
func alnumAround(s string, start, end int) bool {
	return start > 0 && isAlnumByte(s[start-1]) || end < len(s) && isAlnumByte(s[end])
}

// cardEnd finds the longest prefix of the candidate s[start:end] that is a
// whole, Luhn-valid card number of 13 to 19 digits.
func cardEnd(s string, start, end int) (int, bool) {
	if start > 0 && (isAlnumByte(s[start-1]) || s[start-1] == '+') {
		return 0, false
	}
	var ds [19]byte
	var ends [19]int
	n := 0
	for i := start; i < end && n < len(ds); i++ {
		if isDigit(s[i]) {
			ds[n] = s[i]
			ends[n] = i + 1
			n++
		}
	}
	for ; n >= 13; n-- {
		if e := ends[n-1]; (e == len(s) || !isAlnumByte(s[e])) && Luhn(string(ds[:n])) {
			return e, true
		}
	}
	return 0, false
}

var priority = map[Kind]int{Email: 0, ID: 1, Card: 2, Passport: 3, Phone: 4}

// resolve keeps, of overlapping matches, the one of the higher-priority
// kind (then the longer, then the earlier), and orders the result.
func resolve(all []Match) []Match {
	if len(all) < 2 {
		return all
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if priority[a.Kind] != priority[b.Kind] {
			return priority[a.Kind] < priority[b.Kind]
		}
		if a.End-a.Start != b.End-b.Start {
			return a.End-a.Start > b.End-b.Start
		}
		return a.Start < b.Start
	})
	kept := all[:0:0]
	for _, m := range all {
		ok := true
		for _, k := range kept {
			if m.Start < k.End && k.Start < m.End {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, m)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].Start < kept[j].Start })
	return kept
}
