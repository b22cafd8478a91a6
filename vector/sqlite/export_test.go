package sqlite

import "time"

// SetRowCacheTTL sets how long read rows are remembered, for a test; it
// returns the function that restores it.
func SetRowCacheTTL(d time.Duration) func() {
	old := rowCacheTTL
	rowCacheTTL = d
	return func() { rowCacheTTL = old }
}
