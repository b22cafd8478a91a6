package rag

import "testing"

// Quoted sentences read as sentences: a table cell or list item without
// closing punctuation gets its full stop before the next sentence.
func TestBetweenSentences(t *testing.T) {
	for _, c := range []struct{ written, want string }{
		{"we reimburse you against the receipt", ". "},
		{"Refunds take 3 days.", " "},
		{"Is it free?", " "},
		{"运费由商城承担", ""},
		{"运费由商城承担。", ""},
		{"Open 9:00–22:00 (Beijing time)", " "},
	} {
		if got := between(c.written); got != c.want {
			t.Errorf("between(%q) = %q, want %q", c.written, got, c.want)
		}
	}
}
