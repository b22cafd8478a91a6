package models_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoAdapterDeps keeps the model-facing packages free of the runtimes:
// the domain imports models and onnxgraph, never the ONNX Runtime binding.
func TestNoAdapterDeps(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not on PATH")
	}
	out, err := exec.Command("go", "list", "-deps",
		"github.com/assistd/assist/models",
		"github.com/assistd/assist/models/onnxgraph").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "onnxruntime_go") || dep == "github.com/assistd/assist/models/onnx" {
			t.Errorf("forbidden dependency %s", dep)
		}
	}
}
