package ingest_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/assistd/assist/ingest"
)

// minimalPDF writes a one-page PDF showing text (ASCII) with Helvetica,
// with a correct cross-reference table.
func minimalPDF(text string) []byte {
	stream := fmt.Sprintf("BT /F1 12 Tf 72 720 Td (%s) Tj ET", text)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
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

func TestPDF(t *testing.T) {
	docs, err := ingest.Load(context.Background(), "warranty.pdf", "warranty.pdf",
		bytes.NewReader(minimalPDF("Electronics carry a one year warranty.")), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].Doc != "warranty.pdf" || docs[0].Title != "warranty" || len(docs[0].Chunks) != 1 {
		t.Fatalf("docs = %+v", docs)
	}
	if got := docs[0].Chunks[0].Text; !strings.Contains(strings.ReplaceAll(got, " ", ""), "oneyearwarranty") {
		t.Fatalf("text = %q", got)
	}
}
