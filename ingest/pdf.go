package ingest

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ledongthuc/pdf"

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

// errInflated is parsePDF's error when the streams the text extractor
// decodes inflate past the limit.
var errInflated = errors.New("the streams read for text inflate past the limit")

// parsePDF extracts the text of a PDF's pages as langchaingo's PDF loader
// does (same parser, same page loop, fonts shared across pages), but
// first decodes, through the parser's own filters, every stream the
// extractor will decode (each page's content stream, each font's
// ToUnicode map) and stops with errInflated once they add up to more than
// limit bytes: whatever a stream's dictionary claims to be, the budget
// counts what is read. (A variable so tests can stand in a slow parser.)
var parsePDF = func(data []byte, limit int64) (text string, err error) {
	defer func() {
		if r := recover(); r != nil { // the PDF parser panics on some broken files
			err = fmt.Errorf("parsing the PDF: %v", r)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", err
	}
	var read int64
	measure := func(v pdf.Value) error {
		if v.Kind() != pdf.Stream {
			return nil
		}
		rc := v.Reader()
		defer rc.Close()
		n, _ := io.Copy(io.Discard, io.LimitReader(rc, limit-read+1))
		if read += n; read > limit {
			return errInflated
		}
		return nil
	}
	fonts := map[string]*pdf.Font{}
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		for _, name := range p.Fonts() {
			if _, ok := fonts[name]; !ok {
				f := p.Font(name)
				if err := measure(f.V.Key("ToUnicode")); err != nil {
					return "", err
				}
				fonts[name] = &f
			}
		}
		if err := measure(p.V.Key("Contents")); err != nil {
			return "", err
		}
	}
	var b strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		t, err := r.Page(i).GetPlainText(fonts)
		if err != nil {
			return "", err
		}
		b.WriteString(t)
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
		text, err := parsePDF(data, limit)
		done <- result{text, err}
	}()
	select {
	case r := <-done:
		if errors.Is(r.err, errInflated) {
			return "", assist.Errorf(assist.ETOOLARGE, "%s: its compressed streams inflate to more than %d bytes (the limit); split it or convert it to text", name, limit)
		}
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
// at at says it is an image: it looks back to the object's start. What a
// dictionary says is only a hint for this first, cheap pass: a stream the
// parser reads as an object or xref stream is never an image here, and
// parsePDF counts the streams the text extractor decodes whatever they
// claim.
func isImage(data []byte, at int) bool {
	from := max(0, at-4096)
	dict := data[from:at]
	if j := bytes.LastIndex(dict, []byte(" obj")); j >= 0 {
		dict = dict[j:]
	}
	if bytes.Contains(dict, []byte("/ObjStm")) || bytes.Contains(dict, []byte("/XRef")) {
		return false
	}
	return bytes.Contains(dict, []byte("/Image")) && (bytes.Contains(dict, []byte("/Subtype /Image")) || bytes.Contains(dict, []byte("/Subtype/Image")))
}
