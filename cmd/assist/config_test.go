package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "assist.yaml")
	if err := os.WriteFile(file, []byte("http:\n  addr: \":7000\"\n  rate_limit: 5\nstore:\n  path: from-file.db\nlog:\n  level: debug\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"ASSIST_HTTP_RATE_LIMIT=7", "ASSIST_STORE_PATH=from-env.db", "ASSIST_HTTP_ALLOWED_ORIGINS=a.example, b.example", "HOME=/root"}
	cfg, err := LoadConfig(file, env, map[string]string{"store.path": "from-flag.db", "http.shutdown_timeout": "3s"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"file over default", cfg.HTTP.Addr, ":7000"},
		{"env over file", cfg.HTTP.RateLimit, 7.0},
		{"flag over env", cfg.Store.Path, "from-flag.db"},
		{"file only", cfg.Log.Level, "debug"},
		{"default kept", cfg.HTTP.MaxBodyBytes, int64(64 << 10)},
		{"duration from flag", cfg.HTTP.ShutdownTimeout, 3 * time.Second},
		{"list from env", strings.Join(cfg.HTTP.AllowedOrigins, "|"), "a.example|b.example"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestLoadConfigErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("http:\n  adress: \":1\"\n"), 0o600)
	tests := []struct {
		name string
		file string
		env  []string
		over map[string]string
		want string
	}{
		{"unknown key in file", bad, nil, nil, `unknown setting "http.adress"`},
		{"unknown flag key", "", nil, map[string]string{"nope": "1"}, `unknown setting "nope"`},
		{"missing file", filepath.Join(dir, "missing.yaml"), nil, nil, "missing.yaml"},
		{"bad synchronous", "", []string{"ASSIST_STORE_SYNCHRONOUS=off"}, nil, "store.synchronous"},
		{"bad number", "", []string{"ASSIST_HTTP_RATE_BURST=many"}, nil, "rate_burst"},
		{"bad level", "", nil, map[string]string{"log.level": "loud"}, "log.level"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(tt.file, tt.env, tt.over)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	type inner struct {
		Key  string `json:"key" secret:"true"`
		Open string `json:"open"`
	}
	var v struct {
		In    inner  `json:"in"`
		Token string `json:"token" secret:"true"`
		Empty string `json:"empty" secret:"true"`
	}
	v.In = inner{Key: "sk-live-123", Open: "visible"}
	v.Token = "tok"
	redactValue(&v)
	if v.In.Key != "***" || v.Token != "***" || v.Empty != "" || v.In.Open != "visible" {
		t.Fatalf("redacted = %+v", v)
	}
	if s := DefaultConfig().Redacted(); !strings.Contains(s, `"addr":":8080"`) {
		t.Fatalf("Redacted() = %s", s)
	}
	// Durations read as durations, not nanoseconds (which also look like
	// phone numbers to the log's PII masking); secrets stay hidden.
	c := DefaultConfig()
	c.LLM.APIKey = "sk-secret"
	s := c.Redacted()
	for _, want := range []string{`"shutdown_timeout":"15s"`, `"api_key":"***"`, `"session_ttl":"12h0m0s"`} {
		if !strings.Contains(s, want) {
			t.Errorf("Redacted() lacks %s: %s", want, s)
		}
	}
	if strings.Contains(s, "sk-secret") {
		t.Errorf("Redacted() shows the API key: %s", s)
	}
}

func TestEnvName(t *testing.T) {
	if got := EnvName("http.max_body_bytes"); got != "ASSIST_HTTP_MAX_BODY_BYTES" {
		t.Fatal(got)
	}
}
