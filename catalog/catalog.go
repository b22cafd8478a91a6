package catalog

import (
	"embed"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/assistd/assist"
)

// Kind says what an intent is to the bot.
type Kind string

// The kinds of intent.
const (
	Task      Kind = "task"      // needs the shop's systems: a task flow, or a person
	Knowledge Kind = "knowledge" // the help center answers it
	SmallTalk Kind = "smalltalk" // greeting, thanks, goodbye
	Human     Kind = "human"     // asks for a person
	Complaint Kind = "complaint" // a complaint: a person handles it
	Other     Kind = "other"     // out of scope
)

// Text is one text in both languages.
type Text struct {
	ZH string `yaml:"zh"`
	EN string `yaml:"en"`
}

// In returns the text in lang ("zh", else English).
func (t Text) In(lang string) string {
	if lang == "zh" {
		return t.ZH
	}
	return t.EN
}

// Words are words per language.
type Words struct {
	ZH []string `yaml:"zh"`
	EN []string `yaml:"en"`
}

// All returns the words of both languages.
func (w Words) All() []string { return append(slices.Clip(w.ZH), w.EN...) }

// Intent is one entry of the intent catalogue.
type Intent struct {
	Label       string `yaml:"label"`
	Kind        Kind   `yaml:"kind"`
	Skill       string `yaml:"skill"` // the queue of people who serve it; "" for the default queue
	Name        Text   `yaml:"name"`  // fits "您是想…" / "Do you want to …"
	Description Text   `yaml:"description"`
	Keywords    Words  `yaml:"keywords"` // lower case; name it in a short message
}

// Catalog is the intent catalogue and the bot's wording, with the
// overrides of tenants. It is safe for concurrent use.
type Catalog struct {
	intents []Intent
	byLabel map[string]int
	words   map[string]map[string]string // lang → key → text

	mu      sync.RWMutex
	tenants map[string]map[string]map[string]string // tenant → lang → key → text
}

//go:embed intents.yaml words/*.yaml
var files embed.FS

var (
	defaultOnce sync.Once
	defaultCat  *Catalog
)

// Default returns the embedded catalogue. The files are checked by the
// package's tests; an invalid embedded file panics.
func Default() *Catalog {
	defaultOnce.Do(func() {
		c, err := parse(files)
		if err != nil {
			panic(fmt.Sprintf("catalog: embedded files: %v", err))
		}
		defaultCat = c
	})
	return defaultCat
}

// Langs are the languages of the wording.
var Langs = []string{"zh", "en"}

// Lang is the wording language of lang: "zh", or "en" for anything else.
func Lang(lang string) string {
	if lang == "zh" {
		return "zh"
	}
	return "en"
}

func parse(fsys embed.FS) (*Catalog, error) {
	raw, err := fsys.ReadFile("intents.yaml")
	if err != nil {
		return nil, err
	}
	c := &Catalog{byLabel: map[string]int{}, words: map[string]map[string]string{}}
	if err := strictYAML(raw, &c.intents); err != nil {
		return nil, fmt.Errorf("intents.yaml: %w", err)
	}
	for i, in := range c.intents {
		switch {
		case in.Label == "":
			return nil, fmt.Errorf("intents.yaml: entry %d has no label", i+1)
		case !slices.Contains([]Kind{Task, Knowledge, SmallTalk, Human, Complaint, Other}, in.Kind):
			return nil, fmt.Errorf("intents.yaml: %s: unknown kind %q", in.Label, in.Kind)
		case in.Name.ZH == "" || in.Name.EN == "" || in.Description.ZH == "" || in.Description.EN == "":
			return nil, fmt.Errorf("intents.yaml: %s: a name and a description in zh and en are required", in.Label)
		}
		if _, dup := c.byLabel[in.Label]; dup {
			return nil, fmt.Errorf("intents.yaml: %s listed twice", in.Label)
		}
		c.byLabel[in.Label] = i
	}
	for _, lang := range Langs {
		raw, err := fsys.ReadFile("words/" + lang + ".yaml")
		if err != nil {
			return nil, err
		}
		w, err := ReadWords(raw)
		if err != nil {
			return nil, fmt.Errorf("words/%s.yaml: %w", lang, err)
		}
		c.words[lang] = w
	}
	for _, lang := range Langs[1:] {
		if a, b := slices.Sorted(maps.Keys(c.words[Langs[0]])), slices.Sorted(maps.Keys(c.words[lang])); !slices.Equal(a, b) {
			return nil, fmt.Errorf("words/%s.yaml and words/%s.yaml have different keys", Langs[0], lang)
		}
	}
	return c, nil
}

func strictYAML(raw []byte, v any) error {
	dec := yaml.NewDecoder(strings.NewReader(string(raw)))
	dec.KnownFields(true)
	return dec.Decode(v)
}

