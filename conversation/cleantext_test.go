package conversation_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
)

func TestCleanText(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		max      int
		want     string
		wantCode string
	}{
		{"plain", "hello", 10, "hello", ""},
		{"trimmed", "  hello \n", 10, "hello", ""},
		{"newline and tab kept inside", "a\nb\tc", 10, "a\nb\tc", ""},
		{"carriage return dropped", "line 1\r\nline 2", 20, "line 1\nline 2", ""},
		{"NUL, bell, escape, DEL dropped", "a\x00b\x07c\x1bd\x7fe", 10, "abcde", ""},
		{"C1 control dropped", "a\u0085b\u009bc", 10, "abc", ""},
		{"format characters kept", "a\u200db", 10, "a\u200db", ""},
		{"chinese", "  你好，世界  ", 10, "你好，世界", ""},
		{"emoji counts as one character", "👍", 1, "👍", ""},
		{"limit counts characters, not bytes", "你好世界", 4, "你好世界", ""},
		{"limit applies after cleaning", "ab\x00\x00\x00  ", 2, "ab", ""},
		{"one over the limit", "你好世界!", 4, "", assist.ETOOLARGE},
		{"empty", "", 10, "", assist.EINVALID},
		{"only spaces", " \t\n ", 10, "", assist.EINVALID},
		{"only control characters", "\x00\x01\x02", 10, "", assist.EINVALID},
		{"invalid UTF-8", "ab\xffcd", 10, "", assist.EINVALID},
		{"truncated UTF-8 sequence", "你\xe5\xa5", 10, "", assist.EINVALID},
		{"UTF-16 surrogate half", "a\xed\xa0\x80b", 10, "", assist.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := conversation.CleanText(tt.in, tt.max)
			if tt.wantCode != "" {
				if code := assist.ErrorCode(err); code != tt.wantCode {
					t.Errorf("CleanText(%q, %d) = %q, %v; want code %q", tt.in, tt.max, got, err, tt.wantCode)
				}
				if assist.ErrorMessage(err) == "internal error" {
					t.Errorf("error %v has no message for the caller", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("CleanText(%q, %d) = %q, %v; want %q", tt.in, tt.max, got, err, tt.want)
			}
		})
	}
}

func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", "hello", " a\r\n\tb ", "你好", "\x00\x7f\u0085", "\xff\xfe", "a\xed\xa0\x80b", "👍🏽", strings.Repeat("字", 300)} {
		f.Add(s, uint16(10))
	}
	f.Fuzz(func(t *testing.T, in string, limit uint16) {
		max := int(limit % 512)
		out, err := conversation.CleanText(in, max)
		if err != nil {
			if code := assist.ErrorCode(err); code != assist.EINVALID && code != assist.ETOOLARGE {
				t.Fatalf("CleanText(%q, %d): error code %q", in, max, code)
			}
			return
		}
		if !utf8.ValidString(out) {
			t.Fatalf("CleanText(%q, %d) = %q: not valid UTF-8", in, max, out)
		}
		if n := utf8.RuneCountInString(out); n == 0 || n > max {
			t.Fatalf("CleanText(%q, %d) = %q: %d characters", in, max, out, n)
		}
		if out != strings.TrimSpace(out) {
			t.Fatalf("CleanText(%q, %d) = %q: not trimmed", in, max, out)
		}
		for _, r := range out {
			if unicode.IsControl(r) && r != '\n' && r != '\t' {
				t.Fatalf("CleanText(%q, %d) = %q: keeps control character %U", in, max, out, r)
			}
		}
		if again, err := conversation.CleanText(out, max); err != nil || again != out {
			t.Fatalf("CleanText is not idempotent: %q -> %q -> %q, %v", in, out, again, err)
		}
	})
}
