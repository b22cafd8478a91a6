package rag

import "time"

// SetCacheTTL sets how long remembered searches are used, for a test;
// it returns the function that restores it.
func SetCacheTTL(d time.Duration) func() {
	old := cacheTTL
	cacheTTL = d
	return func() { cacheTTL = old }
}
