package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/eval"
	"github.com/assistd/assist/nlu/intent"
)

// EvalDialogCmd is `assist eval dialog`: it runs conversation stories
// against the real bot on a fresh temporary demo setup.
type EvalDialogCmd struct {
	Data []string `required:"" sep:"none" placeholder:"PATH" help:"Story files or folders of them (YAML, repeatable), e.g. data/eval/stories-dev."`
	botModels
	JSON    bool `help:"Print the report as JSON."`
	Verbose bool `short:"v" help:"Keep every turn in the JSON report, not only failed ones (the text report shows every turn of a failed story)."`
	ReportFlags
}

// Run loads the stories, runs each on its own fresh demo setup and prints
// the report. A failed story makes the command fail (exit code 1).
func (c *EvalDialogCmd) Run(g *Globals) error {
	stories, err := eval.ReadStoryFiles(c.Data...)
	if err != nil {
		return err
	}
	cfg, d, err := c.botModels.open(g, "dialog", nil)
	if err != nil {
		return err
	}
	defer d.Close()
	opt := eval.RunOptions{Verbose: c.Verbose || !c.JSON} // the text report shows every turn of a failed story
	if !c.JSON {
		opt.Progress = func(r eval.StoryResult) {
			mark := "ok  "
			if !r.Passed {
				mark = "FAIL"
			}
			fmt.Fprintf(g.Stderr, "%s %s\n", mark, r.Name)
		}
	}
	rep, err := eval.RunStories(g.Ctx, d, stories, opt)
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
	if err := c.finish(g, cfg.Eval.Tolerances, rep.Report(c.Data...)); err != nil {
		return err
	}
	if rep.Failed > 0 {
		return fmt.Errorf("eval dialog: %d of %d stories failed", rep.Failed, rep.Stories)
	}
	return nil
}

// downURL is where a story with `backend: down` sends its shop actions:
// nothing listens on port 1, so every call fails at once (connection
// refused) as it would with the shop's system down.
const downURL = "http://127.0.0.1:1/actions"

// storyDriver runs stories against the real service: for each story a
// Main on a fresh database in its own folder under dir, with the demo
// tenant, help center and shop seeded, the configured intent and sentiment
// models, and the bot's full policy. It drives m.Conversations directly
// (no HTTP). It is not safe for concurrent use.
type storyDriver struct {
	base   Config // every story's config, but the store path and backend
	dir    string
	logw   io.Writer // the service's log (io.Discard by default)
	n      int       // stories started
	cfg    Config    // the running story's config
	m      *Main
	tenant string
}

var _ eval.StoryDriver = (*storyDriver)(nil)

// newStoryDriver returns a driver whose stories live under dir. It
// listens on a loopback port of its own and never seeds credentials
// anywhere but dir.
func newStoryDriver(cfg Config, dir string) *storyDriver {
	cfg.HTTP.Addr = "127.0.0.1:0"
	cfg.HTTP.RateLimit = 0
	cfg.HTTP.IPRateLimit = 0
	cfg.Auth.BcryptCost = 4 // the demo staff's passwords: nobody logs in
	cfg.Log.Level = "error"
	cfg.Demo.Seed = true
	if cfg.Demo.Clock == "" {
		// The stories' "today" is the shop file's (clock.go): the same
		// replies whatever day the eval runs; --set demo.clock=now for the
		// real clock.
		cfg.Demo.Clock = "shop"
	}
	cfg.Dialog.Policy = "assistant"
	cfg.KB.Path = "" // kb.db next to each story's database
	return &storyDriver{base: cfg, dir: dir, logw: io.Discard}
}

// Start implements eval.StoryDriver: it stops the previous story's
// service, starts a fresh one and opens the story's conversation.
func (d *storyDriver) Start(ctx context.Context, s eval.StoryStart) (string, error) {
	if s.Backend != "" && s.Backend != "down" {
		return "", assist.Errorf(assist.EINVALID, "backend %q: want down or nothing", s.Backend)
	}
	if err := d.Close(); err != nil {
		return "", err
	}
	d.n++
	cfg := d.base
	cfg.Store.Path = filepath.Join(d.dir, fmt.Sprintf("story-%03d", d.n), "assist.db")
	if s.Backend == "down" {
		cfg.Dialog.Backend = "webhook"
		cfg.Dialog.Webhook.URL = downURL
		cfg.Dialog.Webhook.Retries = 0
		cfg.Dialog.Webhook.Timeout = time.Second
	}
	d.cfg = cfg
	if err := d.open(ctx); err != nil {
		return "", err
	}
	// The story names its customer: trusted in-process, like a shop server.
	c, _, err := d.m.Conversations.CreateTrusted(ctx, d.tenant, conversation.NewConversation{Channel: "eval", CustomerRef: s.Customer, Lang: s.Lang})
	if err != nil {
		return "", err
	}
	return c.ID, nil
}

