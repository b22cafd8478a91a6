package ingest

import (
	"regexp"
	"strings"
)

var (
	mdHeading = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*#*\s*$`)
	mdImage   = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink    = regexp.MustCompile(`\[([^\]]+)\]\([^)]*\)`)
	mdEmph    = regexp.MustCompile(`(\*\*|__|~~|\x60)`)
	mdQuote   = regexp.MustCompile(`^\s*>\s?`)
	mdRule    = regexp.MustCompile(`^\s*([-*_]\s*){3,}$`)
	mdTableRe = regexp.MustCompile(`^\s*\|?\s*:?-{3,}`)
)

// markdownSections splits Markdown at its headings (outside code fences);
// each section carries the path of headings above it. Inline markup
// (emphasis, links, images, quotes) is reduced to its text.
func markdownSections(src string) []section {
	var out []section
	var path []string
	levels := []int{}
	var b strings.Builder
	flush := func() {
		if t := strings.TrimSpace(b.String()); t != "" {
			out = append(out, section{path: append([]string(nil), path...), text: t})
		}
		b.Reset()
	}
	fence := false
	for _, line := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			fence = !fence
			continue
		}
		if !fence {
			if m := mdHeading.FindStringSubmatch(line); m != nil {
				flush()
				lvl := len(m[1])
				for len(levels) > 0 && levels[len(levels)-1] >= lvl {
					levels = levels[:len(levels)-1]
					path = path[:len(path)-1]
				}
				levels = append(levels, lvl)
				path = append(path, inlineText(m[2]))
				continue
			}
			if mdRule.MatchString(line) || mdTableRe.MatchString(line) {
				continue
			}
			line = inlineText(mdQuote.ReplaceAllString(line, ""))
			if strings.HasPrefix(strings.TrimSpace(line), "|") {
				line = strings.TrimSpace(strings.ReplaceAll(strings.Trim(strings.TrimSpace(line), "|"), "|", " · "))
			}
		}
		b.WriteString(line)
		b.WriteString("\n")
	}
	flush()
	return out
}

func inlineText(s string) string {
	s = mdImage.ReplaceAllString(s, "$1")
	s = mdLink.ReplaceAllString(s, "$1")
	return mdEmph.ReplaceAllString(s, "")
}
