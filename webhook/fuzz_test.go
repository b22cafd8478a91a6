package webhook_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/webhook"
)

// FuzzVerify feeds signature headers to the shop-side check: only Sign's
// signature of the same body within the clock skew passes; anything else
// is EUNAUTHORIZED, never a panic.
func FuzzVerify(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	f.Add("1800000000", "", []byte(`{"action":"get_order"}`), false)
	f.Add(" 1800000000 ", "sha256=00", []byte{}, true)
	f.Add("-9223372036854775808", "sha256=", []byte("x"), true)
	f.Add("9223372036854775807", "", []byte("x"), false)
	const secret = "whsec-for-the-fuzzer"
	f.Fuzz(func(t *testing.T, timestamp, sig string, body []byte, forge bool) {
		if !forge {
			ts, err := strconv.ParseInt(strings.TrimSpace(timestamp), 10, 64)
			if err != nil {
				return
			}
			sig = webhook.Sign(secret, ts, body)
		}
		err := webhook.Verify(secret, timestamp, sig, body, now)
		if err != nil {
			if assist.ErrorCode(err) != assist.EUNAUTHORIZED {
				t.Fatalf("code %s: %v", assist.ErrorCode(err), err)
			}
			return
		}
		ts, _ := strconv.ParseInt(strings.TrimSpace(timestamp), 10, 64)
		if strings.TrimSpace(sig) != webhook.Sign(secret, ts, body) {
			t.Fatalf("a signature that is not Sign's passed: %q", sig)
		}
		if d := now.Sub(time.Unix(ts, 0)); d > webhook.MaxSkew || d < -webhook.MaxSkew {
			t.Fatalf("a stale timestamp %q passed", timestamp)
		}
		if webhook.Verify(secret, timestamp, sig, append(body, 'x'), now) == nil {
			t.Fatal("the signature passed for another body")
		}
	})
}
