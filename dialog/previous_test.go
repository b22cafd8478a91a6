package dialog

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
)

// "And the one before that?" walks back from the order just shown. When
// the order shown is not among the customer's listed orders (another
// listing, an order found by its parcel), the bot does not know which one
// came before it and must not present the newest order as that one.
func TestPreviousOrderOfAnOrderNotListed(t *testing.T) {
	flows, err := flow.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	engine, err := flow.NewEngine(flows, &closet{})
	if err != nil {
		t.Fatal(err)
	}
	a := &Assistant{NLU: script{}, KB: &helpCenter{}, Flows: engine, Rules: DefaultRules()}
	conv := &assist.Conversation{ID: "c", TenantID: "demo", CustomerRef: "c1"}
	say := func(st *State, text string) string {
		t.Helper()
		r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: text}, State: st})
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(r.Messages, "\n")
	}
	for _, text := range []string{"and the one before that?", "之前那单呢"} {
		// shown: the charger; the one before it is the running shoes
		if got := say(&State{Entities: map[string]string{"order_id": "DD202612030002"}}, text); !strings.Contains(got, "DD202611280003") {
			t.Errorf("%q after the charger: %q, want the running shoes' order", text, got)
		}
		// shown: an order the list does not hold
		got := say(&State{Entities: map[string]string{"order_id": "DD202510010099"}}, text)
		if strings.Contains(got, "DD202612050001") && !strings.Contains(got, "DD202612030002") {
			t.Errorf("%q after an unlisted order: %q, the newest order given as the one before", text, got)
		}
	}
}
