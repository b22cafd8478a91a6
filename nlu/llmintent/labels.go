package llmintent

import "github.com/assistd/assist/catalog"

// Label is one intent the classifier can answer.
type Label struct {
	Name          string // the exact label, e.g. "order_status"
	Description   string // what the customer wants, in English
	DescriptionZH string // the same in Chinese
}

// DefaultLabels is the default e-commerce intent set: the intent
// catalogue's labels and descriptions (package catalog), so the LLM is
// asked for exactly the labels of the default intent model.
var DefaultLabels = func() []Label {
	var out []Label
	for _, in := range catalog.Default().Intents() {
		out = append(out, Label{Name: in.Label, Description: in.Description.EN, DescriptionZH: in.Description.ZH})
	}
	return out
}()
