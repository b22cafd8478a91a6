package nlu

import "time"

// Lang is a message's language as the NLU sees it.
type Lang string

const (
	LangZH    Lang = "zh"
	LangEN    Lang = "en"
	LangMixed Lang = "mixed"
)

// OutOfScope is the label of messages that fit no intent.
const OutOfScope = "out_of_scope"

// Scored is one label with its probability.
type Scored struct {
	Label string  `json:"label"`
	Score float32 `json:"score"`
}

// Intent is the outcome of intent detection for one message.
type Intent struct {
	Label      string   `json:"label"`      // the accepted label; OutOfScope when below threshold
	Confidence float32  `json:"confidence"` // probability of the top label
	Top        []Scored `json:"top"`        // best labels first (at least two when the model has two)
	Ambiguous  bool     `json:"ambiguous"`  // top-1 and top-2 are closer than the margin
	Source     string   `json:"source"`     // "onnx" or "llm"
	Model      string   `json:"model"`      // version of the model that answered
}

// Entity is one value found in a message. Start and End are byte offsets
// into the original (not normalised) text.
type Entity struct {
	Type  string `json:"type"`  // order_id, tracking_number, phone, email, amount, date, product
	Text  string `json:"text"`  // as written
	Value string `json:"value"` // normalised: digits only, ISO date, "199.00 CNY", ...
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Result is everything the NLU knows about one message.
type Result struct {
	Text     string        `json:"-"`    // the normalised text
	Masked   string        `json:"-"`    // the text with PII replaced by placeholders
	Lang     Lang          `json:"lang"` // zh, en or mixed
	Intent   Intent        `json:"intent"`
	Entities []Entity      `json:"entities"`
	Took     time.Duration `json:"-"`
}
