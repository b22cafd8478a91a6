package flow

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	nlutext "github.com/assistd/assist/nlu/text"
	"io"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/assistd/assist/catalog"

	"github.com/assistd/assist"
)

// Flow is one task flow, loaded from YAML (the format is described in the
// package documentation). A parsed Flow is valid and read-only.
type Flow struct {
	Name        string           `yaml:"name"`
	Intents     []string         `yaml:"intents"`     // NLU labels that start the flow
	Description string           `yaml:"description"` // what the flow does, for people
	Slots       map[string]*Slot `yaml:"slots"`       // the values the flow collects, by name
	Steps       []*Step          `yaml:"steps"`       // run in order unless a step says otherwise

	file  string
	index map[string]int // step id → position
	order []string       // slot names in the order the steps ask them
	asked map[string]int // slot → position of the first step that asks it (or its "or" partner)
}

// Acts reports whether the flow changes something in the shop (a call
// step that mutates: a cancellation, an address change, a return) rather
// than only looking things up.
func (f *Flow) Acts() bool {
	for _, st := range f.Steps {
		if st.Call != "" && st.Mutates {
			return true
		}
	}
	return false
}

// Slot is one value a flow collects from the customer.
type Slot struct {
	Name string `yaml:"-"`
	// Type is an NLU entity type (order_id, tracking_number, phone, email,
	// amount, date, product), "text" (free text of Min..Max characters) or
	// "choice" (one of Options).
	Type     string   `yaml:"type"`
	Min      int      `yaml:"min"`      // text: fewest characters (default 2)
	Max      int      `yaml:"max"`      // text: most characters (default 200)
	Options  []Option `yaml:"options"`  // choice: the values the customer can pick
	Prompt   Text     `yaml:"prompt"`   // the question that asks for the slot
	Invalid  Text     `yaml:"invalid"`  // said when an answer does not fit (default: a generic line and the prompt)
	Optional bool     `yaml:"optional"` // the customer may skip it ("没有", "不用", "skip", "no"): the value is then ""
	// Or names another slot that answers the same question: asking this
	// slot also accepts a value of the other slot's type, filling that one
	// (an order id or a tracking number). Only one of the two is filled.
	Or string `yaml:"or"`
	// Early fills the slot from the message that started the flow and
	// from answers to other questions. Default true for entity and choice
	// slots; text slots are only filled when asked.
	Early *bool `yaml:"early"`
	// Aliases are words that name the slot in a correction ("不对，是另一个
	// 订单", "the other order"). Entity slots have defaults for their type.
	Aliases Words `yaml:"aliases"`
	// Otherwise is the option (choice slots) a free-text answer to the
	// slot's question takes when it names no option: the customer's own
	// words for "other" ("it just isn't for me").
	Otherwise string `yaml:"otherwise"`
	// Allowed is the key of the last action's data listing the option
	// values that apply (space-separated, as quote_return's "reasons"):
	// the quick replies offer only those. Without the key, all options.
	Allowed string `yaml:"allowed"`
	// Shape lets a text slot be recognised in any message by what its
	// value looks like: "address" (a Chinese address with its
	// administrative divisions and street, or a street number and
	// street), typed before it is asked or instead of the one about to be
	// confirmed.
	Shape string `yaml:"shape"`
	// All are words that, answering a product slot's question, mean every
	// item asked about ("both", "都退"): the value is then AllItems. A
	// product slot's value is the products the message names (their
	// codes, space-separated).
	All Words `yaml:"all"`

	aliases []string // folded
	all     []string // folded
}

// AllItems is a product slot's value for "all of them" (Slot.All).
const AllItems = "all"

// ShapeAddress is Slot.Shape for a postal address.
const ShapeAddress = "address"

// Option is one value of a choice slot.
type Option struct {
	Value    string `yaml:"value"`    // the slot's value when chosen (sent to actions)
	Label    Text   `yaml:"label"`    // how the bot names it ({{.labels.slot}} in templates)
	Synonyms Words  `yaml:"synonyms"` // what the customer may say for it (the label counts too)
	// Instead is the option that stands in for this one when the slot's
	// allowed values (Slot.Allowed) leave this one out but take that one:
	// "the rug is the wrong size for my room" is no size return for a
	// rug, but it is a no-reason return where the items allow those.
	Instead string `yaml:"instead"`
	// InsteadUnless is a key of the last action's data that, when it has
	// a value, keeps Instead from standing in (sealed earbuds "too big
	// for my ears" were opened to be tried: no no-reason return for them).
	// It is read from the same result as the allowed values (a result
	// without them lets nothing stand in), and it is the shop's word for
	// the whole request: an action that can tell items apart names only
	// the items the stand-in would wrongly cover.
	InsteadUnless string `yaml:"instead_unless"`

	words []string // value, labels and synonyms, folded
}

