// Package intent is the trained intent classifier: featurizer, trainer,
// ONNX export and serving, in pure Go.
//
//   - FeatureConfig.Featurize hashes a normalised message (nlu/text) into
//     feature ids: Latin-word and Chinese-character unigrams, bigrams of
//     adjacent tokens, Chinese character trigrams and character n-grams of
//     Latin words. Training and serving share it.
//   - Train fits a fastText-style network (Net: an embedding bag over the
//     hashed features, mean or sqrt pooling, an optional tanh hidden layer,
//     softmax) with SGD, feature dropout and label smoothing, stops early
//     on validation data and calibrates the out-of-scope threshold and the
//     ambiguity margin (Calibrate). With Options.Members > 1 it trains
//     several networks with derived seeds, an Ensemble whose probabilities
//     are averaged. It is deterministic for a seed.
//   - LoadFile reads JSON Lines, CSV and Rasa nlu.yml training data.
//   - Save writes a model directory: model.onnx (Export, built with
//     models/onnxgraph; inputs ids and weights [batch, n], output probs
//     [batch, classes], the members' mean inside the one graph) and
//     model.json (Meta: labels, featurizer settings, threshold, margin,
//     training-data hash, metrics, version).
//   - Model serves one model directory through a models.Runner (opened by
//     an Opener that cmd/assist backs with ONNX Runtime), batched; the
//     Classifier holds the current Model behind an atomic pointer and swaps
//     in a new one without dropping requests (Load, Reload). It implements
//     nlu.IntentModel.
package intent
