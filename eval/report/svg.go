package report

import (
	"fmt"
	"html"
	"math"
	"slices"
	"strings"
)

// The charts are small SVG documents written here, so a report needs no
// plotting library and no script to render. Every label goes through
// html.EscapeString: labels can be customer text (example messages).

const (
	font     = `font-family="system-ui,sans-serif" font-size="11"`
	barColor = "#3b6fb6"
	axisGrey = "#999"
)

func esc(s string) string { return html.EscapeString(s) }

// Bars draws one horizontal bar per label, scaled to max (the largest
// value when max <= 0). Values are printed at the bar's end with format
// (e.g. "%.2f").
func Bars(title string, labels []string, values []float64, max float64, format string) Chart {
	if max <= 0 {
		for _, v := range values {
			max = math.Max(max, v)
		}
		if max <= 0 {
			max = 1
		}
	}
	const labelW, barW, rowH = 190, 360, 16
	h := rowH*len(labels) + 30
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" role="img" aria-label="%s" %s>`, labelW+barW+70, h, esc(title), font)
	for i, l := range labels {
		y := 10 + i*rowH
		v := 0.0
		if i < len(values) {
			v = values[i]
		}
		w := int(math.Round(barW * math.Max(0, v) / max))
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelW-6, y+11, esc(clip(l, 32)))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`, labelW, y+2, w, rowH-4, barColor)
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`, labelW+w+4, y+11, esc(fmt.Sprintf(format, v)))
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="8" x2="%d" y2="%d" stroke="%s"/>`, labelW, labelW, h-20, axisGrey)
	b.WriteString(`</svg>`)
	return Chart{Title: title, SVG: b.String()}
}

// Heatmap draws a confusion matrix: rows are gold labels, columns
// predicted ones, each cell shaded by its share of the row and printed
// with its count when non-zero.
func Heatmap(title string, labels []string, counts [][]int) Chart {
	n := len(labels)
	const cell, labelW, top = 16, 150, 150
	w, h := labelW+n*cell+110, top+n*cell+10 // room for the last rotated labels
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" role="img" aria-label="%s" %s>`, w, h, esc(title), font)
	for i, l := range labels {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelW-4, top+i*cell+12, esc(clip(l, 24)))
		x := labelW + i*cell + 11
		fmt.Fprintf(&b, `<text x="%d" y="%d" transform="rotate(-60 %d %d)">%s</text>`, x, top-4, x, top-4, esc(clip(l, 24)))
	}
	for i := range n {
		row := 0
		for j := range n {
			row += counts[i][j]
		}
		for j := range n {
			c := counts[i][j]
			share := 0.0
			if row > 0 {
				share = float64(c) / float64(row)
			}
			colour := fmt.Sprintf("rgb(%d,%d,%d)", 255-int(196*share), 255-int(144*share), 255-int(74*share))
			if i != j && c > 0 {
				colour = fmt.Sprintf("rgb(255,%d,%d)", 235-int(200*share), 235-int(200*share))
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="#eee"><title>%s → %s: %d</title></rect>`,
				labelW+j*cell, top+i*cell, cell, cell, colour, esc(labels[i]), esc(labels[j]), c)
			if c > 0 {
				fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="8" text-anchor="middle">%d</text>`, labelW+j*cell+cell/2, top+i*cell+11, c)
			}
		}
	}
	b.WriteString(`</svg>`)
	return Chart{Title: title, SVG: b.String()}
}

// Bin is one bucket of a reliability diagram: the mean predicted
// confidence of its N items and the share of them that were right.
type Bin struct {
	Lo, Hi     float64
	Confidence float64
	Accuracy   float64
	N          int
}

// Bins groups (confidence, right) pairs into k equal-width buckets and
// returns them with the expected calibration error (the N-weighted mean
// gap between confidence and accuracy).
func Bins(conf []float64, right []bool, k int) ([]Bin, float64) {
	bins := make([]Bin, k)
	for i := range bins {
		bins[i].Lo, bins[i].Hi = float64(i)/float64(k), float64(i+1)/float64(k)
	}
	for i, c := range conf {
		j := min(k-1, max(0, int(c*float64(k))))
		bins[j].N++
		bins[j].Confidence += c
		if right[i] {
			bins[j].Accuracy++
		}
	}
	ece := 0.0
	for i := range bins {
		if n := float64(bins[i].N); n > 0 {
			bins[i].Confidence /= n
			bins[i].Accuracy /= n
			ece += n * math.Abs(bins[i].Confidence-bins[i].Accuracy)
		}
	}
	if len(conf) > 0 {
		ece /= float64(len(conf))
	}
	return bins, ece
}

