package ingest

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tmc/langchaingo/documentloaders"

	"github.com/assistd/assist"
)

// Limits of PDF reading. The PDF parser holds every decoded stream in
// memory and spends about a second per inflated megabyte of page text, so
// a file of a few kilobytes whose streams inflate to gigabytes (a
// decompression bomb) would otherwise take minutes and all memory.
const (
	DefaultMaxInflatedBytes = 32 << 20         // Options.MaxInflatedBytes when zero
	DefaultPDFTimeout       = 30 * time.Second // Options.PDFTimeout when zero
)

// pdfGate lets one PDF be parsed at a time in the process. A parse that
// outlives its deadline keeps the gate until it ends (the parser cannot be
// stopped), so abandoned parses cannot pile up. (A variable so tests can
// give it a fresh one.)
var pdfGate = make(chan struct{}, 1)

// parsePDF extracts the text of a PDF's pages with langchaingo's loader
// (a variable so tests can stand in a slow parser).
var parsePDF = func(data []byte) (text string, err error) {
	defer func() {
		if r := recover(); r != nil { // the PDF parser panics on some broken files
			err = fmt.Errorf("parsing the PDF: %v", r)
		}
	}()
	pages, err := documentloaders.NewPDF(bytes.NewReader(data), int64(len(data))).Load(context.Background())
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, p := range pages {
		b.WriteString(p.PageContent)
		b.WriteString("\n\n")
	}
	return b.String(), nil
}

// pdfText returns the text of the PDF name. Errors: ETOOLARGE when its
// streams inflate past opt.MaxInflatedBytes or reading it takes longer
// than opt.PDFTimeout; EUNAVAILABLE when another PDF has been read for
// that long; EINVALID for a file the parser refuses; ctx's error.
func pdfText(ctx context.Context, name string, data []byte, opt Options) (string, error) {
	limit := opt.MaxInflatedBytes
	if limit <= 0 {
		limit = DefaultMaxInflatedBytes
	}
	timeout := opt.PDFTimeout
	if timeout <= 0 {
		timeout = DefaultPDFTimeout
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if n, over := inflated(data, limit); over {
		return "", assist.Errorf(assist.ETOOLARGE, "%s: its compressed streams inflate to more than %d bytes (the limit); split it or convert it to text", name, limit)
	} else if n < 0 {
		return "", assist.Errorf(assist.EINVALID, "%s is not a readable PDF", name)
	}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	gate := pdfGate
	select {
	case gate <- struct{}{}:
	case <-tctx.Done():
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", assist.Errorf(assist.EUNAVAILABLE, "another PDF is still being read; retry %s in a minute", name)
	}
	type result struct {
		text string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		defer func() { <-gate }()
		text, err := parsePDF(data)
		done <- result{text, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return "", assist.Wrap(assist.EINVALID, r.err, fmt.Sprintf("%s is not a readable PDF", name))
		}
		return r.text, nil
	case <-tctx.Done():
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", assist.Errorf(assist.ETOOLARGE, "%s takes longer than %s to read; split it or convert it to text", name, timeout)
	}
}

// inflated adds up what the Flate-compressed streams of a PDF, images
// aside (the text extractor does not decode them), inflate to, stopping
// as soon as the sum passes limit (over is then true). n is -1 when the
// data has no PDF header in its first kilobyte.
func inflated(data []byte, limit int64) (n int64, over bool) {
	if !bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")) {
		return -1, false
	}
	kw := []byte("stream")
	for off := 0; ; {
		i := bytes.Index(data[off:], kw)
		if i < 0 {
			return n, false
		}
		at := off + i
		off = at + len(kw)
		if at >= 3 && string(data[at-3:at]) == "end" {
			continue
		}
		start := off
		switch {
		case bytes.HasPrefix(data[start:], []byte("\r\n")):
			start += 2
		case start < len(data) && (data[start] == '\n' || data[start] == '\r'):
			start++
		default:
			continue
		}
		if isImage(data, at) {
			continue
		}
		zr, err := zlib.NewReader(bytes.NewReader(data[start:]))
		if err != nil {
			continue // not zlib: stored plainly, or another filter
		}
		got, _ := io.Copy(io.Discard, io.LimitReader(zr, limit-n+1))
		zr.Close()
		n += got
		if n > limit {
			return n, true
		}
	}
}

// isImage reports whether the dictionary of the stream whose keyword is
// at at says it is an image: it looks back to the object's start.
func isImage(data []byte, at int) bool {
	from := max(0, at-4096)
	dict := data[from:at]
	if j := bytes.LastIndex(dict, []byte(" obj")); j >= 0 {
		dict = dict[j:]
	}
	return bytes.Contains(dict, []byte("/Image")) && (bytes.Contains(dict, []byte("/Subtype /Image")) || bytes.Contains(dict, []byte("/Subtype/Image")))
}
