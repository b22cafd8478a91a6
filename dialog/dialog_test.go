package dialog_test

import (
	"context"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/nlu/text"
)

func TestLang(t *testing.T) {
	tests := []struct {
		name string
		turn dialog.Turn
		want string
	}{
		{"no conversation, no message", dialog.Turn{}, "en"},
		{"guessed from the message", dialog.Turn{Message: &assist.Message{Text: "你好"}}, "zh"},
		{"the language the customer writes now wins", dialog.Turn{
			Conversation: &assist.Conversation{Lang: "en"},
			Message:      &assist.Message{Text: "你好"},
		}, "zh"},
		{"a message too short to tell keeps the conversation's", dialog.Turn{
			Conversation: &assist.Conversation{Lang: "zh"},
			Message:      &assist.Message{Text: "ok"},
		}, "zh"},
		{"conversation without language falls back to the text", dialog.Turn{
			Conversation: &assist.Conversation{},
			Message:      &assist.Message{Text: "你好"},
		}, "zh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dialog.Lang(tt.turn); got != tt.want {
				t.Errorf("Lang = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestHandoffPolicy(t *testing.T) {
	tests := []struct {
		name     string
		convLang string
		text     string
		wantLang string
	}{
		{"english message", "", "Where is my parcel?", "en"},
		{"chinese message", "", "我的包裹在哪里？", "zh"},
		{"chinese conversation, latin text", "zh", "ok", "zh"},
		{"english conversation, chinese text", "en", "好的", "zh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			turn := dialog.Turn{
				Conversation: &assist.Conversation{ID: "c1", Lang: tt.convLang},
				Message:      &assist.Message{ID: "m1", Text: tt.text},
			}
			reply, err := dialog.HandoffPolicy{}.Respond(context.Background(), turn)
			if err != nil {
				t.Fatalf("Respond: %v", err)
			}
			if len(reply.Messages) != 1 || reply.Messages[0] != dialog.HandoffText(tt.wantLang) {
				t.Errorf("Messages = %q, want [%q]", reply.Messages, dialog.HandoffText(tt.wantLang))
			}
			if reply.Handoff == nil || reply.Handoff.Reason != dialog.ReasonNoAutomation {
				t.Errorf("Handoff = %+v, want reason %q", reply.Handoff, dialog.ReasonNoAutomation)
			}
		})
	}
}

// The texts the customer reads must differ by language and never be empty.
func TestTexts(t *testing.T) {
	for _, f := range []struct {
		name string
		text func(string) string
	}{{"HandoffText", dialog.HandoffText}, {"ErrorText", dialog.ErrorText}} {
		zh, en := f.text("zh"), f.text("en")
		if zh == "" || en == "" || zh == en {
			t.Errorf("%s: zh %q, en %q: want two different non-empty texts", f.name, zh, en)
		}
		if text.Detect(zh) != text.ZH || text.Detect(en) != text.EN {
			t.Errorf("%s: the texts are not in the language they are for", f.name)
		}
		if other := f.text("fr"); other != en {
			t.Errorf("%s(\"fr\") = %q, want the English text", f.name, other)
		}
	}
}

func TestPolicyFunc(t *testing.T) {
	var got dialog.Turn
	p := dialog.PolicyFunc(func(_ context.Context, t dialog.Turn) (dialog.Reply, error) {
		got = t
		return dialog.Reply{Messages: []string{"hi"}}, nil
	})
	in := dialog.Turn{Message: &assist.Message{ID: "m1"}}
	reply, err := p.Respond(context.Background(), in)
	if err != nil || len(reply.Messages) != 1 || reply.Messages[0] != "hi" || got.Message != in.Message {
		t.Errorf("PolicyFunc.Respond = %+v, %v; saw turn %+v", reply, err, got)
	}
}
