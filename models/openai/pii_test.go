package openai_test

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist/models/openai/openaitest"
)

// Personal data in a prompt never reaches the model: the endpoint sees
// placeholders, and the answer, which echoes them, comes back with the
// customer's own values, whole or streamed in pieces that split them.
func TestPersonalDataIsMaskedForTheModel(t *testing.T) {
	srv := openaitest.NewServer(t)
	c := newClient(t, srv, nil)
	const prompt = "my card is 4111 1111 1111 1111, my phone 13812345678, mail amy@example.com"
	secrets := []string{"13812345678", "4111 1111 1111 1111", "amy@example.com"}
	sawNone := func() {
		t.Helper()
		for _, r := range srv.Requests() {
			for _, s := range secrets {
				if strings.Contains(string(r.Body), s) {
					t.Errorf("the model was sent %q: %s", s, r.Body)
				}
			}
		}
	}

	got, err := c.Chat(context.Background(), userReq(prompt))
	if err != nil {
		t.Fatal(err)
	}
	if got != "echo: "+prompt {
		t.Errorf("answer %q, want the customer's values back", got)
	}
	if u := srv.ChatRequests()[0].LastUser(); !strings.Contains(u, "[PHONE_1]") || !strings.Contains(u, "[CARD_1]") || !strings.Contains(u, "[EMAIL_1]") {
		t.Errorf("the model got %q, want placeholders", u)
	}

	deltas, err := collect(t, c, userReq(prompt))
	if err != nil {
		t.Fatal(err)
	}
	if s := strings.Join(deltas, ""); s != "echo: "+prompt {
		t.Errorf("streamed answer %q, want the customer's values back", s)
	}
	for _, d := range deltas {
		if strings.Contains(d, "[") {
			t.Errorf("a piece of the stream shows a placeholder: %q", d)
		}
	}

	if _, err := c.Embed(context.Background(), []string{"call me on 13812345678"}); err != nil {
		t.Fatal(err)
	}
	sawNone()
}
