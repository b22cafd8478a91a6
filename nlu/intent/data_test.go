package intent

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/assistd/assist"
)

func TestLoadFile(t *testing.T) {
	want := []Example{
		{Text: "where is my parcel", Intent: "track_shipment", Lang: "en"},
		{Text: "我的退款到哪了", Intent: "refund_status", Lang: "zh"},
	}
	files := map[string]string{
		"a.jsonl": `{"text":"where is my parcel","intent":"track_shipment","lang":"en"}

{"text":"我的退款到哪了","intent":"refund_status","lang":"zh"}
`,
		"a.csv": "\ufeffIntent,text,lang\ntrack_shipment,where is my parcel,en\nrefund_status,\"我的退款到哪了\",zh\n",
	}
	dir := t.TempDir()
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := LoadFile(path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, want %+v", name, got, want)
		}
	}
}

func TestLoadRasa(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nlu.yml")
	body := `version: "3.1"
nlu:
- intent: track_shipment
  examples: |
    - where is my parcel
    - track order [12345](order_id) please
    - 快递到[上海]{"entity": "city"}了吗
- synonym: parcel
  examples: |
    - package
- intent: greeting
  examples: |
    - hi
`
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []Example{
		{Text: "where is my parcel", Intent: "track_shipment"},
		{Text: "track order 12345 please", Intent: "track_shipment"},
		{Text: "快递到上海了吗", Intent: "track_shipment"},
		{Text: "hi", Intent: "greeting"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestLoadFileErrors(t *testing.T) {
	tests := []struct {
		name, file, body string
		code             string
		msg              string
	}{
		{"malformed json", "x.jsonl", "{\"text\":\"a\",\"intent\":\"b\"}\n{oops\n", assist.EINVALID, "line 2"},
		{"empty text", "x.jsonl", `{"text":"  ","intent":"b"}`, assist.EINVALID, "empty text"},
		{"no intent", "x.jsonl", `{"text":"hello"}`, assist.EINVALID, "empty intent"},
		{"label with space", "x.jsonl", `{"text":"hello","intent":"a b"}`, assist.EINVALID, "not a label"},
		{"bad lang", "x.jsonl", `{"text":"hello","intent":"a","lang":"fr"}`, assist.EINVALID, "lang"},
		{"not utf-8", "x.jsonl", "{\"text\":\"a\xff\",\"intent\":\"b\"}", assist.EINVALID, "UTF-8"},
		{"text too long", "x.jsonl", `{"text":"` + strings.Repeat("a", MaxTextBytes+1) + `","intent":"b"}`, assist.EINVALID, "limit"},
		{"csv without intent column", "x.csv", "text,label\nhello,greeting\n", assist.EINVALID, "intent column"},
		{"csv malformed", "x.csv", "text,intent\n\"unterminated,greeting\n", assist.EINVALID, "malformed"},
		{"rasa not yaml", "x.yml", "nlu: [\n", assist.EINVALID, "Rasa"},
		{"rasa no intents", "x.yml", "nlu:\n- synonym: a\n  examples: |\n    - b\n", assist.EINVALID, "no intent examples"},
		{"rasa not a list", "x.yml", "nlu:\n- intent: a\n  examples: |\n    hello\n", assist.EINVALID, "list item"},
		{"unknown extension", "x.txt", "hello", assist.EINVALID, "unknown format"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			if err := os.WriteFile(path, []byte(tt.body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadFile(path)
			if assist.ErrorCode(err) != tt.code || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %v (code %s), want code %s mentioning %q", err, assist.ErrorCode(err), tt.code, tt.msg)
			}
		})
	}
	_, err := LoadFile(filepath.Join(dir, "missing.jsonl"))
	if assist.ErrorCode(err) != assist.ENOTFOUND || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestDataHash(t *testing.T) {
	a := []Example{{Text: "ab", Intent: "c"}}
	b := []Example{{Text: "a", Intent: "bc"}}
	if DataHash(a) == DataHash(b) {
		t.Error("different examples hash the same")
	}
	if DataHash(a) != DataHash([]Example{{Text: "ab", Intent: "c"}}) {
		t.Error("the same examples hash differently")
	}
}
