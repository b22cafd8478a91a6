package api_test

import (
	"context"
	"strings"

	"github.com/assistd/assist/models"
)

// wordLLM is a fake chat model that streams a fixed grounded answer word by
// word.
type wordLLM struct{}

func (wordLLM) ChatStream(_ context.Context, req models.ChatRequest, onDelta func(string) error) error {
	for _, w := range strings.SplitAfter("The shop pays the postage for quality problems [1].", " ") {
		if err := onDelta(w); err != nil {
			return err
		}
	}
	return nil
}
