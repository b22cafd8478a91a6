package ticket

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/assistd/assist"
)

// shanghaiOffice is open Monday to Friday 09:00–12:00 and 13:00–18:00 in
// Shanghai (8 hours a day), closed on 2026-10-01 (a Thursday).
func shanghaiOffice() *Hours {
	h := &Hours{TimeZone: "Asia/Shanghai", Holidays: []string{"2026-10-01"}}
	for d := time.Monday; d <= time.Friday; d++ {
		h.Weekly[d] = []Span{{Start: 13 * 60, End: 18 * 60}, {Start: 9 * 60, End: 12 * 60}} // unsorted on purpose
	}
	return h
}

func mustCalendar(t testing.TB, h *Hours) *Calendar {
	t.Helper()
	c, err := NewCalendar(h)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func local(t testing.TB, zone, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCalendarAdd(t *testing.T) {
	cal := mustCalendar(t, shanghaiOffice())
	const sh = "Asia/Shanghai"
	tests := []struct {
		name  string
		start string
		d     time.Duration
		want  string
	}{
		{"within a span", "2026-09-28 10:00", time.Hour, "2026-09-28 11:00"},
		{"over lunch", "2026-09-28 11:30", time.Hour, "2026-09-28 13:30"},
		{"to closing exactly", "2026-09-28 17:00", time.Hour, "2026-09-28 18:00"},
		{"overnight", "2026-09-28 17:00", 2 * time.Hour, "2026-09-29 10:00"},
		{"from a closed evening", "2026-09-28 20:00", 30 * time.Minute, "2026-09-29 09:30"},
		{"over a holiday", "2026-09-30 17:00", 2 * time.Hour, "2026-10-02 10:00"},
		{"over a weekend", "2026-10-02 17:00", 2 * time.Hour, "2026-10-05 10:00"},
		{"zero on a weekend is the next opening", "2026-10-03 12:00", 0, "2026-10-05 09:00"},
		{"two business days", "2026-09-28 10:00", 16 * time.Hour, "2026-09-30 10:00"},
		{"a business week", "2026-10-05 09:00", 40 * time.Hour, "2026-10-09 18:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cal.Add(local(t, sh, tt.start), tt.d)
			if want := local(t, sh, tt.want); !got.Equal(want) {
				t.Errorf("Add(%s, %s) = %s, want %s", tt.start, tt.d, got.In(want.Location()), want)
			}
		})
	}
}

func TestCalendarBetween(t *testing.T) {
	cal := mustCalendar(t, shanghaiOffice())
	const sh = "Asia/Shanghai"
	tests := []struct {
		name     string
		from, to string
		want     time.Duration
	}{
		{"a business day", "2026-09-28 10:00", "2026-09-29 10:00", 8 * time.Hour},
		{"over a holiday", "2026-09-30 17:00", "2026-10-02 10:00", 2 * time.Hour},
		{"a weekend", "2026-10-03 00:00", "2026-10-05 00:00", 0},
		{"lunch", "2026-09-28 12:00", "2026-09-28 13:00", 0},
		{"backwards", "2026-09-29 10:00", "2026-09-28 10:00", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cal.Between(local(t, sh, tt.from), local(t, sh, tt.to)); got != tt.want {
				t.Errorf("Between = %s, want %s", got, tt.want)
			}
		})
	}
}

// Across the start of daylight saving time a night span is an hour
// shorter, and the calendar counts real time.
func TestCalendarDST(t *testing.T) {
	const ny = "America/New_York"
	h := &Hours{TimeZone: ny}
	h.Weekly[time.Sunday] = []Span{{Start: 60, End: 4 * 60}} // 01:00–04:00; 02:00–03:00 does not exist on 2026-03-08
	cal := mustCalendar(t, h)
	if got := cal.Between(local(t, ny, "2026-03-08 00:00"), local(t, ny, "2026-03-08 05:00")); got != 2*time.Hour {
		t.Errorf("Between over the DST change = %s, want 2h", got)
	}
	if got, want := cal.Add(local(t, ny, "2026-03-07 12:00"), 2*time.Hour), local(t, ny, "2026-03-08 04:00"); !got.Equal(want) {
		t.Errorf("Add over the DST change = %s, want %s", got, want)
	}
}

func TestCalendarAlwaysOpen(t *testing.T) {
	for _, h := range []*Hours{nil, {}, {TimeZone: "Asia/Shanghai"}} {
		cal := mustCalendar(t, h)
		start := time.Date(2026, 10, 3, 23, 0, 0, 0, time.UTC)
		if got := cal.Add(start, 90*time.Minute); !got.Equal(start.Add(90 * time.Minute)) {
			t.Errorf("%+v: Add = %s", h, got)
		}
		if got := cal.Between(start, start.Add(time.Hour)); got != time.Hour {
			t.Errorf("%+v: Between = %s", h, got)
		}
	}
}

