package analytics

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/assistd/assist"
)

// fakeStore serves fixed records, filtered by period as a store would.
type fakeStore struct {
	convs   []Conversation
	hos     []Handoff
	ratings []Rating
	vol     map[time.Time]int
}

func in(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

func (f *fakeStore) Conversations(_ context.Context, _ string, from, to time.Time) ([]Conversation, error) {
	var out []Conversation
	for _, c := range f.convs {
		if in(c.CreatedAt, from, to) {
			out = append(out, c)
		}
	}
	return out, nil
}
func (f *fakeStore) Handoffs(_ context.Context, _ string, from, to time.Time) ([]Handoff, error) {
	var out []Handoff
	for _, h := range f.hos {
		if in(h.At, from, to) {
			out = append(out, h)
		}
	}
	return out, nil
}
func (f *fakeStore) Ratings(_ context.Context, _ string, from, to time.Time) ([]Rating, error) {
	var out []Rating
	for _, r := range f.ratings {
		if in(r.At, from, to) {
			out = append(out, r)
		}
	}
	return out, nil
}
func (f *fakeStore) HourlyVolume(_ context.Context, _ string, from, to time.Time) (map[time.Time]int, error) {
	out := map[time.Time]int{}
	for t, n := range f.vol {
		if in(t, from, to) {
			out[t] = n
		}
	}
	return out, nil
}
func (f *fakeStore) AddRating(_ context.Context, r Rating) error {
	for _, x := range f.ratings {
		if x.ConversationID == r.ConversationID {
			return assist.Errorf(assist.ECONFLICT, "already rated")
		}
	}
	f.ratings = append(f.ratings, r)
	return nil
}

var day0 = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func at(h, m int) time.Time {
	return day0.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

// A supervisor's week: four conversations, one never written in, two
// handed to people (one answered in 2 min and closed 10 min later, one
// answered in 6 min and still open), two ratings.
func TestReport(t *testing.T) {
	st := &fakeStore{
		convs: []Conversation{
			{ID: "a", CreatedAt: at(1, 0), CustomerMessages: 2, Intents: []string{"order_status", "order_status"}},
			{ID: "b", CreatedAt: at(2, 0), CustomerMessages: 1, Intents: []string{"complaint"}},
			{ID: "c", CreatedAt: at(26, 0), CustomerMessages: 3, Intents: []string{"order_status", "return_request"}},
			{ID: "d", CreatedAt: at(27, 0)}, // opened the widget, wrote nothing
			{ID: "old", CreatedAt: at(-30, 0), CustomerMessages: 1},
		},
		hos: []Handoff{
			{ConversationID: "b", Reason: "anger", At: at(2, 1), FirstAgentAt: at(2, 3), ClosedAt: at(2, 13)},
			{ConversationID: "c", Reason: "customer_request", At: at(26, 5), FirstAgentAt: at(26, 11)},
		},
		ratings: []Rating{{ConversationID: "b", Score: 5, At: at(2, 14)}, {ConversationID: "a", Score: 2, At: at(3, 0)}},
	}
	s := &Service{Store: st, Now: func() time.Time { return at(48, 0) }}
	r, err := s.Report(context.Background(), "t", day0, day0.Add(48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if r.Conversations != 3 || r.Deflected != 1 || math.Abs(r.Deflection-1.0/3) > 1e-9 {
		t.Errorf("conversations %d, deflected %d (%.3f); want 3, 1 (0.333)", r.Conversations, r.Deflected, r.Deflection)
	}
	if r.Handoffs != 2 || len(r.ByReason) != 2 || r.ByReason[0] != (Count{"anger", 1}) {
		t.Errorf("hand-offs %d by reason %v", r.Handoffs, r.ByReason)
	}
	if r.FirstResponse.Count != 2 || r.FirstResponse.MedianSeconds != 120 || r.FirstResponse.P90Seconds != 360 {
		t.Errorf("first response %+v; want 2, median 120 s, p90 360 s", r.FirstResponse)
	}
	if r.Handling.Count != 1 || r.Handling.MedianSeconds != 600 {
		t.Errorf("handling %+v; want 1 closed in 600 s", r.Handling)
	}
	if r.CSAT.Count != 2 || r.CSAT.Average != 3.5 || r.CSAT.Satisfied != 0.5 || r.CSAT.Scores != [5]int{0, 1, 0, 0, 1} {
		t.Errorf("CSAT %+v", r.CSAT)
	}
	if len(r.TopIntents) != 3 || r.TopIntents[0] != (Count{"order_status", 3}) {
		t.Errorf("top intents %v", r.TopIntents)
	}
	if len(r.Daily) != 2 || r.Daily[0] != (Day{"2026-12-01", 2, 1}) || r.Daily[1] != (Day{"2026-12-02", 1, 1}) {
		t.Errorf("daily %v", r.Daily)
	}
	if _, err := s.Report(context.Background(), "t", day0, day0); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("empty period: %v, want EINVALID", err)
	}
	if _, err := s.Report(context.Background(), "t", day0, day0.Add(400*24*time.Hour)); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("400-day period: %v, want EINVALID", err)
	}
}

func TestRate(t *testing.T) {
	s := &Service{Store: &fakeStore{}}
	ctx := context.Background()
	for _, bad := range []int{0, 6, -1} {
		if _, err := s.Rate(ctx, "t", "c", bad, ""); assist.ErrorCode(err) != assist.EINVALID {
			t.Errorf("score %d: %v, want EINVALID", bad, err)
		}
	}
	long := make([]rune, MaxCommentRunes+1)
	for i := range long {
		long[i] = '好'
	}
	if _, err := s.Rate(ctx, "t", "c", 4, string(long)); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("long comment: %v, want EINVALID", err)
	}
	r, err := s.Rate(ctx, "t", "c", 4, "  quick and kind  ")
	if err != nil || r.Comment != "quick and kind" || r.Score != 4 {
		t.Fatalf("rate: %+v, %v", r, err)
	}
	if _, err := s.Rate(ctx, "t", "c", 5, ""); assist.ErrorCode(err) != assist.ECONFLICT {
		t.Errorf("second rating: %v, want ECONFLICT", err)
	}
}

// Four weeks where every Monday 09:00 has 8 conversations and every other
// hour 1: the next Monday 09:00 is forecast at 8, and the backtest of a
// week that behaved the same has no error.
func TestForecastWeeklyPattern(t *testing.T) {
	monday := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC) // a Monday
	vol := map[time.Time]int{}
	end := monday.Add(5 * 7 * 24 * time.Hour)
	for h := monday; h.Before(end); h = h.Add(time.Hour) {
		vol[h] = 1
		if h.Weekday() == time.Monday && h.Hour() == 9 {
			vol[h] = 8
		}
	}
	now := end.Add(-14*time.Hour - time.Minute) // Sunday 09:59: the forecast runs to Monday 09:00
	f := NewForecast(vol, now)
	if len(f.Next) != 24 {
		t.Fatalf("%d hours forecast, want 24", len(f.Next))
	}
	found := false
	for _, h := range f.Next {
		want := 1.0
		if h.At.Weekday() == time.Monday && h.At.Hour() == 9 {
			want, found = 8, true
		}
		if h.Expected != want {
			t.Errorf("%s: expected %.2f, want %.0f", h.At, h.Expected, want)
		}
	}
	if !found {
		t.Error("the forecast does not reach Monday 09:00")
	}
	if len(f.LastWeek) != 168 || f.MAE != 0 || f.WAPE != 0 {
		t.Errorf("backtest: %d hours, MAE %.3f, WAPE %.3f; want 168 hours without error", len(f.LastWeek), f.MAE, f.WAPE)
	}
	// A week busier than the past ones shows up as error.
	busier := map[time.Time]int{}
	for k, v := range vol {
		busier[k] = v
		if k.After(now.Add(-7 * 24 * time.Hour)) {
			busier[k] = v + 2
		}
	}
	g := NewForecast(busier, now)
	if g.MAE < 1.9 || g.MAE > 2.1 {
		t.Errorf("busier week: MAE %.3f, want about 2 per hour", g.MAE)
	}
}

