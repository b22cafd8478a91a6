package main

import (
	"fmt"
	"strings"

	"github.com/assistd/assist/rag"
)

// AskCmd answers a question from a knowledge base.
type AskCmd struct {
	KB        string `help:"Knowledge base to ask." required:"" placeholder:"NAME"`
	Tenant    string `help:"Tenant slug; default demo.tenant." placeholder:"SLUG"`
	JSON      bool   `help:"Print {answer, confidence, sources} as JSON."`
	Topic     string `help:"The earlier help-center question this one follows up (as a conversation carries it)." placeholder:"TEXT"`
	Continues bool   `help:"The question points back at --topic (\"how long does that take\"): answer from the topic's articles."`
	Question  string `arg:"" help:"The question."`
}

// AskResult is the --json output of ask.
type AskResult struct {
	Answer     string      `json:"answer"`
	Confidence float64     `json:"confidence"`
	Sources    []AskSource `json:"sources"`
}

// AskSource is one cited source.
type AskSource struct {
	Doc   string  `json:"doc"`
	Title string  `json:"title"`
	Score float64 `json:"score"`
	Text  string  `json:"text"`
}

// Run implements the command.
func (c *AskCmd) Run(g *Globals) error {
	cfg, err := g.LoadConfig(nil)
	if err != nil {
		return err
	}
	tid, err := tenantID(g.Ctx, cfg, c.Tenant, false)
	if err != nil {
		return err
	}
	gen, err := newGenerator(cfg)
	if err != nil {
		return err
	}
	k, err := openKnowledge(g.Ctx, cfg, gen, nil)
	if err != nil {
		return err
	}
	defer k.Close()
	req := rag.AnswerRequest{Filter: rag.Filter{TenantID: tid, KB: c.KB}, Question: c.Question, Topic: c.Topic, Continues: c.Continues}
	var onDelta func(string) error
	if !c.JSON {
		onDelta = func(d string) error { _, err := fmt.Fprint(g.Stdout, d); return err }
	}
	ans, err := k.Service.Answer(g.Ctx, req, onDelta)
	if err != nil {
		return err
	}
	if c.JSON {
		return g.printJSON(askResult(ans))
	}
	fmt.Fprintf(g.Stdout, "\n\nconfidence %.2f\n", ans.Confidence)
	for _, s := range ans.Sources {
		fmt.Fprintf(g.Stdout, "[%d] %s (%s)\n", s.N, s.Title, s.Doc)
	}
	return nil
}

func askResult(a rag.Answer) AskResult {
	out := AskResult{Answer: strings.TrimSpace(a.Text), Confidence: a.Confidence, Sources: []AskSource{}}
	for _, s := range a.Sources {
		out.Sources = append(out.Sources, AskSource{Doc: s.Doc, Title: s.Title, Score: s.Score, Text: s.Text})
	}
	return out
}
