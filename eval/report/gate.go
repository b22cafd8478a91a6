package report

import (
	"fmt"
	"sort"
	"strings"
)

// Tolerances say how much a metric may get worse before the gate fails.
// For a metric where higher is better the tolerance is an absolute drop
// (0.01: one point of accuracy); where lower is better (latency,
// calibration error) it is a relative rise (0.5: up to 50% slower).
// PerMetric keys are metric names or prefixes ending in "*"
// ("latency.*"); the longest matching key wins, then Default.
type Tolerances struct {
	Default   float64            `koanf:"default" json:"default"`
	PerMetric map[string]float64 `koanf:"per_metric" json:"per_metric,omitempty"`
}

// For returns the tolerance of the named metric.
func (t Tolerances) For(name string) float64 {
	if v, ok := t.PerMetric[name]; ok {
		return v
	}
	best, bestLen := t.Default, -1
	for k, v := range t.PerMetric {
		p, ok := strings.CutSuffix(k, "*")
		if ok && strings.HasPrefix(name, p) && len(p) > bestLen {
			best, bestLen = v, len(p)
		}
	}
	return best
}

// Regression is a metric that got worse than its tolerance allows, or
// went missing.
type Regression struct {
	Metric    string  `json:"metric"`
	Baseline  float64 `json:"baseline"`
	Current   float64 `json:"current"`
	Tolerance float64 `json:"tolerance"`
	Missing   bool    `json:"missing,omitempty"` // in the baseline, not in the current report
}

func (r Regression) String() string {
	if r.Missing {
		return fmt.Sprintf("%s: in the baseline (%s), missing now", r.Metric, Format(r.Metric, r.Baseline))
	}
	return fmt.Sprintf("%s: %s → %s (tolerance %g)", r.Metric, Format(r.Metric, r.Baseline), Format(r.Metric, r.Current), r.Tolerance)
}

// Compare returns the gated metrics of base that cur makes worse by more
// than their tolerance, sorted by name. Reports of different suites are
// an error: comparing them would gate on nothing.
func Compare(base, cur *Report, tol Tolerances) ([]Regression, error) {
	if base.Suite != cur.Suite {
		return nil, fmt.Errorf("baseline is a %s report, this is a %s report", base.Suite, cur.Suite)
	}
	var regs []Regression
	for _, b := range base.Metrics {
		if !b.Gate {
			continue
		}
		t := tol.For(b.Name)
		c, ok := cur.Metric(b.Name)
		if !ok {
			regs = append(regs, Regression{Metric: b.Name, Baseline: b.Value, Tolerance: t, Missing: true})
			continue
		}
		worse := false
		switch b.Better {
		case Lower:
			worse = c.Value > b.Value*(1+t)+1e-12
		default:
			worse = c.Value < b.Value-t-1e-12
		}
		if worse {
			regs = append(regs, Regression{Metric: b.Name, Baseline: b.Value, Current: c.Value, Tolerance: t})
		}
	}
	sort.Slice(regs, func(i, j int) bool { return regs[i].Metric < regs[j].Metric })
	return regs, nil
}
