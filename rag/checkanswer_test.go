package rag

import (
	"strings"
	"testing"
)

// checkAnswer fails t for each of want the answer to q lacks and each of
// notWant it holds: what the customer reads, not how it was chosen. The
// extraction tests of both test packages call it (CheckAnswer).
func checkAnswer(t *testing.T, q, answer string, want, notWant []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(answer, w) {
			t.Errorf("%s: answer lacks %q:\n%s", q, w, answer)
		}
	}
	for _, w := range notWant {
		if strings.Contains(answer, w) {
			t.Errorf("%s: answer holds %q, which was not asked:\n%s", q, w, answer)
		}
	}
}