// Step is one step of a flow. It does exactly one of: ask, call, confirm,
// handoff, say, goto, end, then. A say may be followed by goto, end or
// then, a handoff may carry a say (the message to the customer).
type Step struct {
	ID      string            `yaml:"id"`
	Ask     string            `yaml:"ask"`     // a slot: asked unless already filled
	Call    string            `yaml:"call"`    // an action of the Backend
	Params  map[string]string `yaml:"params"`  // call: parameter templates; one that renders "" is left out
	On      map[string]string `yaml:"on"`      // call: result status (or "error") → step id; default: the next step
	Mutates bool              `yaml:"mutates"` // call: the action changes something (built in for cancel_order, change_address, create_return)
	Say     *Text             `yaml:"say"`     // a message
	// Card shows the last action's result as a card with the say: order
	// (get_order's data) or shipment (track_shipment's data).
	Card    string `yaml:"card"`
	Confirm *Text  `yaml:"confirm"` // a yes/no question
	Yes     string `yaml:"yes"`     // confirm: where "yes" goes (default: the next step)
	No      string `yaml:"no"`      // confirm: where "no" goes (required)
	// YesWords are words that also mean yes to this confirm, besides the
	// built-in ones ("取消吧" to "cancel the order?").
	YesWords Words  `yaml:"yes_words"`
	Handoff  string `yaml:"handoff"` // hand the conversation to a person with this reason; ends the flow
	Goto     string `yaml:"goto"`    // continue at this step
	End      bool   `yaml:"end"`     // the flow ends here
	// Then ends the flow and starts the flow of this name for the same
	// order (the entity slots filled so far): a return asked for an order
	// already returned is its refund's status.
	Then  string   `yaml:"then"`
	Clear []string `yaml:"clear"` // slots emptied when the step runs, before anything else (to ask them again)
	// When makes the step conditional: it runs only when the condition
	// holds, and is skipped (the flow goes on with the next step)
	// otherwise.
	When *When `yaml:"when"`
	// Offer lets an ask step offer values from a list in the last
	// action's result ("Is it your latest order, DD…?") instead of only
	// asking for one.
	Offer *Offer `yaml:"offer"`

	params map[string]*template.Template
}

// When is a step's condition over the conversation, the slots and the
// last action's result. Every part given must hold.
type When struct {
	Customer *bool    `yaml:"customer"` // true: the conversation has a customer_ref; false: it has none
	Filled   []string `yaml:"filled"`   // these slots all have a non-empty value
	Empty    []string `yaml:"empty"`    // these slots all are empty or not filled
	Status   []string `yaml:"status"`   // the last action's status is one of these ("error" for a failed call)
	// Result maps a key of the last action's data to the values it may
	// have, compared as text (1 and 1.0 are "1"; a missing key is "").
	Result map[string][]string `yaml:"result"`
}

// Offer is how an ask step offers the items of a list in the last
// action's result: one item as a yes/no question, several as a numbered
// list the customer picks from ("2", "第二个", "the second one"). Without
// such items (no list, an empty one, a failed call) the step asks its
// slot's prompt. The customer may always answer with a value instead.
type Offer struct {
	List  string              `yaml:"list"`  // the key of the list in the last result's data ("orders")
	Value string              `yaml:"value"` // the key of an item's value for the slot ("order_id")
	Where map[string][]string `yaml:"where"` // only items whose key has one of these values ({status: [paid]})
	Max   int                 `yaml:"max"`   // at most this many items, in the list's order (1..9, default 5)
	One   Text                `yaml:"one"`   // the yes/no question for one item (.item)
	Many  Text                `yaml:"many"`  // the question for several (.offer: the items, each with .n from 1)
	// Confirms: a yes to the one item offered also answers the confirm
	// step that follows it without another question in between ("Cancel
	// order DD… (…)? It can't be restored" — "yes cancel it"), so the
	// customer is not asked the same thing twice.
	Confirms bool `yaml:"confirms"`
}

