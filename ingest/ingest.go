package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/assistd/assist"
	"github.com/assistd/assist/rag"
)

// Options say where loaded documents go and how they are chunked.
type Options struct {
	TenantID string
	KB       string
	Sizes    Sizes     // zero: DefaultSizes
	Now      time.Time // the documents' UpdatedAt; zero: the file's modification time or now
	MaxBytes int64     // largest file read; 0: 32 MiB
	// MaxInflatedBytes caps what a PDF's compressed streams inflate to;
	// 0: DefaultMaxInflatedBytes.
	MaxInflatedBytes int64
	// PDFTimeout caps the time spent reading one PDF; 0: DefaultPDFTimeout.
	PDFTimeout time.Duration
}

// Formats lists the file extensions Load reads.
var Formats = []string{".md", ".markdown", ".html", ".htm", ".pdf", ".txt", ".csv", ".jsonl"}

// Supported reports whether Load reads files named like name.
func Supported(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, f := range Formats {
		if f == ext {
			return true
		}
	}
	return false
}

// Files expands paths (files and folders, walked recursively) into the
// supported files they hold, sorted; hidden files and folders are skipped.
// A named file of an unsupported format is an EINVALID error.
func Files(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, assist.Wrap(assist.ENOTFOUND, err, fmt.Sprintf("cannot read %s", p))
		}
		if !st.IsDir() {
			if !Supported(p) {
				return nil, assist.Errorf(assist.EINVALID, "%s: unsupported format (supported: %s)", p, strings.Join(Formats, " "))
			}
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() && Supported(path) {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("walking %s: %w", p, err)
		}
	}
	sort.Strings(out)
	return out, nil
}

// LoadFile reads the file at path; see Load.
func LoadFile(ctx context.Context, path string, opt Options) ([]rag.Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, assist.Wrap(assist.ENOTFOUND, err, fmt.Sprintf("cannot read %s", path))
	}
	defer f.Close()
	if opt.Now.IsZero() {
		if st, err := f.Stat(); err == nil {
			opt.Now = st.ModTime().UTC()
		}
	}
	docs, err := Load(ctx, filepath.Base(path), path, f, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return docs, nil
}

// Load reads one file named name (its format is its extension) from r and
// returns its documents, chunked. source is recorded with each document.
// Errors: EINVALID for an unsupported format, malformed content or text
// that is not UTF-8; ETOOLARGE beyond Options.MaxBytes.
func Load(ctx context.Context, name, source string, r io.Reader, opt Options) ([]rag.Document, error) {
	if !Supported(name) {
		return nil, assist.Errorf(assist.EINVALID, "%s: unsupported format (supported: %s)", name, strings.Join(Formats, " "))
	}
	maxBytes := opt.MaxBytes
	if maxBytes <= 0 {
		maxBytes = 32 << 20
	}
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if int64(len(data)) > maxBytes {
		return nil, assist.Errorf(assist.ETOOLARGE, "%s is larger than %d bytes", name, maxBytes)
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now().UTC()
	}
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".pdf" {
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(data) {
			return nil, assist.Errorf(assist.EINVALID, "%s is not valid UTF-8 text", name)
		}
	}
	base := rag.Document{
		DocKey:    rag.DocKey{TenantID: opt.TenantID, KB: opt.KB, Doc: name},
		Source:    source,
		UpdatedAt: opt.Now,
	}
	sizes := opt.Sizes.withDefaults()
	var docs []rag.Document
	switch ext {
	case ".md", ".markdown":
		docs = []rag.Document{sections(base, markdownSections(string(data)), name, sizes)}
	case ".html", ".htm":
		title, secs, err := htmlSections(string(data))
		if err != nil {
			return nil, assist.Wrap(assist.EINVALID, err, fmt.Sprintf("%s is not readable HTML (nested too deep)", name))
		}
		d := sections(base, secs, name, sizes)
		if title != "" {
			d.Title = title
		}
		docs = []rag.Document{d}
	case ".pdf":
		text, err := pdfText(ctx, name, data, opt)
		if err != nil {
			return nil, err
		}
		docs = []rag.Document{sections(base, []section{{text: text}}, name, sizes)}
	case ".txt":
		docs = []rag.Document{sections(base, []section{{text: string(data)}}, name, sizes)}
	case ".csv":
		docs, err = csvFAQ(base, data)
	case ".jsonl":
		docs, err = jsonLines(base, data, sizes)
	}
	if err != nil {
		return nil, err
	}
	out := docs[:0]
	for _, d := range docs {
		if len(d.Chunks) > 0 {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil, assist.Errorf(assist.EINVALID, "%s has no text", name)
	}
	return out, nil
}

// section is a piece of a document under one heading path.
type section struct {
	path []string
	text string
}

// sections chunks the sections into one document; its title is the first
// top heading, else the file name without extension.
func sections(d rag.Document, secs []section, name string, sizes Sizes) rag.Document {
	d.Title = strings.TrimSuffix(name, filepath.Ext(name))
	for _, s := range secs {
		if len(s.path) > 0 {
			d.Title = s.path[0]
			break
		}
	}
	for _, s := range secs {
		for _, part := range Split(s.text, sizes) {
			d.Chunks = append(d.Chunks, rag.Chunk{Text: part, HeadingPath: append([]string(nil), s.path...)})
		}
	}
	return d
}
