package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/assistd/assist"
)

// The contract's headers.
const (
	HeaderIdempotencyKey = "X-Assist-Idempotency-Key"
	HeaderSignature      = "X-Assist-Signature"
	HeaderTimestamp      = "X-Assist-Timestamp"
)

// MaxSkew is how far a request's timestamp may be from the server's clock.
const MaxSkew = 5 * time.Minute

// Sign returns the X-Assist-Signature value for a body sent at the unix
// time ts: "sha256=" and the hex HMAC-SHA256 of ts + "." + body.
func Sign(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ts, 10)))
	m.Write([]byte("."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a request's timestamp and signature headers against the
// body: the timestamp must be within MaxSkew of now and the signature
// Sign's. Errors: EUNAUTHORIZED.
func Verify(secret, timestamp, signature string, body []byte, now time.Time) error {
	ts, err := strconv.ParseInt(strings.TrimSpace(timestamp), 10, 64)
	if err != nil {
		return assist.Errorf(assist.EUNAUTHORIZED, "missing or malformed %s", HeaderTimestamp)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > MaxSkew || d < -MaxSkew {
		return assist.Errorf(assist.EUNAUTHORIZED, "%s is too far from the server's clock", HeaderTimestamp)
	}
	want := Sign(secret, ts, body)
	if !hmac.Equal([]byte(strings.TrimSpace(signature)), []byte(want)) {
		return assist.Errorf(assist.EUNAUTHORIZED, "bad %s", HeaderSignature)
	}
	return nil
}
