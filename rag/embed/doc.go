// Package embed is the ONNX sentence embedder of the dense leg: a BERT
// WordPiece tokenizer and an Embedder that runs a sentence-transformers
// style model (a folder with model.onnx, vocab.txt and a pooling config)
// through a models.Runner, pools its token states (mean over the
// attention mask, or the [CLS] token) and L2-normalises the result. It
// implements rag.Embedder.
//
// The package is domain code: it never imports the ONNX Runtime adapter.
// The caller (cmd/assist) passes an Opener that loads a model file, for
// example
//
//	func(path string) (embed.Model, error) { return rt.OpenSession(path, onnx.SessionOptions{}) }
//
// since *onnx.Session has every method of Model.
//
// The main types:
//
//   - Tokenizer: BERT basic tokenization (control characters dropped,
//     whitespace normalised, CJK ideographs split into single tokens,
//     optional lower-casing and accent stripping, punctuation split) and
//     greedy longest-match-first WordPiece with "##" continuations and
//     [UNK], framed by [CLS] … [SEP] and cut to a maximum length.
//   - Embedder: feeds input_ids, and attention_mask and token_type_ids when
//     the model declares them, in batches padded with [PAD].
//   - Load: reads a model folder. Settings come from assist.json when
//     present ({"pooling": "mean"|"cls", "lowercase": bool,
//     "strip_accents": bool, "max_length": n, "output": name,
//     "batch_size": n}), otherwise from the sentence-transformers files
//     (1_Pooling/config.json, sentence_bert_config.json,
//     tokenizer_config.json); the defaults are mean pooling, lower-casing
//     and 512 tokens.
package embed
