package ingest

import (
	"context"
	"testing"
	"testing/synctest"

	"github.com/assistd/assist"
)

// A PDF that takes too long to read is abandoned with ETOOLARGE when its
// deadline passes; until the abandoned parse ends no other PDF is parsed
// (the next one waits its own deadline, then gets EUNAVAILABLE), so
// runaway parses cannot pile up; once it ends, PDFs are read again.
func TestPDFTimeCap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		savedGate, savedParse := pdfGate, parsePDF
		defer func() { pdfGate, parsePDF = savedGate, savedParse }()
		pdfGate = make(chan struct{}, 1)
		release := make(chan struct{})
		parsePDF = func([]byte, int64) (string, error) {
			<-release
			return "Returns are free within 30 days.", nil
		}
		data := []byte("%PDF-1.4\n%%EOF\n")
		ctx := context.Background()

		_, err := pdfText(ctx, "slow.pdf", data, Options{})
		if assist.ErrorCode(err) != assist.ETOOLARGE {
			t.Fatalf("slow parse: %v, want ETOOLARGE", err)
		}
		_, err = pdfText(ctx, "next.pdf", data, Options{})
		if assist.ErrorCode(err) != assist.EUNAVAILABLE {
			t.Fatalf("while the slow parse runs: %v, want EUNAVAILABLE", err)
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := pdfText(cancelled, "next.pdf", data, Options{}); err != context.Canceled {
			t.Fatalf("cancelled caller: %v, want context.Canceled", err)
		}

		close(release)
		synctest.Wait()
		text, err := pdfText(ctx, "next.pdf", data, Options{})
		if err != nil || text == "" {
			t.Fatalf("after the slow parse ended: %q, %v", text, err)
		}
	})
}
