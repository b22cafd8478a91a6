package main

import (
	"fmt"
	"path/filepath"

	"github.com/assistd/assist/eval/report"
)

// ReportFlags are the flags every `assist eval` suite shares: where to
// write the shared report, and the baseline it must not regress from.
type ReportFlags struct {
	Out          string `type:"path" placeholder:"DIR" help:"Write the shared report (report.json and report.html with charts) into DIR."`
	Baseline     string `type:"path" placeholder:"REPORT" help:"An earlier report (report.json or its folder): exit non-zero, listing them, when metrics regressed beyond their tolerance (eval.tolerances)."`
	SaveBaseline string `type:"path" placeholder:"FILE" help:"Also write this run as a baseline to check in: the metrics that do not depend on the machine (no timings)."`
}

// finish gates rep on the baseline, writes it to --out and prints what
// regressed. It returns an error when the gate fails, so the command exits
// non-zero after the report is written.
func (f ReportFlags) finish(g *Globals, tol report.Tolerances, rep *report.Report) error {
	var regs []report.Regression
	if f.Baseline != "" {
		base, err := report.Load(f.Baseline)
		if err != nil {
			return err
		}
		if regs, err = report.Compare(base, rep, tol); err != nil {
			return err
		}
		rep.Gate = &report.Gate{Baseline: f.Baseline, Regressions: regs}
	}
	if f.SaveBaseline != "" {
		if err := rep.Baseline().WriteFile(f.SaveBaseline); err != nil {
			return err
		}
		fmt.Fprintf(g.Stderr, "wrote baseline %s\n", f.SaveBaseline)
	}
	if f.Out != "" {
		if err := rep.WriteDir(f.Out); err != nil {
			return err
		}
		fmt.Fprintf(g.Stderr, "wrote %s\n", filepath.Join(f.Out, report.HTMLFile))
	}
	if rep.Gate == nil {
		return nil
	}
	if len(regs) == 0 {
		fmt.Fprintf(g.Stderr, "gate: no metric regressed beyond its tolerance against %s\n", f.Baseline)
		return nil
	}
	fmt.Fprintf(g.Stderr, "gate: %d metric(s) regressed against %s:\n", len(regs), f.Baseline)
	for _, r := range regs {
		fmt.Fprintf(g.Stderr, "  %s\n", r)
	}
	return fmt.Errorf("eval %s: %d metric(s) regressed beyond tolerance", rep.Suite, len(regs))
}
