package rag

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The readers read an article piece by piece (articleForms, joinedForms)
// as the text of its pieces joined by line breaks: they must find what
// the joined text holds, no more, no less. Checked on the help centers'
// articles, cut into pieces at blank lines and headings, with every
// specific (rag/specifics.tsv), every English word of the articles and
// every two Chinese characters.
func TestPiecesReadAsJoined(t *testing.T) {
	var files []string
	for _, dir := range []string{"../data/kb/demo", "../data/eval/hc2/kb"} {
		fs, err := filepath.Glob(filepath.Join(dir, "*"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	if len(files) == 0 {
		t.Skip("no help-center files")
	}
	found := 0 // specifics found: the check must see both answers
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// Pieces as articlePieces gives them: labels (a line or two) and
		// texts (paragraphs), one after the other.
		var pieces []string
		for _, p := range strings.Split(string(b), "\n\n") {
			if h, rest, ok := strings.Cut(p, "\n"); ok && strings.HasPrefix(h, "#") {
				pieces = append(pieces, strings.TrimLeft(h, "# "), rest)
				continue
			}
			pieces = append(pieces, p)
		}
		joined := strings.Join(pieces, "\n")
		whole := specificText(joined)
		j := joinForms(pieces)
		for _, it := range DefaultSpecifics().items {
			want, got := it.in(whole), it.inJoined(j)
			if got != want {
				t.Errorf("%s: specific %v: in the pieces %v, in the joined text %v", f, it, got, want)
			}
			if want {
				found++
			}
		}
		old := lexNorm(joined)
		a := newArticleForms(pieces)
		seen := map[string]bool{}
		for _, w := range lexWords(joined) {
			for _, v := range []string{w, w + "s", strings.TrimSuffix(w, "s"), w[:min(len(w), 3)]} {
				if v == "" || seen[v] {
					continue
				}
				seen[v] = true
				if want, got := hasWord(old, v), a.hasWord(v); got != want {
					t.Errorf("%s: word %q: in the pieces %v, in the joined text %v", f, v, got, want)
				}
			}
		}
		forEachRun(joined, func(run string, han bool) {
			rs := []rune(run)
			for i := 0; han && i+1 < len(rs); i++ {
				bi := string(rs[i : i+2])
				if want, got := strings.Contains(old, bi), a.hasHan(bi); got != want {
					t.Errorf("%s: %q: in the pieces %v, in the joined text %v", f, bi, got, want)
				}
			}
		})
		if a.hasHan("\u0000") || a.hasWord("zzzzzz") {
			t.Errorf("%s: found what is not there", f)
		}
	}
	if found == 0 {
		t.Error("no specific found in any article")
	}
}

// hasYuan is strings.ContainsAny(text, "¥￥"), on any bytes.
func TestHasYuan(t *testing.T) {
	for _, s := range []string{"", "¥", "￥", "$5", "每¥1", "每￥1积分", "abc", "\xc2", "\xc2\xa5", "\xe0\xc2\xa5",
		"\xef\xbf", "\xef\xbf\xa5", "\xa5\xc2", "100 元", "￦", "€", "x\xffy¥"} {
		if got, want := hasYuan(s), strings.ContainsAny(s, "¥￥"); got != want {
			t.Errorf("hasYuan(%q) = %v, want %v", s, got, want)
		}
	}
}
