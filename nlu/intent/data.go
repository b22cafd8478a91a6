package intent

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/assistd/assist"
)

// Example is one labelled message.
type Example struct {
	Text   string `json:"text"`
	Intent string `json:"intent"`
	Lang   string `json:"lang,omitempty"` // zh, en or mixed, when the data says
}

// Limits on training and evaluation files.
const (
	MaxFileBytes = 256 << 20 // one data file
	MaxTextBytes = 8 << 10   // one example's text
	MaxLabel     = 128       // one intent label, in bytes
)

// LoadFile reads the examples of one data file, choosing the format by its
// extension: .jsonl or .json (JSON Lines, {"text","intent"[,"lang"]} per
// line), .csv (a header with text and intent columns, optional lang), .yml
// or .yaml (Rasa nlu.yml: nlu: - intent: NAME examples: | - text; entity
// annotations [value](type) are reduced to their value).
//
// Errors: EINVALID for an unknown extension, a malformed line or record
// (the error names the file and line), text or label that is empty, too
// long or not UTF-8, or a file too large; ENOTFOUND when the file does not
// exist.
func LoadFile(path string) ([]Example, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, &assist.Error{Code: assist.ENOTFOUND, Message: fmt.Sprintf("data file %s not found", path), Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > MaxFileBytes {
		return nil, assist.Errorf(assist.ETOOLARGE, "data file %s: %d bytes, the limit is %d", path, st.Size(), MaxFileBytes)
	}
	r := io.LimitReader(f, MaxFileBytes+1)
	var ex []Example
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".jsonl", ".json", ".ndjson":
		ex, err = ReadJSONL(r)
	case ".csv":
		ex, err = ReadCSV(r)
	case ".yml", ".yaml":
		ex, err = ReadRasa(r)
	default:
		return nil, assist.Errorf(assist.EINVALID, "data file %s: unknown format %q (want .jsonl, .csv or Rasa .yml)", path, ext)
	}
	if err != nil {
		return nil, fmt.Errorf("data file %s: %w", path, err)
	}
	return ex, nil
}

// LoadFiles reads and concatenates several data files, in order.
func LoadFiles(paths ...string) ([]Example, error) {
	var all []Example
	for _, p := range paths {
		ex, err := LoadFile(p)
		if err != nil {
			return nil, err
		}
		all = append(all, ex...)
	}
	return all, nil
}

func check(e Example, where string) error {
	switch {
	case !utf8.ValidString(e.Text) || !utf8.ValidString(e.Intent) || !utf8.ValidString(e.Lang):
		return assist.Errorf(assist.EINVALID, "%s: not valid UTF-8", where)
	case strings.TrimSpace(e.Text) == "":
		return assist.Errorf(assist.EINVALID, "%s: empty text", where)
	case len(e.Text) > MaxTextBytes:
		return assist.Errorf(assist.EINVALID, "%s: text of %d bytes, the limit is %d", where, len(e.Text), MaxTextBytes)
	case strings.TrimSpace(e.Intent) == "":
		return assist.Errorf(assist.EINVALID, "%s: empty intent", where)
	case len(e.Intent) > MaxLabel || strings.ContainsAny(e.Intent, " \t\r\n"):
		return assist.Errorf(assist.EINVALID, "%s: intent %.40q is not a label", where, e.Intent)
	}
	switch e.Lang {
	case "", "zh", "en", "mixed":
		return nil
	}
	return assist.Errorf(assist.EINVALID, "%s: lang %.20q is not zh, en or mixed", where, e.Lang)
}

// ReadJSONL reads JSON Lines examples; blank lines are skipped.
func ReadJSONL(r io.Reader) ([]Example, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4*MaxTextBytes)
	var out []Example
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if !utf8.Valid(b) {
			return nil, assist.Errorf(assist.EINVALID, "line %d: not valid UTF-8", line)
		}
		var e Example
		if err := json.Unmarshal(b, &e); err != nil {
			return nil, &assist.Error{Code: assist.EINVALID, Message: fmt.Sprintf("line %d: not a JSON object with text and intent", line), Err: err}
		}
		if err := check(e, fmt.Sprintf("line %d", line)); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, assist.Errorf(assist.EINVALID, "a line is longer than %d bytes", 4*MaxTextBytes)
		}
		return nil, err
	}
	return out, nil
}

// ReadCSV reads examples from CSV with a header row naming at least the
// columns text and intent (any order, any case); a lang column is used when
// present.
func ReadCSV(r io.Reader) ([]Example, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, &assist.Error{Code: assist.EINVALID, Message: "no CSV header", Err: err}
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	ti, ok1 := col["text"]
	ii, ok2 := col["intent"]
	if !ok1 || !ok2 {
		return nil, assist.Errorf(assist.EINVALID, "CSV header %q lacks a text or an intent column", strings.Join(head, ","))
	}
	li, hasLang := col["lang"]
	var out []Example
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return nil, &assist.Error{Code: assist.EINVALID, Message: fmt.Sprintf("CSV line %d is malformed", line), Err: err}
		}
		line, _ := cr.FieldPos(0)
		get := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		e := Example{Text: get(ti), Intent: get(ii)}
		if hasLang {
			e.Lang = get(li)
		}
		if err := check(e, fmt.Sprintf("line %d", line)); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
}

// rasaEntity matches Rasa's entity annotations: [value](type),
// [value]{"entity": ...} and [value][{...}].
var rasaEntity = regexp.MustCompile(`\[([^\]]*)\](\([^)]*\)|\{[^}]*\}|\[[^\]]*\])`)

// ReadRasa reads the intents of a Rasa NLU file (nlu.yml, format 2 or 3);
// other entries (synonyms, lookups, regexes) are skipped.
func ReadRasa(r io.Reader) ([]Example, error) {
	var doc struct {
		NLU []struct {
			Intent   string `yaml:"intent"`
			Examples string `yaml:"examples"`
		} `yaml:"nlu"`
	}
	dec := yaml.NewDecoder(r)
	if err := dec.Decode(&doc); err != nil {
		return nil, &assist.Error{Code: assist.EINVALID, Message: "not a Rasa NLU YAML file", Err: err}
	}
	var out []Example
	for i, item := range doc.NLU {
		if item.Intent == "" {
			continue
		}
		for j, line := range strings.Split(item.Examples, "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			if !strings.HasPrefix(line, "- ") && line != "-" {
				return nil, assist.Errorf(assist.EINVALID, "nlu entry %d (%s), example %d: not a \"- text\" list item", i+1, item.Intent, j+1)
			}
			t := strings.TrimSpace(rasaEntity.ReplaceAllString(strings.TrimPrefix(line, "-"), "$1"))
			e := Example{Text: t, Intent: item.Intent}
			if err := check(e, fmt.Sprintf("nlu entry %d (%s), example %d", i+1, item.Intent, j+1)); err != nil {
				return nil, err
			}
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		return nil, assist.Errorf(assist.EINVALID, "no intent examples under nlu:")
	}
	return out, nil
}

// DataHash is a SHA-256 over the examples (text, intent, lang), in order:
// the same data gives the same hash whatever file format it came in.
func DataHash(ex []Example) string {
	h := sha256.New()
	for _, e := range ex {
		fmt.Fprintf(h, "%d:%s%d:%s%d:%s", len(e.Text), e.Text, len(e.Intent), e.Intent, len(e.Lang), e.Lang)
	}
	return hex.EncodeToString(h.Sum(nil))
}
