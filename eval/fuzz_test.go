package eval

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/assistd/assist"
)

// FuzzParseStories feeds story files to the loader: stories or an
// EINVALID/ETOOLARGE error, never a panic.
func FuzzParseStories(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("..", "data", "eval", "stories", "*.yaml"))
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil && len(b) < 16<<10 {
			f.Add(b)
		}
	}
	f.Add([]byte("- name: x\n  turns: [{say: hi, reply_any: [a, b]}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		stories, err := ParseStories("s.yaml", data)
		if err != nil {
			if code := assist.ErrorCode(err); code != assist.EINVALID && code != assist.ETOOLARGE {
				t.Fatalf("code %s: %v", code, err)
			}
			return
		}
		for _, s := range stories {
			if s == nil {
				t.Fatal("a nil story")
			}
		}
	})
}
