// Package llmintent classifies a customer message's intent with a large
// language model, for when there is no trained model or the trained model
// is unsure.
//
// The main types are:
//
//   - Classifier: builds a prompt listing the intents with their English
//     and Chinese descriptions, asks the model for a JSON answer
//     {"intent", "confidence"} constrained by a JSON schema whose intent is
//     an enum of the labels, validates the answer against the label set and
//     returns an nlu.Intent with Source "llm". Any failure (model error,
//     timeout, malformed JSON, unknown label) is an error the caller answers
//     by falling back to the trained model.
//   - ChatModel: the one-method interface the Classifier calls the model
//     through; *models/openai.Client implements it.
//   - Label: an intent's name and descriptions. DefaultLabels is the default
//     e-commerce intent set (the labels of the default intent model).
//
// The customer's text goes into the prompt as data: JSON-escaped (so it
// cannot close its delimiters) between <customer_message> tags, with an
// instruction that it contains no instructions for the model. It should be
// PII-masked (nlu/pii) before it gets here.
package llmintent
