package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/assistd/assist/ingest"
	"github.com/assistd/assist/rag"
)

// IngestCmd loads files and folders into a knowledge base.
type IngestCmd struct {
	KB     string   `help:"Knowledge base to ingest into." required:"" placeholder:"NAME"`
	Tenant string   `help:"Tenant slug (created if missing); default demo.tenant." placeholder:"SLUG"`
	Paths  []string `arg:"" help:"Files and folders (.md .html .pdf .txt .csv .jsonl)." type:"path"`
}

// IngestSummary is what an ingest did.
type IngestSummary struct {
	Documents int
	Chunks    int
	Bytes     int64
	Seconds   float64
}

// Run implements the command.
func (c *IngestCmd) Run(g *Globals) error {
	cfg, err := g.LoadConfig(nil)
	if err != nil {
		return err
	}
	tid, err := tenantID(g.Ctx, cfg, c.Tenant, true)
	if err != nil {
		return err
	}
	// Importing articles encodes no question: a missing or stale
	// rag.paraphrase_model is for the commands that answer.
	cfg.RAG.ParaphraseModel = ""
	k, err := openKnowledge(g.Ctx, cfg, nil, nil)
	if err != nil {
		return err
	}
	defer k.Close()
	files, err := ingest.Files(c.Paths)
	if err != nil {
		return err
	}
	var bar *progress
	if isTerminal(g.Stderr) && len(files) > 1 {
		bar = &progress{w: g.Stderr, total: len(files)}
	}
	sum, err := ingestFiles(g.Ctx, k.Service, files, ingest.Options{TenantID: tid, KB: c.KB, Sizes: ingestSizes(cfg)}, bar.step)
	bar.done()
	if err != nil {
		return err
	}
	fmt.Fprintf(g.Stdout, "ingested %d documents, %d chunks (%.1f MB) into %s/%s in %.2f s\n",
		sum.Documents, sum.Chunks, float64(sum.Bytes)/1e6, tenantSlug(cfg, c.Tenant), c.KB, sum.Seconds)
	return nil
}

// ingestFiles loads and ingests files one by one, calling step (which may
// be nil) after each.
func ingestFiles(ctx context.Context, svc *rag.Service, files []string, opt ingest.Options, step func(string)) (IngestSummary, error) {
	start := time.Now()
	var sum IngestSummary
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			sum.Bytes += st.Size()
		}
		docs, err := ingest.LoadFile(ctx, f, opt)
		if err != nil {
			return sum, err
		}
		for _, d := range docs {
			n, err := svc.Ingest(ctx, d)
			if err != nil {
				return sum, fmt.Errorf("%s: %w", f, err)
			}
			sum.Documents++
			sum.Chunks += n
		}
		if step != nil {
			step(f)
		}
	}
	if sum.Documents > 0 {
		if err := svc.Compact(ctx, rag.Filter{TenantID: opt.TenantID, KB: opt.KB}); err != nil {
			return sum, err
		}
	}
	sum.Seconds = time.Since(start).Seconds()
	return sum, nil
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progress draws a one-line progress bar; a nil *progress draws nothing.
type progress struct {
	w     io.Writer
	total int
	n     int
	start time.Time
}

func (p *progress) step(string) {
	if p == nil {
		return
	}
	if p.n == 0 {
		p.start = time.Now()
	}
	p.n++
	const width = 30
	fill := width * p.n / p.total
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d files  %.1fs", strings.Repeat("=", fill), strings.Repeat(" ", width-fill),
		p.n, p.total, time.Since(p.start).Seconds())
}

func (p *progress) done() {
	if p != nil && p.n > 0 {
		fmt.Fprintln(p.w)
	}
}