// With no history, one busy hour (41 conversations, the QA case) or two
// days there is no forecast: the report says there is not enough history
// instead of repeating one hour's count for all 24 hours.
func TestForecastShortHistory(t *testing.T) {
	now := at(10, 30)
	for name, vol := range map[string]map[time.Time]int{
		"no history": {},
		"one hour":   {at(8, 0): 41},
		"two days":   twoDays(now),
	} {
		f := NewForecast(vol, now)
		if f.Enough || len(f.Next) != 0 || len(f.LastWeek) != 0 || f.MinHistoryDays != MinHistoryDays {
			t.Errorf("%s: enough %v, %d hours forecast, %d backtested; want no forecast", name, f.Enough, len(f.Next), len(f.LastWeek))
		}
	}
	if f := NewForecast(map[time.Time]int{at(8, 0): 41}, now); f.HistoryHours != 3 {
		t.Errorf("one busy hour at 08:00, now 10:30: %d hours of history, want 3", f.HistoryHours)
	}
	// A third day makes a profile: each hour of the day is the average of
	// that hour on the days before.
	vol := twoDays(now)
	for h := 0; h < 24; h++ {
		vol[now.Truncate(time.Hour).Add(time.Duration(h-71)*time.Hour)] = 1
	}
	f := NewForecast(vol, now)
	if !f.Enough || len(f.Next) != 24 {
		t.Fatalf("three days: enough %v, %d hours forecast; want 24", f.Enough, len(f.Next))
	}
	for _, h := range f.Next {
		want := 1.0
		if h.At.Hour() == 9 {
			want = (1 + 6 + 6) / 3.0
		}
		if math.Abs(h.Expected-want) > 1e-9 {
			t.Errorf("three days, %s: %.3f, want %.3f", h.At.Format("15:04"), h.Expected, want)
		}
	}
}