// DefaultOfferMax is how many items an offer lists when its max is not
// set.
const DefaultOfferMax = 5

// Text is a message in each language the bot speaks. Each is a
// text/template over .slots, .labels, .result, .status and .lang.
type Text struct {
	ZH string `yaml:"zh"`
	EN string `yaml:"en"`

	zh, en *template.Template
}

// Words are words per language.
type Words struct {
	ZH []string `yaml:"zh"`
	EN []string `yaml:"en"`
}

// Entity types a slot may have besides "text" and "choice".
var entityTypes = []string{"order_id", "tracking_number", "phone", "email", "amount", "date", "product"}

// mutating are the contract's actions that change something: a call to one
// needs a confirm step before it.
var mutating = []string{"cancel_order", "change_address", "create_return"}

// defaultAliases name entity slots in corrections.
var defaultAliases = map[string]Words{
	"order_id":        {ZH: []string{"订单", "单号"}, EN: []string{"order"}},
	"tracking_number": {ZH: []string{"快递单号", "运单", "物流单号", "快递"}, EN: []string{"tracking", "parcel", "package"}},
	"phone":           {ZH: []string{"电话", "手机"}, EN: []string{"phone", "number"}},
	"email":           {ZH: []string{"邮箱"}, EN: []string{"email", "e-mail"}},
	"amount":          {ZH: []string{"金额", "钱"}, EN: []string{"amount"}},
	"date":            {ZH: []string{"日期", "时间", "那天"}, EN: []string{"date", "day"}},
	"product":         {ZH: []string{"商品", "东西"}, EN: []string{"product", "item"}},
}

// MaxFileSize is the largest flow file Parse accepts.
const MaxFileSize = 256 << 10

var idPattern = nlutext.MustPattern(`^[a-z][a-z0-9_]*$`)

//go:embed flows/*.yaml
var builtin embed.FS

// Builtin returns the flows shipped with Assist (dialog/flow/flows).
func Builtin() ([]*Flow, error) {
	sub, err := fs.Sub(builtin, "flows")
	if err != nil {
		return nil, err
	}
	return Load(sub)
}

// Load parses every *.yaml and *.yml file in the root of fsys, in name
// order. Errors: EINVALID for an invalid file (naming it) or two flows with
// one name, ENOTFOUND when there is no flow file, ETOOLARGE for a file over
// MaxFileSize.
func Load(fsys fs.FS) ([]*Flow, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, assist.Wrap(assist.ENOTFOUND, err, "cannot read the flows folder")
	}
	var flows []*Flow
	seen := map[string]string{}
	for _, e := range entries {
		ext := path.Ext(e.Name())
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		data, err := readFile(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		f, err := Parse(e.Name(), data)
		if err != nil {
			return nil, err
		}
		if other, ok := seen[f.Name]; ok {
			return nil, assist.Errorf(assist.EINVALID, "%s: flow %q is also defined in %s", e.Name(), f.Name, other)
		}
		seen[f.Name] = e.Name()
		flows = append(flows, f)
	}
	if len(flows) == 0 {
		return nil, assist.Errorf(assist.ENOTFOUND, "no flow files (*.yaml, *.yml) in the flows folder")
	}
	return flows, nil
}

func readFile(fsys fs.FS, name string) ([]byte, error) {
	file, err := fsys.Open(name)
	if err != nil {
		return nil, assist.Wrap(assist.ENOTFOUND, err, "cannot open flow file "+name)
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, MaxFileSize+1))
	if err != nil {
		return nil, assist.Wrap(assist.EINVALID, err, "cannot read flow file "+name)
	}
	return data, nil
}

// Parse parses and validates one flow file; file names it in errors.
// Errors: ETOOLARGE over MaxFileSize; EINVALID for anything else wrong,
// with a message naming the file, the step or slot, and the field.
func Parse(file string, data []byte) (*Flow, error) {
	if len(data) > MaxFileSize {
		return nil, assist.Errorf(assist.ETOOLARGE, "%s: flow file is over %d bytes", file, MaxFileSize)
	}
	if !utf8.Valid(data) {
		return nil, assist.Errorf(assist.EINVALID, "%s: flow file is not UTF-8", file)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f Flow
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, assist.Errorf(assist.EINVALID, "%s: empty flow file", file)
		}
		return nil, assist.Errorf(assist.EINVALID, "%s: %s", file, yamlError(err))
	}
	f.file = file
	if err := f.compile(); err != nil {
		return nil, assist.Errorf(assist.EINVALID, "%s: %s", file, err)
	}
	return &f, nil
}

