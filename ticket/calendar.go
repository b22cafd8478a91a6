package ticket

import (
	"slices"
	"time"

	"github.com/assistd/assist"
)

// Span is one open period of a day, in minutes after midnight local time:
// [Start, End), 0 ≤ Start < End ≤ 1440.
type Span struct {
	Start, End int
}

// Hours is a team's business hours: a weekly schedule in a time zone, and
// holidays on which it is closed all day. The zero Hours (no spans on any
// day) means open around the clock.
type Hours struct {
	TimeZone string    // IANA name, e.g. "Asia/Shanghai"; "" is UTC
	Weekly   [7][]Span // by time.Weekday (Sunday = 0); sorted, not overlapping
	Holidays []string  // "2006-01-02" dates in TimeZone; sorted, unique
}

// AlwaysOpen reports whether h has no schedule (24/7).
func (h *Hours) AlwaysOpen() bool {
	if h == nil {
		return true
	}
	for _, d := range h.Weekly {
		if len(d) > 0 {
			return false
		}
	}
	return true
}

// MaxHolidays bounds the holidays of one schedule.
const MaxHolidays = 400

// Normalize checks h, sorts its spans and holidays and drops duplicate
// holidays. Errors are EINVALID.
func (h *Hours) Normalize() error {
	if _, err := loadZone(h.TimeZone); err != nil {
		return err
	}
	for d := range h.Weekly {
		spans := h.Weekly[d]
		slices.SortFunc(spans, func(a, b Span) int { return a.Start - b.Start })
		for i, s := range spans {
			if s.Start < 0 || s.End > 24*60 || s.Start >= s.End {
				return assist.Errorf(assist.EINVALID, "%s: open hours must run from 00:00 to 24:00, start before end", time.Weekday(d))
			}
			if i > 0 && spans[i-1].End > s.Start {
				return assist.Errorf(assist.EINVALID, "%s: open hours overlap", time.Weekday(d))
			}
		}
		if len(spans) == 0 {
			h.Weekly[d] = nil
		}
	}
	if len(h.Holidays) > MaxHolidays {
		return assist.Errorf(assist.ETOOLARGE, "at most %d holidays", MaxHolidays)
	}
	for _, day := range h.Holidays {
		if _, err := time.Parse(time.DateOnly, day); err != nil {
			return assist.Errorf(assist.EINVALID, "holiday %q is not a date like 2026-10-01", day)
		}
	}
	slices.Sort(h.Holidays)
	h.Holidays = slices.Compact(h.Holidays)
	if len(h.Holidays) == 0 {
		h.Holidays = nil
	}
	return nil
}

func loadZone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, assist.Wrap(assist.EINVALID, err, "unknown time zone "+name)
	}
	return loc, nil
}

// Calendar computes with business time: time that counts only while the
// business is open. Build one with NewCalendar; it is safe for concurrent
// use.
type Calendar struct {
	always   bool
	loc      *time.Location
	weekly   [7][]Span
	holidays map[int]bool // year*10000 + month*100 + day
}

// maxDays bounds the days a computation walks: a schedule open a few
// minutes a year still ends; beyond that the answer is "never".
const maxDays = 366 * 5

// NewCalendar returns the calendar of h; nil or empty Hours is 24/7.
// Errors are EINVALID.
func NewCalendar(h *Hours) (*Calendar, error) {
	if h.AlwaysOpen() {
		return &Calendar{always: true, loc: time.UTC}, nil
	}
	hh := *h
	hh.Holidays = slices.Clone(h.Holidays)
	for d := range hh.Weekly {
		hh.Weekly[d] = slices.Clone(h.Weekly[d])
	}
	if err := hh.Normalize(); err != nil {
		return nil, err
	}
	loc, _ := loadZone(hh.TimeZone)
	c := &Calendar{loc: loc, weekly: hh.Weekly, holidays: map[int]bool{}}
	for _, day := range hh.Holidays {
		t, _ := time.Parse(time.DateOnly, day)
		c.holidays[dayKey(t.Date())] = true
	}
	return c, nil
}

// AlwaysOpen is the 24/7 calendar.
var AlwaysOpen = &Calendar{always: true, loc: time.UTC}

func dayKey(y int, m time.Month, d int) int { return y*10000 + int(m)*100 + d }

// day calls fn with each open period [from, to) of the local day that
// starts at midnight, in order, until fn returns false; it reports whether
// fn never did.
func (c *Calendar) day(midnight time.Time, fn func(from, to time.Time) bool) bool {
	y, m, d := midnight.Date()
	if c.holidays[dayKey(y, m, d)] {
		return true
	}
	for _, s := range c.weekly[midnight.Weekday()] {
		from := time.Date(y, m, d, s.Start/60, s.Start%60, 0, 0, c.loc)
		to := time.Date(y, m, d, s.End/60, s.End%60, 0, 0, c.loc)
		if !to.After(from) { // a DST gap swallowed the span
			continue
		}
		if !fn(from, to) {
			return false
		}
	}
	return true
}

// Add returns the instant at which d of business time has passed since
// start. With no open time within five years it returns the zero Time.
func (c *Calendar) Add(start time.Time, d time.Duration) time.Time {
	if c.always {
		return start.Add(d)
	}
	if d <= 0 {
		d = 0
	}
	local := start.In(c.loc)
	y, m, dd := local.Date()
	var due time.Time
	for i := 0; i < maxDays && due.IsZero(); i++ {
		midnight := time.Date(y, m, dd+i, 0, 0, 0, 0, c.loc)
		c.day(midnight, func(from, to time.Time) bool {
			if !to.After(start) {
				return true
			}
			if from.Before(start) {
				from = start
			}
			if span := to.Sub(from); d <= span {
				due = from.Add(d)
				return false
			} else {
				d -= span
			}
			return true
		})
	}
	if due.IsZero() {
		return time.Time{}
	}
	return due.In(start.Location())
}

// Between returns the business time from a to b; zero when b is not after a.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	if c.always {
		return b.Sub(a)
	}
	local := a.In(c.loc)
	y, m, dd := local.Date()
	var total time.Duration
	for i := 0; i < maxDays; i++ {
		midnight := time.Date(y, m, dd+i, 0, 0, 0, 0, c.loc)
		if !midnight.Before(b) {
			break
		}
		c.day(midnight, func(from, to time.Time) bool {
			if from.Before(a) {
				from = a
			}
			if to.After(b) {
				to = b
			}
			if to.After(from) {
				total += to.Sub(from)
			}
			return true
		})
	}
	return total
}