// twoDays is 48 hours up to now's hour: 1 conversation an hour, 6 at 09:00.
func twoDays(now time.Time) map[time.Time]int {
	vol := map[time.Time]int{}
	for i := 0; i < 48; i++ {
		h := now.Truncate(time.Hour).Add(-time.Duration(i) * time.Hour)
		vol[h] = 1
		if h.Hour() == 9 {
			vol[h] = 6
		}
	}
	return vol
}

// Two weeks with a daily pattern (quiet nights, a busy day peaking in the
// afternoon) and noise: the forecast follows the pattern, and its error on
// the last week is small and well below that of repeating the previous
// hour's count.
func TestForecastTwoWeeksDailyPattern(t *testing.T) {
	profile := [24]float64{1, 0, 0, 0, 0, 1, 2, 4, 8, 12, 15, 16, 14, 15, 18, 20, 18, 14, 10, 8, 6, 4, 3, 2}
	rng := rand.New(rand.NewPCG(7, 11))
	start := time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
	now := start.Add(14*24*time.Hour - 30*time.Minute) // the last hour of the 14th day
	vol := map[time.Time]int{}
	for h := start; h.Before(now.Truncate(time.Hour).Add(time.Hour)); h = h.Add(time.Hour) {
		base := profile[h.Hour()]
		n := int(math.Round(base + rng.NormFloat64()*math.Sqrt(base)))
		vol[h] = max(n, 0)
	}
	f := NewForecast(vol, now)
	if !f.Enough || len(f.Next) != 24 {
		t.Fatalf("two weeks: enough %v, %d hours forecast; want 24", f.Enough, len(f.Next))
	}
	for _, h := range f.Next {
		if want := profile[h.At.Hour()]; math.Abs(h.Expected-want) > 1+0.5*want {
			t.Errorf("%s: forecast %.2f, the pattern says %.0f", h.At.Format("15:04"), h.Expected, want)
		}
	}
	if len(f.LastWeek) != 168 {
		t.Fatalf("backtest: %d hours, want the whole last week (168)", len(f.LastWeek))
	}
	var naive, actual float64
	for _, h := range f.LastWeek {
		naive += math.Abs(float64(vol[h.At.Add(-time.Hour)] - *h.Actual))
		actual += float64(*h.Actual)
	}
	naiveWAPE := naive / actual
	t.Logf("two weeks, last week's backtest: MAE %.2f conversations/hour, WAPE %.3f (repeating the previous hour: WAPE %.3f)", f.MAE, f.WAPE, naiveWAPE)
	if f.WAPE > 0.3 || f.WAPE >= naiveWAPE {
		t.Errorf("WAPE %.3f; want at most 0.3 and below repeating the previous hour (%.3f)", f.WAPE, naiveWAPE)
	}
}
