package pii

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Masker masks personal data. The zero value is ready to use and safe for
// concurrent use.
type Masker struct{}

// Mask returns text with every piece of personal data replaced by a
// placeholder ([PHONE_1], [EMAIL_1], [ID_1], [CARD_1]); the same value gets
// the same placeholder. The mapping is dropped: use MaskWithVault to undo.
func (Masker) Mask(text string) string {
	masked, _ := MaskWithVault(text)
	return masked
}

// Mask masks text with the zero Masker.
func Mask(text string) string { return Masker{}.Mask(text) }

// MaskWithVault masks text like Mask and returns the vault that undoes it.
func MaskWithVault(text string) (string, *Vault) {
	v := NewVault()
	return v.Mask(text), v
}

// Vault maps placeholders to the values they hide, for one conversation or
// one LLM call. It is not safe for concurrent use.
type Vault struct {
	values  map[string]string // placeholder → value as written
	holders map[string]string // kind + "\x00" + value → placeholder
	next    map[Kind]int
}

// NewVault returns an empty vault.
func NewVault() *Vault {
	return &Vault{values: map[string]string{}, holders: map[string]string{}, next: map[Kind]int{}}
}

// Len returns the number of placeholders in the vault.
func (v *Vault) Len() int { return len(v.values) }

// Value returns the value a placeholder stands for.
func (v *Vault) Value(placeholder string) (string, bool) {
	s, ok := v.values[placeholder]
	return s, ok
}

// rePlaceholder matches a placeholder of any kind Find reports (the kinds
// are those ranked in priority).
var rePlaceholder = func() *regexp.Regexp {
	kinds := make([]string, 0, len(priority))
	for k := range priority {
		kinds = append(kinds, regexp.QuoteMeta(string(k)))
	}
	sort.Strings(kinds)
	return regexp.MustCompile(`\[(?:` + strings.Join(kinds, "|") + `)_[0-9]+\]`)
}()

// Placeholders lists the placeholders written in s ([EMAIL_1], …), in
// order: text that still holds one has lost a value that only a vault
// can give back, so it must not be shown to anyone as it is.
func Placeholders(s string) []string { return rePlaceholder.FindAllString(s, -1) }

// Mask masks text into v: values already in the vault keep their
// placeholder, new ones get the next free number of their kind. A number
// whose placeholder is written literally in text is skipped, and a literal
// placeholder that the vault already uses for a value is itself masked, so
// v.Unmask of the result always gives text back exactly.
func (v *Vault) Mask(text string) string {
	matches := Find(text)
	var literals [][]int
	if strings.IndexByte(text, '[') >= 0 {
		literals = rePlaceholder.FindAllStringIndex(text, -1)
	}
	if len(matches) == 0 && len(literals) == 0 {
		return text
	}
	taken := make(map[string]bool, len(literals))
	for _, l := range literals {
		taken[text[l[0]:l[1]]] = true
	}
	// Literal placeholders the vault already uses must not be confused
	// with them when unmasking: mask them as values of their own kind.
	for _, l := range literals {
		lit := text[l[0]:l[1]]
		if _, used := v.values[lit]; used {
			kind := Kind(lit[1:strings.IndexByte(lit, '_')])
			matches = append(matches, Match{kind, l[0], l[1]})
		}
	}
	if len(literals) > 0 {
		matches = resolve(matches)
	}
	var b strings.Builder
	b.Grow(len(text) + 8*len(matches))
	last := 0
	for _, m := range matches {
		b.WriteString(text[last:m.Start])
		b.WriteString(v.holder(m.Kind, text[m.Start:m.End], taken))
		last = m.End
	}
	b.WriteString(text[last:])
	return b.String()
}

func (v *Vault) holder(kind Kind, value string, taken map[string]bool) string {
	key := string(kind) + "\x00" + value
	if h, ok := v.holders[key]; ok && !taken[h] {
		return h
	}
	for {
		v.next[kind]++
		h := "[" + string(kind) + "_" + strconv.Itoa(v.next[kind]) + "]"
		if taken[h] {
			continue
		}
		if _, used := v.values[h]; used {
			continue
		}
		v.values[h] = value
		v.holders[key] = h
		return h
	}
}

// Unmask returns s with every placeholder of the vault replaced by its
// value; other text, including placeholders the vault does not know, stays.
// A nil or empty vault returns s.
func (v *Vault) Unmask(s string) string {
	if v == nil || len(v.values) == 0 || strings.IndexByte(s, '[') < 0 {
		return s
	}
	return rePlaceholder.ReplaceAllStringFunc(s, func(h string) string {
		if val, ok := v.values[h]; ok {
			return val
		}
		return h
	})
}