var yamlTypeName = nlutext.MustPattern(` in type flow\.\w+`)

// yamlError shortens a YAML error: no Go type names, one line.
func yamlError(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	s = strings.TrimPrefix(s, "unmarshal errors:\n  ")
	s = yamlTypeName.ReplaceAllString(s, "")
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}

// compile validates f and parses its templates.
func (f *Flow) compile() error {
	if f.Name == "" {
		return errors.New("name: missing")
	}
	if !idPattern.MatchString(f.Name) {
		return fmt.Errorf("name: %q is not lower_snake_case", f.Name)
	}
	for i, in := range f.Intents {
		if !idPattern.MatchString(in) {
			return fmt.Errorf("intents[%d]: %q is not an intent label", i, in)
		}
		if slices.Index(f.Intents, in) != i {
			return fmt.Errorf("intents: %q listed twice", in)
		}
	}
	if len(f.Steps) == 0 {
		return errors.New("steps: missing")
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range f.Slots {
			if !yield(n) {
				return
			}
		}
	})
	for _, n := range names {
		s := f.Slots[n]
		if s == nil {
			return fmt.Errorf("slot %q: empty", n)
		}
		s.Name = n
		if err := s.check(f); err != nil {
			return fmt.Errorf("slot %q: %v", n, err)
		}
	}
	f.index = make(map[string]int, len(f.Steps))
	for i, st := range f.Steps {
		if st == nil {
			return fmt.Errorf("steps[%d]: empty", i)
		}
		if st.ID == "" {
			return fmt.Errorf("steps[%d]: id: missing", i)
		}
		if !idPattern.MatchString(st.ID) {
			return fmt.Errorf("steps[%d]: id: %q is not lower_snake_case", i, st.ID)
		}
		if _, dup := f.index[st.ID]; dup {
			return fmt.Errorf("step %q: id: used twice", st.ID)
		}
		f.index[st.ID] = i
	}
	f.asked = map[string]int{}
	for i, st := range f.Steps {
		if err := st.check(f); err != nil {
			return fmt.Errorf("step %q: %v", st.ID, err)
		}
		if st.Ask != "" {
			for _, n := range []string{st.Ask, f.Slots[st.Ask].Or} {
				if _, ok := f.asked[n]; n != "" && !ok {
					f.asked[n] = i
					f.order = append(f.order, n)
				}
			}
		}
	}
	for _, n := range names {
		if _, ok := f.asked[n]; !ok {
			return fmt.Errorf("slot %q: no step asks it", n)
		}
	}
	if err := f.checkGraph(); err != nil {
		return err
	}
	return nil
}

