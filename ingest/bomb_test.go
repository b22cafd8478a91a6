package ingest_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/ingest"
)

// flatePDF writes a one-page PDF whose content stream is Flate-compressed
// and shows size bytes of text: a few KB of file for megabytes of text. With
// image set, one more stream of the same size is an image XObject.
func flatePDF(t *testing.T, size int, image bool) []byte {
	t.Helper()
	deflate := func(prefix, fill, suffix string) []byte {
		var z bytes.Buffer
		w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
		w.Write([]byte(prefix))
		line := []byte(strings.Repeat(fill, 1<<10))
		for range size >> 10 {
			w.Write(line)
		}
		w.Write([]byte(suffix))
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return z.Bytes()
	}
	content := deflate("BT /F1 12 Tf 72 720 Td (", "A", ") Tj ET")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	if image {
		px := deflate("", "\x00", "")
		objs = append(objs, fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width 1024 /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", size>>10, len(px), px))
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// A small PDF whose streams inflate past the cap is refused before it is
// parsed (the parser would spend minutes and gigabytes on it); images do
// not count, and a PDF under the cap still loads.
func TestPDFBomb(t *testing.T) {
	o := opt
	o.MaxInflatedBytes = 256 << 10
	bomb := flatePDF(t, 4<<20, false)
	if len(bomb) > 64<<10 {
		t.Fatalf("the bomb is %d bytes; the test wants a small file", len(bomb))
	}
	_, err := ingest.Load(context.Background(), "bomb.pdf", "bomb.pdf", bytes.NewReader(bomb), o)
	if assist.ErrorCode(err) != assist.ETOOLARGE || !strings.Contains(assist.ErrorMessage(err), "inflate") {
		t.Fatalf("bomb: %v, want ETOOLARGE saying the streams inflate past the cap", err)
	}

	docs, err := ingest.Load(context.Background(), "ok.pdf", "ok.pdf", bytes.NewReader(flatePDF(t, 8<<10, true)), o)
	if err != nil {
		t.Fatalf("a small PDF with a large image: %v", err)
	}
	if len(docs) != 1 || !strings.Contains(docs[0].Chunks[0].Text, "AAAA") {
		t.Fatalf("docs = %+v", docs)
	}
}

// An HTML page the parser refuses (nesting deeper than it allows) is an
// error, not its raw markup indexed as text.
func TestHTMLTooDeep(t *testing.T) {
	page := "<html><body><script>steal()</script>" + strings.Repeat("<div>", 2000) + "hello" + strings.Repeat("</div>", 2000) + "</body></html>"
	docs, err := ingest.Load(context.Background(), "deep.html", "deep.html", strings.NewReader(page), opt)
	if assist.ErrorCode(err) != assist.EINVALID || !strings.Contains(assist.ErrorMessage(err), "deep.html") {
		t.Fatalf("deep HTML: %v (docs %d), want EINVALID naming the file", err, len(docs))
	}
}

// bombPDF is flatePDF's bomb, its content stream's dictionary with extra
// entries (such as a claim to be an image).
func bombPDF(t *testing.T, size int, extra string) []byte {
	t.Helper()
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	w.Write([]byte("BT /F1 12 Tf 72 720 Td ("))
	line := []byte(strings.Repeat("A", 1<<10))
	for range size >> 10 {
		w.Write(line)
	}
	w.Write([]byte(") Tj ET"))
	w.Close()
	content := z.Bytes()
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< %s /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", extra, len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// A bomb in disguise is still refused: a page's content stream whose
// dictionary claims to be an image (the first pass skips images) is
// counted when the text extractor is about to read it.
func TestPDFBombDisguisedAsImage(t *testing.T) {
	o := opt
	o.MaxInflatedBytes = 256 << 10
	const disguise = "/Type /XObject /Subtype /Image /Width 1 /Height 1"
	bomb := bombPDF(t, 4<<20, disguise)
	if len(bomb) > 64<<10 {
		t.Fatalf("the bomb is %d bytes; the test wants a small file", len(bomb))
	}
	docs, err := ingest.Load(context.Background(), "bomb.pdf", "bomb.pdf", bytes.NewReader(bomb), o)
	if assist.ErrorCode(err) != assist.ETOOLARGE || !strings.Contains(assist.ErrorMessage(err), "inflate") {
		t.Fatalf("disguised bomb: %v (%d docs), want ETOOLARGE saying the streams inflate past the cap", err, len(docs))
	}
	// The same file, small, still loads.
	docs, err = ingest.Load(context.Background(), "ok.pdf", "ok.pdf", bytes.NewReader(bombPDF(t, 8<<10, disguise)), o)
	if err != nil || len(docs) != 1 || !strings.Contains(docs[0].Chunks[0].Text, "AAAA") {
		t.Fatalf("small PDF: %v, %+v", err, docs)
	}
}