// Reliability draws a reliability diagram: observed accuracy against
// predicted confidence per bin, with the diagonal a calibrated model
// follows; each point's size grows with its bin's count.
func Reliability(title string, bins []Bin) Chart {
	const size, pad = 260, 36
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" role="img" aria-label="%s" %s>`, size+2*pad, size+2*pad, esc(title), font)
	x := func(v float64) float64 { return pad + v*size }
	y := func(v float64) float64 { return pad + (1-v)*size }
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="%s"/>`, pad, pad, size, size, axisGrey)
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="4 3"/>`, x(0), y(0), x(1), y(1), axisGrey)
	for _, t := range []float64{0, 0.5, 1} {
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%.1f</text>`, x(t), size+pad+14, t)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%.1f</text>`, pad-4, y(t)+4, t)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">confidence</text>`, pad+size/2, size+2*pad-4)
	fmt.Fprintf(&b, `<text x="12" y="%d" transform="rotate(-90 12 %d)" text-anchor="middle">accuracy</text>`, pad+size/2, pad+size/2)
	total := 0
	for _, bn := range bins {
		total += bn.N
	}
	var pts []string
	for _, bn := range bins {
		if bn.N == 0 {
			continue
		}
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(bn.Confidence), y(bn.Accuracy)))
		r := 2 + 8*math.Sqrt(float64(bn.N)/float64(max(1, total)))
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s"><title>%.2f–%.2f: confidence %.2f, accuracy %.2f, n=%d</title></circle>`,
			x(bn.Confidence), y(bn.Accuracy), r, barColor, bn.Lo, bn.Hi, bn.Confidence, bn.Accuracy, bn.N)
	}
	if len(pts) > 1 {
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s"/>`, strings.Join(pts, " "), barColor)
	}
	b.WriteString(`</svg>`)
	return Chart{Title: title, SVG: b.String()}
}

// Histogram draws the distribution of values in k buckets between the
// smallest and the largest value, with the p50 and p99 marked. Unit names
// the values (e.g. "µs").
func Histogram(title string, values []float64, k int, unit string) Chart {
	const w, h, pad = 420, 180, 30
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" role="img" aria-label="%s" %s>`, w+2*pad, h+2*pad, esc(title), font)
	if len(values) == 0 || k <= 0 {
		b.WriteString(`<text x="10" y="20">no data</text></svg>`)
		return Chart{Title: title, SVG: b.String()}
	}
	s := slices.Clone(values)
	slices.Sort(s)
	lo, hi := s[0], s[len(s)-1]
	if hi == lo {
		hi = lo + 1
	}
	counts := make([]int, k)
	for _, v := range s {
		counts[min(k-1, int((v-lo)/(hi-lo)*float64(k)))]++
	}
	most := slices.Max(counts)
	bw := float64(w) / float64(k)
	for i, c := range counts {
		bh := float64(h) * float64(c) / float64(most)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%d</title></rect>`, pad+float64(i)*bw, pad+float64(h)-bh, bw-1, bh, barColor, c)
	}
	mark := func(q float64, label string) {
		v := s[min(len(s)-1, int(q*float64(len(s))))]
		xv := pad + (v-lo)/(hi-lo)*float64(w)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#c33"/><text x="%.1f" y="%d" fill="#c33">%s %.0f %s</text>`,
			xv, pad, xv, pad+h, xv+3, pad+10, label, v, esc(unit))
	}
	mark(0.5, "p50")
	mark(0.99, "p99")
	fmt.Fprintf(&b, `<text x="%d" y="%d">%.0f %s</text><text x="%d" y="%d" text-anchor="end">%.0f %s</text>`, pad, h+pad+14, lo, esc(unit), w+pad, h+pad+14, hi, esc(unit))
	b.WriteString(`</svg>`)
	return Chart{Title: title, SVG: b.String()}
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
