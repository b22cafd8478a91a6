package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/assistd/assist"
)

func TestRequestIDFromContext(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, "json", "info")
	ctx := assist.NewContextWithRequestID(context.Background(), "req-1")
	log.InfoContext(ctx, "with id", "conversation_id", "c1")
	log.With("k", "v").InfoContext(ctx, "derived")
	log.InfoContext(ctx, "explicit", "request_id", "own")
	log.Info("without")
	log.DebugContext(ctx, "filtered")

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	want := []string{"req-1", "req-1", "own", ""}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), buf.String())
	}
	for i, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		got, _ := m["request_id"].(string)
		if got != want[i] {
			t.Errorf("line %d: request_id %q, want %q (%s)", i, got, want[i], l)
		}
	}
	if strings.Count(buf.String(), `"request_id"`) != 3 {
		t.Errorf("request_id duplicated: %s", buf.String())
	}
}

func TestTextFormat(t *testing.T) {
	var buf bytes.Buffer
	New(&buf, "text", "debug").DebugContext(assist.NewContextWithRequestID(context.Background(), "r2"), "hello")
	if !strings.Contains(buf.String(), "request_id=r2") || !strings.Contains(buf.String(), "level=DEBUG") {
		t.Fatalf("text log = %q", buf.String())
	}
}

func TestNewMasksPII(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, "json", "info")
	log.Info("callback to 13812345678", "email", "li.wei@example.com", "note", "card 4111 1111 1111 1111")
	out := buf.String()
	for _, secret := range []string{"13812345678", "li.wei@example.com", "4111 1111 1111 1111"} {
		if strings.Contains(out, secret) {
			t.Errorf("log line contains %q: %s", secret, out)
		}
	}
	if !strings.Contains(out, "callback to") {
		t.Errorf("log line lost its message: %s", out)
	}
}
