package ingest_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/assistd/assist"
	"github.com/assistd/assist/ingest"
)

// FuzzLoad feeds files of every format to the loaders: a file gives
// documents of valid UTF-8 chunks within the size limits, or a clear
// error; never a panic, never an unbounded wait.
func FuzzLoad(f *testing.F) {
	seeds := map[string]string{
		".md":    "# Returns\n\n## Window\n\n7 days. <b>bold</b>\n\n```\ncode\n```\n| a | b |\n|---|---|\n| 1 | 2 |\n",
		".html":  "<html><head><title>T</title></head><body><h1>A</h1><p>x &amp; y</p><script>z</script><table><tr><td>1</td></tr></table></body></html>",
		".txt":   "退货政策：7 天无理由。Ship in 3 days.",
		".csv":   "question,answer\n退货运费谁出？,卖家承担\n\"quoted, q\",\"a \"\"b\"\"\"\n",
		".jsonl": `{"id":"a/b","question":"Q?","answer":"A."}` + "\n" + `{"title":"T","text":"body"}` + "\n",
		".pdf":   "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
	}
	exts := []string{".md", ".html", ".txt", ".csv", ".jsonl", ".pdf"}
	for i, ext := range exts {
		f.Add(uint8(i), []byte(seeds[ext]))
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		ext := exts[int(which)%len(exts)]
		o := ingest.Options{TenantID: "t", KB: "kb", Now: time.Unix(0, 0), MaxBytes: 1 << 20, MaxInflatedBytes: 1 << 20, PDFTimeout: 2 * time.Second}
		docs, err := ingest.Load(context.Background(), "f"+ext, "f"+ext, bytes.NewReader(data), o)
		if err != nil {
			switch assist.ErrorCode(err) {
			case assist.EINVALID, assist.ETOOLARGE, assist.EUNAVAILABLE:
				return
			}
			t.Fatalf("%s %q: error code %s: %v", ext, data, assist.ErrorCode(err), err)
		}
		for _, d := range docs {
			if d.Doc == "" || len(d.Chunks) == 0 {
				t.Fatalf("%s: empty document %+v", ext, d)
			}
			for _, c := range d.Chunks {
				if !utf8.ValidString(c.Text) || !utf8.ValidString(c.Question) || !utf8.ValidString(c.Answer) || !utf8.ValidString(d.Title) {
					t.Fatalf("%s %q: a chunk is not UTF-8: %+v", ext, data, c)
				}
				if strings.TrimSpace(c.Text) == "" && strings.TrimSpace(c.Question) == "" {
					t.Fatalf("%s %q: an empty chunk", ext, data)
				}
			}
		}
	})
}

// FuzzSplit feeds text to the chunker: the chunks are non-empty, within
// the size limit (in runes, with slack for a sentence kept whole), and
// keep every non-space rune of the text.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"一句话。两句话！Three sentences. Four?", strings.Repeat("长", 2000), "a\n\nb\n\n\n c", ""} {
		f.Add(s, uint16(200))
	}
	f.Fuzz(func(t *testing.T, text string, size uint16) {
		if !utf8.ValidString(text) {
			return
		}
		n := int(size%2000) + 50
		chunks := ingest.Split(text, ingest.Sizes{ZH: n, EN: n})
		var in, out int
		for _, r := range text {
			if !unicode.IsSpace(r) && r != 0x1e {
				in++
			}
		}
		for _, c := range chunks {
			if strings.TrimSpace(c) == "" {
				t.Fatalf("empty chunk of %q", text)
			}
			for _, r := range c {
				if !unicode.IsSpace(r) && r != 0x1e {
					out++
				}
			}
		}
		if out < in {
			t.Fatalf("Split(%q, %d) lost text: %d of %d runes kept: %q", text, n, out, in, chunks)
		}
	})
}
