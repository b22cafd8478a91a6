package storetest

import (
	"crypto/sha256"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/assistd/assist"
)

// t0 is the suites' reference time: in the past, with microseconds.
var t0 = time.Date(2025, 3, 1, 9, 30, 0, 123456000, time.UTC)

// at returns t0 plus n minutes.
func at(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

// newID returns a new UUIDv7, the project's id format.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// hash returns the SHA-256 of s, as the stores keep tokens and secrets.
func hash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// wantCode fails t unless err carries the code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := assist.ErrorCode(err); got != code {
		t.Errorf("error = %v (code %q), want code %q", err, got, code)
	}
}

// must fails t now if err is not nil.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// normTime is t as the suites compare it: UTC, to the microsecond.
func normTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func normBytes(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// same fails t unless got and want are equal after norm.
func same[T any](t *testing.T, what string, got, want *T, norm func(T) T) {
	t.Helper()
	if got == nil || want == nil {
		if got != want {
			t.Errorf("%s = %+v, want %+v", what, got, want)
		}
		return
	}
	if g, w := norm(*got), norm(*want); !reflect.DeepEqual(g, w) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, g, w)
	}
}

// ids returns the IDs of list, for comparing lists in order.
func ids[T any](list []*T, id func(*T) string) []string {
	out := make([]string, 0, len(list))
	for _, x := range list {
		out = append(out, id(x))
	}
	return out
}

func sameIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %s, want %s", what, fmt.Sprint(got), fmt.Sprint(want))
	}
}