func (s *Slot) check(f *Flow) error {
	switch {
	case s.Type == "":
		return errors.New("type: missing")
	case s.Type == "text":
		if s.Min == 0 {
			s.Min = 2
		}
		if s.Max == 0 {
			s.Max = 200
		}
		if s.Min < 0 || s.Max < s.Min {
			return fmt.Errorf("min, max: %d..%d is not a length range", s.Min, s.Max)
		}
		if s.Early != nil && *s.Early {
			return errors.New("early: text slots are only filled when asked")
		}
	case s.Type == "choice":
		if len(s.Options) < 2 {
			return errors.New("options: a choice needs at least two")
		}
		for i, o := range s.Options {
			if o.Value == "" {
				return fmt.Errorf("options[%d]: value: missing", i)
			}
			if slices.IndexFunc(s.Options, func(p Option) bool { return p.Value == o.Value }) != i {
				return fmt.Errorf("options[%d]: value: %q used twice", i, o.Value)
			}
			if err := o.Label.compile("options[" + o.Value + "].label"); err != nil {
				return err
			}
			words := append([]string{o.Value, o.Label.ZH, o.Label.EN}, o.Synonyms.ZH...)
			s.Options[i].words = foldAll(append(words, o.Synonyms.EN...))
		}
	case slices.Contains(entityTypes, s.Type):
	default:
		return fmt.Errorf("type: %q is not one of text, choice, %s", s.Type, strings.Join(entityTypes, ", "))
	}
	if s.Type != "text" && (s.Min != 0 || s.Max != 0) {
		return errors.New("min, max: only for text slots")
	}
	if s.Type != "choice" && len(s.Options) > 0 {
		return errors.New("options: only for choice slots")
	}
	if s.Otherwise != "" && (s.Type != "choice" || !slices.ContainsFunc(s.Options, func(o Option) bool { return o.Value == s.Otherwise })) {
		return fmt.Errorf("otherwise: %q is not an option of this choice slot", s.Otherwise)
	}
	if s.Allowed != "" && (s.Type != "choice" || !idPattern.MatchString(s.Allowed)) {
		return fmt.Errorf("allowed: %q is not a data key of a choice slot", s.Allowed)
	}
	for _, o := range s.Options {
		switch {
		case o.Instead == "":
		case s.Allowed == "":
			return fmt.Errorf("options.%s.instead: only for a slot with allowed", o.Value)
		case o.Instead == o.Value || !s.option(o.Instead):
			return fmt.Errorf("options.%s.instead: %q is not another option of this slot", o.Value, o.Instead)
		}
	}
	if len(s.All.ZH)+len(s.All.EN) > 0 && s.Type != "product" {
		return errors.New("all: only for product slots")
	}
	s.all = foldAll(append(slices.Clone(s.All.ZH), s.All.EN...))
	if s.Shape != "" && (s.Type != "text" || s.Shape != ShapeAddress) {
		return fmt.Errorf("shape: %q: only %q, for text slots", s.Shape, ShapeAddress)
	}
	if s.Or != "" {
		o, ok := f.Slots[s.Or]
		switch {
		case !ok || o == nil:
			return fmt.Errorf("or: unknown slot %q", s.Or)
		case s.Or == s.Name:
			return errors.New("or: names the slot itself")
		case !slices.Contains(entityTypes, s.Type) || !slices.Contains(entityTypes, o.Type) || o.Type == s.Type:
			return errors.New("or: both slots must have different entity types")
		}
	}
	if err := s.Prompt.compileIn(f, "prompt"); err != nil {
		return err
	}
	if s.Invalid.ZH != "" || s.Invalid.EN != "" {
		if err := s.Invalid.compileIn(f, "invalid"); err != nil {
			return err
		}
	}
	if len(s.Aliases.ZH)+len(s.Aliases.EN) == 0 {
		s.Aliases = defaultAliases[s.Type]
	}
	s.aliases = foldAll(append(slices.Clone(s.Aliases.ZH), s.Aliases.EN...))
	return nil
}

// early reports whether the slot is filled from messages that answer
// something else.
func (s *Slot) early() bool {
	if s.Early != nil {
		return *s.Early
	}
	return s.Type != "text"
}

