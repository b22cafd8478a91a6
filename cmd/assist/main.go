package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/alecthomas/kong"

	"github.com/assistd/assist/models/onnx"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// CLI is the command line. Global flags resolve the configuration; each
// command adds its own.
type CLI struct {
	Config string            `help:"YAML configuration file." type:"path" env:"ASSIST_CONFIG" placeholder:"FILE"`
	Set    map[string]string `help:"Override a setting (repeatable), e.g. --set http.addr=:9090." placeholder:"KEY=VALUE"`

	Serve   ServeCmd   `cmd:"" help:"Start the service."`
	Version VersionCmd `cmd:"" help:"Print the version."`
	Bench   BenchCmd   `cmd:"" help:"Measure the service with its own load generator."`
	Ingest  IngestCmd  `cmd:"" help:"Load files and folders into a knowledge base."`
	Ask     AskCmd     `cmd:"" help:"Answer a question from a knowledge base."`
	Eval    EvalCmd    `cmd:"" help:"Run an evaluation suite."`
	Gaps    GapsCmd    `cmd:"" help:"Print the knowledge-gap report: unanswered questions clustered and ranked."`
	Train   TrainCmd   `cmd:"" help:"Train a model (intent)."`

	Tenant       TenantCmd       `cmd:"" help:"Create and list shops; rotate their customer-signing secrets."`
	SignCustomer SignCustomerCmd `cmd:"" name:"sign-customer" help:"Sign a customer_ref for a create-conversation request (the tenant's own secret, else auth.customer_secret)."`
}

// Globals is what every command receives.
type Globals struct {
	Ctx    context.Context
	Stdout io.Writer
	Stderr io.Writer
	CLI    *CLI
}

// printJSON writes v to standard output as indented JSON (every --json
// flag prints this way).
func (g *Globals) printJSON(v any) error {
	enc := json.NewEncoder(g.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// LoadConfig resolves the configuration with extra flag overrides.
func (g *Globals) LoadConfig(extra map[string]string) (Config, error) {
	over := map[string]string{}
	for k, v := range g.CLI.Set {
		over[k] = v
	}
	for k, v := range extra {
		over[k] = v
	}
	return LoadConfig(g.CLI.Config, environ(), over)
}

// VersionCmd prints the version.
type VersionCmd struct{}

// Run implements the command: the binary's version and, when the library
// can be found, ONNX Runtime's.
func (VersionCmd) Run(g *Globals) error {
	fmt.Fprintf(g.Stdout, "assist %s\n", version)
	cfg, err := g.LoadConfig(nil)
	if err != nil {
		return err
	}
	rt, err := onnx.Load(onnx.Config{LibraryPath: cfg.ONNX.Library})
	if err != nil {
		fmt.Fprintf(g.Stdout, "onnxruntime: not found (%v)\n", err)
		return nil
	}
	defer rt.Close()
	fmt.Fprintf(g.Stdout, "onnxruntime %s (%s)\n", rt.Version(), rt.LibraryPath())
	return nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run parses args and runs the command, returning the exit code: 0 on
// success, 2 for usage errors, 1 for anything else.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var cli CLI
	exitCode := -1
	parser, err := kong.New(&cli,
		kong.Name("assist"),
		kong.Description("Assist: a self-hosted, AI-first customer-service engine."),
		kong.UsageOnError(),
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { exitCode = code; panic(kongExit{}) }),
	)
	if err != nil {
		fmt.Fprintln(stderr, "assist:", err)
		return 1
	}
	kctx, perr := parseArgs(parser, args)
	if exitCode >= 0 {
		return exitCode
	}
	if perr != nil {
		fmt.Fprintln(stderr, "assist:", perr)
		return 2
	}
	g := &Globals{Ctx: ctx, Stdout: stdout, Stderr: stderr, CLI: &cli}
	if err := kctx.Run(g); err != nil {
		if errors.Is(err, context.Canceled) {
			return 0
		}
		fmt.Fprintln(stderr, "assist:", err)
		return 1
	}
	return 0
}

type kongExit struct{}

// parseArgs runs kong's parser, turning its exit (after --help) into a
// return.
func parseArgs(p *kong.Kong, args []string) (kctx *kong.Context, err error) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(kongExit); !ok {
				panic(r)
			}
		}
	}()
	return p.Parse(args)
}
