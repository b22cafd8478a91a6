package main

import (
	"time"

	"github.com/assistd/assist/demoshop"
)

// The clock (demo.clock) is what "today" is for the customer's words and
// the shop's replies: the demo shop (dates it seeds, return windows,
// "arrives tomorrow"), the NLU's relative dates ("yesterday", "上周二")
// and the task flows that compare the two. Pinned, a conversation about
// the demo shop reads the same on any day it runs, as its writer read it.
//
// The conversation store, tickets and SLA timers, sessions, customer
// signatures, agent assist and the gap log keep the real clock: they
// time what really happens (a ticket's breach, a session's expiry, the
// order of messages) against real timers and the real moments other
// systems sign with; a pinned moment there would only make fresh tokens
// look expired and timers fall due at once.

// validClock reports whether s is a demo.clock setting.
func validClock(s string) bool {
	switch s {
	case "", "now", "shop":
		return true
	}
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}

// clock returns the clock of demo.clock, started now: the real clock, or
// one that reads the pinned moment at this call and advances in real time
// from there (monotonically, whatever the wall clock does). Errors: "shop"
// with a demo.shop file that does not read or has no written_at.
func (c Config) clock() (func() time.Time, error) {
	var at time.Time
	switch c.Demo.Clock {
	case "", "now":
		return time.Now, nil
	case "shop":
		t, err := demoshop.WrittenAt(c.Demo.Shop)
		if err != nil {
			return nil, err
		}
		at = t
	default:
		t, err := time.Parse(time.RFC3339, c.Demo.Clock)
		if err != nil {
			return nil, err // Validate checked it
		}
		at = t
	}
	start := time.Now()
	return func() time.Time { return at.Add(time.Since(start)) }, nil
}
