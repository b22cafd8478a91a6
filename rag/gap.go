package rag

import (
	"context"
	"time"
)

// Gap is a question the knowledge base could not answer with enough
// confidence: the raw material of the knowledge managers' gap report.
type Gap struct {
	TenantID       string
	KB             string
	ConversationID string // "" outside a conversation (CLI, API ask)
	Question       string
	Lang           string
	Confidence     float64
	BestDoc        string  // the best hit's document, "" without hits
	BestScore      float64 // fused score of the best hit
	KeywordScore   float64 // its BM25 score
	DenseScore     float64 // its cosine
	At             time.Time
}

// GapRecorder stores knowledge gaps. Implementation: vector/sqlite.
type GapRecorder interface {
	// RecordGap stores g. Errors: EINVALID when TenantID, KB or Question
	// is empty; EUNAVAILABLE when the store is closed.
	RecordGap(ctx context.Context, g Gap) error
}
