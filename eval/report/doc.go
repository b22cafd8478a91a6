// Package report is the one format every `assist eval` suite writes: a
// Report holds named Metrics (each with the direction it improves in),
// Tables and SVG Charts for people, and the suite's own detailed report.
// WriteDir writes report.json and a self-contained report.html (inline
// SVG drawn by svg.go: bars, confusion heat map, reliability diagram,
// latency histogram; no script). Compare is the release gate: it lists
// the metrics of a baseline report that the current one makes worse by
// more than their Tolerances.
package report
