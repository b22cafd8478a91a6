package auth

import (
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// The hash an unknown user's login is checked against costs what a real
// user's does, so the two take the same time.
func TestDummyHashCost(t *testing.T) {
	for _, cost := range []int{0, 4, 6} {
		s := &Service{BcryptCost: cost}
		want := cost
		if want == 0 {
			want = bcrypt.DefaultCost
		}
		if got, err := bcrypt.Cost(s.dummyHash()); err != nil || got != want {
			t.Errorf("BcryptCost %d: dummy hash cost %d (%v), want %d", cost, got, err, want)
		}
	}
}
