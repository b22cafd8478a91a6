package onnx

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// The ONNX Runtime release this package is built and tested against, and
// where `make ort` puts its library, relative to the repository root.
const (
	ORTVersion = "1.24.3"
	CachePath  = ".cache/ort/" + ORTVersion + "/libonnxruntime.so.1"
	// LibraryEnv names the environment variable that points at the library
	// when Config.LibraryPath is empty.
	LibraryEnv = "ASSIST_ONNX_LIBRARY"
)

// ErrLibraryNotFound is wrapped by Load's error when the ONNX Runtime
// library is nowhere to be found.
var ErrLibraryNotFound = errors.New("onnx runtime library not found")

// Config configures a Runtime. The zero value finds the library on its own
// and runs each model on one thread.
type Config struct {
	// LibraryPath is the ONNX Runtime shared library to load. Empty: the
	// path in $ASSIST_ONNX_LIBRARY, else the cache `make ort` fills.
	LibraryPath string
	// IntraOpThreads is how many threads one Run may use. 0 means 1.
	IntraOpThreads int
	// Logger receives load and close events; nil discards them.
	Logger *slog.Logger
}

// Runtime is a loaded ONNX Runtime library from which Sessions are made. It
// is safe for concurrent use.
type Runtime struct {
	path    string
	version string
	threads int
	log     *slog.Logger

	mu       sync.Mutex
	closed   bool
	sessions map[*Session]struct{}
}

// Load finds and loads the ONNX Runtime library (see the package comment for
// where it looks) and initialises ONNX Runtime's environment, or shares it
// with the Runtimes already loaded. It returns an error wrapping
// ErrLibraryNotFound when there is no library, and an error when the library
// cannot be loaded or differs from the one already in use.
func Load(cfg Config) (*Runtime, error) {
	if cfg.IntraOpThreads < 0 {
		return nil, fmt.Errorf("onnx runtime: negative IntraOpThreads %d", cfg.IntraOpThreads)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	path, err := defaultLocator().find(cfg.LibraryPath)
	if err != nil {
		return nil, err
	}
	version, err := acquireEnv(path)
	if err != nil {
		return nil, err
	}
	threads := cfg.IntraOpThreads
	if threads == 0 {
		threads = 1
	}
	log.Info("onnx runtime loaded", "library", path, "version", version, "intra_op_threads", threads)
	return &Runtime{
		path:     path,
		version:  version,
		threads:  threads,
		log:      log,
		sessions: map[*Session]struct{}{},
	}, nil
}

// LibraryPath returns the absolute path of the loaded library.
func (r *Runtime) LibraryPath() string { return r.path }

// Version returns the version the loaded library reports, like "1.24.3".
func (r *Runtime) Version() string { return r.version }

// Close closes the Runtime's open sessions, each after its runs in flight,
// and releases ONNX Runtime's environment when no other Runtime uses it.
// Closing twice is a no-op.
func (r *Runtime) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	open := make([]*Session, 0, len(r.sessions))
	for s := range r.sessions {
		open = append(open, s)
	}
	r.mu.Unlock()

	var errs []error
	for _, s := range open {
		errs = append(errs, s.Close())
	}
	errs = append(errs, releaseEnv())
	r.log.Info("onnx runtime closed", "sessions_closed", len(open))
	return errors.Join(errs...)
}

// env is ONNX Runtime's process-wide environment, shared by reference count.
var env struct {
	mu   sync.Mutex
	refs int
	path string // the library loaded, while refs > 0
}

