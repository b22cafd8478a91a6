package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/eval"
	"github.com/assistd/assist/gap"
	"github.com/assistd/assist/nlu/pii"
	"github.com/assistd/assist/rag"
	"github.com/assistd/assist/routing"
	"github.com/assistd/assist/store/sqlite"
)

// EvalGapsCmd is `assist eval gaps`: the self-learning loop replayed end
// to end on a fresh temporary demo setup.
type EvalGapsCmd struct {
	Data string `required:"" type:"existingfile" placeholder:"FILE" help:"Replay lines (JSON Lines): {\"lang\": \"zh\"|\"en\", \"questions\": [question, paraphrases…], \"answer\": \"what an agent answers\"}."`
	botModels
	JSON  bool     `help:"Print the report as JSON."`
	Half  int      `default:"-1" help:"Replay only half K of the file (0: even lines, 1: odd; -1: all), the half a model trained with --skip-half FILE=K never saw."`
	Probe []string `placeholder:"KB=FILE" help:"KB=FILE: help-center questions (JSON Lines as eval rag reads) asked after publishing, to count those a published answer takes, and the knowledge base they were written for (its documents name the answering article; only the demo's, kb.demo_kb, are articles here); repeatable."`
	ReportFlags
}

// Run replays the file and prints the report.
func (c *EvalGapsCmd) Run(g *Globals) error {
	lines, err := eval.ReadGapLines(c.Data)
	if err != nil {
		return err
	}
	switch c.Half {
	case -1:
	case 0, 1:
		lines = eval.Half(lines, c.Half)
	default:
		return fmt.Errorf("--half %d: want 0, 1 or -1", c.Half)
	}
	var (
		files []string
		sets  []probeSet
	)
	for _, spec := range c.Probe {
		kb, path, ok := strings.Cut(spec, "=")
		if !ok || kb == "" || path == "" {
			return fmt.Errorf("--probe %q: want KB=FILE", spec)
		}
		cs, err := readRAGFile(path)
		if err != nil {
			return err
		}
		files = append(files, path)
		sets = append(sets, probeSet{kb: kb, cases: cs})
	}
	cfg, d, err := c.botModels.open(g, "gaps", nil)
	if err != nil {
		return err
	}
	defer d.Close()
	drv, err := newGapDriver(g.Ctx, d.storyDriver)
	if err != nil {
		return err
	}
	probes, err := drv.probes(g.Ctx, sets)
	if err != nil {
		return err
	}
	rep, err := eval.RunGapReplay(g.Ctx, drv, lines, cfg.Gaps.Threshold, probes)
	if err != nil {
		return err
	}
	if c.JSON {
		if err := g.printJSON(rep); err != nil {
			return err
		}
	} else if err := rep.WriteText(g.Stdout); err != nil {
		return err
	}
	return c.finish(g, cfg.Eval.Tolerances, rep.Report(append([]string{c.Data}, files...)...))
}