func (st *Step) check(f *Flow) error {
	kinds := 0
	for _, set := range []bool{st.Ask != "", st.Call != "", st.Confirm != nil, st.Handoff != "", st.Goto != "" && st.Say == nil, st.End && st.Say == nil, st.Then != "" && st.Say == nil, st.Say != nil && st.Handoff == ""} {
		if set {
			kinds++
		}
	}
	if kinds != 1 {
		return errors.New("needs exactly one of ask, call, confirm, handoff, say, goto, end, then (say may come with goto, end or then, handoff with say)")
	}
	if n := btoi(st.Goto != "") + btoi(st.End) + btoi(st.Then != ""); n > 1 {
		return errors.New("goto, end, then: only one of them")
	}
	if st.Then != "" && (st.Then == f.Name || !idPattern.MatchString(st.Then)) {
		return fmt.Errorf("then: %q is not another flow's name", st.Then)
	}
	if st.Call == "" && (len(st.Params) > 0 || len(st.On) > 0 || st.Mutates) {
		return errors.New("params, on, mutates: only for call steps")
	}
	if st.Confirm == nil && (st.Yes != "" || st.No != "" || len(st.YesWords.ZH)+len(st.YesWords.EN) > 0) {
		return errors.New("yes, no, yes_words: only for confirm steps")
	}
	if st.Handoff != "" && (st.Goto != "" || st.End || st.Then != "") {
		return errors.New("goto, end, then: a handoff ends the flow")
	}
	if st.Handoff != "" && !catalog.IsReason(st.Handoff) {
		return fmt.Errorf("handoff: unknown reason %q (one of %s)", st.Handoff, strings.Join(catalog.Reasons(), ", "))
	}
	if st.When != nil {
		if err := st.When.check(f); err != nil {
			return fmt.Errorf("when: %v", err)
		}
	}
	if st.Offer != nil {
		if st.Ask == "" {
			return errors.New("offer: only for ask steps")
		}
		if s, ok := f.Slots[st.Ask]; ok && !slices.Contains(entityTypes, s.Type) {
			return fmt.Errorf("offer: slot %q is a %s slot; only entity slots take offered values", st.Ask, s.Type)
		}
		if err := st.Offer.check(f); err != nil {
			return fmt.Errorf("offer.%v", err)
		}
	}
	for _, n := range st.Clear {
		if _, ok := f.Slots[n]; !ok {
			return fmt.Errorf("clear: unknown slot %q", n)
		}
	}
	ref := func(field, id string) error {
		if _, ok := f.index[id]; !ok {
			return fmt.Errorf("%s: unknown step %q", field, id)
		}
		return nil
	}
	switch {
	case st.Ask != "":
		if _, ok := f.Slots[st.Ask]; !ok {
			return fmt.Errorf("ask: unknown slot %q", st.Ask)
		}
	case st.Call != "":
		if !idPattern.MatchString(st.Call) {
			return fmt.Errorf("call: %q is not an action name", st.Call)
		}
		if slices.Contains(mutating, st.Call) {
			st.Mutates = true
		}
		st.params = map[string]*template.Template{}
		for _, k := range sortedKeys(st.Params) {
			t, err := parseTemplate(f, "params."+k, st.Params[k])
			if err != nil {
				return err
			}
			st.params[k] = t
		}
		for _, k := range sortedKeys(st.On) {
			if !idPattern.MatchString(k) {
				return fmt.Errorf("on: %q is not a status", k)
			}
			if err := ref("on."+k, st.On[k]); err != nil {
				return err
			}
		}
	case st.Confirm != nil:
		if err := st.Confirm.compileIn(f, "confirm"); err != nil {
			return err
		}
		if st.No == "" {
			return errors.New("no: missing (where a \"no\" goes)")
		}
		if err := ref("no", st.No); err != nil {
			return err
		}
		if st.Yes != "" {
			if err := ref("yes", st.Yes); err != nil {
				return err
			}
		}
	case st.Handoff != "":
		if !idPattern.MatchString(st.Handoff) {
			return fmt.Errorf("handoff: %q is not a reason code", st.Handoff)
		}
	}
	if st.Card != "" && (st.Say == nil || st.Card != assist.CardOrder && st.Card != assist.CardShipment) {
		return fmt.Errorf("card: %q needs a say and is order or shipment", st.Card)
	}
	if st.Say != nil {
		if err := st.Say.compileIn(f, "say"); err != nil {
			return err
		}
	}
	if st.Goto != "" {
		return ref("goto", st.Goto)
	}
	return nil
}

func (w *When) check(f *Flow) error {
	if w.Customer == nil && len(w.Filled)+len(w.Empty)+len(w.Status)+len(w.Result) == 0 {
		return errors.New("empty condition (customer, filled, empty, status or result)")
	}
	for _, part := range []struct {
		field string
		names []string
	}{{"filled", w.Filled}, {"empty", w.Empty}} {
		for _, n := range part.names {
			if _, ok := f.Slots[n]; !ok {
				return fmt.Errorf("%s: unknown slot %q", part.field, n)
			}
		}
	}
	for _, s := range w.Status {
		if !idPattern.MatchString(s) {
			return fmt.Errorf("status: %q is not a status", s)
		}
	}
	return checkMatch("result", w.Result)
}

// checkMatch checks a key → values map of a condition.
func checkMatch(field string, m map[string][]string) error {
	for _, k := range sortedKeys(m) {
		if !idPattern.MatchString(k) {
			return fmt.Errorf("%s: %q is not a data key", field, k)
		}
		if len(m[k]) == 0 {
			return fmt.Errorf("%s.%s: no values", field, k)
		}
	}
	return nil
}

func (o *Offer) check(f *Flow) error {
	switch {
	case !idPattern.MatchString(o.List):
		return fmt.Errorf("list: %q is not a data key", o.List)
	case !idPattern.MatchString(o.Value):
		return fmt.Errorf("value: %q is not a data key", o.Value)
	case o.Max < 0 || o.Max > 9:
		return fmt.Errorf("max: %d is not in 1..9", o.Max)
	}
	if o.Max == 0 {
		o.Max = DefaultOfferMax
	}
	if err := checkMatch("where", o.Where); err != nil {
		return err
	}
	if err := o.One.compileIn(f, "one"); err != nil {
		return err
	}
	return o.Many.compileIn(f, "many")
}

