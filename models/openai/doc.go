// Package openai is the adapter to OpenAI-compatible language-model
// endpoints (OpenAI, DeepSeek, Qwen/DashScope, vLLM, Ollama) over
// github.com/sashabaranov/go-openai.
//
// The main type is Client, built by New from a Config. It offers
//
//   - Chat: one chat completion, with a JSON-schema response_format when
//     the request carries a schema;
//   - ChatStream: the same answer streamed (server-sent events), delta by
//     delta;
//   - Embed: dense vectors for texts, sent in batches.
//
// Every failure is an *assist.Error: EUNAVAILABLE for timeouts, 5xx
// answers and connection failures; ERATELIMITED for 429; EUNAUTHORIZED for
// 401/403; EINVALID (ETOOLARGE for 413) for other 4xx answers and bad
// requests. Error messages never contain the API key, the prompt or the
// server's free-text message (which can echo either); they carry the HTTP
// status and the server's error type and code. Transient failures
// (EUNAVAILABLE, ERATELIMITED) are retried up to Config.MaxRetries times
// with exponential backoff.
//
// Package openaitest holds a fake server that speaks the protocol, for
// tests here and in other packages.
package openai
