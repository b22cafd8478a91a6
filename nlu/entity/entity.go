package entity

import (
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/nlu/pii"
)

// Entity types.
const (
	OrderID        = "order_id"
	TrackingNumber = "tracking_number"
	Phone          = "phone"
	Email          = "email"
	Amount         = "amount"
	Date           = "date"
	Product        = "product"
)

// priority orders the types for overlap resolution, highest first.
var priority = map[string]int{Email: 0, Phone: 1, TrackingNumber: 2, OrderID: 3, Product: 4, Amount: 5, Date: 6}

// Pattern is a tenant's own regular expression (RE2 syntax) for one entity
// type. Its named group "value", when present, is the part that becomes
// the value.
type Pattern struct {
	Type   string // order_id, tracking_number, phone or email
	Regexp string
	// Replace turns off the built-in patterns of Type.
	Replace bool
}

// Item is one product of a tenant's catalogue.
type Item struct {
	ID    string   // the value of its entities; "" means Names[0]
	Names []string // names and aliases, Chinese and English, any case
}

// Config is a tenant's extraction settings. The zero value extracts with
// the built-in patterns, no products, in UTC, relative to time.Now.
type Config struct {
	Patterns  []Pattern
	Catalogue []Item
	Location  *time.Location   // nil means UTC
	Now       func() time.Time // nil means time.Now; Extract's reference time
	// MaxText is the longest text scanned, in bytes; the rest is ignored.
	// 0 means 8192.
	MaxText int
}

// Extractor finds entities. It is safe for concurrent use.
type Extractor struct {
	custom   []custom
	replaced map[string]bool
	products *catalogue
	loc      *time.Location
	now      func() time.Time
	maxText  int
}

type custom struct {
	typ   string
	re    *regexp.Regexp
	group int // index of the "value" group, or 0
}

// New returns an Extractor for cfg.
//
// Errors: EINVALID for a pattern of an unknown or unsupported type, one
// that does not compile or can match the empty string, or a catalogue item
// without a name.
func New(cfg Config) (*Extractor, error) {
	e := &Extractor{replaced: map[string]bool{}, loc: cfg.Location, now: cfg.Now, maxText: cfg.MaxText}
	if e.loc == nil {
		e.loc = time.UTC
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.maxText <= 0 {
		e.maxText = 8192
	}
	for i, p := range cfg.Patterns {
		switch p.Type {
		case OrderID, TrackingNumber, Phone, Email:
		default:
			return nil, assist.Errorf(assist.EINVALID, "entity pattern %d: type %q cannot have custom patterns (order_id, tracking_number, phone, email can)", i, p.Type)
		}
		re, err := regexp.Compile(p.Regexp)
		if err != nil {
			return nil, assist.Errorf(assist.EINVALID, "entity pattern %d (%s): %v", i, p.Type, err)
		}
		if re.MatchString("") {
			return nil, assist.Errorf(assist.EINVALID, "entity pattern %d (%s) matches the empty string", i, p.Type)
		}
		e.custom = append(e.custom, custom{typ: p.Type, re: re, group: re.SubexpIndex("value")})
		if p.Replace {
			e.replaced[p.Type] = true
		}
	}
	cat, err := newCatalogue(cfg.Catalogue)
	if err != nil {
		return nil, err
	}
	e.products = cat
	return e, nil
}

// candidate is an entity found in the folded text, before resolution.
type candidate struct {
	nlu.Entity
	custom bool
}

// Extract returns the entities of text, ordered by position, with dates
// relative to Config.Now.
func (e *Extractor) Extract(text string) []nlu.Entity {
	return e.ExtractAt(text, e.now())
}

// ExtractAt returns the entities of text with relative dates resolved
// against ref. Text that is not valid UTF-8 is scanned as is; spans always
// start and end on rune boundaries.
func (e *Extractor) ExtractAt(text string, ref time.Time) []nlu.Entity {
	if len(text) > e.maxText {
		cut := e.maxText
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	s, offs := pii.Fold(text)
	var cs []candidate
	add := func(typ string, start, end int, value string) {
		cs = append(cs, candidate{Entity: nlu.Entity{Type: typ, Start: start, End: end, Value: value}})
	}
	for _, c := range e.custom {
		for _, m := range c.re.FindAllStringSubmatchIndex(s, -1) {
			if m[0] == m[1] {
				continue
			}
			v := s[m[0]:m[1]]
			if c.group > 0 && m[2*c.group] >= 0 {
				v = s[m[2*c.group]:m[2*c.group+1]]
			}
			cs = append(cs, candidate{Entity: nlu.Entity{Type: c.typ, Start: m[0], End: m[1], Value: normalise(c.typ, v)}, custom: true})
		}
	}
	var blocked []span // identity numbers: not order ids, not entities
	for _, m := range pii.Find(s) {
		switch m.Kind {
		case pii.Phone:
			if !e.replaced[Phone] {
				add(Phone, m.Start, m.End, normalise(Phone, s[m.Start:m.End]))
			}
		case pii.Email:
			if !e.replaced[Email] {
				add(Email, m.Start, m.End, normalise(Email, s[m.Start:m.End]))
			}
		case pii.ID:
			blocked = append(blocked, span{m.Start, m.End})
		}
	}
	e.numbers(s, blocked, add)
	if e.products != nil {
		e.products.find(s, add)
	}
	amounts(s, add)
	dates(s, ref.In(e.loc), add)

	out := resolve(cs)
	for i := range out {
		if offs != nil {
			out[i].Start, out[i].End = offs[out[i].Start], offs[out[i].End]
		}
		out[i].Text = text[out[i].Start:out[i].End]
	}
	return out
}

type span struct{ start, end int }

func (sp span) overlaps(start, end int) bool { return start < sp.end && sp.start < end }

// resolve keeps one entity per span (see the package documentation for the
// order) and sorts the result by position.
func resolve(cs []candidate) []nlu.Entity {
	if len(cs) == 0 {
		return nil
	}
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.custom != b.custom {
			return a.custom
		}
		if pa, pb := priority[a.Type], priority[b.Type]; pa != pb {
			return pa < pb
		}
		if la, lb := a.End-a.Start, b.End-b.Start; la != lb {
			return la > lb
		}
		return a.Start < b.Start
	})
	out := make([]nlu.Entity, 0, len(cs))
	for _, c := range cs {
		ok := true
		for _, k := range out {
			if c.Start < k.End && k.Start < c.End {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, c.Entity)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// normalise returns the value of an order id, tracking number, phone or
// e-mail as written in v.
func normalise(typ, v string) string {
	switch typ {
	case Email:
		return strings.ToLower(v)
	case Phone:
		d := pii.DigitsOf(v)
		switch {
		case strings.HasPrefix(v, "+86") && len(d) == 13:
			return d[2:]
		case strings.HasPrefix(d, "0086") && len(d) == 15:
			return d[4:]
		case strings.HasPrefix(d, "86") && len(d) == 13 && d[2] == '1':
			return d[2:]
		case strings.HasPrefix(v, "+"):
			return "+" + d
		}
		return d
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == ' ' || c == '-' || c == '#' || c == '\t':
		case c >= 'a' && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isAlnum(c byte) bool { return isDigit(c) || isLetter(c) }

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
