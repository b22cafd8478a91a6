package rag

import (
	nlutext "github.com/assistd/assist/nlu/text"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Knowledge-base text reaches customers (a passage quoted as the answer)
// and the LLM (the sources of a grounded answer). Every document is
// sanitised once, when it is ingested (Service.prepare), whatever loaded
// it: an uploaded file, the CLI, a gap turned into an answer.

// markup finds what looks like an HTML tag, comment or doctype.
var markup = nlutext.MustPattern(`<[a-zA-Z/!?]`)

// hiddenElements hold no text a reader sees.
var hiddenElements = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Object: true, atom.Svg: true, atom.Math: true, atom.Head: true, atom.Title: true,
}

// lineElements end a line of text.
var lineElements = map[atom.Atom]bool{
	atom.Br: true, atom.P: true, atom.Div: true, atom.Li: true, atom.Tr: true, atom.H1: true, atom.H2: true,
	atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Table: true, atom.Ul: true, atom.Ol: true,
	atom.Blockquote: true, atom.Pre: true, atom.Section: true, atom.Article: true, atom.Hr: true,
}

// injected finds text written to steer a language model rather than to
// inform a customer: a sentence holding one is dropped from the
// knowledge base (the prompt also marks sources as data, see Prompt; this
// keeps such text from being quoted to customers verbatim).
var injected = nlutext.MustPattern(`(?i)` + strings.Join([]string{
	`\b(ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(instructions?|rules|prompts?|guidelines)\b`,
	`\byou are now\b[^.!?\n]{0,40}\b(mode|assistant|ai|model|bot|unrestricted|jailbroken|dan)\b`,
	`\b(developer|debug|god|jailbreak|dan) mode\b`,
	`\bsystem prompt\b`,
	`\bnew instructions?\s*:`,
	`(忽略|无视|忘记|忽视)[^。！？\n]{0,12}(指令|指示|规则|提示|设定)`,
	`(开发者|调试|越狱)模式`,
	`系统提示(词)?`,
	`你现在是[^。！？\n]{0,12}(模式|助手|模型|机器人|AI)`,
}, "|"))

// Sanitize returns knowledge-base text as plain text: HTML reduced to its
// visible text (no tags, attributes, scripts or comments; entities
// decoded), control characters other than tab and newline removed, and
// every sentence that addresses a language model (see injected) dropped.
func Sanitize(s string) string {
	if markup.MatchString(s) {
		s = htmlText(s)
	}
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) && r != '\u2028' && r != '\u2029' && r != '\ufeff' {
			return r
		}
		return -1
	}, s)
	if !injected.MatchString(s) {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		if !injected.MatchString(line) {
			continue
		}
		var kept []string
		for _, sent := range Sentences(line) {
			if !injected.MatchString(sent) {
				kept = append(kept, sent)
			}
		}
		var b strings.Builder
		for j, sent := range kept {
			// Chinese sentences follow one another without a space.
			if j > 0 && !strings.ContainsRune("。！？；", []rune(kept[j-1])[len([]rune(kept[j-1]))-1]) {
				b.WriteString(" ")
			}
			b.WriteString(sent)
		}
		lines[i] = b.String()
	}
	return strings.Join(lines, "\n")
}

// htmlText is the visible text of an HTML fragment.
func htmlText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	hidden := 0 // depth inside hidden elements
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.TextToken:
			if hidden == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if hiddenElements[a] {
				hidden++
			} else if lineElements[a] && hidden == 0 {
				b.WriteString("\n")
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if hiddenElements[a] && hidden > 0 {
				hidden--
			} else if lineElements[a] && hidden == 0 {
				b.WriteString("\n")
			}
		case html.SelfClosingTagToken:
			name, _ := z.TagName()
			if lineElements[atom.Lookup(name)] && hidden == 0 {
				b.WriteString("\n")
			}
		}
	}
}
