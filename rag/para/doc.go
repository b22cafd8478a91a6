// Package para is the question encoder that matches a customer's question
// to a published answer asked in other words (rag.Service.Paraphrases).
//
// Net is an embedding bag over the intent model's hashed features
// (nlu/intent FeatureConfig: words, bigrams, Chinese character n-grams,
// character n-grams of Latin words), summed, divided by the square root of
// their count and scaled to unit length; two questions are alike by their
// cosine. Train fits it on groups of texts that ask one thing (the gap
// replay files' questions with their answer), and on looser groups at a
// lower weight (the questions one help-center article answers, the
// messages of one intent), with an in-batch contrastive loss: each group's
// anchor must pick its own positive among the batch's. It is deterministic
// for a seed and takes seconds; TrainHeads joins nets trained with
// successive seeds into one whose cosine is their mean (one net's moves
// with its seed); `assist train paraphrase` trains it from
// the repository's data and Save writes it (model directory, File).
//
// The forward pass is a sum of table rows, served in Go: the published
// matcher encodes each entry and article passage once per knowledge-base
// load and each question once.
package para