// ReadWords parses a wording file: a YAML map of key → text.
func ReadWords(raw []byte) (map[string]string, error) {
	var w map[string]string
	if err := strictYAML(raw, &w); err != nil {
		return nil, assist.Errorf(assist.EINVALID, "wording: %v", err)
	}
	for k, v := range w {
		if strings.TrimSpace(v) == "" {
			return nil, assist.Errorf(assist.EINVALID, "wording: %s is empty", k)
		}
	}
	return w, nil
}

// Intents returns the catalogue's intents in file order.
func (c *Catalog) Intents() []Intent { return slices.Clone(c.intents) }

// Labels returns every intent label in file order.
func (c *Catalog) Labels() []string {
	out := make([]string, len(c.intents))
	for i, in := range c.intents {
		out[i] = in.Label
	}
	return out
}

// Intent returns the entry of label.
func (c *Catalog) Intent(label string) (Intent, bool) {
	i, ok := c.byLabel[label]
	if !ok {
		return Intent{}, false
	}
	return c.intents[i], true
}

// KindOf returns the kind of label; "" for a label the catalogue does not
// know.
func (c *Catalog) KindOf(label string) Kind {
	in, _ := c.Intent(label)
	return in.Kind
}

// LabelsOf returns the labels of kind k in file order.
func (c *Catalog) LabelsOf(k Kind) []string {
	var out []string
	for _, in := range c.intents {
		if in.Kind == k {
			out = append(out, in.Label)
		}
	}
	return out
}

// Name returns the intent's name in lang ("申请退货" / "return an item");
// an unknown label is returned as it is.
func (c *Catalog) Name(label, lang string) string {
	in, ok := c.Intent(label)
	if !ok {
		return label
	}
	return in.Name.In(lang)
}

// Skills returns intent label → skill for the intents that name one.
func (c *Catalog) Skills() map[string]string {
	out := map[string]string{}
	for _, in := range c.intents {
		if in.Skill != "" {
			out[in.Label] = in.Skill
		}
	}
	return out
}

// Keys returns the wording's keys, sorted.
func (c *Catalog) Keys() []string { return slices.Sorted(maps.Keys(c.words[Langs[0]])) }

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

// Placeholders returns the {placeholders} of key in any language, sorted.
func (c *Catalog) Placeholders(key string) []string {
	var out []string
	for _, lang := range Langs {
		for _, p := range placeholder.FindAllString(c.words[lang][key], -1) {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Override sets a tenant's own wording for lang: every key must be one of
// the catalogue's and use only the placeholders its default offers
// (EINVALID otherwise, and nothing changes). Keys not given keep the
// default; a nil words removes the tenant's overrides for lang.
func (c *Catalog) Override(tenantID, lang string, words map[string]string) error {
	if !slices.Contains(Langs, lang) {
		return assist.Errorf(assist.EINVALID, "wording: language %q: want zh or en", lang)
	}
	for k, v := range words {
		if _, ok := c.words[lang][k]; !ok {
			return assist.Errorf(assist.EINVALID, "wording: unknown key %q", k)
		}
		offered := c.Placeholders(k)
		for _, p := range placeholder.FindAllString(v, -1) {
			if !slices.Contains(offered, p) {
				return assist.Errorf(assist.EINVALID, "wording: %s uses %s; it offers %v", k, p, offered)
			}
		}
		if strings.TrimSpace(v) == "" {
			return assist.Errorf(assist.EINVALID, "wording: %s is empty", k)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tenants == nil {
		c.tenants = map[string]map[string]map[string]string{}
	}
	if c.tenants[tenantID] == nil {
		c.tenants[tenantID] = map[string]map[string]string{}
	}
	c.tenants[tenantID][lang] = maps.Clone(words)
	return nil
}

// Say returns the wording of key in lang for the default tenant ("");
// see SayFor.
func (c *Catalog) Say(lang, key string, args ...string) string {
	return c.SayFor("", lang, key, args...)
}

// SayFor returns the tenant's wording of key in lang ("zh", else
// English) with its placeholders filled from args, pairs of name and
// value ("order_id", "DD202611030001"). An unknown key returns the key,
// so a missing text shows instead of vanishing (the tests check every
// key used exists).
func (c *Catalog) SayFor(tenantID, lang, key string, args ...string) string {
	lang = Lang(lang)
	s, ok := "", false
	if tenantID != "" {
		c.mu.RLock()
		s, ok = c.tenants[tenantID][lang][key]
		c.mu.RUnlock()
	}
	if !ok {
		if s, ok = c.words[lang][key]; !ok {
			return key
		}
	}
	if len(args) == 0 || !strings.Contains(s, "{") {
		return s
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+args[i]+"}", args[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// Join joins sentences as lang writes them: Chinese without spaces,
// English with one; empty parts are left out.
func Join(lang string, parts ...string) string {
	sep := " "
	if lang == "zh" {
		sep = ""
	}
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p)
	}
	return b.String()
}
