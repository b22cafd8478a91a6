// Package ingest turns files into rag.Documents ready for rag.Service.Ingest:
// loaders for Markdown, HTML, PDF, plain text, FAQ tables (CSV and JSON
// Lines with question and answer) and JSON Lines passages (id, title,
// text), and the chunking (heading-aware for Markdown and HTML; langchaingo's
// recursive splitter with Chinese sentence ends kept with their sentence;
// sizes by language, with overlap).
//
// Documents are named stably: a file's base name ("en-returns.md"), or the
// id of a JSON Lines or CSV entry that has one. Load reads one file; Files
// expands folders.
package ingest
