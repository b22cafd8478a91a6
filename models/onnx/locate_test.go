package onnx

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLocatorFind(t *testing.T) {
	root := t.TempDir()
	repo := filepath.Join(root, "repo")           // has the cache and a go.mod
	deep := filepath.Join(repo, "models", "onnx") // a package folder in it
	elsewhere := filepath.Join(root, "elsewhere", "a")
	for _, d := range []string{deep, elsewhere, filepath.Join(root, "opt", "bin")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(path string) string {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	write(filepath.Join(repo, "go.mod"))
	repoLib := write(filepath.Join(repo, CachePath))
	optLib := write(filepath.Join(root, "opt", CachePath))
	explicit := write(filepath.Join(root, "lib", "libonnxruntime.so.1.24.3"))
	// A cache above the module root is outside the search.
	write(filepath.Join(root, "outer", CachePath))
	outerRepo := filepath.Join(root, "outer", "mod", "pkg")
	write(filepath.Join(root, "outer", "mod", "go.mod"))
	os.MkdirAll(outerRepo, 0o755)

	tests := []struct {
		name     string
		explicit string
		env      string
		wd       string
		exe      string
		want     string // the path found, or
		wantErr  string // a part of the error
	}{
		{name: "explicit", explicit: explicit, env: optLib, wd: deep, want: explicit},
		{name: "explicit missing does not fall back", explicit: filepath.Join(root, "nope.so"), wd: deep, wantErr: "make ort"},
		{name: "explicit folder", explicit: root, wd: deep, wantErr: "is a folder"},
		{name: "env", env: explicit, wd: deep, want: explicit},
		{name: "env missing does not fall back", env: filepath.Join(root, "nope.so"), wd: deep, wantErr: "$ASSIST_ONNX_LIBRARY"},
		{name: "working directory", wd: repo, want: repoLib},
		{name: "parent of working directory", wd: deep, want: repoLib},
		{name: "stops at the module root", wd: outerRepo, exe: filepath.Join(elsewhere, "assist"), wantErr: "make ort"},
		{name: "next to the executable's folder", wd: elsewhere, exe: filepath.Join(root, "opt", "bin", "assist"), want: optLib},
		{name: "nowhere", wd: elsewhere, exe: filepath.Join(elsewhere, "assist"), wantErr: "make ort"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := locator{
				getenv: func(k string) string {
					if k == LibraryEnv {
						return tt.env
					}
					return ""
				},
				getwd: func() (string, error) { return tt.wd, nil },
				executable: func() (string, error) {
					if tt.exe == "" {
						return "", errors.New("no executable")
					}
					return tt.exe, nil
				},
			}
			got, err := l.find(tt.explicit)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("find() = %q, %v; want an error containing %q", got, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "make ort") && !errors.Is(err, ErrLibraryNotFound) {
					t.Errorf("error %v does not wrap ErrLibraryNotFound", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("find() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestLocatorErrorNamesPlaces(t *testing.T) {
	wd := filepath.Join(t.TempDir(), "a", "b")
	os.MkdirAll(wd, 0o755)
	l := locator{
		getenv:     func(string) string { return "" },
		getwd:      func() (string, error) { return wd, nil },
		executable: func() (string, error) { return "/nonexistent/bin/assist", nil },
	}
	_, err := l.find("")
	if !errors.Is(err, ErrLibraryNotFound) {
		t.Fatalf("find() error = %v, want ErrLibraryNotFound", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"make ort",
		LibraryEnv,
		filepath.Join(wd, CachePath),
		filepath.Join(filepath.Dir(wd), CachePath),
		filepath.Join("/nonexistent/bin", CachePath),
		filepath.Join("/nonexistent", CachePath),
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not name %q:\n%s", want, msg)
		}
	}
}