// readRAGFile reads a file of help-center questions.
func readRAGFile(path string) ([]eval.RAGCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cs, err := eval.ReadRAGCases(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cs, nil
}

// gapDriver runs the gap replay on one service of a story driver: the
// demo tenant, its help center, routing with the demo agents.
type gapDriver struct {
	d   *storyDriver
	sup assist.Principal
}

var _ eval.GapDriver = (*gapDriver)(nil)

func newGapDriver(ctx context.Context, d *storyDriver) (*gapDriver, error) {
	if err := d.Close(); err != nil {
		return nil, err
	}
	d.n++
	d.cfg = d.base
	d.cfg.Store.Path = fmt.Sprintf("%s/gaps-%03d/assist.db", d.dir, d.n)
	if err := d.open(ctx); err != nil {
		return nil, err
	}
	return &gapDriver{d: d, sup: assist.Principal{TenantID: d.tenant, UserID: "eval-supervisor", Role: assist.RoleSupervisor}}, nil
}

// probeSet is the questions of one --probe file and the knowledge base
// they were written for.
type probeSet struct {
	kb    string
	cases []eval.RAGCase
}

// probes lists the probe questions, each keeping its answering document
// only when that is an article of the demo help center (see ownArticles).
func (g *gapDriver) probes(ctx context.Context, sets []probeSet) ([]eval.RAGCase, error) {
	if len(sets) == 0 {
		return nil, nil
	}
	docs, err := g.d.m.Knowledge.Index.Documents(ctx, rag.Filter{TenantID: g.d.tenant, KB: g.d.cfg.KB.DemoKB})
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, d := range docs {
		have[d.Doc] = true
	}
	return ownArticles(sets, g.d.cfg.KB.DemoKB, have), nil
}

// ownArticles leaves the probes' answering documents only where they name
// a document the demo help center (knowledge base demoKB, documents have)
// holds: questions written for another help center (hc2) are questions no
// article here answers, even where their document has a demo file's name.
func ownArticles(sets []probeSet, demoKB string, have map[string]bool) []eval.RAGCase {
	var out []eval.RAGCase
	for _, s := range sets {
		for _, p := range s.cases {
			if p.Doc != nil && (s.kb != demoKB || !have[*p.Doc]) {
				p.Doc = nil
			}
			out = append(out, p)
		}
	}
	return out
}

// humanRequest is what the replay's customer says to reach a person.
var humanRequest = map[string]string{"zh": "转人工", "en": "Can I talk to a person please?"}

// Ask implements eval.GapDriver.
func (g *gapDriver) Ask(ctx context.Context, lang, text string) (string, []string, error) {
	m := g.d.m
	c, tok, err := m.Conversations.CreateTrusted(ctx, g.d.tenant, conversation.NewConversation{Channel: "eval", Lang: lang})
	if err != nil {
		return "", nil, err
	}
	p, err := m.Conversations.Authorize(ctx, c.ID, tok)
	if err != nil {
		return "", nil, err
	}
	res, err := m.Conversations.Post(ctx, p, c.ID, conversation.NewMessage{Text: text})
	if err != nil {
		return "", nil, err
	}
	var out []string
	for _, r := range res.Replies {
		out = append(out, r.Text)
	}
	return c.ID, out, nil
}

// Handle implements eval.GapDriver: the customer asks for a person if the
// bot still has the conversation; the agent it was offered to accepts it
// (else a supervisor assigns it to an agent who speaks the language); the
// agent answers and closes it.
func (g *gapDriver) Handle(ctx context.Context, conv, lang, answer string) error {
	m := g.d.m
	c, err := m.Conversations.Conversation(ctx, g.d.tenant, conv)
	if err != nil {
		return err
	}
	if c.Owner == assist.OwnerBot {
		cust := assist.Principal{TenantID: g.d.tenant, Role: assist.RoleCustomer, ConversationID: conv}
		if _, err := m.Conversations.Post(ctx, cust, conv, conversation.NewMessage{Text: humanRequest[lang]}); err != nil {
			return err
		}
	}
	agent, err := g.takeOver(ctx, conv, lang)
	if err != nil {
		return err
	}
	if _, err := m.Conversations.Post(ctx, agent, conv, conversation.NewMessage{Text: answer}); err != nil {
		return err
	}
	_, err = m.Routing.Close(ctx, agent, conv)
	return err
}

func (g *gapDriver) takeOver(ctx context.Context, conv, lang string) (assist.Principal, error) {
	m := g.d.m
	agentOf := func(id string) assist.Principal {
		return assist.Principal{TenantID: g.d.tenant, UserID: id, Role: assist.RoleAgent}
	}
	if en, ok := m.Routing.Entry(g.d.tenant, conv); ok && en.State == routing.StateOffered {
		p := agentOf(en.AgentID)
		_, err := m.Routing.Accept(ctx, p, conv)
		return p, err
	}
	agents, err := m.Routing.Agents(g.sup)
	if err != nil {
		return assist.Principal{}, err
	}
	for _, a := range agents {
		if len(a.Langs) == 0 || containsStr(a.Langs, lang) {
			_, err := m.Routing.Assign(ctx, g.sup, conv, a.UserID)
			return agentOf(a.UserID), err
		}
	}
	return assist.Principal{}, fmt.Errorf("no demo agent speaks %s", lang)
}

func containsStr(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// PublishAll implements eval.GapDriver.
func (g *gapDriver) PublishAll(ctx context.Context) (int, []string, error) {
	m := g.d.m
	m.GapRecorder.Wait()
	all, err := m.Gaps.Report(ctx, g.d.tenant, "", 0)
	if err != nil {
		return 0, nil, err
	}
	var answers []string
	for _, c := range all {
		if c.Status != gap.StatusOpen {
			continue
		}
		if _, err := m.Gaps.Accept(ctx, g.d.tenant, c.ID, "eval", gap.Edit{}); err != nil {
			return 0, nil, err
		}
		p, err := m.Gaps.Publish(ctx, g.d.tenant, c.ID, "eval")
		if assist.ErrorCode(err) == assist.EINVALID {
			continue // no answer to publish, or a masked value left in it
		}
		if err != nil {
			return 0, nil, err
		}
		answers = append(answers, p.Cluster.Answer)
	}
	return len(all), answers, nil
}

// GapTexts implements eval.GapDriver.
func (g *gapDriver) GapTexts(ctx context.Context) ([]string, error) {
	g.d.m.GapRecorder.Wait()
	gs, err := sqlite.NewGapStore(g.d.m.DB).Gaps(ctx, g.d.tenant, gap.Filter{})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, x := range gs {
		out = append(out, x.Question)
		if x.AgentAnswer != "" {
			out = append(out, x.AgentAnswer)
		}
	}
	return out, nil
}

// PublicContacts implements eval.GapDriver.
func (g *gapDriver) PublicContacts(ctx context.Context) (*pii.Public, error) {
	return g.d.m.Knowledge.Service.PublicContacts(ctx, rag.Filter{TenantID: g.d.tenant, KB: g.d.cfg.KB.DemoKB})
}

// GapsCmd is `assist gaps`: the gap report of a tenant, from the store.
type GapsCmd struct {
	Tenant string `placeholder:"SLUG" help:"Tenant (default: demo.tenant)."`
	Status string `enum:",open,accepted,published,dismissed" default:"" help:"Only clusters of this status (open, accepted, published, dismissed)."`
	Limit  int    `default:"50" help:"At most this many clusters."`
	JSON   bool   `help:"Print the report as JSON."`
	CSV    bool   `help:"Print the report as CSV."`
}

// Run clusters the new gaps and prints the report, best first.
func (c *GapsCmd) Run(g *Globals) error {
	cfg, err := g.LoadConfig(nil)
	if err != nil {
		return err
	}
	if _, err := os.Stat(cfg.Store.Path); err != nil {
		return fmt.Errorf("no store at %s (--set store.path=FILE)", cfg.Store.Path)
	}
	tid, err := tenantID(g.Ctx, cfg, c.Tenant, false)
	if err != nil {
		return err
	}
	db, err := sqlite.Open(g.Ctx, cfg.Store.Path)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := &gap.Service{Store: sqlite.NewGapStore(db), Threshold: cfg.Gaps.Threshold}
	cs, err := svc.Report(g.Ctx, tid, gap.Status(c.Status), c.Limit)
	if err != nil {
		return err
	}
	switch {
	case c.JSON:
		return g.printJSON(struct {
			Clusters []*gap.Cluster `json:"clusters"`
		}{cs})
	case c.CSV:
		return gap.WriteCSV(g.Stdout, cs)
	}
	tw := tabwriter.NewWriter(g.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCORE\tSIZE\tESC\tSTATUS\tLANG\tINTENT\tQUESTIONS")
	for _, cl := range cs {
		fmt.Fprintf(tw, "%.1f\t%d\t%d\t%s\t%s\t%s\t%s\n", cl.Score, cl.Size, cl.Escalations, cl.Status, cl.Lang, cl.Intent, strings.Join(cl.Questions, " | "))
	}
	if len(cs) == 0 {
		fmt.Fprintln(tw, "no gaps")
	}
	return tw.Flush()
}