func (d *storyDriver) open(ctx context.Context) error {
	m := NewMain(d.cfg, io.Discard)
	m.Logger = newLogger(d.cfg, d.logw)
	if err := m.Run(ctx); err != nil {
		m.Close()
		return fmt.Errorf("start the service: %w", err)
	}
	d.m = m
	tn, err := m.Auth.Store.TenantBySlug(ctx, d.cfg.Demo.Tenant)
	if err != nil {
		return fmt.Errorf("demo tenant: %w", err)
	}
	d.tenant = tn.ID
	return nil
}

// Say implements eval.StoryDriver.
func (d *storyDriver) Say(ctx context.Context, conv, text string) ([]string, error) {
	if d.m == nil {
		return nil, assist.Errorf(assist.ENOTFOUND, "no story running")
	}
	p := assist.Principal{TenantID: d.tenant, Role: assist.RoleCustomer, ConversationID: conv}
	res, err := d.m.Conversations.Post(ctx, p, conv, conversation.NewMessage{Text: text})
	if err != nil {
		return nil, err
	}
	out := make([]string, len(res.Replies))
	for i, r := range res.Replies {
		out[i] = r.Text
	}
	return out, nil
}

// Observe implements eval.StoryDriver, as a supervisor would see the
// conversation.
func (d *storyDriver) Observe(ctx context.Context, conv string) (eval.Observation, error) {
	if d.m == nil {
		return eval.Observation{}, assist.Errorf(assist.ENOTFOUND, "no story running")
	}
	staff := assist.Principal{TenantID: d.tenant, Role: assist.RoleSupervisor}
	c, err := d.m.Conversations.Get(ctx, staff, conv)
	if err != nil {
		return eval.Observation{}, err
	}
	st, err := d.m.Conversations.DialogState(ctx, staff, conv)
	if err != nil {
		return eval.Observation{}, err
	}
	return eval.Observation{Owner: string(c.Owner), Reason: c.Reason, State: st}, nil
}

// Restart implements eval.StoryDriver: Close, then a new Main on the same
// files, as a process restart would.
func (d *storyDriver) Restart(ctx context.Context) error {
	if d.m == nil {
		return assist.Errorf(assist.ENOTFOUND, "no story running")
	}
	if err := d.m.Close(); err != nil {
		d.m = nil
		return fmt.Errorf("stop the service: %w", err)
	}
	d.m = nil
	return d.open(ctx)
}

// Close stops the running story's service and removes its files.
func (d *storyDriver) Close() error {
	if d.m == nil {
		return nil
	}
	err := d.m.Close()
	d.m = nil
	return errors.Join(err, os.RemoveAll(filepath.Dir(d.cfg.Store.Path)))
}

// botModels are the flags of the suites that run the whole bot: which
// models it uses.
type botModels struct {
	IntentModel     string `type:"path" placeholder:"DIR" help:"Intent model directory (default: nlu.model_dir)."`
	SentimentModel  string `type:"path" placeholder:"DIR" help:"Sentiment model directory (default: sentiment.model_dir)."`
	ParaphraseModel string `type:"path" placeholder:"DIR" help:"Question encoder directory (default: rag.paraphrase_model)."`
}

// open loads the config with the chosen models, checks they exist and
// returns a story driver on a temporary folder; Close removes it.
func (f botModels) open(g *Globals, suite string, extra map[string]string) (Config, *tempDriver, error) {
	if extra == nil {
		extra = map[string]string{}
	}
	if f.IntentModel != "" {
		extra["nlu.model_dir"] = f.IntentModel
	}
	if f.SentimentModel != "" {
		extra["sentiment.model_dir"] = f.SentimentModel
	}
	if f.ParaphraseModel != "" {
		extra["rag.paraphrase_model"] = f.ParaphraseModel
	}
	cfg, err := g.LoadConfig(extra)
	if err != nil {
		return cfg, nil, err
	}
	for _, dir := range []string{cfg.NLU.ModelDir, cfg.Sentiment.ModelDir} {
		if _, err := os.Stat(filepath.Join(dir, intent.MetaFile)); err != nil {
			return cfg, nil, assist.Errorf(assist.ENOTFOUND, "eval %s: no model in %s (run `make models`)", suite, dir)
		}
	}
	dir, err := os.MkdirTemp("", "assist-eval-"+suite+"-")
	if err != nil {
		return cfg, nil, err
	}
	return cfg, &tempDriver{newStoryDriver(cfg, dir), dir}, nil
}

// tempDriver is a story driver that owns its temporary folder.
type tempDriver struct {
	*storyDriver
	tmp string
}

// Close stops the running story and removes the folder.
func (d *tempDriver) Close() error {
	return errors.Join(d.storyDriver.Close(), os.RemoveAll(d.tmp))
}
