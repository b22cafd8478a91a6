package pii

import "strings"

// StreamUnmasker unmasks a model's answer as it streams in: a placeholder
// split across pieces ("[PHO", "NE_1]") is held back until it is whole.
// It is not safe for concurrent use.
type StreamUnmasker struct {
	v       *Vault
	pending string
}

// Stream returns an unmasker of v's placeholders for one streamed answer.
func (v *Vault) Stream() *StreamUnmasker { return &StreamUnmasker{v: v} }

// maxPlaceholder is longer than any placeholder ("[PHONE_" + digits + "]").
const maxPlaceholder = 24

// Next takes the next piece of the answer and returns the text that can
// be shown now, unmasked; it may be "" while a placeholder is incomplete.
func (u *StreamUnmasker) Next(delta string) string {
	s := u.pending + delta
	u.pending = ""
	if i := strings.LastIndexByte(s, '['); i >= 0 && !strings.Contains(s[i:], "]") && len(s)-i < maxPlaceholder && placeholderPrefix(s[i+1:]) {
		s, u.pending = s[:i], s[i:]
	}
	return u.v.Unmask(s)
}

// Flush returns what is held back at the end of the answer.
func (u *StreamUnmasker) Flush() string {
	s := u.pending
	u.pending = ""
	return u.v.Unmask(s)
}

// placeholderPrefix reports whether s could continue into the rest of a
// placeholder after its "[": a prefix of a kind, then "_" and digits.
func placeholderPrefix(s string) bool {
	kind, num, under := strings.Cut(s, "_")
	ok := false
	for _, k := range []Kind{Phone, Email, ID, Card} {
		if under && kind == string(k) || !under && strings.HasPrefix(string(k), kind) {
			ok = true
		}
	}
	for i := 0; i < len(num); i++ {
		if num[i] < '0' || num[i] > '9' {
			return false
		}
	}
	return ok
}