// acquireEnv takes a reference on the environment, initialising it with the
// library at path if it is the first, and returns the library's version.
func acquireEnv(path string) (string, error) {
	env.mu.Lock()
	defer env.mu.Unlock()
	if env.refs > 0 {
		if !sameFile(env.path, path) {
			return "", fmt.Errorf("onnx runtime: library %s is already loaded in this process, cannot also load %s", env.path, path)
		}
		env.refs++
		return ort.GetVersion(), nil
	}
	if ort.IsInitialized() {
		return "", errors.New("onnx runtime: the environment was initialised outside package onnx")
	}
	ort.SetSharedLibraryPath(path)
	if err := ort.InitializeEnvironment(ort.WithLogLevelFatal()); err != nil {
		return "", fmt.Errorf("onnx runtime: loading %s: %w", path, err)
	}
	env.refs, env.path = 1, path
	return ort.GetVersion(), nil
}

// releaseEnv drops a reference, destroying the environment with the last.
func releaseEnv() error {
	env.mu.Lock()
	defer env.mu.Unlock()
	if env.refs == 0 {
		return nil
	}
	env.refs--
	if env.refs > 0 {
		return nil
	}
	env.path = ""
	if err := ort.DestroyEnvironment(); err != nil {
		return fmt.Errorf("onnx runtime: destroying the environment: %w", err)
	}
	return nil
}

func sameFile(a, b string) bool {
	if a == b {
		return true
	}
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(ia, ib)
}

// locator finds the library; its functions are swapped in tests.
type locator struct {
	getenv     func(string) string
	getwd      func() (string, error)
	executable func() (string, error)
}

func defaultLocator() locator {
	return locator{getenv: os.Getenv, getwd: os.Getwd, executable: os.Executable}
}

// How far up the search goes from the working directory (when no go.mod
// stops it first) and from the executable's folder.
const (
	maxWorkdirLevels = 8
	maxExecLevels    = 2
)

// find returns the absolute path of the library to load.
func (l locator) find(explicit string) (string, error) {
	if explicit != "" {
		return checkExplicit(explicit, "Config.LibraryPath")
	}
	if p := l.getenv(LibraryEnv); p != "" {
		return checkExplicit(p, "$"+LibraryEnv)
	}
	var searched []string
	seen := map[string]bool{}
	try := func(dir string) (string, bool) {
		p := filepath.Join(dir, filepath.FromSlash(CachePath))
		if seen[p] {
			return "", false
		}
		seen[p] = true
		searched = append(searched, p)
		return p, isFile(p)
	}
	if wd, err := l.getwd(); err == nil {
		dir := wd
		for range maxWorkdirLevels + 1 {
			if p, ok := try(dir); ok {
				return p, nil
			}
			parent := filepath.Dir(dir)
			if isFile(filepath.Join(dir, "go.mod")) || parent == dir {
				break
			}
			dir = parent
		}
	}
	if exe, err := l.executable(); err == nil {
		if resolved, err := filepath.EvalSymlinks(exe); err == nil {
			exe = resolved
		}
		dir := filepath.Dir(exe)
		for range maxExecLevels + 1 {
			if p, ok := try(dir); ok {
				return p, nil
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return "", fmt.Errorf("%w: Config.LibraryPath and $%s are unset, and %s is not in %s; run `make ort` to fetch ONNX Runtime %s, or set %s",
		ErrLibraryNotFound, LibraryEnv, CachePath, strings.Join(searched, ", "), ORTVersion, LibraryEnv)
}

// checkExplicit accepts a library path given by the user, or explains why
// not. It never falls back to another library.
func checkExplicit(path, source string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("onnx runtime library %s (from %s): %w", path, source, err)
	}
	info, err := os.Stat(abs)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "", fmt.Errorf("%w: %s (from %s) does not exist; run `make ort` to fetch ONNX Runtime %s into %s, or fix %s",
			ErrLibraryNotFound, abs, source, ORTVersion, CachePath, source)
	case err != nil:
		return "", fmt.Errorf("onnx runtime library %s (from %s): %w", abs, source, err)
	case info.IsDir():
		return "", fmt.Errorf("onnx runtime library %s (from %s) is a folder, want the libonnxruntime.so file", abs, source)
	}
	return abs, nil
}

func isFile(path string) bool {
	info, err := os.Stat(path)
	return err == nil && !info.IsDir()
}
