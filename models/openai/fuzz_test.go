package openai_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/assistd/assist"
	"github.com/assistd/assist/models/openai"
)

// FuzzChatStream feeds server-sent event streams to the stream reader: a
// stream is text pieces and no error, or an error with a code, never a
// panic or a hang, and no piece shows a placeholder's fragment.
func FuzzChatStream(f *testing.F) {
	for _, s := range []string{
		"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi [PHO\"}}]}\n\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"NE_1] ok\"}}]}\n\ndata: [DONE]\n\n",
		"data: {\"choices\":[]}\n\ndata: [DONE]\n\n",
		"data: not json\n\n",
		"event: error\ndata: {\"error\":{\"message\":\"x\"}}\n\n",
		": comment\n\ndata: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"}}]}\n\n",
		"",
	} {
		f.Add([]byte(s))
	}
	var mu sync.Mutex
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		b := body
		mu.Unlock()
		w.Header().Set("Content-Type", "text/event-stream")
		w.Write(b)
	}))
	f.Cleanup(srv.Close)
	c, err := openai.New(openai.Config{BaseURL: srv.URL + "/v1", APIKey: "k", ChatModel: "m", Timeout: 2 * time.Second})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, stream []byte) {
		mu.Lock()
		body = stream
		mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := c.ChatStream(ctx, userReq("call me on 13812345678"), func(d string) error {
			if d == "" {
				t.Fatal("an empty piece")
			}
			if !utf8.ValidString(d) && utf8.Valid(stream) {
				t.Fatalf("piece %q is not UTF-8", d)
			}
			return nil
		})
		if err != nil && assist.ErrorCode(err) == assist.EINTERNAL {
			t.Fatalf("stream %q: %v", stream, err)
		}
	})
}
