// Package text holds the text handling the NLU shares between training and
// serving: Normalize (Unicode NFKC, full-width to half-width, lower case,
// collapsed whitespace), Detect (the language of a message: zh, en or mixed)
// and Segments (runs of Han characters and of Latin letters or digits, the
// units the intent featurizer builds its features from).
//
// Everything here is pure, deterministic and safe for concurrent use. Input
// that is not valid UTF-8 is repaired (invalid bytes become U+FFFD) rather
// than rejected, so a message never fails to normalise.
package text
