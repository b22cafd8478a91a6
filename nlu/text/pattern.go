package text

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Pattern is a regular expression with a cheap test in front: the words
// one of which every match contains, read from the expression's syntax
// tree. A text holding none of them cannot match, and is not given to the
// regular expression. The rules of a bot turn are long alternations of
// cue words ("(?i)\bhack(ed|er)\b|\bcompromised\b|被盗|…") that nearly
// every message misses; Go's regexp still runs its machine over the whole
// message for each, which was 12% of a help-center turn's CPU. A Pattern
// matches exactly what its regular expression matches.
type Pattern struct {
	re *regexp.Regexp
	// need: a match holds one of these (nil: no such words were found,
	// every text goes to re). fold[i]: need[i] is lower case and is
	// looked for in the lower-cased text ((?i) with ASCII letters).
	need    []string
	fold    []bool
	anyFold bool
	// foldSK: a word looked for in any case holds an s or a k, which (?i)
	// also matches as ſ (U+017F) or the Kelvin sign (U+212A).
	foldSK bool
	// branchFold: a branch looks for words in any case; branchSK: one
	// of them holds an s or a k (foldSK): a text with ſ or the Kelvin
	// sign goes to the whole expression.
	branchFold, branchSK bool
	// branches: the expression's top-level alternatives, each a Pattern
	// of its own, which MatchString tries in turn and FindStringIndex
	// and FindString each (nil: one branch). A
	// rule of many cue phrases ("contactCues": 40 of them) is a program
	// too large for Go's backtracker: its regular expression runs the
	// slower NFA over the whole message, and a word of one branch found
	// in the text ("r", "you") sent every branch to it (0.2-0.35 ms a
	// call on an English message, the most expensive reading of a turn,
	// 2026-12-07). A text holds a match of the alternation exactly when
	// it holds one of a branch.
	branches []*Pattern
}

// MustPattern compiles expr (regexp syntax) and panics if it does not
// compile, like regexp.MustCompile.
func MustPattern(expr string) *Pattern {
	p := &Pattern{re: regexp.MustCompile(expr)}
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return p
	}
	for _, l := range required(tree.Simplify()) {
		p.need = append(p.need, l.s)
		p.fold = append(p.fold, l.fold)
		p.anyFold = p.anyFold || l.fold
		p.foldSK = p.foldSK || l.fold && strings.ContainsAny(l.s, "sk")
	}
	if bs := splitBranches(expr); len(bs) > 1 {
		for _, b := range bs {
			if _, err := regexp.Compile(b); err != nil {
				return p // not a branch on its own after all: the whole expression serves
			}
		}
		for _, b := range bs {
			bp := MustPattern(b)
			p.branches = append(p.branches, bp)
			p.branchFold = p.branchFold || bp.anyFold
			p.branchSK = p.branchSK || bp.foldSK
		}
	}
	return p
}

// minBranches is the fewest top-level alternatives an expression is
// split into for MatchString; fewer run as one regular expression.
const minBranches = 4

// splitBranches returns the top-level alternatives of expr, each with the
// flags expr starts with ("(?i)"), or nil when expr has fewer than
// minBranches of them or a form this reading does not follow (\Q…\E,
// flags set after the start).
func splitBranches(expr string) []string {
	flags := ""
	if strings.HasPrefix(expr, "(?") {
		end := strings.IndexByte(expr, ')')
		if end < 0 || strings.ContainsAny(expr[2:end], ":<P'") {
			flags = "" // a group, not flags
		} else {
			flags, expr = expr[:end+1], expr[end+1:]
		}
	}
	if strings.Contains(expr, `\Q`) {
		return nil
	}
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(expr); i++ {
		switch c := expr[i]; c {
		case '\\':
			i++ // the escaped byte
		case '[':
			j := classEnd(expr, i)
			if j < 0 {
				return nil
			}
			i = j
		case '(':
			if depth == 0 && strings.HasPrefix(expr[i:], "(?") {
				if end := strings.IndexAny(expr[i+2:], ":)"); end < 0 || expr[i+2+end] == ')' {
					return nil // flags set mid-way apply to the branches after them
				}
			}
			depth++
		case ')':
			depth--
			if depth < 0 {
				return nil
			}
		case '|':
			if depth == 0 {
				out = append(out, flags+expr[start:i])
				start = i + 1
			}
		}
	}
	if depth != 0 {
		return nil
	}
	out = append(out, flags+expr[start:])
	if len(out) < minBranches {
		return nil
	}
	return out
}

