package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/assistd/assist"
	"github.com/assistd/assist/ingest"
	"github.com/assistd/assist/rag"
)

var opt = ingest.Options{TenantID: "t1", KB: "help", Now: time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)}

func load(t *testing.T, name string) []rag.Document {
	t.Helper()
	docs, err := ingest.LoadFile(context.Background(), filepath.Join("testdata", name), opt)
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func TestMarkdownHeadings(t *testing.T) {
	docs := load(t, "guide.md")
	if len(docs) != 1 {
		t.Fatalf("%d docs", len(docs))
	}
	d := docs[0]
	if d.Doc != "guide.md" || d.Title != "Returns guide" || d.TenantID != "t1" || d.KB != "help" || !d.UpdatedAt.Equal(opt.Now) || !strings.HasSuffix(d.Source, "guide.md") {
		t.Fatalf("doc = %+v", d)
	}
	var paths [][]string
	var texts []string
	for _, c := range d.Chunks {
		paths = append(paths, c.HeadingPath)
		texts = append(texts, c.Text)
	}
	want := [][]string{{"Returns guide"}, {"Returns guide", "Who pays postage"}, {"Returns guide", "Who pays postage", "Labels"}, {"Returns guide", "退货时效"}}
	if !reflect.DeepEqual(paths, want) {
		t.Fatalf("heading paths = %q", paths)
	}
	if texts[0] != "Intro paragraph about returns and our policy." {
		t.Errorf("inline markup kept: %q", texts[0])
	}
	if strings.Contains(strings.Join(texts, "\n"), "not a heading") == false {
		t.Errorf("code block lost")
	}
}

func TestHTMLClean(t *testing.T) {
	d := load(t, "page.html")[0]
	all := ""
	for _, c := range d.Chunks {
		all += strings.Join(c.HeadingPath, ">") + "|" + c.Text + "\n"
	}
	want := "Shipping|Free shipping over $49 — worldwide.\nShipping>Carriers|SF Express\nDHL\nMainland 2-4 days\n"
	if d.Title != "Shipping & Delivery" || all != want {
		t.Fatalf("title %q, chunks:\n%s", d.Title, all)
	}
}

func TestFAQAndPassages(t *testing.T) {
	csv := load(t, "faq.csv")
	if len(csv) != 2 || csv[0].Doc != "faq-1" || csv[0].Chunks[0].Question != "How long is the warranty?" ||
		csv[0].Chunks[0].Answer != "One year on electronics, 30 days on other goods." || csv[1].Doc != "faq.csv" || len(csv[1].Chunks) != 1 {
		t.Fatalf("csv = %+v", csv)
	}
	js := load(t, "mixed.jsonl")
	var names []string
	for _, d := range js {
		names = append(names, d.Doc)
	}
	if !reflect.DeepEqual(names, []string{"p-1", "42", "zh-faq-hours", "mixed.jsonl"}) {
		t.Fatalf("names = %q", names)
	}
	if js[0].Title != "积分规则" || js[2].Chunks[0].Question != "客服几点上班？" || js[3].Chunks[0].Answer != "Yes, 400-820-1234 on weekdays." {
		t.Fatalf("jsonl = %+v", js)
	}
}

func TestLoadErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, body, code string
		max              int64
	}{
		{"a.docx", "x", assist.EINVALID, 0},
		{"a.md", "bad \xff\xfe", assist.EINVALID, 0},
		{"a.jsonl", "{not json", assist.EINVALID, 0},
		{"a.jsonl", `{"text": "no id"}`, assist.EINVALID, 0},
		{"a.jsonl", `{"title": "nothing"}`, assist.EINVALID, 0},
		{"a.csv", "q,a\nx,y\n", assist.EINVALID, 0},
		{"a.csv", "question,answer\n\"unterminated,y\n", assist.EINVALID, 0},
		{"a.txt", "   \n", assist.EINVALID, 0},
		{"a.pdf", "%PDF-1.4 broken", assist.EINVALID, 0},
		{"a.txt", strings.Repeat("x", 2048), assist.ETOOLARGE, 1024},
	}
	for _, tt := range tests {
		o := opt
		o.MaxBytes = tt.max
		_, err := ingest.Load(ctx, tt.name, tt.name, strings.NewReader(tt.body), o)
		if assist.ErrorCode(err) != tt.code {
			t.Errorf("%s %q: err = %v, want %s", tt.name, tt.body[:min(len(tt.body), 20)], err, tt.code)
		}
	}
}

func TestSplitKeepsSentenceEnds(t *testing.T) {
	var b strings.Builder
	for i := range 40 {
		b.WriteString("这是第")
		b.WriteString(strings.Repeat("一", i%5+1))
		b.WriteString("个关于退货和退款规则的句子，内容比较长以便测试切分。")
	}
	parts := ingest.Split(b.String(), ingest.Sizes{ZH: 100, ZHOver: 20})
	if len(parts) < 5 {
		t.Fatalf("%d parts", len(parts))
	}
	for i, p := range parts {
		if n := utf8.RuneCountInString(p); n > 100 {
			t.Errorf("part %d has %d runes", i, n)
		}
		if !strings.HasSuffix(p, "。") || strings.HasPrefix(p, "。") {
			t.Errorf("part %d does not end a sentence: %q", i, p)
		}
	}
	// Overlap: consecutive parts share a sentence.
	if last := ingest.Split(b.String(), ingest.Sizes{ZH: 100, ZHOver: 40}); !strings.Contains(last[1], lastSentence(last[0])) {
		t.Errorf("no overlap between %q and %q", last[0], last[1])
	}
	en := strings.Repeat("Refunds reach your card in three to seven business days. ", 60)
	for _, p := range ingest.Split(en, ingest.Sizes{EN: 300, ENOver: 60}) {
		if !strings.HasSuffix(p, "days.") {
			t.Errorf("english part cut mid-sentence: %q", p)
		}
	}
}

func lastSentence(s string) string {
	parts := strings.SplitAfter(strings.TrimSuffix(s, "。"), "。")
	return parts[len(parts)-1]
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"a.md", "sub/b.jsonl", ".hidden/c.md", "d.docx", "sub/.e.md"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), []byte("x"), 0o644)
	}
	got, err := ingest.Files([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "a.md"), filepath.Join(dir, "sub/b.jsonl")}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Files = %q", got)
	}
	if _, err := ingest.Files([]string{filepath.Join(dir, "d.docx")}); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("docx: %v", err)
	}
	if _, err := ingest.Files([]string{filepath.Join(dir, "missing")}); assist.ErrorCode(err) != assist.ENOTFOUND {
		t.Errorf("missing: %v", err)
	}
}
