package models

// ChatRole is who speaks a ChatMessage.
type ChatRole string

const (
	ChatSystem    ChatRole = "system"
	ChatUser      ChatRole = "user"
	ChatAssistant ChatRole = "assistant"
)

// ChatMessage is one message of a chat-completion request.
type ChatMessage struct {
	Role    ChatRole
	Content string
}

// ChatRequest is a chat-completion request to a language model. The
// adapter (models/openai) fills in the model name and endpoint from its
// configuration.
type ChatRequest struct {
	Messages    []ChatMessage
	MaxTokens   int     // 0: the adapter's default
	Temperature float32 // 0 is deterministic as far as the model allows
	// JSONSchema, when set, asks for a JSON answer that validates against
	// it (OpenAI's response_format json_schema). SchemaName names it.
	JSONSchema []byte
	SchemaName string
}

// Embedding is a dense vector for one text.
type Embedding []float32
