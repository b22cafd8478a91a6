package qdrant

import "testing"

// HostPort splits a Config.URL, for tests that dial Qdrant directly.
func HostPort(tb testing.TB, url string) (string, int) {
	tb.Helper()
	qc, err := clientConfig(Config{URL: url})
	if err != nil {
		tb.Fatal(err)
	}
	return qc.Host, qc.Port
}
