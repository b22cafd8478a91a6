package rag

import (
	"fmt"
	"testing"
)

// memoLen is the number of entries c holds.
func memoLen[K comparable, V any](c *memo[K, V]) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// The memos keyed by a customer's question keep a few of them
// (questionMemoSize), never the articles' thousands, and a question never
// enters a memo of the articles' pieces (negatedEn, indexTerms): a
// customer's message may hold a phone number or an address.
func TestQuestionMemosKeepFew(t *testing.T) {
	sp, ms, lex := DefaultSpecifics(), DefaultMeasures(), DefaultLexicon()
	a := Bigrams{}
	articleBefore := memoLen(&negatedEn)
	for i := range 3 * questionMemoSize {
		q := fmt.Sprintf("how heavy is the lamp I ordered to flat %d, call me on 138%08d", i, i)
		sp.named(q)
		ms.asked(q)
		lex.askedIn(questionTokens(q))
		newExtractQuestion(q, q, "", a)
		QuestionKind(q)
	}
	for name, n := range map[string]int{
		"Specifics.seen":     memoLen(&sp.seen),
		"Measures.seen":      memoLen(&ms.seen),
		"Lexicon.asked":      memoLen(&lex.asked),
		"negatedAsked":       memoLen(&negatedAsked),
		"withoutAskingMemo":  memoLen(&withoutAskingMemo),
		"questionTokensMemo": memoLen(&questionTokensMemo),
		"queryTermsMemo":     memoLen(&queryTermsMemo),
		"kinds":              memoLen(&kinds),
	} {
		if n == 0 || n > questionMemoSize {
			t.Errorf("%s holds %d questions, want 1..%d", name, n, questionMemoSize)
		}
	}
	// Other tests may run in parallel with this one and read articles:
	// the articles' memos may grow by those, never by this test's
	// questions.
	if n := memoLen(&negatedEn); n > articleBefore+questionMemoSize {
		t.Errorf("negatedEn grew %d -> %d: questions entered the articles' memo", articleBefore, n)
	}
	for i := range 3 {
		q := fmt.Sprintf("how heavy is the lamp I ordered to flat %d, call me on 138%08d", i, i)
		negatedEn.mu.Lock()
		_, in := negatedEn.m[withoutAsking(q)]
		negatedEn.mu.Unlock()
		if in {
			t.Errorf("negatedEn holds the question %q", q)
		}
		indexTerms.mu.Lock()
		_, in = indexTerms.m[q]
		indexTerms.mu.Unlock()
		if in {
			t.Errorf("indexTerms holds the question %q", q)
		}
	}
}

// A remembered slice is handed out clipped: a caller's append copies it
// and never writes into the slice the memo shares with other callers.
func TestRememberedSlicesAreClipped(t *testing.T) {
	var c memo[string, []int]
	calls := 0
	make3 := func() []int {
		calls++
		s := make([]int, 0, 8)
		return append(s, 1, 2, 3)
	}
	got := remember(&c, "k", 1, make3)
	if cap(got) != len(got) {
		t.Fatalf("cap %d, len %d: not clipped", cap(got), len(got))
	}
	_ = append(got, 4)
	again := remember(&c, "k", 1, make3)
	if calls != 1 || len(again) != 3 || cap(again) != 3 {
		t.Fatalf("calls %d, again %v (cap %d)", calls, again, cap(again))
	}
	// A text too long to remember is computed each time.
	remember(&c, "long", memoMaxText+1, make3)
	remember(&c, "long", memoMaxText+1, make3)
	if calls != 3 || memoLen(&c) != 1 {
		t.Fatalf("long text: calls %d, entries %d", calls, memoLen(&c))
	}

	sp := DefaultSpecifics()
	q := "can you ship to Macau with SF Express"
	named := sp.named(q)
	if len(named) == 0 || cap(named) != len(named) {
		t.Fatalf("named(%q): len %d cap %d, want a clipped non-empty slice", q, len(named), cap(named))
	}
	if ms := DefaultMeasures().asked("how heavy is it and how many watts"); cap(ms) != len(ms) {
		t.Errorf("Measures.asked: len %d cap %d", len(ms), cap(ms))
	}
	if la := DefaultLexicon().askedIn(questionTokens("退货运费谁出")); cap(la) != len(la) {
		t.Errorf("Lexicon.askedIn: len %d cap %d", len(la), cap(la))
	}
}

// A memo full of entries starts afresh: it never holds more than its size.
func TestMemoBound(t *testing.T) {
	c := memo[int, int]{size: 4}
	for i := range 10 {
		c.do(i, 1, func() int { return i })
		if n := memoLen(&c); n > 4 {
			t.Fatalf("%d entries, size 4", n)
		}
	}
	var d memo[int, int]
	for i := range questionMemoSize + 1 {
		d.put(i, i)
	}
	if n := memoLen(&d); n > questionMemoSize {
		t.Fatalf("a memo without a size holds %d, want at most %d", n, questionMemoSize)
	}
}