// next returns the steps st may lead to; len(f.Steps) is the flow's end.
func (f *Flow) next(i int) []int {
	st := f.Steps[i]
	switch {
	case st.Handoff != "" || st.End || st.Then != "":
		return nil
	case st.Goto != "":
		return []int{f.index[st.Goto]}
	case st.Call != "":
		out := []int{i + 1}
		for _, k := range sortedKeys(st.On) {
			out = append(out, f.index[st.On[k]])
		}
		return out
	case st.Confirm != nil:
		yes := i + 1
		if st.Yes != "" {
			yes = f.index[st.Yes]
		}
		return []int{yes, f.index[st.No]}
	}
	return []int{i + 1}
}

// checkGraph rejects unreachable steps and changing calls that some path
// reaches without a confirm after the last question.
func (f *Flow) checkGraph() error {
	type node struct {
		i         int
		confirmed bool
	}
	seen := map[node]bool{}
	reached := make([]bool, len(f.Steps)+1)
	queue := []node{{0, false}}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if seen[n] {
			continue
		}
		seen[n] = true
		reached[n.i] = true
		if n.i == len(f.Steps) {
			continue
		}
		st := f.Steps[n.i]
		if st.Call != "" && st.Mutates && !n.confirmed {
			return fmt.Errorf("step %q: call: %s changes something, but a path reaches it without a confirm step after the last ask", st.ID, st.Call)
		}
		if st.When != nil {
			queue = append(queue, node{n.i + 1, n.confirmed}) // skipped
		}
		for k, j := range f.next(n.i) {
			c := n.confirmed
			switch {
			case st.Ask != "" || (st.Call != "" && st.Mutates):
				c = false
			case st.Confirm != nil:
				c = k == 0 // the yes branch
			}
			queue = append(queue, node{j, c})
		}
	}
	for i, st := range f.Steps {
		if !reached[i] {
			return fmt.Errorf("step %q: unreachable", st.ID)
		}
	}
	return nil
}

func (t *Text) compile(field string) error { return t.compileIn(nil, field) }

func (t *Text) compileIn(f *Flow, field string) error {
	if t.ZH == "" || t.EN == "" {
		return fmt.Errorf("%s: needs both zh and en", field)
	}
	var err error
	if t.zh, err = parseTemplate(f, field+".zh", t.ZH); err != nil {
		return err
	}
	t.en, err = parseTemplate(f, field+".en", t.EN)
	return err
}

// Template functions: order_status names an order status in the text's
// language (an unknown status as it is); from_today says how far a day
// is from today in words, from its number of days (eta_days) or else its
// day word (eta_day: "today", "tomorrow"), "" when neither says. Both
// read the catalogue as the run's shop words it (tenant overrides of
// order_status.* and day.*); templates are parsed with the shop-less ones.
var (
	funcsZH = funcsFor("", "zh")
	funcsEN = funcsFor("", "en")
)

// funcsFor returns the template functions in lang for the shop tenant
// ("": the catalogue's own words).
func funcsFor(tenant, lang string) template.FuncMap {
	return template.FuncMap{
		"order_status": func(s any) string { return statusName(s, tenant, lang) },
		"from_today":   func(days, day any) string { return fromToday(days, day, tenant, lang) },
		"weekday":      func(date any) string { return weekday(date, tenant, lang) },
		"day_date":     func(date, days, day any) string { return dayDate(date, days, day, tenant, lang) },
		// person names who a hand-off brings in, in the catalogue's words
		// (key "person"): the one wording the bot's offers of a person share.
		"person": func() string { return catalog.Default().SayFor(tenant, lang, "person") },
	}
}

// nearDays is how many days from today have a word of their own in the
// catalogue (day.0: today, day.1: tomorrow, day.2: the day after).
const nearDays = 3

