package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// The pages keep to what their Content-Security-Policy allows and never
// turn data into markup: no inline script or style, no event handler
// attributes, no innerHTML/outerHTML/insertAdjacentHTML/document.write.
func TestNoInlineCodeNoHTMLFromData(t *testing.T) {
	inline := regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>`)
	handler := regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	style := regexp.MustCompile(`(?i)\sstyle\s*=|<style`)
	sinks := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(`)
	n := 0
	err := fs.WalkDir(static, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := static.ReadFile(path)
		if err != nil {
			return err
		}
		src := string(b)
		switch {
		case strings.HasSuffix(path, ".html"):
			n++
			for _, tag := range inline.FindAllString(src, -1) {
				if !strings.Contains(tag, "src=") {
					t.Errorf("%s: inline script %s", path, tag)
				}
			}
			if m := handler.FindString(src); m != "" {
				t.Errorf("%s: event handler attribute %q", path, m)
			}
			if m := style.FindString(src); m != "" {
				t.Errorf("%s: inline style %q", path, m)
			}
		case strings.HasSuffix(path, ".js"):
			if m := sinks.FindString(src); m != "" {
				t.Errorf("%s uses %s", path, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 1 {
		t.Fatal("no pages found")
	}
}

// Every page named in Pages exists.
func TestPagesExist(t *testing.T) {
	for _, p := range Pages {
		if _, err := static.ReadFile("static/" + p.File); err != nil {
			t.Errorf("%s: %v", p.Path, err)
		}
	}
}

// The wording file has the same keys in every language, and every key a
// page names is in it.
func TestWordingComplete(t *testing.T) {
	b, err := static.ReadFile("static/assets/i18n.js")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	enAt, zhAt := strings.Index(src, "\n  en: {"), strings.Index(src, "\n  zh: {")
	if enAt < 0 || zhAt < enAt {
		t.Fatal("i18n.js: want an en block, then a zh block")
	}
	key := regexp.MustCompile(`(?m)^\s+'([a-z0-9_.]+)':`)
	keys := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, k := range key.FindAllStringSubmatch(s, -1) {
			m[k[1]] = true
		}
		return m
	}
	en, zh := keys(src[enAt:zhAt]), keys(src[zhAt:])
	if len(en) < 10 {
		t.Fatalf("only %d English keys found", len(en))
	}
	for k := range en {
		if !zh[k] {
			t.Errorf("%s has no Chinese wording", k)
		}
	}
	for k := range zh {
		if !en[k] {
			t.Errorf("%s has no English wording", k)
		}
	}
	used := regexp.MustCompile(`data-i18n(?:-[a-z]+)?="([a-z0-9_.]+)"|data-title-key="([a-z0-9_.]+)"|\bt\('([a-z0-9_.]*[a-z0-9_])'|'data-i18n(?:-[a-z]+)?': '([a-z0-9_.]+)'`)
	err = fs.WalkDir(static, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := static.ReadFile(path)
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			k := m[1] + m[2] + m[3] + m[4]
			if !en[k] {
				t.Errorf("%s names %q, which i18n.js does not have", path, k)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