// Add and Between are inverses: the business time from any start to
// Add(start, d) is d.
func TestCalendarAddBetweenInverse(t *testing.T) {
	cal := mustCalendar(t, shanghaiOffice())
	r := rand.New(rand.NewPCG(1, 2))
	base := local(t, "Asia/Shanghai", "2026-09-01 00:00")
	for range 2000 {
		start := base.Add(time.Duration(r.Int64N(int64(60 * 24 * time.Hour))))
		d := time.Duration(r.Int64N(int64(100 * time.Hour)))
		due := cal.Add(start, d)
		if got := cal.Between(start, due); got != d {
			t.Fatalf("Between(%s, Add(%s, %s) = %s) = %s", start, start, d, due, got)
		}
	}
}

func TestHoursNormalize(t *testing.T) {
	tests := []struct {
		name string
		edit func(h *Hours)
		code string
	}{
		{"valid", func(h *Hours) {}, ""},
		{"unknown zone", func(h *Hours) { h.TimeZone = "Mars/Olympus" }, assist.EINVALID},
		{"end before start", func(h *Hours) { h.Weekly[1] = []Span{{Start: 600, End: 540}} }, assist.EINVALID},
		{"past midnight", func(h *Hours) { h.Weekly[1] = []Span{{Start: 600, End: 24*60 + 1}} }, assist.EINVALID},
		{"overlap", func(h *Hours) { h.Weekly[1] = []Span{{Start: 540, End: 720}, {Start: 700, End: 800}} }, assist.EINVALID},
		{"bad holiday", func(h *Hours) { h.Holidays = []string{"2026-13-01"} }, assist.EINVALID},
		{"too many holidays", func(h *Hours) { h.Holidays = make([]string, MaxHolidays+1) }, assist.ETOOLARGE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := shanghaiOffice()
			tt.edit(h)
			if got := assist.ErrorCode(h.Normalize()); got != tt.code {
				t.Errorf("code %q, want %q", got, tt.code)
			}
		})
	}
}

// A schedule open on no day that is not a holiday never comes due.
func TestCalendarNeverOpen(t *testing.T) {
	h := &Hours{TimeZone: "UTC", Holidays: []string{"2026-10-05"}}
	h.Weekly[time.Monday] = []Span{{Start: 0, End: 60}}
	cal := mustCalendar(t, h)
	// Open one hour a week: 1h of business time from a Tuesday lands on the
	// Monday after next (the next Monday is a holiday).
	got := cal.Add(time.Date(2026, 9, 29, 0, 0, 0, 0, time.UTC), time.Hour)
	if want := time.Date(2026, 10, 12, 1, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Add = %s, want %s", got, want)
	}
	// More business time than five years hold: never.
	if got := cal.Add(time.Date(2026, 9, 29, 0, 0, 0, 0, time.UTC), 1000*time.Hour); !got.IsZero() {
		t.Errorf("Add beyond the horizon = %s, want the zero time", got)
	}
}

// BenchmarkCalendarAdd measures a due-time computation on business hours
// with lunch breaks, weekends and holidays: a 4-hour first response and a
// 3-day (24 business hours) resolution target.
func BenchmarkCalendarAdd(b *testing.B) {
	h := shanghaiOffice()
	h.Holidays = append(h.Holidays, "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07")
	cal := mustCalendar(b, h)
	start := local(b, "Asia/Shanghai", "2026-09-30 16:20")
	for _, d := range []time.Duration{4 * time.Hour, 24 * time.Hour} {
		b.Run(d.String(), func(b *testing.B) {
			for b.Loop() {
				if cal.Add(start, d).IsZero() {
					b.Fatal("no due time")
				}
			}
		})
	}
	b.Run("24/7", func(b *testing.B) {
		for b.Loop() {
			AlwaysOpen.Add(start, 4*time.Hour)
		}
	})
}

// BenchmarkCalendarBetween measures the elapsed business time of a timer
// paused after two weeks.
func BenchmarkCalendarBetween(b *testing.B) {
	cal := mustCalendar(b, shanghaiOffice())
	from := local(b, "Asia/Shanghai", "2026-09-28 10:00")
	to := from.Add(14 * 24 * time.Hour)
	for b.Loop() {
		if cal.Between(from, to) == 0 {
			b.Fatal("no business time")
		}
	}
}
