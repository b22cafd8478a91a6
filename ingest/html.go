package ingest

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// skipped elements hold no readable text.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Head: true, atom.Svg: true, atom.Iframe: true, atom.Object: true, atom.Nav: true,
}

// blocks end a line of text.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Tr: true, atom.Ul: true, atom.Ol: true,
	atom.Table: true, atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true,
	atom.Blockquote: true, atom.Pre: true, atom.Dd: true, atom.Dt: true, atom.Dl: true, atom.Main: true,
	atom.Aside: true, atom.Figure: true, atom.Figcaption: true, atom.Hr: true, atom.Form: true, atom.Address: true,
}

var headingLevel = map[atom.Atom]int{atom.H1: 1, atom.H2: 2, atom.H3: 3, atom.H4: 4, atom.H5: 5, atom.H6: 6}

// htmlSections extracts the clean text of an HTML page, split at its
// headings: no script, style or navigation, entities decoded, one line per
// block element, table cells separated. title is the page's <title>. The
// parser refuses pages nested deeper than it allows (512 elements): their
// markup is an error, never indexed as text.
func htmlSections(src string) (title string, out []section, err error) {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return "", nil, err
	}
	var path []string
	var levels []int
	var b strings.Builder
	flush := func() {
		if t := cleanLines(b.String()); t != "" {
			out = append(out, section{path: append([]string(nil), path...), text: t})
		}
		b.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if n.DataAtom == atom.Title && title == "" {
				title = strings.TrimSpace(textOf(n))
				return
			}
			if skipped[n.DataAtom] {
				if n.DataAtom == atom.Head {
					for c := n.FirstChild; c != nil; c = c.NextSibling {
						if c.DataAtom == atom.Title {
							walk(c)
						}
					}
				}
				return
			}
			if lvl, ok := headingLevel[n.DataAtom]; ok {
				flush()
				for len(levels) > 0 && levels[len(levels)-1] >= lvl {
					levels, path = levels[:len(levels)-1], path[:len(path)-1]
				}
				levels = append(levels, lvl)
				path = append(path, strings.Join(strings.Fields(textOf(n)), " "))
				return
			}
			if n.DataAtom == atom.Td || n.DataAtom == atom.Th {
				b.WriteString(" ")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && blocks[n.DataAtom] {
			b.WriteString("\n")
		}
	}
	walk(doc)
	flush()
	return title, out, nil
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && skipped[n.DataAtom] {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// cleanLines collapses spaces within lines and drops empty lines.
func cleanLines(s string) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}
