package dialog

import (
	"strings"
	"testing"
)

// checkReply fails t for each of want the reply lacks and each of not it
// holds: what the customer reads, not how the bot got there.
func checkReply(t *testing.T, reply string, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(reply, w) {
			t.Errorf("reply %q, want %q in it", reply, w)
		}
	}
	for _, w := range not {
		if strings.Contains(reply, w) {
			t.Errorf("reply %q, want no %q", reply, w)
		}
	}
}
