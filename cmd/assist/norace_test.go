//go:build !race

package main

// raceEnabled reports whether the tests run under the race detector
// (go test -race).
const raceEnabled = false
