package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/assistd/assist/eval"
	"github.com/assistd/assist/eval/report"
	"github.com/assistd/assist/store/sqlite"
)

// EvalEscalationCmd is `assist eval escalation`.
type EvalEscalationCmd struct {
	Data []string `required:"" sep:"none" placeholder:"FILE" help:"Labelled conversations (YAML, repeatable), e.g. data/eval/escalation/*.yaml."`
	botModels
	JSON bool `help:"Print the report as JSON."`
	ReportFlags
}

// Run plays every labelled conversation through the bot, each on a fresh
// demo setup, and scores when and why it handed off.
func (c *EvalEscalationCmd) Run(g *Globals) error {
	cases, err := eval.ReadEscalationFiles(c.Data...)
	if err != nil {
		return err
	}
	cfg, d, err := c.botModels.open(g, "escalation", nil)
	if err != nil {
		return err
	}
	defer d.Close()
	rep, err := eval.RunEscalation(g.Ctx, d, cases)
	if err != nil {
		return err
	}
	if c.JSON {
		if err := g.printJSON(rep); err != nil {
			return err
		}
	} else {
		r := rep.Report(c.Data...)
		r.Print(g.Stdout)
		for _, row := range r.Tables[1].Rows {
			fmt.Fprintf(g.Stdout, "  wrong: %s — wanted %s, got %s\n", row[0], row[1], row[2])
		}
	}
	return c.finish(g, cfg.Eval.Tolerances, rep.Report(c.Data...))
}

// EvalLatencyCmd is `assist eval latency`: the bot's turn latency per kind
// of turn, in process, without an LLM (what `assist bench turn` measures),
// as a report with histograms.
type EvalLatencyCmd struct {
	Turns int `default:"300" help:"Turns to measure per kind (after 20 warm-up turns)."`
	botModels
	ReportFlags
}

// Run measures and reports.
func (c *EvalLatencyCmd) Run(g *Globals) error {
	cfg, err := g.LoadConfig(nil)
	if err != nil {
		return err
	}
	results, err := measureTurns(g, c.botModels, c.Turns)
	if err != nil {
		return err
	}
	rep := latencyReport(results)
	rep.Print(g.Stdout)
	return c.finish(g, cfg.Eval.Tolerances, rep)
}

func latencyReport(results []TurnBenchResult) *report.Report {
	rep := report.New("latency", "a full bot turn in process, without an LLM")
	tab := report.Table{Title: "Per kind of turn", Columns: []string{"kind", "turns", "p50 ms", "p99 ms", "max ms"}}
	for _, r := range results {
		rep.Add("latency."+r.Kind+".p50_ms", r.P50Millis, report.Lower)
		rep.Add("latency."+r.Kind+".p99_ms", r.P99Millis, report.Lower)
		tab.Rows = append(tab.Rows, []string{r.Kind, fmt.Sprint(r.Turns), fmt.Sprintf("%.2f", r.P50Millis), fmt.Sprintf("%.2f", r.P99Millis), fmt.Sprintf("%.2f", r.MaxMillis)})
		ms := make([]float64, len(r.All))
		for i, d := range r.All {
			ms[i] = float64(d) / float64(time.Millisecond)
		}
		rep.Charts = append(rep.Charts, report.Histogram("Turn latency: "+r.Kind, ms, 30, "ms"))
	}
	rep.Tables = append(rep.Tables, tab)
	rep.Details = results
	return rep
}

// EvalReplayCmd is `assist eval replay`.
type EvalReplayCmd struct {
	Data   string `type:"existingfile" placeholder:"FILE" help:"Recorded conversations (JSON Lines, as --export writes them); default: read them from the store (store.path)."`
	Tenant string `help:"Tenant slug whose conversations to read from the store; default demo.tenant." placeholder:"SLUG"`
	Limit  int    `default:"200" help:"Most conversations to read from the store, newest first."`
	Export string `type:"path" placeholder:"FILE" help:"Only write the store's conversations to FILE (JSON Lines) and stop."`
	botModels
	JSON bool `help:"Print the report as JSON."`
	ReportFlags
}

// Run exports or reads the recorded conversations and replays them, each
// on a fresh demo setup, through the current models and config.
func (c *EvalReplayCmd) Run(g *Globals) error {
	cfg, err := g.LoadConfig(nil)
	if err != nil {
		return err
	}
	var convs []*eval.Recorded
	input := c.Data
	if c.Data != "" {
		f, err := os.Open(c.Data)
		if err != nil {
			return err
		}
		convs, err = eval.ReadRecorded(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", c.Data, err)
		}
	} else {
		// The console shows every report under eval.reports_dir to the
		// staff of every shop; one built from a shop's conversations
		// belongs elsewhere.
		if c.Out != "" && cfg.Eval.ReportsDir != "" && inside(cfg.Eval.ReportsDir, c.Out) {
			return fmt.Errorf("--out %s is inside eval.reports_dir (%s), which every shop's staff can read: write a report of a shop's conversations elsewhere", c.Out, cfg.Eval.ReportsDir)
		}
		if convs, err = exportConversations(g, cfg, c.Tenant, c.Limit); err != nil {
			return err
		}
		input = cfg.Store.Path
	}
	if c.Export != "" {
		f, err := os.Create(c.Export)
		if err != nil {
			return err
		}
		if err := eval.WriteRecorded(f, convs); err != nil {
			f.Close()
			return err
		}
		fmt.Fprintf(g.Stderr, "wrote %d conversations to %s\n", len(convs), c.Export)
		return f.Close()
	}
	_, d, err := c.botModels.open(g, "replay", nil)
	if err != nil {
		return err
	}
	defer d.Close()
	rep, err := eval.RunReplay(g.Ctx, d, convs)
	if err != nil {
		return err
	}
	r := rep.Report(input)
	if c.JSON {
		if err := g.printJSON(rep); err != nil {
			return err
		}
	} else {
		r.Print(g.Stdout)
	}
	return c.finish(g, cfg.Eval.Tolerances, r)
}

// exportConversations reads a tenant's recorded conversations from the
// store.
func exportConversations(g *Globals, cfg Config, slug string, limit int) ([]*eval.Recorded, error) {
	if _, err := os.Stat(cfg.Store.Path); err != nil {
		return nil, fmt.Errorf("no store at %s (--set store.path=FILE, or --data FILE)", cfg.Store.Path)
	}
	tid, err := tenantID(g.Ctx, cfg, slug, false)
	if err != nil {
		return nil, err
	}
	db, err := sqlite.Open(g.Ctx, cfg.Store.Path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return eval.Export(g.Ctx, sqlite.NewConversationStore(db), tid, limit)
}

// EvalIndexCmd is `assist eval index`.
type EvalIndexCmd struct {
	Dir string `arg:"" type:"existingdir" placeholder:"DIR" help:"A folder of reports (DIR/NAME/report.json), e.g. data/eval-reports."`
}

// Run writes DIR/index.html linking every report with its headline
// numbers.
func (c *EvalIndexCmd) Run(g *Globals) error {
	if err := report.WriteIndex(c.Dir); err != nil {
		return err
	}
	fmt.Fprintf(g.Stderr, "wrote %s/index.html\n", c.Dir)
	return nil
}

// inside reports whether path is dir or lies under it.
func inside(dir, path string) bool {
	d, err1 := filepath.Abs(dir)
	p, err2 := filepath.Abs(path)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
