package sentiment

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu/text"
)

// The model's classes: Label's three plus angry, which Score counts as
// negative and reports as Anger.
const (
	ClassNegative = string(Negative)
	ClassNeutral  = string(Neutral)
	ClassPositive = string(Positive)
	ClassAngry    = "angry"
)

// Classes lists the model's classes.
var Classes = []string{ClassAngry, ClassNegative, ClassNeutral, ClassPositive}

// Example is one labelled message.
type Example struct {
	Text  string `json:"text"`
	Label string `json:"label"`          // one of Classes
	Lang  string `json:"lang,omitempty"` // zh or en; LoadFile guesses it when the data does not say
}

// Format names a data file format.
type Format string

// The formats LoadFile reads, one JSON object per line.
const (
	// FormatAuto decides per line from the fields present.
	FormatAuto Format = "auto"
	// FormatAssist is our own: {"text", "label"[, "lang"]}, label one of
	// Classes.
	FormatAssist Format = "assist"
	// FormatGoEmotions is the GoEmotions sentiment file: {"text",
	// "sentiment"} with positive, negative, neutral or ambiguous; ambiguous
	// lines are skipped (the model has no such class). Language en.
	FormatGoEmotions Format = "goemotions"
	// FormatZhEmotion is the Chinese multi-emotion dialogue file:
	// {"text", "labels": [...]}, mapped by ZhEmotionClass (the first label
	// that maps wins; lines with none are skipped). Language zh.
	FormatZhEmotion Format = "zh-emotion"
)

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case "", FormatAuto:
		return FormatAuto, nil
	case FormatAssist, FormatGoEmotions, FormatZhEmotion:
		return f, nil
	}
	return "", assist.Errorf(assist.EINVALID, "unknown data format %q (auto, assist, goemotions, zh-emotion)", s)
}

// ZhEmotionClass maps the Chinese emotion-dialogue labels to the model's
// classes: 开心 (happy) is positive; 生气 (angry) is angry; 厌恶 (disgust)
// and 伤心 (sad) are negative; 平静 (calm), 疑问 (question), 关心 (caring)
// and 惊讶 (surprise) are neutral.
var ZhEmotionClass = map[string]string{
	"开心": ClassPositive,
	"生气": ClassAngry,
	"厌恶": ClassNegative,
	"伤心": ClassNegative,
	"平静": ClassNeutral,
	"疑问": ClassNeutral,
	"关心": ClassNeutral,
	"惊讶": ClassNeutral,
}

// Limits on data files.
const (
	MaxFileBytes = 256 << 20 // one data file
	MaxTextRunes = 4000      // one message, in data files and for Score
)

// line is the union of the formats' fields.
type line struct {
	Text      string   `json:"text"`
	Label     *string  `json:"label"`
	Lang      string   `json:"lang"`
	Sentiment *string  `json:"sentiment"`
	Labels    []string `json:"labels"`
}

