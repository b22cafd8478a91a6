package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/assistd/assist"
	"github.com/assistd/assist/agentassist"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/eval"
)

// suggestionCases is data/eval/assist/suggestions.yaml: conversations a
// person took over and what a good agent would answer them with.
type suggestionCases struct {
	Macros []agentassist.Macro `yaml:"macros"`
	Cases  []struct {
		Name  string   `yaml:"name"`
		Lang  string   `yaml:"lang"`
		Bot   []string `yaml:"bot"`   // to the bot, ending with the hand-off
		Agent []string `yaml:"agent"` // once an agent owns the conversation
		Want  []string `yaml:"want"`  // articles (file or FAQ id) or "macro:<title>"
	} `yaml:"cases"`
}

// TestAssistSuggestions plays every labelled conversation on the demo
// setup, as the agent who took it over sees it, and measures how often
// the first suggestion (top-1) and any of the three (top-3) is one a good
// agent would use. It fails when a suggestion tells the agent how to
// reach a person, when two suggestions say the same thing, or when the
// rates fall below what the README reports.
func TestAssistSuggestions(t *testing.T) {
	requireORT(t)
	ctx := t.Context()
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "data", "eval", "assist", "suggestions.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var data suggestionCases
	if err := yaml.Unmarshal(raw, &data); err != nil {
		t.Fatal(err)
	}
	if len(data.Cases) < 20 {
		t.Fatalf("%d labelled cases, want at least 20", len(data.Cases))
	}
	d := newStoryDriver(storyConfig(t), t.TempDir())
	t.Cleanup(func() { d.Close() })
	if _, err := d.Start(ctx, eval.StoryStart{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	m := d.m
	macroTitle := map[string]string{}
	for _, mc := range data.Macros {
		saved, err := m.Assist.SaveMacro(ctx, d.tenant, "eval", mc)
		if err != nil {
			t.Fatal(err)
		}
		macroTitle[saved.ID] = saved.Title
	}
	// what names a suggestion, the way the want list does
	names := func(sg agentassist.Suggestion) []string {
		switch {
		case sg.Source == agentassist.SourceMacro:
			return []string{"macro:" + macroTitle[sg.MacroID]}
		case sg.Citation != nil:
			return []string{sg.Citation.Doc, sg.Citation.Title}
		}
		return nil
	}
	top1, top3 := 0, 0
	for _, c := range data.Cases {
		conv, tok, err := m.Conversations.CreateTrusted(ctx, d.tenant, conversation.NewConversation{Channel: "eval", Lang: c.Lang})
		if err != nil {
			t.Fatal(err)
		}
		cust, err := m.Conversations.Authorize(ctx, conv.ID, tok)
		if err != nil {
			t.Fatal(err)
		}
		say := func(text string) {
			if _, err := m.Conversations.Post(ctx, cust, conv.ID, conversation.NewMessage{Text: text}); err != nil {
				t.Fatalf("%s: %q: %v", c.Name, text, err)
			}
		}
		for _, text := range c.Bot {
			say(text)
		}
		if err := m.Conversations.SetOwner(ctx, d.tenant, conv.ID, assist.OwnerAgent, "eval-agent", "claimed"); err != nil {
			t.Fatal(err)
		}
		for _, text := range c.Agent {
			say(text)
		}
		set, err := m.Assist.Refresh(ctx, d.tenant, conv.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		hit := -1
		seen := map[string]bool{}
		for i, sg := range set.Suggestions {
			ns := names(sg)
			got = append(got, fmt.Sprintf("%s %v %q", sg.Source, ns, clipText(sg.Text, 40)))
			if hit < 0 && slices.ContainsFunc(ns, func(n string) bool { return slices.Contains(c.Want, n) }) {
				hit = i
			}
			if p := dialog.AskedForHuman(sg.Text); p != "" {
				t.Errorf("%s: suggestion %d tells the agent how to reach a person (%q): %s", c.Name, i+1, p, sg.Text)
			}
			if k := strings.Join(strings.Fields(sg.Text), " "); seen[k] {
				t.Errorf("%s: two suggestions say the same: %s", c.Name, sg.Text)
			} else {
				seen[k] = true
			}
		}
		if hit == 0 {
			top1++
		}
		if hit >= 0 && hit < 3 {
			top3++
		}
		t.Logf("%s: hit %d; intent %s; %s", c.Name, hit+1, set.Intent, strings.Join(got, " | "))
	}
	n := float64(len(data.Cases))
	t.Logf("suggestions: top-1 %.2f, top-3 %.2f (%d cases)", float64(top1)/n, float64(top3)/n, len(data.Cases))
	// The README's numbers (0.75 and 0.80 at 09:30 UTC), less one case.
	if r1, r3 := float64(top1+1)/n, float64(top3+1)/n; r1 < 0.75 || r3 < 0.80 {
		t.Errorf("top-1 %.2f, top-3 %.2f: below the README's 0.75 and 0.80", float64(top1)/n, float64(top3)/n)
	}
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