// classEnd is the index of the ']' closing the character class opened at
// expr[i], -1 when there is none.
func classEnd(expr string, i int) int {
	j := i + 1
	if j < len(expr) && expr[j] == '^' {
		j++
	}
	if j < len(expr) && expr[j] == ']' {
		j++ // a ']' first is one of the class
	}
	for ; j < len(expr); j++ {
		switch expr[j] {
		case '\\':
			j++
		case '[':
			if strings.HasPrefix(expr[j:], "[:") {
				if k := strings.Index(expr[j+2:], ":]"); k >= 0 {
					j += 2 + k + 1
				}
			}
		case ']':
			return j
		}
	}
	return -1
}

// Regexp returns the regular expression.
func (p *Pattern) Regexp() *regexp.Regexp { return p.re }

// String returns the source text.
func (p *Pattern) String() string { return p.re.String() }

// MatchString reports whether s holds a match.
func (p *Pattern) MatchString(s string) bool {
	if p.branches == nil {
		return p.maybe(s) && p.re.MatchString(s)
	}
	if p.branchSK && hasSK(s) {
		return p.re.MatchString(s)
	}
	var buf [shortText]byte
	lower := p.branchLower(&buf, s)
	for _, b := range p.branches {
		if b.hasWord(s, lower) && b.re.MatchString(s) {
			return true
		}
	}
	return false
}

// branchLower is s lower-cased for the branches' words looked for in any
// case (hasWord), "" when none is.
func (p *Pattern) branchLower(buf *[shortText]byte, s string) string {
	switch {
	case !p.branchFold:
		return ""
	case len(s) > shortText:
		return strings.ToLower(s) // once for every branch
	}
	return asciiLower(buf, s)
}

// FindString returns the leftmost match in s, "" when none.
func (p *Pattern) FindString(s string) string {
	if p.branches != nil {
		if at := p.FindStringIndex(s); at != nil {
			return s[at[0]:at[1]]
		}
		return ""
	}
	if !p.maybe(s) {
		return ""
	}
	return p.re.FindString(s)
}

// FindStringSubmatch is regexp.Regexp.FindStringSubmatch.
func (p *Pattern) FindStringSubmatch(s string) []string {
	if !p.maybe(s) {
		return nil
	}
	return p.re.FindStringSubmatch(s)
}

// FindAllString is regexp.Regexp.FindAllString.
func (p *Pattern) FindAllString(s string, n int) []string {
	if !p.maybe(s) {
		return nil
	}
	return p.re.FindAllString(s, n)
}

// FindStringIndex is regexp.Regexp.FindStringIndex.
// Split into branches, it is the match of the branch that starts
// leftmost, the first such branch in order when several do: the match
// the whole expression finds (leftmost-first, Go's regexp: at the
// leftmost start, the first alternative that matches there, as it
// matches there).
func (p *Pattern) FindStringIndex(s string) []int {
	if p.branches == nil {
		if !p.maybe(s) {
			return nil
		}
		return p.re.FindStringIndex(s)
	}
	if p.branchSK && hasSK(s) {
		return p.re.FindStringIndex(s)
	}
	var buf [shortText]byte
	lower := p.branchLower(&buf, s)
	var best []int
	for _, b := range p.branches {
		if !b.hasWord(s, lower) {
			continue
		}
		if at := b.re.FindStringIndex(s); at != nil && (best == nil || at[0] < best[0]) {
			if best = at; best[0] == 0 {
				break // no branch after starts before it
			}
		}
	}
	return best
}

