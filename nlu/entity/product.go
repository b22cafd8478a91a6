package entity

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu/pii"
)

// catalogue finds product names: the longest name at each position, ASCII
// case ignored; names that start or end with an ASCII letter or digit
// must not touch another one there ("pro" is not in "product").
type catalogue struct {
	byFirst map[byte][]name // by the first byte of the lower-cased name, longest first
	han     []hanName       // the names' runs of Chinese characters, longest first (homophone.go)
}

type name struct {
	text string // lower-cased (ASCII)
	id   string
}

func newCatalogue(items []Item) (*catalogue, error) {
	if len(items) == 0 {
		return nil, nil
	}
	c := &catalogue{byFirst: map[byte][]name{}}
	for i, it := range items {
		if len(it.Names) == 0 {
			return nil, assist.Errorf(assist.EINVALID, "catalogue item %d has no name", i)
		}
		id := it.ID
		if id == "" {
			id = it.Names[0]
		}
		for _, n := range it.Names {
			n = strings.Join(strings.Fields(n), " ")
			if n == "" || !utf8.ValidString(n) {
				return nil, assist.Errorf(assist.EINVALID, "catalogue item %d has an empty or non-UTF-8 name", i)
			}
			f, _ := pii.Fold(n)
			l := asciiLower(f)
			c.byFirst[l[0]] = append(c.byFirst[l[0]], name{text: l, id: id})
			for _, run := range hanRuns(l) {
				c.han = append(c.han, hanName{runes: run, id: id})
			}
		}
	}
	sort.SliceStable(c.han, func(i, j int) bool { return len(c.han[i].runes) > len(c.han[j].runes) })
	for _, ns := range c.byFirst {
		sort.SliceStable(ns, func(i, j int) bool { return len(ns[i].text) > len(ns[j].text) })
	}
	return c, nil
}

func (c *catalogue) find(s string, add func(typ string, start, end int, value string)) {
	var named []span
	c.findExact(s, func(typ string, start, end int, value string) {
		named = append(named, span{start, end})
		add(typ, start, end, value)
	})
	c.findAlike(s, named, add)
}

func (c *catalogue) findExact(s string, add func(typ string, start, end int, value string)) {
	for i := 0; i < len(s); {
		ns := c.byFirst[lower(s[i])]
		if len(ns) == 0 || (i > 0 && isAlnum(s[i-1]) && isAlnum(s[i])) || !utf8.RuneStart(s[i]) {
			i++
			continue
		}
		matched := false
		for _, n := range ns {
			end := i + len(n.text)
			if end > len(s) || !hasPrefixFold(s[i:], n.text) {
				continue
			}
			if end < len(s) && isAlnum(s[end]) && isAlnum(s[end-1]) {
				continue
			}
			add(Product, i, end, n.id)
			i, matched = end, true
			break
		}
		if !matched {
			i++
		}
	}
}

// hasPrefixFold reports whether s starts with the lower-case p, ignoring
// ASCII case.
func hasPrefixFold(s, p string) bool {
	if len(s) < len(p) {
		return false
	}
	for k := 0; k < len(p); k++ {
		if lower(s[k]) != p[k] {
			return false
		}
	}
	return true
}
