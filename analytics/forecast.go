package analytics

import (
	"math"
	"time"
)

// HistoryWeeks is how many past weeks the forecast averages.
const HistoryWeeks = 4

// Hour is one hour's conversations: forecast (Expected) and, for the
// backtest, what happened (Actual).
type Hour struct {
	At       time.Time `json:"at"`
	Expected float64   `json:"expected"`
	Actual   *int      `json:"actual,omitempty"`
}

// Forecast is the next 24 hours' conversations per hour, and how far the
// same method was off on each hour of the last week (a backtest: each hour
// predicted from what came before it).
type Forecast struct {
	Method string `json:"method"`
	Next   []Hour `json:"next"`
	// Backtest over the last 7 days.
	LastWeek []Hour  `json:"last_week"`
	MAE      float64 `json:"mae"`  // mean absolute error, conversations per hour
	WAPE     float64 `json:"wape"` // total absolute error / total actual; 0 when nothing happened
	// HistoryHours is how many hours of history there were (from the first
	// hour with a conversation); a forecast on a day of history is a guess.
	HistoryHours int `json:"history_hours"`
}

// MethodSeasonal names the method: the same hour of the week averaged over
// the past weeks with data, else the same hour of the day averaged over
// the past days with data, else the average hour.
const MethodSeasonal = "seasonal average: same hour of the week over up to 4 weeks, else same hour of the day"

// NewForecast forecasts the 24 hours after now's hour from the hourly
// volume (conversations per hour start) and backtests the last week.
func NewForecast(vol map[time.Time]int, now time.Time) Forecast {
	now = now.UTC().Truncate(time.Hour)
	f := Forecast{Method: MethodSeasonal, Next: []Hour{}, LastWeek: []Hour{}}
	first := time.Time{}
	for t := range vol {
		if vol[t] > 0 && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	if !first.IsZero() && first.Before(now.Add(time.Hour)) {
		f.HistoryHours = int(now.Add(time.Hour).Sub(first) / time.Hour)
	}
	// The current hour is not over: the forecast starts at the next one.
	for i := 1; i <= 24; i++ {
		at := now.Add(time.Duration(i) * time.Hour)
		f.Next = append(f.Next, Hour{At: at, Expected: predict(vol, first, at, now.Add(time.Hour))})
	}
	var absErr, actual float64
	n := 0
	for i := 7 * 24; i >= 1; i-- {
		at := now.Add(-time.Duration(i) * time.Hour)
		if first.IsZero() || at.Before(first) {
			continue // no history yet: nothing to test against
		}
		a := vol[at]
		p := predict(vol, first, at, at)
		f.LastWeek = append(f.LastWeek, Hour{At: at, Expected: p, Actual: &a})
		absErr += math.Abs(p - float64(a))
		actual += float64(a)
		n++
	}
	if n > 0 {
		f.MAE = absErr / float64(n)
	}
	if actual > 0 {
		f.WAPE = absErr / actual
	}
	return f
}

// predict forecasts the hour at from the hours before known (exclusive),
// counting only hours since the first conversation.
func predict(vol map[time.Time]int, first, at, known time.Time) float64 {
	if first.IsZero() {
		return 0
	}
	avg := func(step time.Duration, n int) (float64, bool) {
		sum, k := 0, 0
		for i := 1; i <= n; i++ {
			t := at.Add(-time.Duration(i) * step)
			if t.Before(first) {
				break
			}
			if !t.Before(known) {
				continue
			}
			sum += vol[t]
			k++
		}
		if k == 0 {
			return 0, false
		}
		return float64(sum) / float64(k), true
	}
	if v, ok := avg(7*24*time.Hour, HistoryWeeks); ok {
		return v
	}
	if v, ok := avg(24*time.Hour, 7); ok {
		return v
	}
	// Less than a day of history: the average hour so far.
	sum, k := 0, 0
	for t := first; t.Before(known); t = t.Add(time.Hour) {
		sum += vol[t]
		k++
	}
	if k == 0 {
		return 0
	}
	return float64(sum) / float64(k)
}