// FindStringSubmatchIndex is regexp.Regexp.FindStringSubmatchIndex.
func (p *Pattern) FindStringSubmatchIndex(s string) []int {
	if !p.maybe(s) {
		return nil
	}
	return p.re.FindStringSubmatchIndex(s)
}

// FindAllStringIndex is regexp.Regexp.FindAllStringIndex.
func (p *Pattern) FindAllStringIndex(s string, n int) [][]int {
	if !p.maybe(s) {
		return nil
	}
	return p.re.FindAllStringIndex(s, n)
}

// FindAllStringSubmatch is regexp.Regexp.FindAllStringSubmatch.
func (p *Pattern) FindAllStringSubmatch(s string, n int) [][]string {
	if !p.maybe(s) {
		return nil
	}
	return p.re.FindAllStringSubmatch(s, n)
}

// FindAllStringSubmatchIndex is regexp.Regexp.FindAllStringSubmatchIndex.
func (p *Pattern) FindAllStringSubmatchIndex(s string, n int) [][]int {
	if !p.maybe(s) {
		return nil
	}
	return p.re.FindAllStringSubmatchIndex(s, n)
}

// ReplaceAllString is regexp.Regexp.ReplaceAllString: s itself when
// nothing matches.
func (p *Pattern) ReplaceAllString(s, repl string) string {
	if !p.maybe(s) {
		return s
	}
	return p.re.ReplaceAllString(s, repl)
}

// ReplaceAllLiteralString is regexp.Regexp.ReplaceAllLiteralString.
func (p *Pattern) ReplaceAllLiteralString(s, repl string) string {
	if !p.maybe(s) {
		return s
	}
	return p.re.ReplaceAllLiteralString(s, repl)
}

// ReplaceAllStringFunc is regexp.Regexp.ReplaceAllStringFunc.
func (p *Pattern) ReplaceAllStringFunc(s string, repl func(string) string) string {
	if !p.maybe(s) {
		return s
	}
	return p.re.ReplaceAllStringFunc(s, repl)
}

// Split is regexp.Regexp.Split.
func (p *Pattern) Split(s string, n int) []string {
	if n != 0 && !p.maybe(s) {
		return []string{s} // no separator: the whole text, as regexp.Split gives it
	}
	return p.re.Split(s, n)
}

// maybe reports whether s may hold a match: false only when it holds none
// of the needed words.
func (p *Pattern) maybe(s string) bool {
	if p.need == nil {
		return true
	}
	if p.foldSK && hasSK(s) {
		return true // (?i) takes them for s and k, which an ASCII comparison does not
	}
	var buf [shortText]byte
	lower := ""
	if p.anyFold && len(p.need) > 2 && len(s) <= shortText {
		lower = asciiLower(&buf, s)
	}
	return p.hasWord(s, lower)
}

// hasSK reports whether s holds ſ (U+017F) or the Kelvin sign (U+212A),
// which (?i) takes for s and k.
func hasSK(s string) bool {
	return strings.Contains(s, "\u017f") || strings.Contains(s, "\u212a")
}

// hasWord is maybe once s is known to hold neither ſ nor the Kelvin sign
// where they count (foldSK), with lower, s lower-cased ("": lower-cased
// here when s is longer than shortText, else compared by containsFold):
// the same lower-cased text serves every branch of a Pattern, and a copy
// of a message with its ASCII letters lowered, on the stack, serves many
// words faster than containsFold does each.
func (p *Pattern) hasWord(s, lower string) bool {
	if p.need == nil {
		return true
	}
	if p.anyFold && len(s) > shortText && lower == "" {
		lower = strings.ToLower(s)
	}
	for i, w := range p.need {
		switch {
		case !p.fold[i]:
			if strings.Contains(s, w) {
				return true
			}
		case lower != "":
			if strings.Contains(lower, w) {
				return true
			}
		case containsFold(s, w):
			return true
		}
	}
	return false
}

// asciiLower is s (at most shortText bytes) with its ASCII letters in
// lower case, in buf: a match of a word in any case (containsFold) is a
// match of the lower-case word in it. Its other bytes are s's.
func asciiLower(buf *[shortText]byte, s string) string {
	n := copy(buf[:], s)
	for i := range n {
		if c := buf[i]; 'A' <= c && c <= 'Z' {
			buf[i] = c + 'a' - 'A'
		}
	}
	return unsafe.String(&buf[0], n)
}

