package onnxgraphtest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var python = sync.OnceValue(func() string {
	candidates := []string{os.Getenv("ASSIST_PYTHON"), "python3", "/usr/bin/python3"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		path, err := exec.LookPath(c)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import onnx").Run() == nil {
			return path
		}
	}
	return ""
})

// Python returns the path of a Python interpreter that can import onnx
// ($ASSIST_PYTHON, python3 on PATH, then /usr/bin/python3), or "" if there
// is none.
func Python() string { return python() }

// Check runs onnx.checker.check_model with full_check (which includes strict
// shape inference) on model and fails t if the model is not valid.
func Check(t testing.TB, model []byte) {
	t.Helper()
	Eval(t, model, "onnx.checker.check_model(m, full_check=True)")
}

// Eval runs a Python script with onnx imported and the model loaded as m,
// and returns what it printed. It fails t if the script fails and skips the
// test if onnx for Python is not installed.
func Eval(t testing.TB, model []byte, script string) string {
	t.Helper()
	py := Python()
	if py == "" {
		t.Skip("onnx for Python is not installed (Debian: apt-get install python3-onnx; or set ASSIST_PYTHON); skipping the onnx check")
	}
	path := filepath.Join(t.TempDir(), "model.onnx")
	if err := os.WriteFile(path, model, 0o644); err != nil {
		t.Fatal(err)
	}
	prog := "import sys, onnx\nm = onnx.load(sys.argv[1])\n" + script + "\n"
	cmd := exec.Command(py, "-c", prog, path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("onnx (python) rejected the model: %v\n%s", err, stderr.String())
	}
	return stdout.String()
}
