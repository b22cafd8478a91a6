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
// predicted from what came before it). With less than MinHistoryDays days
// of history there is no forecast: Enough is false and Next is empty,
// rather than one hour's count repeated for every hour of the day.
type Forecast struct {
	Method string `json:"method"`
	// Enough says whether there was enough history for a forecast.
	Enough bool `json:"enough"`
	// MinHistoryDays is the history a forecast needs, in days.
	MinHistoryDays int    `json:"min_history_days"`
	Next           []Hour `json:"next"`
	// Backtest over the last 7 days: the hours that had enough history
	// before them.
	LastWeek []Hour  `json:"last_week"`
	MAE      float64 `json:"mae"`  // mean absolute error, conversations per hour
	WAPE     float64 `json:"wape"` // total absolute error / total actual; 0 when nothing happened
	// HistoryHours is how many hours of history there were (from the first
	// hour with a conversation).
	HistoryHours int `json:"history_hours"`
}

// MinHistoryDays is the history a forecast needs: an hour of the day is
// forecast as the average of that hour on at least this many past days,
// so one busy hour (or one odd day) is not taken for the daily pattern.
const MinHistoryDays = 3

// minWeeks is how many past weeks the same hour of the week needs before
// its average is used instead of the hour-of-day profile: a single past
// week is one sample, noisier than the average of the last 7 days.
const minWeeks = 2

// MethodSeasonal names the method.
const MethodSeasonal = "seasonal average: same hour of the week over up to 4 weeks (with at least 2), else same hour of the day over up to 7 days (with at least 3), else no forecast"

// NewForecast forecasts the 24 hours after now's hour from the hourly
// volume (conversations per hour start) and backtests the last week.
func NewForecast(vol map[time.Time]int, now time.Time) Forecast {
	now = now.UTC().Truncate(time.Hour)
	f := Forecast{Method: MethodSeasonal, MinHistoryDays: MinHistoryDays, Next: []Hour{}, LastWeek: []Hour{}}
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
	next := make([]Hour, 0, 24)
	for i := 1; i <= 24; i++ {
		at := now.Add(time.Duration(i) * time.Hour)
		p, ok := predict(vol, first, at, now.Add(time.Hour))
		if !ok {
			break
		}
		next = append(next, Hour{At: at, Expected: p})
	}
	if len(next) == 24 {
		f.Enough, f.Next = true, next
	}
	var absErr, actual float64
	n := 0
	for i := 7 * 24; i >= 1; i-- {
		at := now.Add(-time.Duration(i) * time.Hour)
		p, ok := predict(vol, first, at, at)
		if !ok {
			continue // not enough history before it: nothing to test
		}
		a := vol[at]
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
// counting only hours since the first conversation; false when there is
// not enough history for it.
func predict(vol map[time.Time]int, first, at, known time.Time) (float64, bool) {
	if first.IsZero() {
		return 0, false
	}
	avg := func(step time.Duration, n, min int) (float64, bool) {
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
		if k < min {
			return 0, false
		}
		return float64(sum) / float64(k), true
	}
	if v, ok := avg(7*24*time.Hour, HistoryWeeks, minWeeks); ok {
		return v, true
	}
	return avg(24*time.Hour, 7, MinHistoryDays)
}
