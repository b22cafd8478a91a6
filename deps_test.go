package assist_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/assistd/assist"

// layers lists the packages in dependency order: a package may import
// packages of its own or a lower layer, never of a higher one
// (cmd/assist → api → conversation → dialog → nlu · rag · … → models →
// assist). Adapters (store/..., models/onnx, web) sit beside the layer of
// what they implement and must not import api or cmd.
var layers = [][]string{
	{""}, // the root package assist
	{"models", "catalog"},
	{"nlu", "rag", "sentiment", "routing", "ticket", "auth", "analytics"},
	{"dialog"},
	{"conversation", "eval", "agentassist", "gap"},
	{"api"},
	{"cmd/assist"},
}

// domain packages import no web framework, database driver, gRPC, model
// runtime or LLM client: those belong in adapters.
var domain = []string{"", "models", "catalog", "nlu", "rag", "sentiment", "routing", "ticket", "auth", "dialog", "conversation", "eval", "agentassist", "gap", "analytics"}

var forbiddenInDomain = []string{
	"github.com/gin-gonic/gin",
	"github.com/coder/websocket",
	"modernc.org/sqlite",
	"database/sql", // exactly; database/sql/driver (used by uuid) is fine
	"net/http",
	"google.golang.org/grpc",
	"github.com/qdrant/go-client",
	"github.com/yalue/onnxruntime_go",
	"github.com/sashabaranov/go-openai",
	"github.com/prometheus/client_golang",
	"github.com/tmc/langchaingo",
}

func rel(pkg string) (string, bool) {
	if pkg == module {
		return "", true
	}
	r, ok := strings.CutPrefix(pkg, module+"/")
	return r, ok
}

// owner returns the listed package p belongs to: p itself, or for a
// subpackage of a domain package other than the root and models (nlu/text,
// rag/chunk) that domain package. models/onnxgraph, which writes ONNX files
// with protowire and no runtime, belongs to models, so trainers may export
// their models. Other subpackages of models (models/onnx, models/openai)
// and everything else are adapters.
func owner(p string) string {
	if p == "models/onnxgraph" {
		return "models"
	}
	for _, d := range domain {
		if d == "" || d == "models" {
			continue
		}
		if strings.HasPrefix(p, d+"/") {
			return d
		}
	}
	return p
}

func layerOf(p string) int {
	p = owner(p)
	for i, l := range layers {
		for _, q := range l {
			if p == q {
				return i
			}
		}
	}
	return -1
}

func isDomain(p string) bool {
	p = owner(p)
	for _, d := range domain {
		if p == d {
			return true
		}
	}
	return false
}

func TestDependencyDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		self, ok := rel(fields[0])
		if !ok {
			continue
		}
		checked++
		from := layerOf(self)
		for _, dep := range fields[1:] {
			d, internal := rel(dep)
			if internal {
				if d == "cmd/assist" || strings.HasPrefix(d, "cmd/") {
					t.Errorf("%s imports %s: nothing imports a command", self, d)
				}
				if (d == "api" || strings.HasPrefix(d, "api/")) && !strings.HasPrefix(self, "cmd/") && !strings.HasPrefix(self, "api") {
					t.Errorf("%s imports %s: only cmd imports the HTTP layer", self, d)
				}
				if isDomain(self) && !isDomain(d) {
					t.Errorf("domain package %q imports adapter %q", self, d)
				}
				if to := layerOf(d); from >= 0 && to > from {
					t.Errorf("%q (layer %d) imports %q (layer %d): dependencies point down only", self, from, d, to)
				}
				continue
			}
			if isDomain(self) {
				for _, f := range forbiddenInDomain {
					if dep == f || (f != "database/sql" && strings.HasPrefix(dep, f+"/")) {
						t.Errorf("domain package %q depends on %s; move that code to an adapter", self, dep)
					}
				}
			}
		}
	}
	if checked < len(domain) {
		t.Fatalf("checked %d packages; expected at least %d", checked, len(domain))
	}
}

// Every package says what it is for in a doc.go.
func TestEveryPackageHasDocGo(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{.Dir}}`, "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, dir, _ := strings.Cut(line, " ")
		if _, err := os.Stat(filepath.Join(dir, "doc.go")); err != nil {
			t.Errorf("%s has no doc.go", pkg)
		}
	}
}
