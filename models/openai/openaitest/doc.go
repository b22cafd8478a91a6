// Package openaitest is an in-process fake of an OpenAI-compatible server
// for tests: it speaks the chat-completions protocol (plain and streamed as
// server-sent events ending in "data: [DONE]") and the embeddings protocol,
// checks the bearer token, records the requests, and answers through
// replaceable handler functions.
//
// The main type is Server. NewServer starts one on a loopback port; point a
// client (models/openai.Config.BaseURL) at Server.URL+"/v1":
//
//	srv := openaitest.NewServer(t)
//	srv.Chat = func(ctx context.Context, r openaitest.ChatRequest) (string, error) {
//		return `{"intent":"greeting","confidence":0.9}`, nil
//	}
//	client, _ := openai.New(openai.Config{BaseURL: srv.BaseURL(), APIKey: srv.APIKey, ...})
//
// Without handlers the server still answers: chat echoes the last user
// message, streams cut that answer into small chunks, and embeddings are
// deterministic hashed bag-of-tokens vectors (texts sharing words or
// characters get similar vectors), so retrieval tests can run without a
// model. A handler returning an *Error makes the server answer with that
// HTTP status and an OpenAI error body.
package openaitest
