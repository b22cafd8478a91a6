package main

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoadConfig feeds configuration files to the loader: a configuration
// that passed its checks, or an error, never a panic.
func FuzzLoadConfig(f *testing.F) {
	f.Add([]byte("http:\n  addr: \":9090\"\n  rate_limit: 5\nauth:\n  session_ttl: 1h\n"))
	f.Add([]byte("store: {path: /tmp/x.db, synchronous: normal}\nllm: {base_url: 'http://localhost:1/v1', timeout: -1s}\n"))
	f.Add([]byte("&a [*a, *a, *a]"))
	f.Add([]byte("http: [1, 2]\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "assist.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := LoadConfig(path, nil, nil)
		if err != nil {
			return
		}
		if cfg.Store.Path == "" || cfg.Auth.BcryptCost < 4 {
			t.Fatalf("an accepted configuration misses its defaults: %+v", cfg.Store)
		}
	})
}
