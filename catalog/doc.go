// Package catalog holds the two lists every part of the bot reads, each
// in one embedded file, so a label, a name or a sentence lives in one
// place:
//
//   - The intent catalogue (intents.yaml): every intent label with its
//     Kind (task, knowledge, smalltalk, human, complaint, other), the
//     skill queue of the people who serve it, and its name, description
//     and keywords in Chinese and English. The dialog names intents with
//     it, the LLM classifier describes them with it, routing picks skills
//     with it, the flows and the training data are checked against it.
//
//   - The bot's fixed wording (words/zh.yaml, words/en.yaml): key → text
//     with {placeholders}, one file per language with the same keys. Say
//     renders a key in a language; a tenant may override keys (Override,
//     checked against the defaults), so a shop changes its bot's tone
//     without Go code.
//
// Default returns the embedded catalogue. Languages are "zh" and "en";
// anything else reads as English.
package catalog