// fromToday names in lang the day days (eta_days) from today, else the
// day word day (eta_day: "today", "tomorrow"), from the catalogue's day
// words; "" when neither says.
func fromToday(days, day any, tenant, lang string) string {
	n, err := strconv.Atoi(asText(days))
	if err != nil {
		switch asText(day) {
		case "today":
			n = 0
		case "tomorrow":
			n = 1
		default:
			return ""
		}
	}
	switch {
	case n < 0:
		return ""
	case n < nearDays:
		return catalog.Default().SayFor(tenant, lang, "day."+strconv.Itoa(n))
	}
	return catalog.Default().SayFor(tenant, lang, "day.later", "n", strconv.Itoa(n))
}

// weekday names in lang the day of the week of date (a day of the
// backend contract, "2026-11-10": "Tuesday", "周二"), from the catalogue's
// weekday words; "" when date is no such day. A customer asks "so
// tuesday-ish?" of an expected delivery; the date alone does not say.
func weekday(date any, tenant, lang string) string {
	t, err := time.Parse(time.DateOnly, asText(date))
	if err != nil {
		return ""
	}
	return catalog.Default().SayFor(tenant, lang, "weekday."+strconv.Itoa(int(t.Weekday())))
}

// dayDate says in lang an expected day as the catalogue words every one
// (day.dated: "in 3 days (2026-11-11, Wednesday)", "3 天后（2026-11-11，
// 周三）"): the day from today (fromToday, from days or day), then date
// and its weekday; the day alone when date is no day; "" when neither
// days nor day says.
func dayDate(date, days, day any, tenant, lang string) string {
	d := fromToday(days, day, tenant, lang)
	if d == "" {
		return ""
	}
	w := weekday(date, tenant, lang)
	if w == "" {
		return d
	}
	return catalog.Default().SayFor(tenant, lang, "day.dated", "day", d, "date", asText(date), "weekday", w)
}

// statusName names an order status of the backend contract (get_order,
// list_orders) in lang as the shop tenant words it, from the catalogue (order_status.*); an unknown
// status as it is.
func statusName(s any, tenant, lang string) string {
	v := asText(s)
	key := "order_status." + v
	if t := catalog.Default().SayFor(tenant, lang, key); t != key {
		return t
	}
	return v
}

// parseTemplate parses one template; with f, it also checks that every
// .slots.X and .labels.X names a slot of f.
func parseTemplate(f *Flow, field, text string) (*template.Template, error) {
	funcs := funcsEN
	if strings.HasSuffix(field, ".zh") {
		funcs = funcsZH
	}
	t, err := template.New(field).Option("missingkey=zero").Funcs(funcs).Parse(text)
	if err != nil {
		msg := err.Error()
		if i := strings.LastIndex(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		return nil, fmt.Errorf("%s: bad template: %s", field, msg)
	}
	if f != nil && t.Tree != nil {
		var bad string
		walk(t.Tree.Root, func(fn *parse.FieldNode) {
			if len(fn.Ident) >= 2 && (fn.Ident[0] == "slots" || fn.Ident[0] == "labels") && bad == "" {
				if _, ok := f.Slots[fn.Ident[1]]; !ok {
					bad = fn.Ident[1]
				}
			}
		})
		if bad != "" {
			return nil, fmt.Errorf("%s: unknown slot %q", field, bad)
		}
	}
	return t, nil
}

// walk calls fn on every field node under n.
func walk(n parse.Node, fn func(*parse.FieldNode)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				walk(c, fn)
			}
		}
	case *parse.ActionNode:
		walk(n.Pipe, fn)
	case *parse.PipeNode:
		if n != nil {
			for _, c := range n.Cmds {
				walk(c, fn)
			}
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			walk(a, fn)
		}
	case *parse.FieldNode:
		fn(n)
	case *parse.IfNode:
		walk(n.Pipe, fn)
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.RangeNode:
		walk(n.Pipe, fn)
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.WithNode:
		walk(n.Pipe, fn)
		walk(n.List, fn)
		walk(n.ElseList, fn)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Step returns the step with the given id.
func (f *Flow) Step(id string) (*Step, bool) {
	i, ok := f.index[id]
	if !ok {
		return nil, false
	}
	return f.Steps[i], true
}

// In returns the text in lang ("zh", or English for anything else) as
// written, without executing it.
func (t Text) In(lang string) string {
	if lang == "zh" {
		return t.ZH
	}
	return t.EN
}

// foldAll folds words for matching, dropping empty ones.
func foldAll(words []string) []string {
	var out []string
	for _, w := range words {
		if w = fold(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// btoi is 1 for true.
func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
