package flow

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
)

var update = flag.Bool("update", false, "rewrite testdata/invalid.golden")

// Every file in testdata/invalid is rejected with the error in
// testdata/invalid.golden ("file: error" lines).
func TestParseInvalid(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	var got strings.Builder
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Parse(filepath.Base(file), data)
		if err == nil {
			t.Errorf("%s: parsed without error", file)
			continue
		}
		if code := assist.ErrorCode(err); code != assist.EINVALID {
			t.Errorf("%s: code %s, want %s", file, code, assist.EINVALID)
		}
		got.WriteString(assist.ErrorMessage(err) + "\n")
	}
	golden := "testdata/invalid.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("errors differ from %s (go test -update to rewrite):\ngot:\n%s\nwant:\n%s", golden, got.String(), want)
	}
}

func TestParseTooLarge(t *testing.T) {
	_, err := Parse("big.yaml", make([]byte, MaxFileSize+1))
	if assist.ErrorCode(err) != assist.ETOOLARGE {
		t.Errorf("err = %v, want %s", err, assist.ETOOLARGE)
	}
}

func TestLoad(t *testing.T) {
	hello := "name: hello\nintents: [greeting]\nsteps:\n  - {id: hi, say: {zh: 你好, en: Hello}}\n"
	bye := "name: bye\nintents: [goodbye]\nsteps:\n  - {id: bye, say: {zh: 再见, en: Bye}}\n"
	for _, tc := range []struct {
		name  string
		fs    fstest.MapFS
		want  []string // flow names
		code  string
		error string
	}{
		{name: "yaml and yml, other files and folders ignored", fs: fstest.MapFS{
			"b.yml": {Data: []byte(bye)}, "a.yaml": {Data: []byte(hello)}, "README.md": {Data: []byte("x")},
			"sub/c.yaml": {Data: []byte("not: [valid")}},
			want: []string{"hello", "bye"}},
		{name: "same name twice", fs: fstest.MapFS{"a.yaml": {Data: []byte(hello)}, "b.yaml": {Data: []byte(hello)}},
			code: assist.EINVALID, error: `b.yaml: flow "hello" is also defined in a.yaml`},
		{name: "an invalid file", fs: fstest.MapFS{"a.yaml": {Data: []byte(hello)}, "b.yaml": {Data: []byte("name: b\n")}},
			code: assist.EINVALID, error: "b.yaml: steps: missing"},
		{name: "no flow files", fs: fstest.MapFS{"x.txt": {Data: []byte("x")}}, code: assist.ENOTFOUND},
		{name: "too large", fs: fstest.MapFS{"a.yaml": {Data: make([]byte, MaxFileSize+1)}}, code: assist.ETOOLARGE},
	} {
		t.Run(tc.name, func(t *testing.T) {
			flows, err := Load(tc.fs)
			if assist.ErrorCode(err) != tc.code || !strings.Contains(assist.ErrorMessage(err)+" ", tc.error) {
				t.Fatalf("err = %v, want code %q containing %q", err, tc.code, tc.error)
			}
			var names []string
			for _, f := range flows {
				names = append(names, f.Name)
			}
			if strings.Join(names, ",") != strings.Join(tc.want, ",") {
				t.Errorf("flows %v, want %v", names, tc.want)
			}
		})
	}
}

// The example in the package documentation is a valid flow.
func TestDocExample(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var yaml []string
	in := false
	for _, line := range strings.Split(string(src), "\n") {
		switch {
		case strings.HasPrefix(line, "//\tname: "):
			in = true
		case in && !strings.HasPrefix(line, "//\t") && line != "//":
			in = false
		}
		if in {
			yaml = append(yaml, strings.TrimPrefix(strings.TrimPrefix(line, "//"), "\t"))
		}
	}
	if len(yaml) < 20 {
		t.Fatalf("no example found in doc.go (%d lines)", len(yaml))
	}
	if _, err := Parse("doc.go", []byte(strings.Join(yaml, "\n"))); err != nil {
		t.Fatal(err)
	}
}

// The shipped flows start on intents of the catalogue that need the
// shop's systems (or a person), never on a label the model does not know.
func TestBuiltinFlowsMatchCatalog(t *testing.T) {
	flows, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	c := catalog.Default()
	for _, f := range flows {
		for _, in := range f.Intents {
			if k := c.KindOf(in); k != catalog.Task && k != catalog.Human {
				t.Errorf("flow %s starts on %q, of kind %q in the catalogue: want a task", f.Name, in, k)
			}
		}
	}
}

// A day is said as customers count it from today: the backend's number
// of days, else its day word.
func TestFromToday(t *testing.T) {
	for _, tc := range []struct {
		days, day any
		zh, en    string
	}{
		{"0", "today", "今天", "today"},
		{"1", "", "明天", "tomorrow"},
		{"2", "", "后天", "the day after tomorrow"},
		{"5", "", "5 天后", "in 5 days"},
		{"", "tomorrow", "明天", "tomorrow"},
		{"", "", "", ""},
		{nil, nil, "", ""},
	} {
		if zh, en := fromToday(tc.days, tc.day, "", "zh"), fromToday(tc.days, tc.day, "", "en"); zh != tc.zh || en != tc.en {
			t.Errorf("fromToday(%v, %v) = %q, %q; want %q, %q", tc.days, tc.day, zh, en, tc.zh, tc.en)
		}
	}
}

// An expected day says its weekday ("so tuesday-ish?"): the backend's
// date, named from the catalogue; nothing for what is no date.
func TestWeekday(t *testing.T) {
	for _, tc := range []struct {
		date   any
		zh, en string
	}{
		{"2026-11-10", "周二", "Tuesday"},
		{"2026-11-08", "周日", "Sunday"},
		{"2026-11-14", "周六", "Saturday"},
		{"tomorrow", "", ""},
		{"", "", ""},
		{nil, "", ""},
	} {
		if zh, en := weekday(tc.date, "", "zh"), weekday(tc.date, "", "en"); zh != tc.zh || en != tc.en {
			t.Errorf("weekday(%v) = %q, %q; want %q, %q", tc.date, zh, en, tc.zh, tc.en)
		}
	}
}
