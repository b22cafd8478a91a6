package sentiment

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/assistd/assist"
)

func TestReadFormats(t *testing.T) {
	for _, tc := range []struct {
		name   string
		format Format
		in     string
		want   []Example
	}{
		{"assist", FormatAssist,
			"{\"text\":\"where is it\",\"label\":\"neutral\",\"lang\":\"en\"}\n\n{\"text\":\"退钱！\",\"label\":\"angry\"}\n",
			[]Example{{"where is it", "neutral", "en"}, {"退钱！", "angry", "zh"}}},
		{"goemotions skips ambiguous", FormatGoEmotions,
			`{"text":"great","sentiment":"positive","id":"a"}` + "\n" + `{"text":"hmm","sentiment":"ambiguous"}` + "\n" + `{"text":"bad","sentiment":"negative"}`,
			[]Example{{"great", "positive", "en"}, {"bad", "negative", "en"}}},
		{"zh emotion mapping", FormatZhEmotion,
			`{"text":"好开心","labels":["开心"]}` + "\n" + `{"text":"气死了","labels":["生气"]}` + "\n" + `{"text":"好恶心","labels":["厌恶"]}` + "\n" +
				`{"text":"好难过","labels":["伤心"]}` + "\n" + `{"text":"吃了吗","labels":["疑问"]}` + "\n" + `{"text":"真的吗","labels":["惊讶"]}` + "\n" +
				`{"text":"未知","labels":["别的"]}`,
			[]Example{{"好开心", "positive", "zh"}, {"气死了", "angry", "zh"}, {"好恶心", "negative", "zh"}, {"好难过", "negative", "zh"}, {"吃了吗", "neutral", "zh"}, {"真的吗", "neutral", "zh"}}},
		{"auto per line", FormatAuto,
			`{"text":"ok","label":"neutral"}` + "\n" + `{"text":"nice","sentiment":"positive"}` + "\n" + `{"text":"唉","labels":["伤心"]}`,
			[]Example{{"ok", "neutral", "en"}, {"nice", "positive", "en"}, {"唉", "negative", "zh"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read(strings.NewReader(tc.in), tc.format)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		format   Format
		code     string
		line     string
	}{
		{"unknown label", `{"text":"x","label":"happy"}`, FormatAssist, assist.EINVALID, "line 1"},
		{"missing label", `{"text":"x"}`, FormatAssist, assist.EINVALID, "line 1"},
		{"no label field for auto", "\n" + `{"text":"x"}`, FormatAuto, assist.EINVALID, "line 2"},
		{"bad lang", `{"text":"x","label":"neutral","lang":"fr"}`, FormatAssist, assist.EINVALID, "line 1"},
		{"bad sentiment", `{"text":"x","sentiment":"meh"}`, FormatGoEmotions, assist.EINVALID, "line 1"},
		{"not json", `text,label`, FormatAuto, assist.EINVALID, "line 1"},
		{"not utf-8", "{\"text\":\"\xff\",\"label\":\"neutral\"}", FormatAssist, assist.EINVALID, "line 1"},
		{"empty text", `{"text":"  ","label":"neutral"}`, FormatAssist, assist.EINVALID, "line 1"},
		{"too long", fmt.Sprintf(`{"text":%q,"label":"neutral"}`, strings.Repeat("好", MaxTextRunes+1)), FormatAssist, assist.ETOOLARGE, "line 1"},
		{"unknown format", `{"text":"x","label":"neutral"}`, Format("csv"), assist.EINVALID, "format"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.in), tc.format)
			if assist.ErrorCode(err) != tc.code || !strings.Contains(err.Error(), tc.line) {
				t.Errorf("err %v (code %s), want %s naming %q", err, assist.ErrorCode(err), tc.code, tc.line)
			}
		})
	}
	if _, err := LoadFile(filepath.Join(t.TempDir(), "nope.jsonl"), FormatAuto); assist.ErrorCode(err) != assist.ENOTFOUND {
		t.Errorf("missing file: %v", err)
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"": FormatAuto, "auto": FormatAuto, "assist": FormatAssist, "goemotions": FormatGoEmotions, "zh-emotion": FormatZhEmotion} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseFormat("yaml"); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("ParseFormat(yaml): %v", err)
	}
}

// TestShippedData checks data/sentiment: sizes, label shares (neutral
// dominating like real traffic), languages, and no text in two places.
func TestShippedData(t *testing.T) {
	// The hand-written data (data/sentiment/README.md): no message in two
	// files, each file in its language, the classes in the proportions the
	// writers were asked for (neutral 35%, negative 30%, angry 15%,
	// positive 20%; the short replies are mostly neutral).
	seen := map[string]string{}
	for _, lang := range []string{"zh", "en"} {
		for _, split := range []struct {
			name     string
			min, max int
			shares   bool
		}{{"train", 1400, 1700, true}, {"valid", 140, 180, true}, {"test", 400, 450, true}, {"replies", 60, 120, false}} {
			path := filepath.Join("..", "data", "sentiment", split.name+"."+lang+".jsonl")
			ex, err := LoadFile(path, FormatAssist)
			if err != nil {
				t.Fatal(err)
			}
			if len(ex) < split.min || len(ex) > split.max {
				t.Errorf("%s: %d examples, want [%d, %d]", path, len(ex), split.min, split.max)
			}
			count := map[string]int{}
			for _, e := range ex {
				count[e.Label]++
				if e.Lang != lang {
					t.Errorf("%s: %q has lang %q", path, e.Text, e.Lang)
				}
				key := strings.ToLower(strings.TrimSpace(e.Text))
				if prev, dup := seen[key]; dup {
					t.Errorf("%s: %q also in %s", path, e.Text, prev)
				}
				seen[key] = path
			}
			if !split.shares {
				continue
			}
			want := map[string][2]float64{ClassNeutral: {0.30, 0.40}, ClassNegative: {0.25, 0.35}, ClassAngry: {0.10, 0.20}, ClassPositive: {0.15, 0.25}}
			for l, r := range want {
				if s := float64(count[l]) / float64(len(ex)); s < r[0] || s > r[1] {
					t.Errorf("%s: %s share %.2f, want [%.2f, %.2f]", path, l, s, r[0], r[1])
				}
			}
		}
	}
}
