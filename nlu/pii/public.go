package pii

import "strings"

// Public is the contact data a shop publishes itself: the e-mail
// addresses and phone numbers written in its own help-center articles,
// exactly as written there. Such a value is the shop's, not a person's: an
// agent who writes "write to help@shop.example" gives the shop's address,
// which a customer may read in an answer published from that reply.
// Everything else Find reports is personal, other addresses at the shop's
// domain too ("jobs@shop.example" when the articles give only
// "help@shop.example"): a shop may publish an address at a mail provider
// its customers use as well ("shop@qq.com"), and a domain rule would then
// keep every customer's address there. A nil *Public holds nothing: all of
// it is personal.
type Public struct {
	values map[string]bool // kind + "\x00" + normalised value
}

// NewPublic returns the contact data published in texts (the shop's
// articles).
func NewPublic(texts ...string) *Public {
	p := &Public{values: map[string]bool{}}
	for _, t := range texts {
		for _, m := range Find(t) {
			switch m.Kind {
			case Email:
				v := strings.ToLower(t[m.Start:m.End])
				p.values[string(Email)+"\x00"+v] = true
			case Phone:
				p.values[string(Phone)+"\x00"+DigitsOf(t[m.Start:m.End])] = true
			}
		}
	}
	return p
}

// Len returns how many values p holds.
func (p *Public) Len() int {
	if p == nil {
		return 0
	}
	return len(p.values)
}

// Holds reports whether a value of kind, as written, is the shop's.
func (p *Public) Holds(kind Kind, value string) bool {
	if p == nil {
		return false
	}
	switch kind {
	case Email:
		return p.values[string(Email)+"\x00"+strings.ToLower(value)]
	case Phone:
		return p.values[string(Phone)+"\x00"+DigitsOf(value)]
	}
	return false
}

// Find returns the personal data in s: Find's matches that are not the
// shop's.
func (p *Public) Find(s string) []Match {
	all := Find(s)
	if p.Len() == 0 {
		return all
	}
	out := all[:0]
	for _, m := range all {
		if !p.Holds(m.Kind, s[m.Start:m.End]) {
			out = append(out, m)
		}
	}
	return out
}

// Mask masks the personal data of text like Mask and leaves the shop's
// contact data as it is written.
func (p *Public) Mask(text string) string {
	masked, v := MaskWithVault(text)
	if p.Len() == 0 || v.Len() == 0 {
		return masked
	}
	return rePlaceholder.ReplaceAllStringFunc(masked, func(h string) string {
		val, ok := v.values[h]
		if ok && p.Holds(Kind(h[1:strings.IndexByte(h, '_')]), val) {
			return val
		}
		return h
	})
}
