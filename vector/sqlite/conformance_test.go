package sqlite_test

import (
	"testing"

	"github.com/assistd/assist/rag"
	"github.com/assistd/assist/vector/vectortest"
)

// TestConformance runs the rag.Index conformance suite shared with the
// Qdrant adapter.
func TestConformance(t *testing.T) {
	vectortest.Run(t, func(t *testing.T, dim int) rag.Index { return open(t, dim) })
}
