package api_test

import (
	"context"
	"errors"
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

// brokenLLM streams a few words, then fails as a dropped connection does:
// with an error that is no assist.Error.
type brokenLLM struct{}

func (brokenLLM) ChatStream(_ context.Context, _ models.ChatRequest, onDelta func(string) error) error {
	if err := onDelta("The shop "); err != nil {
		return err
	}
	return errors.New("read tcp 10.0.0.7:443: connection reset by peer")
}

// brokenEmbedder fails like an embedding model whose runtime broke.
type brokenEmbedder struct{}

func (brokenEmbedder) Embed(context.Context, []string) ([]models.Embedding, error) {
	return nil, errors.New("onnxruntime: Run: /srv/models/embed/model.onnx: out of memory")
}

func (brokenEmbedder) Dim() int { return 8 }
