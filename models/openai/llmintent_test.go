package openai_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/models/openai/openaitest"
	"github.com/assistd/assist/nlu/llmintent"
)

// TestLLMIntentEndToEnd runs the LLM intent classifier through this client
// against the fake server: the schema reaches the wire, the answer comes
// back as an nlu.Intent, and bad answers become fall-back errors.
func TestLLMIntentEndToEnd(t *testing.T) {
	srv := openaitest.NewServer(t)
	srv.Chat = func(_ context.Context, r openaitest.ChatRequest) (string, error) {
		rf := r.ResponseFormat
		if rf == nil || rf.Type != "json_schema" || rf.JSONSchema == nil || rf.JSONSchema.Name != "intent" {
			return "", &openaitest.Error{Status: 400, Type: "invalid_request_error", Message: "no schema"}
		}
		var schema struct {
			Properties struct {
				Intent struct {
					Enum []string `json:"enum"`
				} `json:"intent"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(rf.JSONSchema.Schema, &schema); err != nil || len(schema.Properties.Intent.Enum) != len(llmintent.DefaultLabels) {
			return "", &openaitest.Error{Status: 400, Type: "invalid_request_error", Message: "bad schema"}
		}
		// A tiny keyword "model" over the delimited customer text.
		text := r.LastUser()
		switch {
		case strings.Contains(text, "退款"):
			return `{"intent":"refund_status","confidence":0.91}`, nil
		case strings.Contains(text, "weather"):
			return `{"intent":"out_of_scope","confidence":0.8}`, nil
		case strings.Contains(text, "garbage"):
			return `Sure! The intent is refund_status.`, nil
		default:
			return `{"intent":"make_coffee","confidence":0.99}`, nil
		}
	}
	client := newClient(t, srv, nil)
	c := &llmintent.Classifier{Chat: client, Model: "chat-model"}

	got, err := c.Classify(context.Background(), "我的退款什么时候到账")
	if err != nil {
		t.Fatal(err)
	}
	if got.Label != "refund_status" || got.Confidence != 0.91 || got.Source != "llm" || got.Model != "chat-model" {
		t.Errorf("got %+v", got)
	}
	if got, err := c.Classify(context.Background(), "how's the weather in Hangzhou"); err != nil || got.Label != "out_of_scope" {
		t.Errorf("weather: %+v, %v", got, err)
	}
	for _, text := range []string{"garbage please", "make me a coffee"} {
		if _, err := c.Classify(context.Background(), text); assist.ErrorCode(err) != assist.EUNAVAILABLE {
			t.Errorf("%q: err %v, want EUNAVAILABLE", text, err)
		}
	}
	cr := srv.ChatRequests()[0]
	if cr.Temperature != 0 || cr.MaxTokens != 64 || len(cr.Messages) != 2 || !strings.Contains(cr.Messages[1].Content, "<customer_message>") {
		t.Errorf("request %+v", cr)
	}

	srv.Chat = func(context.Context, openaitest.ChatRequest) (string, error) {
		return "", &openaitest.Error{Status: 503, Type: "server_error"}
	}
	if _, err := c.Classify(context.Background(), "我的退款什么时候到账"); assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Errorf("server down: %v", err)
	}
	srv.Chat = func(ctx context.Context, _ openaitest.ChatRequest) (string, error) {
		<-ctx.Done()
		return "", ctx.Err()
	}
	c.Timeout = 20 * time.Millisecond
	if _, err := c.Classify(context.Background(), "退款"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow server: %v", err)
	}
}