// LoadFile reads the examples of a JSON Lines file in format f (FormatAuto
// decides each line from its fields: label, sentiment or labels). Blank
// lines and the lines a public format has no class for are skipped.
//
// Errors: ENOTFOUND when the file does not exist; ETOOLARGE for a file
// over MaxFileBytes; EINVALID for a malformed line, an unknown label, or
// text that is empty, not UTF-8 or longer than MaxTextRunes (the error
// names the file and line).
func LoadFile(path string, f Format) ([]Example, error) {
	file, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, &assist.Error{Code: assist.ENOTFOUND, Message: fmt.Sprintf("data file %s not found", path), Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	defer file.Close()
	if st, err := file.Stat(); err == nil && st.Size() > MaxFileBytes {
		return nil, assist.Errorf(assist.ETOOLARGE, "data file %s: %d bytes, the limit is %d", path, st.Size(), MaxFileBytes)
	}
	ex, err := Read(io.LimitReader(file, MaxFileBytes+1), f)
	if err != nil {
		return nil, fmt.Errorf("data file %s: %w", path, err)
	}
	return ex, nil
}

// LoadFiles reads and concatenates several files of format f, in order.
func LoadFiles(f Format, paths ...string) ([]Example, error) {
	var all []Example
	for _, p := range paths {
		ex, err := LoadFile(p, f)
		if err != nil {
			return nil, err
		}
		all = append(all, ex...)
	}
	return all, nil
}

// Read reads JSON Lines examples in format f; see LoadFile.
func Read(r io.Reader, f Format) ([]Example, error) {
	if _, err := ParseFormat(string(f)); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var out []Example
	for n := 1; sc.Scan(); n++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if !utf8.Valid(b) {
			return nil, assist.Errorf(assist.EINVALID, "line %d: not valid UTF-8", n)
		}
		var l line
		if err := json.Unmarshal(b, &l); err != nil {
			return nil, &assist.Error{Code: assist.EINVALID, Message: fmt.Sprintf("line %d: not a JSON object", n), Err: err}
		}
		e, ok, err := l.example(f)
		if err != nil {
			return nil, assist.Errorf(assist.EINVALID, "line %d: %s", n, err)
		}
		if !ok {
			continue
		}
		if err := CheckText(e.Text); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if e.Lang == "" {
			e.Lang = string(text.ReplyLang(e.Text, ""))
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, assist.Errorf(assist.EINVALID, "a line is longer than 1 MB")
		}
		return nil, err
	}
	return out, nil
}

// example converts one line; ok is false for a line to skip.
func (l *line) example(f Format) (e Example, ok bool, err error) {
	if f == FormatAuto {
		switch {
		case l.Label != nil:
			f = FormatAssist
		case l.Sentiment != nil:
			f = FormatGoEmotions
		case l.Labels != nil:
			f = FormatZhEmotion
		default:
			return e, false, errors.New("no label, sentiment or labels field")
		}
	}
	e.Text = l.Text
	switch f {
	case FormatAssist:
		if l.Label == nil || !isClass(*l.Label) {
			return e, false, fmt.Errorf("label %.40q is not one of %s", deref(l.Label), strings.Join(Classes, ", "))
		}
		switch l.Lang {
		case "", "zh", "en", "mixed":
		default:
			return e, false, fmt.Errorf("lang %.20q is not zh, en or mixed", l.Lang)
		}
		e.Label, e.Lang = *l.Label, l.Lang
	case FormatGoEmotions:
		switch s := deref(l.Sentiment); s {
		case "ambiguous":
			return e, false, nil
		case ClassPositive, ClassNegative, ClassNeutral:
			e.Label = s
		default:
			return e, false, fmt.Errorf("sentiment %.40q is not positive, negative, neutral or ambiguous", s)
		}
		e.Lang = "en"
	case FormatZhEmotion:
		for _, zl := range l.Labels {
			if c, found := ZhEmotionClass[zl]; found {
				e.Label = c
				break
			}
		}
		if e.Label == "" {
			return e, false, nil
		}
		e.Lang = "zh"
	}
	return e, true, nil
}

func isClass(s string) bool {
	for _, c := range Classes {
		if s == c {
			return true
		}
	}
	return false
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// CheckText returns the error Score gives for text it refuses: EINVALID
// for text that is not UTF-8 or is blank, ETOOLARGE for more than
// MaxTextRunes characters.
func CheckText(s string) error {
	switch {
	case !utf8.ValidString(s):
		return assist.Errorf(assist.EINVALID, "sentiment: text is not valid UTF-8")
	case strings.TrimSpace(s) == "":
		return assist.Errorf(assist.EINVALID, "sentiment: empty text")
	}
	if n := utf8.RuneCountInString(s); n > MaxTextRunes {
		return assist.Errorf(assist.ETOOLARGE, "sentiment: text of %d characters, the limit is %d", n, MaxTextRunes)
	}
	return nil
}
