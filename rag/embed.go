package rag

import (
	"context"
	"hash/fnv"
	"math"
	"unicode/utf8"

	"github.com/assistd/assist/models"
)

// Embedder turns texts into dense vectors for the dense leg.
// Implementations: HashEmbedder (the default, needs no download), the
// OpenAI-compatible client (models/openai) and the ONNX sentence encoder.
type Embedder interface {
	// Embed returns one embedding of Dim() floats per text, in order.
	// Errors: EINVALID for input the backend refuses, EUNAVAILABLE when the
	// backend cannot be reached.
	Embed(ctx context.Context, texts []string) ([]models.Embedding, error)
	// Dim is the length of every embedding.
	Dim() int
}

// HashEmbedder is a dense embedder that needs no model: the text's
// character bigrams and trigrams (Han) and words and word-internal
// trigrams (other scripts) are hashed into Dims signed buckets, weighted by
// 1+log(tf) and L2-normalised. It captures surface overlap, not meaning;
// whether it adds recall over the keyword leg is measured in the README.
type HashEmbedder struct {
	Dims int // vector length; 0 means 256
}

var _ Embedder = HashEmbedder{}

// Dim implements Embedder.
func (h HashEmbedder) Dim() int {
	if h.Dims <= 0 {
		return 256
	}
	return h.Dims
}

// Embed implements Embedder. It never fails.
func (h HashEmbedder) Embed(ctx context.Context, texts []string) ([]models.Embedding, error) {
	out := make([]models.Embedding, len(texts))
	for i, t := range texts {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		out[i] = h.embed(t)
	}
	return out, nil
}

func (h HashEmbedder) embed(text string) models.Embedding {
	dim := h.Dim()
	counts := map[string]int{}
	forEachRun(text, func(run string, han bool) {
		if han {
			ngrams(run, 2, counts)
			ngrams(run, 3, counts)
			if utf8.RuneCountInString(run) == 1 {
				counts[run]++
			}
			return
		}
		w := Stem(run)
		if stopword[w] {
			return
		}
		counts["w:"+w]++
		if utf8.RuneCountInString(w) > 3 {
			ngrams("^"+w+"$", 3, counts)
		}
	})
	v := make(models.Embedding, dim)
	for f, n := range counts {
		hs := fnv.New64a()
		hs.Write([]byte(f))
		x := hs.Sum64()
		sign := float32(1)
		if x>>63 == 1 {
			sign = -1
		}
		v[int(x%uint64(dim))] += sign * float32(1+math.Log(float64(n)))
	}
	Normalize(v)
	return v
}

// ngrams adds the character n-grams of s to counts.
func ngrams(s string, n int, counts map[string]int) {
	rs := []rune(s)
	for i := 0; i+n <= len(rs); i++ {
		counts[string(rs[i:i+n])]++
	}
}

// Normalize scales v to unit length in place (a zero vector stays zero).
func Normalize(v []float32) {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= inv
	}
}