// shortText is the longest text maybe compares without a lower-cased
// copy (containsFold): a message. A longer one (an article's section) is
// lower-cased once, and searched for each word faster than containsFold
// would.
const shortText = 256

// containsFold reports whether s holds w with its ASCII letters in any
// case; w is lower case. Other runes are compared as they are: (?i) folds
// no other rune into an ASCII letter but ſ and the Kelvin sign (maybe's
// test), and w's other runes have no case (literalOf). It makes no
// lower-cased copy of s, as strings.ToLower did for every rule a message
// with a capital letter was tried on.
func containsFold(s, w string) bool {
	if len(w) == 0 {
		return true
	}
	c0, u0 := w[0], w[0]
	if 'a' <= c0 && c0 <= 'z' {
		u0 = c0 - 'a' + 'A'
	}
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i] != c0 && s[i] != u0 {
			continue
		}
		j := 1
		for ; j < len(w); j++ {
			b := s[i+j]
			if 'A' <= b && b <= 'Z' {
				b += 'a' - 'A'
			}
			if b != w[j] {
				break
			}
		}
		if j == len(w) {
			return true
		}
	}
	return false
}

// literal is a word a match must hold; fold: it came from a (?i)
// expression and is lower case.
type literal struct {
	s    string
	fold bool
}

// required returns words one of which every match of re contains, or nil
// when it finds none (a match may be empty, or hold only character
// classes).
func required(re *syntax.Regexp) []literal {
	switch re.Op {
	case syntax.OpLiteral:
		return literalOf(re)
	case syntax.OpCharClass:
		return classOf(re)
	case syntax.OpCapture:
		return required(re.Sub[0])
	case syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
		return nil
	case syntax.OpAlternate:
		var out []literal
		for _, sub := range re.Sub {
			r := required(sub)
			if r == nil {
				return nil // this branch can match without any word
			}
			out = append(out, r...)
		}
		return out
	case syntax.OpConcat:
		// Every part is in the match: the part whose words are surest
		// to be missing from a text (the longest shortest word, then the
		// fewest words) serves.
		var best []literal
		for _, sub := range re.Sub {
			if r := required(sub); r != nil && (best == nil || better(r, best)) {
				best = r
			}
		}
		return best
	}
	return nil
}

func better(a, b []literal) bool {
	if sa, sb := shortest(a), shortest(b); sa != sb {
		return sa > sb
	}
	return len(a) < len(b)
}

func shortest(ls []literal) int {
	n := -1
	for _, l := range ls {
		if n < 0 || len(l.s) < n {
			n = len(l.s)
		}
	}
	return n
}

// literalOf is the word of a literal node; nil when (?i) applies to a
// letter outside ASCII, whose case variants lower-casing does not all
// bring to one.
func literalOf(re *syntax.Regexp) []literal {
	if len(re.Rune) == 0 {
		return nil
	}
	fold := re.Flags&syntax.FoldCase != 0
	var b strings.Builder
	letters := false
	for _, r := range re.Rune {
		if fold && unicode.SimpleFold(r) != r {
			if r >= utf8.RuneSelf {
				return nil
			}
			letters = true
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return []literal{{s: b.String(), fold: fold && letters}}
}

// classOf is the runes of a small character class with no case (Han,
// digits, punctuation: "(两|2|二)" parses as one), each a word; nil for
// other classes.
func classOf(re *syntax.Regexp) []literal {
	const most = 16
	var out []literal
	for i := 0; i+1 < len(re.Rune); i += 2 {
		lo, hi := re.Rune[i], re.Rune[i+1]
		if hi-lo >= most || len(out)+int(hi-lo)+1 > most {
			return nil
		}
		for r := lo; r <= hi; r++ {
			if unicode.SimpleFold(r) != r {
				return nil
			}
			out = append(out, literal{s: string(r)})
		}
	}
	return out
}
