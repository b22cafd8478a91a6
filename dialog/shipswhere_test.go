package dialog

import (
	"strings"
	"testing"
)

// Asking where the shop ships turns the status cue off; asking the shop
// to send the order's tracking, or when it delivers, does not.
func TestShipsWhere(t *testing.T) {
	for _, tc := range []struct {
		text   string
		status bool
	}{
		{"can you send me the tracking number for my order?", true},
		{"will you deliver on sunday? is my order coming today", true},
		{"do you guys ship to norway? and when does it arrive", false},
		{"can you deliver abroad, where is it shipped from", false},
		{"你们能寄国外吗 什么时候发货", false},
	} {
		low := strings.ToLower(tc.text)
		if got := statusCue.MatchString(low) && !shipsWhere.MatchString(low); got != tc.status {
			t.Errorf("%q asks about the order: %v, want %v", tc.text, got, tc.status)
		}
	}
}
