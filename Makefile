# Assist. `make` prints this help; `make run` and `make test` are all a
# newcomer needs.
.DEFAULT_GOAL := help
SHELL := bash

GO       ?= go
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
BIN      := bin/assist
DATA     := data
ORT_VERSION := 1.24.3
ORT_CACHE   := .cache/ort
ORT_LIB     := $(ORT_CACHE)/$(ORT_VERSION)/libonnxruntime.so.1
ADDR     ?= :8080
NLU_DATA     := data/nlu
INTENT_MODEL := .cache/models/intent
INTENT_TRAIN := $(NLU_DATA)/train.zh.jsonl $(NLU_DATA)/train.en.jsonl
INTENT_VALID := $(NLU_DATA)/valid.zh.jsonl $(NLU_DATA)/valid.en.jsonl
INTENT_TEST  := $(NLU_DATA)/test.zh.jsonl $(NLU_DATA)/test.en.jsonl
# The trainer's code: the model is retrained when it or the data change.
INTENT_SRC   := $(wildcard nlu/intent/*.go nlu/text/*.go cmd/assist/train.go)

export CGO_ENABLED := 1
export ASSIST_ONNX_LIBRARY := $(abspath $(ORT_LIB))

.PHONY: help deps ort build models eval-intent run test vet tidy-check fmt-check lint fmt bench clean

help: ## Show this help.
	@awk 'BEGIN {FS = ":.*## "; print "Usage: make TARGET\n"} /^[a-zA-Z_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

deps: ## Fetch the Go modules.
	$(GO) mod download

ort: $(ORT_LIB) ## Fetch ONNX Runtime 1.24.3 (npm pack onnxruntime-node, integrity-checked) into .cache/ort.
$(ORT_LIB): scripts/fetch-ort.sh
	bash scripts/fetch-ort.sh $(ORT_CACHE)

build: deps ## Build bin/assist.
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/assist

models: $(INTENT_MODEL)/model.json ## Train the default intent model from data/nlu into .cache/models/intent (when data or trainer changed).
$(INTENT_MODEL)/model.json: $(INTENT_TRAIN) $(INTENT_VALID) $(filter-out %_test.go,$(INTENT_SRC)) | build
	./$(BIN) train intent $(addprefix --data ,$(INTENT_TRAIN)) $(addprefix --valid ,$(INTENT_VALID)) --out $(INTENT_MODEL)

eval-intent: models ort ## Evaluate the default intent model on the held-out test set (data/nlu/test.*.jsonl).
	./$(BIN) eval intent --model $(INTENT_MODEL) $(addprefix --data ,$(INTENT_TEST))

run: build ort models ## Build, fetch ONNX Runtime, train the intent model, seed the demo shop and serve on :8080 (data in ./data).
	@mkdir -p $(DATA)
	./$(BIN) serve --demo --addr $(ADDR) --db $(DATA)/assist.db

vet: ## go vet.
	$(GO) vet ./...

fmt-check:
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

tidy-check:
	$(GO) mod tidy -diff

lint: fmt-check vet tidy-check ## gofmt check, go vet, go mod tidy -diff.

fmt: ## gofmt the code.
	gofmt -w $$(git ls-files '*.go')

test: deps ort lint ## Lint, go test -race ./..., and every benchmark once.
	ASSIST_REQUIRE_ORT=1 $(GO) test -race -count=1 ./...
	$(GO) test -run '^$$' -bench . -benchtime=1x ./...

bench: ort ## Run the benchmarks (5 runs each, for benchstat).
	$(GO) test -run '^$$' -bench . -benchmem -count=5 ./... | tee bench.txt

clean: ## Remove build outputs (keeps data/ and the ONNX Runtime cache).
	rm -rf bin bench.txt
