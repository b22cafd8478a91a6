package rag

import (
	"context"
	"time"
)

// SetCacheTTL sets how long remembered searches are used, for a test;
// it returns the function that restores it.
func SetCacheTTL(d time.Duration) func() {
	old := cacheTTL
	cacheTTL = d
	return func() { cacheTTL = old }
}

// AskedEntries is askedEntries, for a test.
func (s *Service) AskedEntries(ctx context.Context, question string, hits []Hit) ([]Hit, error) {
	return s.askedEntries(ctx, question, replyLang("", question), hits)
}

// CheckAnswer is checkAnswer, for the rag_test extraction tests.
var CheckAnswer = checkAnswer
