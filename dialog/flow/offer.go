package flow

import (
	"fmt"
	nlutext "github.com/assistd/assist/nlu/text"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// holds reports whether w holds for run and the message in.
func (w *When) holds(run *Run, in Input) bool {
	if w.Customer != nil && *w.Customer != (strings.TrimSpace(in.CustomerRef) != "") {
		return false
	}
	for _, n := range w.Filled {
		if run.Slots[n] == "" {
			return false
		}
	}
	for _, n := range w.Empty {
		if run.Slots[n] != "" {
			return false
		}
	}
	var status string
	var data map[string]any
	if run.Result != nil {
		status, data = run.Result.Status, run.Result.Data
	}
	if len(w.Status) > 0 && !slices.Contains(w.Status, status) {
		return false
	}
	return matches(data, w.Result)
}

// matches reports whether, for every key of m, data's value (as text) is
// one of m's values.
func matches(data map[string]any, m map[string][]string) bool {
	for k, vals := range m {
		if !slices.Contains(vals, asText(data[k])) {
			return false
		}
	}
	return true
}

// asText is a data value as text: "" for nil, numbers without a
// fraction as integers (JSON decodes 1 as 1.0).
func asText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// items returns what o offers from res: the items of its list with a
// value, that match o.Where, at most o.Max, in the list's order. The list
// may be any slice of string-keyed maps ([]any after a JSON round trip,
// []map[string]any or []map[string]string from a backend in process).
func (o *Offer) items(res *Result) []map[string]any {
	var out []map[string]any
	for _, item := range o.all(res) {
		if len(out) < o.Max && matches(item, o.Where) {
			out = append(out, item)
		}
	}
	return out
}

// all returns every item of o's list in res that has a value, whatever
// o.Where and o.Max say: the items a customer may refer to.
func (o *Offer) all(res *Result) []map[string]any {
	if res == nil || res.Status != StatusOK {
		return nil
	}
	list := reflect.ValueOf(res.Data[o.List])
	if list.Kind() != reflect.Slice {
		return nil
	}
	var out []map[string]any
	for i := 0; i < list.Len(); i++ {
		item := asMap(list.Index(i))
		if item == nil || asText(item[o.Value]) == "" {
			continue
		}
		out = append(out, item)
	}
	return out
}

// offered returns the items the ask step st offers in run: those the
// customer's words narrowed the list to (Run.Narrow), else o.items.
func offered(st *Step, run *Run) []map[string]any {
	if len(run.Narrow) == 0 {
		return st.Offer.items(run.Result)
	}
	var out []map[string]any
	for _, it := range st.Offer.all(run.Result) {
		if slices.Contains(run.Narrow, asText(it[st.Offer.Value])) {
			out = append(out, it)
		}
	}
	return out
}

// asMap converts a string-keyed map to map[string]any; nil for anything
// else.
func asMap(v reflect.Value) map[string]any {
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() != reflect.Map || v.Type().Key().Kind() != reflect.String {
		return nil
	}
	if m, ok := v.Interface().(map[string]any); ok {
		return m
	}
	m := make(map[string]any, v.Len())
	for it := v.MapRange(); it.Next(); {
		m[it.Key().String()] = it.Value().Interface()
	}
	return m
}

// offerValues returns the values offered by the step run waits at, or
// nil when it offers nothing.
func offerValues(f *Flow, run *Run) []string {
	st, ok := f.Step(run.Step)
	if !ok || st.Offer == nil || st.Ask != run.Awaiting {
		return nil
	}
	items := offered(st, run)
	vals := make([]string, len(items))
	for i, it := range items {
		vals[i] = asText(it[st.Offer.Value])
	}
	return vals
}

// pick returns the offered value text chooses: "yes" to a single offer,
// an ordinal ("2", "第二个", "the second one", "the last one"), or the
// last digits of one value ("尾号 0002 的那个").
func pick(text string, vals []string) (string, bool) {
	n := len(vals)
	if n == 0 {
		return "", false
	}
	if n == 1 && !isNo(text) && !isQuestion(text) && isYes(text) {
		return vals[0], true
	}
	if k := ordinal(text, n); k > 0 {
		return vals[k-1], true
	}
	var hit []string
	for _, d := range digitRun.FindAllString(text, -1) {
		for _, v := range vals {
			if strings.HasSuffix(v, d) && !slices.Contains(hit, v) {
				hit = append(hit, v)
			}
		}
	}
	if len(hit) == 1 {
		return hit[0], true
	}
	return "", false
}

var (
	digitRun = nlutext.MustPattern(`[0-9]{4,}`)
	// bareNumber is an answer that is only a position: "2", "2号", "选2",
	// "#2", "number 2", "option 2".
	bareNumber  = nlutext.MustPattern(`^(?:选|要|是|就|第|#|no\.?|number|option)?\s*([1-9])\s*(?:号|个|项|条|单)?$`)
	numberAfter = nlutext.MustPattern(`(?:^|[^a-z])(?:number|no\.|option|#)\s*([1-9])(?:[^0-9]|$)`)
	ordinalZH   = nlutext.MustPattern(`第\s*([一二两三四五六七八九1-9])`)
	zhDigits    = map[string]int{"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
	ordinalEN   = []string{"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"}
	ordinalNum  = []string{"1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th"}
	newestZH    = []string{"最近", "最新", "最后下的"}
	newestEN    = []string{"latest", "newest", "most recent", "last order i placed"}
	lastZH      = []string{"最后一个", "最后那个", "最后一单", "最下面"}
	lastEN      = []string{"the last one", "last one", "the bottom one"}
	// declineZH and declineEN say none of the offered items is meant
	// (besides the no words of isNo).
	declineZH = []string{"都不是", "另一个", "另外", "别的", "其他", "其它"}
	declineEN = []string{"none", "neither", "another", "different", "other", "not that", "not this", "not these"}
)

// maxPickRunes and maxPickWords bound the messages read as a position: a
// long message that happens to say "first" is not a pick.
const (
	maxPickRunes = 20
	maxPickWords = 8
)

// ordinal returns the position 1..n text names, or 0 for none or two
// different ones.
func ordinal(text string, n int) int {
	t := trimPunct(text)
	if m := bareNumber.FindStringSubmatch(t); m != nil {
		return inRange(int(m[1][0]-'0'), n)
	}
	if isASCII(t) && len(strings.Fields(t)) > maxPickWords || !isASCII(t) && utf8.RuneCountInString(t) > maxPickRunes {
		return 0
	}
	found := 0
	see := func(k int) bool {
		if found != 0 && found != k {
			found = -1
			return false
		}
		found = k
		return true
	}
	if m := numberAfter.FindStringSubmatch(t); m != nil {
		see(int(m[1][0] - '0'))
	}
	for _, m := range ordinalZH.FindAllStringSubmatch(t, -1) {
		k, ok := zhDigits[m[1]]
		if !ok {
			k = int(m[1][0] - '0')
		}
		see(k)
	}
	for i := range ordinalEN {
		if containsWord(t, ordinalEN[i]) || containsWord(t, ordinalNum[i]) {
			see(i + 1)
		}
	}
	for _, w := range lastZH {
		if strings.Contains(t, w) {
			see(n)
		}
	}
	for _, w := range lastEN {
		if containsWord(t, w) {
			see(n)
		}
	}
	if found == 0 {
		for _, w := range newestZH {
			if strings.Contains(t, w) {
				see(1)
			}
		}
		for _, w := range newestEN {
			if containsWord(t, w) {
				see(1)
			}
		}
	}
	if found < 0 {
		return 0
	}
	return inRange(found, n)
}

func inRange(k, n int) int {
	if k < 1 || k > n {
		return 0
	}
	return k
}

// declines reports whether text turns down what is offered: a no, or a
// short message saying another one is meant. A question never does ("do
// you have other colours?" is a digression).
func declines(text string) bool {
	if isQuestion(text) {
		return false
	}
	if isNo(text) {
		return true
	}
	t := trimPunct(text)
	if isASCII(t) && len(strings.Fields(t)) > maxPickWords || !isASCII(t) && utf8.RuneCountInString(t) > maxPickRunes {
		return false
	}
	for _, w := range declineZH {
		if strings.Contains(t, w) {
			return true
		}
	}
	for _, w := range declineEN {
		if containsWord(t, w) {
			return true
		}
	}
	return false
}
