package entity

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	monthNames = `january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec`
	weekdayEN  = `monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun`
	zhNum      = `[一二两三四五六七八九十]{1,3}`
)

// The patterns are anchored: dates tries them where a date can start.
var (
	reDateISO   = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})`)
	reDateZH    = regexp.MustCompile(`(?:(\d{4})年)?(\d{1,2}|` + zhNum + `)月(\d{1,2}|` + zhNum + `)[日号]`)
	reDateMD    = regexp.MustCompile(`^(` + monthNames + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?`)
	reDateDM    = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(` + monthNames + `)\b\.?(?:,?\s+(\d{4})\b)?`)
	reAgoZH     = regexp.MustCompile(`(\d{1,3}|` + zhNum + `)(?:天|日)(前|以前|之前|后|以后|之后)`)
	reRelWeekEN = regexp.MustCompile(`^(last|next|this)\s+(` + weekdayEN + `)\b`)
	reAgoEN     = regexp.MustCompile(`\b(?:(\d{1,3}|a|one|two|three|four|five|six|seven|eight|nine|ten)\s+days?\s+ago|in\s+(\d{1,3}|a|one|two|three|four|five|six|seven|eight|nine|ten)\s+days?)\b`)
)

var monthWords = map[string]bool{}

func init() {
	for _, m := range strings.Split(monthNames, "|") {
		monthWords[m] = true
	}
}

var (
	relDayZH   = map[string]int{"大前天": -3, "前天": -2, "昨天": -1, "昨日": -1, "今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}
	relDayEN   = map[string]int{"the day before yesterday": -2, "yesterday": -1, "today": 0, "tomorrow": 1, "the day after tomorrow": 2}
	weekOffset = map[string]int{"上上": -2, "上": -1, "下下": 2, "下": 1, "last": -1, "next": 1}
)

var enNumbers = map[string]int{"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}

func smallNumber(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	if n, ok := enNumbers[strings.ToLower(s)]; ok {
		return n, true
	}
	n, ok := chineseNumber(s)
	return int(n), ok
}

func monthOf(s string) int {
	s = strings.ToLower(s)
	for i, m := range []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		if strings.HasPrefix(s, m) {
			return i + 1
		}
	}
	return 0
}

func weekdayOf(s string) (time.Weekday, bool) {
	switch strings.ToLower(s) {
	case "一", "1", "monday", "mon":
		return time.Monday, true
	case "二", "2", "tuesday", "tue", "tues":
		return time.Tuesday, true
	case "三", "3", "wednesday", "wed":
		return time.Wednesday, true
	case "四", "4", "thursday", "thu", "thur", "thurs":
		return time.Thursday, true
	case "五", "5", "friday", "fri":
		return time.Friday, true
	case "六", "6", "saturday", "sat":
		return time.Saturday, true
	case "日", "天", "7", "sunday", "sun":
		return time.Sunday, true
	}
	return 0, false
}

func iso(t time.Time) string { return t.Format("2006-01-02") }

// day returns the date y-m-d, or false when it does not exist.
func day(y, m, d int, loc *time.Location) (time.Time, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1 || y > 9999 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
	return t, t.Day() == d
}

// nearest returns month-day in the year that puts it nearest to ref.
func nearest(m, d int, ref time.Time) (time.Time, bool) {
	var best time.Time
	found := false
	for _, y := range []int{ref.Year() - 1, ref.Year(), ref.Year() + 1} {
		t, ok := day(y, m, d, ref.Location())
		if !ok {
			continue
		}
		if !found || absDur(t.Sub(ref)) < absDur(best.Sub(ref)) {
			best, found = t, true
		}
	}
	return best, found
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// weekday returns the given weekday of the week offset weeks from ref's
// (weeks start on Monday).
func weekday(ref time.Time, wd time.Weekday, offset int) time.Time {
	today := time.Date(ref.Year(), ref.Month(), ref.Day(), 0, 0, 0, 0, ref.Location())
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*offset+(int(wd)+6)%7)
}

// dates finds absolute and relative dates, resolved against ref.
func dates(s string, ref time.Time, add func(typ string, start, end int, value string)) {
	today := time.Date(ref.Year(), ref.Month(), ref.Day(), 0, 0, 0, 0, ref.Location())
	emit := func(start, end int, t time.Time) { add(Date, start, end, iso(t)) }
	dayMonth := func(start, end int, y string, mo, d int) {
		var t time.Time
		ok := false
		if y != "" {
			yy, _ := strconv.Atoi(y)
			t, ok = day(yy, mo, d, ref.Location())
		} else {
			t, ok = nearest(mo, d, ref)
		}
		if ok {
			emit(start, end, t)
		}
	}

	// ISO dates start at a run of exactly four digits.
	for i := 0; i+8 <= len(s); i++ {
		if !isDigit(s[i]) || i > 0 && isDigit(s[i-1]) || isDigit(s[i+3]) == false || isDigit(s[i+4]) {
			continue
		}
		m := reDateISO.FindStringSubmatchIndex(s[i:])
		if m == nil || i+m[1] < len(s) && isDigit(s[i+m[1]]) {
			continue
		}
		y, _ := strconv.Atoi(sub(s[i:], m, 1))
		mo, _ := strconv.Atoi(sub(s[i:], m, 2))
		d, _ := strconv.Atoi(sub(s[i:], m, 3))
		if t, ok := day(y, mo, d, ref.Location()); ok {
			emit(i, i+m[1], t)
		}
	}
	if strings.Contains(s, "月") {
		for _, m := range reDateZH.FindAllStringSubmatchIndex(s, -1) {
			if m[0] > 0 && isDigit(s[m[0]-1]) {
				continue
			}
			mo, ok1 := smallNumber(sub(s, m, 2))
			d, ok2 := smallNumber(sub(s, m, 3))
			if ok1 && ok2 {
				dayMonth(m[0], m[1], sub(s, m, 1), mo, d)
			}
		}
	}
	for w, off := range relDayZH {
		for from := 0; ; {
			i := strings.Index(s[from:], w)
			if i < 0 {
				break
			}
			i += from
			emit(i, i+len(w), today.AddDate(0, 0, off))
			from = i + len(w)
		}
	}
	if strings.Contains(s, "前") || strings.Contains(s, "后") {
		for _, m := range reAgoZH.FindAllStringSubmatchIndex(s, -1) {
			if m[0] > 0 && isDigit(s[m[0]-1]) {
				continue
			}
			n, ok := smallNumber(sub(s, m, 1))
			if !ok || n > 366 {
				continue
			}
			if strings.HasSuffix(sub(s, m, 2), "前") {
				n = -n
			}
			emit(m[0], m[1], today.AddDate(0, 0, n))
		}
	}
	weeksZH(s, ref, emit)
	if !hasASCIILetter(s) {
		return
	}

	low := asciiLower(s) // keeps the offsets
	for w, off := range relDayEN {
		for from := 0; ; {
			i := strings.Index(low[from:], w)
			if i < 0 {
				break
			}
			i += from
			from = i + len(w)
			if i > 0 && isLetter(low[i-1]) || from < len(low) && isLetter(low[from]) {
				continue
			}
			emit(i, from, today.AddDate(0, 0, off))
		}
	}
	if strings.Contains(low, " day") {
		for _, m := range reAgoEN.FindAllStringSubmatchIndex(low, -1) {
			if a := sub(low, m, 1); a != "" {
				if n, ok := smallNumber(a); ok && n <= 366 {
					emit(m[0], m[1], today.AddDate(0, 0, -n))
				}
			} else if n, ok := smallNumber(sub(low, m, 2)); ok && n <= 366 {
				emit(m[0], m[1], today.AddDate(0, 0, n))
			}
		}
	}
	months := false
	for i := 0; i < len(low); {
		if !isLetter(low[i]) {
			i++
			continue
		}
		start := i
		for i < len(low) && isLetter(low[i]) {
			i++
		}
		w := low[start:i]
		switch {
		case (w == "last" || w == "next" || w == "this") && (start == 0 || !isAlnum(low[start-1])):
			if m := reRelWeekEN.FindStringSubmatchIndex(low[start:]); m != nil {
				if wd, ok := weekdayOf(sub(low[start:], m, 2)); ok {
					emit(start, start+m[1], weekday(ref, wd, weekOffset[w]))
				}
			}
		case monthWords[w] && (start == 0 || !isAlnum(low[start-1])):
			months = true
			if m := reDateMD.FindStringSubmatchIndex(low[start:]); m != nil {
				d, _ := strconv.Atoi(sub(low[start:], m, 2))
				dayMonth(start, start+m[1], sub(low[start:], m, 3), monthOf(w), d)
			}
		}
	}
	if months {
		for i := 0; i < len(low); i++ {
			if !isDigit(low[i]) || i > 0 && isAlnum(low[i-1]) {
				continue
			}
			if m := reDateDM.FindStringSubmatchIndex(low[i:]); m != nil {
				d, _ := strconv.Atoi(sub(low[i:], m, 1))
				dayMonth(i, i+m[1], sub(low[i:], m, 3), monthOf(sub(low[i:], m, 2)), d)
			}
		}
	}
}

// weeksZH finds 上周五, 下个星期一, 这周三, 礼拜天…: a weekday word, a
// weekday, and before them an optional 上/上上/下/下下/这/本 and 个.
func weeksZH(s string, ref time.Time, emit func(start, end int, t time.Time)) {
	for _, w := range []string{"周", "星期", "礼拜"} {
		for from := 0; ; {
			i := strings.Index(s[from:], w)
			if i < 0 {
				break
			}
			i += from
			end := i + len(w)
			from = end
			r, size := utf8.DecodeRuneInString(s[end:])
			wd, ok := weekdayOf(string(r))
			if !ok || end >= len(s) {
				continue
			}
			end += size
			start := i
			before := strings.TrimSuffix(s[:start], "个")
			off := 0
			for _, p := range []string{"上上", "下下", "上", "下", "这", "本"} {
				if strings.HasSuffix(before, p) {
					start = len(before) - len(p)
					off = weekOffset[p]
					break
				}
			}
			emit(start, end, weekday(ref, wd, off))
		}
	}
}

func hasASCIILetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if isLetter(s[i]) {
			return true
		}
	}
	return false
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = lower(c)
	}
	return string(b)
}
