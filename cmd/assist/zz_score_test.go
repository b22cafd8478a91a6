package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/assistd/assist/models/onnx"
	"github.com/assistd/assist/sentiment"
)

func TestZZScore(t *testing.T) {
	lines := os.Getenv("ZZ_LINES")
	if lines == "" {
		t.Skip()
	}
	rt, err := onnx.Load(onnx.Config{LibraryPath: os.Getenv("ASSIST_ONNX_LIBRARY")})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	clf := sentiment.NewClassifier(sentimentOpener(rt))
	if _, err := clf.Load("../../.cache/models/sentiment"); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(lines, "|") {
		s, err := clf.Score(context.Background(), l)
		fmt.Printf("%-40s %+v %v\n", l, s, err)
	}
}
