package catalog_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
)

// Every key is worded in both languages, with placeholders each language
// fills from the same arguments.
func TestWordingInBothLanguages(t *testing.T) {
	c := catalog.Default()
	if len(c.Keys()) < 30 {
		t.Fatalf("only %d keys", len(c.Keys()))
	}
	for _, k := range c.Keys() {
		for _, lang := range catalog.Langs {
			if s := c.Say(lang, k); s == k || strings.TrimSpace(s) == "" {
				t.Errorf("%s in %s: %q", k, lang, s)
			}
		}
		if hasHan(c.Say("en", k)) {
			t.Errorf("%s: the English wording has Chinese: %q", k, c.Say("en", k))
		}
		if zh := c.Say("zh", k); !hasHan(zh) && !strings.ContainsAny(zh, "（），。：") && k != "flow.ok" {
			t.Errorf("%s: the Chinese wording has no Chinese: %q", k, c.Say("zh", k))
		}
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func TestSayFillsPlaceholders(t *testing.T) {
	c := catalog.Default()
	if got := c.Say("en", "clarify", "first", "return an item", "second", "exchange an item"); got != "Do you want to return an item, or exchange an item?" {
		t.Errorf("clarify: %q", got)
	}
	if got := c.Say("zh", "queue.position", "n", "3", "ahead", "2"); !strings.Contains(got, "还有 2 位") {
		t.Errorf("queue.position: %q", got)
	}
	if got := c.Say("fr", "thanks"); got != c.Say("en", "thanks") {
		t.Errorf("an unknown language reads as English: %q", got)
	}
	if got := c.Say("en", "no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key: %q", got)
	}
}

// A shop changes its bot's words for its own customers only; an override
// naming an unknown key or placeholder is refused and changes nothing.
func TestTenantOverride(t *testing.T) {
	c := catalog.Default()
	const shop = "tenant-override-test"
	if err := c.Override(shop, "en", map[string]string{"thanks": "Cheers! Anything else?"}); err != nil {
		t.Fatal(err)
	}
	defer c.Override(shop, "en", nil)
	if got := c.SayFor(shop, "en", "thanks"); got != "Cheers! Anything else?" {
		t.Errorf("the shop's own thanks: %q", got)
	}
	if got := c.SayFor("another", "en", "thanks"); got != c.Say("en", "thanks") {
		t.Errorf("another shop sees %q", got)
	}
	if got := c.SayFor(shop, "zh", "thanks"); got != c.Say("zh", "thanks") {
		t.Errorf("Chinese not overridden: %q", got)
	}
	for _, bad := range []map[string]string{
		{"no.such.key": "x"},
		{"clarify": "Do you mean {first} or {third}?"},
		{"thanks": "  "},
	} {
		if err := c.Override(shop, "en", bad); assist.ErrorCode(err) != assist.EINVALID {
			t.Errorf("override %v: %v, want EINVALID", bad, err)
		}
	}
	if got := c.SayFor(shop, "en", "thanks"); got != "Cheers! Anything else?" {
		t.Errorf("a refused override changed the wording: %q", got)
	}
	if err := c.Override(shop, "de", map[string]string{"thanks": "Danke"}); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("override in German: %v", err)
	}
}

func TestJoin(t *testing.T) {
	if got := catalog.Join("en", "OK.", "", "Which order?"); got != "OK. Which order?" {
		t.Errorf("en: %q", got)
	}
	if got := catalog.Join("zh", "好的，", "要查哪个订单？"); got != "好的，要查哪个订单？" {
		t.Errorf("zh: %q", got)
	}
}

// The intent model is trained, validated and tested on exactly the
// catalogue's labels.
func TestCatalogMatchesTrainingData(t *testing.T) {
	want := slices.Sorted(slices.Values(catalog.Default().Labels()))
	files, _ := filepath.Glob("../data/nlu/*.jsonl")
	if len(files) == 0 {
		t.Fatal("no training data under data/nlu")
	}
	for _, f := range files {
		got := map[string]bool{}
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var e struct{ Intent string }
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			got[e.Intent] = true
		}
		fh.Close()
		for l := range got {
			if !slices.Contains(want, l) {
				t.Errorf("%s: label %q is not in the catalogue", f, l)
			}
		}
		if strings.Contains(f, "train") {
			for _, l := range want {
				if !got[l] {
					t.Errorf("%s: the catalogue's %q has no training example", f, l)
				}
			}
		}
	}
}

func TestIntentKinds(t *testing.T) {
	c := catalog.Default()
	for _, tc := range []struct {
		label string
		kind  catalog.Kind
	}{{"return_request", catalog.Task}, {"shipping_fee", catalog.Knowledge}, {"thanks", catalog.SmallTalk},
		{"human_agent", catalog.Human}, {"complaint", catalog.Complaint}, {"out_of_scope", catalog.Other}, {"nope", ""}} {
		if got := c.KindOf(tc.label); got != tc.kind {
			t.Errorf("KindOf(%s) = %q, want %q", tc.label, got, tc.kind)
		}
	}
	if got := c.Name("return_request", "zh"); got != "申请退货" {
		t.Errorf("Name: %q", got)
	}
	if c.Skills()["return_request"] != "returns" {
		t.Errorf("skills: %v", c.Skills())
	}
}
