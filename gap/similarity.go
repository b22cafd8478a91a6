package gap

import "github.com/assistd/assist/rag"

// Vector is a question's features with their weights (rag.Vector): the
// notions it names (the shop and paraphrase lexicons' lines, in either
// language), English word stems and Chinese character bigrams, so a
// question clusters with its paraphrases in other words and languages.
type Vector = rag.Vector

// Corpus weighs features by inverse document frequency (rag.Corpus).
type Corpus = rag.Corpus

// Features returns the features of a text (before IDF weighting).
func Features(text string) Vector { return rag.ParaphraseFeatures(text) }

// NewCorpus counts the documents each feature appears in.
func NewCorpus(vs []Vector) *Corpus { return rag.NewCorpus(vs) }

// Cosine is the cosine of two weighted vectors.
func Cosine(a, b Vector) float64 { return rag.Cosine(a, b) }
