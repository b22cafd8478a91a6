# Assist. `make` prints this help; `make run` and `make test` are all a
# newcomer needs.
.DEFAULT_GOAL := help
# A recipe that fails or is interrupted leaves no half-written target that make would take as up to date.
.DELETE_ON_ERROR:
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
# Written independently, by someone who never saw the training data; only scored.
INTENT_HELDOUT := $(NLU_DATA)/heldout.zh.jsonl $(NLU_DATA)/heldout.en.jsonl
# The trainer's code: the model is retrained when it or the data change.
INTENT_SRC   := $(wildcard nlu/intent/*.go nlu/text/*.go cmd/assist/train.go)
SENT_DATA    := data/sentiment
SENT_MODEL   := .cache/models/sentiment
# The training files, one a line; a file listed three times counts three
# times (data/sentiment/README.md says why). The tests read the same list.
SENT_TRAIN   := $(shell cat $(SENT_DATA)/train.files)
SENT_VALID   := $(SENT_DATA)/valid.zh.jsonl $(SENT_DATA)/valid.en.jsonl
SENT_TEST    := $(SENT_DATA)/test.zh.jsonl $(SENT_DATA)/test.en.jsonl
STORIES      ?= data/eval/stories
SENT_SRC     := $(wildcard sentiment/*.go nlu/intent/*.go nlu/text/*.go cmd/assist/sentiment.go)
# The question encoder that matches published answers to questions asked in other words (rag/para),
# trained on the gap replay development files, help-center development questions and the intent data.
PARA_MODEL   := .cache/models/paraphrase
# data/para/general.*.jsonl: general shop-question paraphrase groups written by hand on topics the gap files do not ask.
PARA_GROUPS  := $(sort $(wildcard data/eval/gaps/dev*.jsonl)) $(sort $(wildcard data/para/general.*.jsonl))
PARA_ARTICLES := data/eval/hc2/questions-dev2.jsonl data/eval/rag-demo-dev2.jsonl
# PARA_SRC: the trainer and the code that reads its data (gap replay, help-center questions, intent files).
PARA_SRC     := $(wildcard rag/para/*.go nlu/intent/features.go nlu/intent/data.go nlu/text/*.go cmd/assist/trainparaphrase.go eval/gaps.go eval/rag.go cmd/assist/evalgaps.go)

export CGO_ENABLED := 1
export ASSIST_ONNX_LIBRARY := $(abspath $(ORT_LIB))

.PHONY: help fuzz deps ort build models eval baselines eval-intent eval-sentiment eval-dialog eval-escalation eval-latency eval-gaps eval-dialog-holdout run reset-shop test test-stories vet tidy-check fmt-check lint fmt bench clean answerability

help: ## Show this help.
	@awk 'BEGIN {FS = ":.*## "; print "Usage: make TARGET\n"} /^[a-zA-Z_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

deps: ## Fetch the Go modules.
	$(GO) mod download

ort: $(ORT_LIB) ## Fetch ONNX Runtime 1.24.3 (npm pack onnxruntime-node, integrity-checked) into .cache/ort.
$(ORT_LIB): scripts/fetch-ort.sh
	bash scripts/fetch-ort.sh $(ORT_CACHE)

build: deps ## Build bin/assist.
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/assist

models: $(INTENT_MODEL)/model.json $(SENT_MODEL)/model.json $(PARA_MODEL)/paraphrase.bin ## Train the default intent, sentiment and question-encoder models (data/nlu, data/sentiment) into .cache/models (when data or trainer changed).
$(INTENT_MODEL)/model.json: $(INTENT_TRAIN) $(INTENT_VALID) $(filter-out %_test.go,$(INTENT_SRC)) | build
	./$(BIN) train intent $(addprefix --data ,$(INTENT_TRAIN)) $(addprefix --valid ,$(INTENT_VALID)) --out $(INTENT_MODEL)

$(SENT_MODEL)/model.json: $(SENT_DATA)/train.files $(sort $(SENT_TRAIN)) $(SENT_VALID) $(filter-out %_test.go,$(SENT_SRC)) | build
	./$(BIN) train sentiment $(addprefix --data ,$(SENT_TRAIN)) $(addprefix --valid ,$(SENT_VALID)) --out $(SENT_MODEL)

$(PARA_MODEL)/paraphrase.bin: $(PARA_GROUPS) $(PARA_ARTICLES) $(INTENT_TRAIN) $(filter-out %_test.go,$(PARA_SRC)) | build
	./$(BIN) train paraphrase $(addprefix --groups ,$(PARA_GROUPS)) $(addprefix --articles ,$(PARA_ARTICLES)) $(addprefix --intents ,$(INTENT_TRAIN)) --out $(PARA_MODEL)

# Evaluation: every suite writes the shared report (report.json, report.html)
# into $(REPORTS)/NAME; `make eval` runs them all and writes the index.
REPORTS   := data/eval-reports
BASELINES := data/eval/baselines
BOT_MODELS := --intent-model $(INTENT_MODEL) --sentiment-model $(SENT_MODEL) --paraphrase-model $(PARA_MODEL)

eval: eval-intent eval-sentiment eval-dialog eval-dialog-holdout eval-escalation eval-latency eval-gaps eval-rag ## Run every evaluation suite on the shipped models and demo data; open data/eval-reports/index.html.
	./$(BIN) eval index $(REPORTS)

baselines: models ort ## Write the baselines the gate compares with (data/eval/baselines), after a change meant to move the numbers.
	./$(BIN) eval intent --model $(INTENT_MODEL) $(addprefix --data ,$(INTENT_TEST)) --save-baseline $(BASELINES)/intent.json > /dev/null
	./$(BIN) eval sentiment --model $(SENT_MODEL) $(addprefix --data ,$(SENT_TEST)) --save-baseline $(BASELINES)/sentiment.json > /dev/null

eval-intent: models ort ## Evaluate the default intent model on the test split (gated on its baseline) and on the independent held-out set.
	./$(BIN) eval intent --model $(INTENT_MODEL) $(addprefix --data ,$(INTENT_TEST)) --out $(REPORTS)/intent --baseline $(BASELINES)/intent.json
	./$(BIN) eval intent --model $(INTENT_MODEL) $(addprefix --data ,$(INTENT_HELDOUT)) --out $(REPORTS)/intent-heldout

eval-sentiment: models ort ## Evaluate the default sentiment model on the held-out test set (data/sentiment/test.*.jsonl), gated on its baseline.
	./$(BIN) eval sentiment --model $(SENT_MODEL) $(addprefix --data ,$(SENT_TEST)) --out $(REPORTS)/sentiment --baseline $(BASELINES)/sentiment.json

# A failed story is reported, not a reason to stop the other suites (the
# shipped stories are gated by go test, TestStories): hence the "-".
eval-dialog: build models ort ## Run conversation stories on a fresh demo setup: STORIES=data/eval/stories (default), data/eval/stories-dev or data/eval/stories-holdout.
	-./$(BIN) eval dialog $(BOT_MODELS) $(addprefix --data ,$(STORIES)) --out $(REPORTS)/dialog-$(notdir $(STORIES))

eval-dialog-holdout: build models ort ## The independent held-out conversations (data/eval/stories-holdout, and the "s13" set in data/eval/stories-holdout-s13), run only to report.
	-./$(BIN) eval dialog $(BOT_MODELS) --data data/eval/stories-holdout --out $(REPORTS)/dialog-stories-holdout
	-./$(BIN) eval dialog $(BOT_MODELS) --data data/eval/stories-holdout-s13 --out $(REPORTS)/dialog-stories-holdout-s13

eval-escalation: build models ort ## Score the bot's hand-offs on the held-out labelled conversations (data/eval/escalation/holdout.yaml).
	./$(BIN) eval escalation $(BOT_MODELS) --data data/eval/escalation/holdout.yaml --out $(REPORTS)/escalation

eval-gaps: build models ort ## Replay the self-learning loop (gap report published, paraphrases asked again) on the held-out replay files (data/eval/gaps/holdout.jsonl, holdout-s9.jsonl and holdout-s13.jsonl), then count the demo and hc2 questions published answers take.
	./$(BIN) eval gaps $(BOT_MODELS) --data data/eval/gaps/holdout.jsonl --out $(REPORTS)/gaps \
		--probe help=data/eval/rag-demo.en.jsonl --probe help=data/eval/rag-demo.zh.jsonl --probe hc2=data/eval/hc2/questions-dev.jsonl
	./$(BIN) eval gaps $(BOT_MODELS) --data data/eval/gaps/holdout-s9.jsonl --out $(REPORTS)/gaps-s9
	./$(BIN) eval gaps $(BOT_MODELS) --data data/eval/gaps/holdout-s13.jsonl --out $(REPORTS)/gaps-s13

eval-rag: build models ## Knowledge answers on the second help center's held-out questions (data/eval/hc2) and the demo's, in a fresh store, with the question encoder as `make run` serves (the answerability gate reads it).
	rm -rf $(REPORTS)/rag-store && mkdir -p $(REPORTS)/rag-store
	./$(BIN) --set store.path=$(REPORTS)/rag-store/a.db --set log.level=error ingest --kb hc2 data/eval/hc2/kb > /dev/null
	./$(BIN) --set store.path=$(REPORTS)/rag-store/a.db --set log.level=error ingest --kb help data/kb/demo > /dev/null
	./$(BIN) --set store.path=$(REPORTS)/rag-store/a.db --set log.level=error --set rag.paraphrase_model=$(PARA_MODEL) eval rag --kb hc2 --data data/eval/hc2/questions-holdout.jsonl --out $(REPORTS)/rag-hc2
	cat data/eval/rag-demo-holdout.zh.jsonl data/eval/rag-demo-holdout.en.jsonl > $(REPORTS)/rag-store/demo-holdout.jsonl
	./$(BIN) --set store.path=$(REPORTS)/rag-store/a.db --set log.level=error --set rag.paraphrase_model=$(PARA_MODEL) eval rag --kb help --data $(REPORTS)/rag-store/demo-holdout.jsonl --out $(REPORTS)/rag-demo

# The answer-confidence model: trained on the development questions and our own written ones,
# in a fresh store; then asked of PawPal, a shop it never saw (data/rag/answerability/README.md).
ANSWER_STORE := $(REPORTS)/answerability-store
ANSWER_RUN   := ./$(BIN) --set store.path=$(ANSWER_STORE)/a.db --set log.level=error
ANSWER_DATA  := hc2=data/eval/hc2/questions-dev.jsonl help=data/eval/rag-demo.zh.jsonl help=data/eval/rag-demo.en.jsonl \
	help=data/eval/rag-offtopic.jsonl hc2=data/eval/rag-offtopic.jsonl \
	help=data/rag/answerability/demo.en.jsonl help=data/rag/answerability/demo.zh.jsonl

# Part A of the decision, the gate "does any article answer this at all" (rag.Gate, data/rag/answerability/README.md):
# fitted on the first list (gap replay files by file, hc2 dev, demo dev2, our written sets), its threshold chosen on the second.
GATE_FIT    := help=data/eval/gaps/dev.jsonl help=data/eval/gaps/dev2.jsonl help=data/eval/gaps/dev3.jsonl \
	hc2=data/eval/hc2/questions-dev.jsonl help=data/eval/rag-demo-dev2.jsonl \
	help=data/eval/rag-demo.zh.jsonl help=data/eval/rag-demo.en.jsonl help=data/eval/rag-offtopic.jsonl hc2=data/eval/rag-offtopic.jsonl \
	help=data/rag/answerability/demo.en.jsonl help=data/rag/answerability/demo.zh.jsonl \
	help=data/rag/answerability/near.en.jsonl help=data/rag/answerability/near.zh.jsonl \
	help=data/rag/answerability/near2.en.jsonl help=data/rag/answerability/near2.zh.jsonl \
	help=data/rag/answerability/said11.jsonl help=data/rag/answerability/said12.jsonl help=data/rag/answerability/unasked11.jsonl
GATE_CHOOSE := help=data/eval/gaps/dev4.jsonl help=data/eval/gaps/dev5.jsonl help=data/eval/gaps/dev6.jsonl \
	hc2=data/eval/hc2/questions-dev2.jsonl

answerability: build models ## Retrain the answer-confidence model (rag/answerability.json) and its gate, and check it on a shop it never saw.
	rm -rf $(ANSWER_STORE) && mkdir -p $(ANSWER_STORE)
	$(ANSWER_RUN) ingest --kb hc2 data/eval/hc2/kb > /dev/null
	$(ANSWER_RUN) ingest --kb help data/kb/demo > /dev/null
	$(ANSWER_RUN) ingest --kb pawpal data/rag/answerability/pawpal > /dev/null
	$(ANSWER_RUN) train answerability $(addprefix --data ,$(ANSWER_DATA)) --out rag/answerability.json --folds 5 \
		--test help=data/rag/answerability/near.en.jsonl --test help=data/rag/answerability/near.zh.jsonl \
		--test help=data/rag/answerability/near2.en.jsonl --test help=data/rag/answerability/near2.zh.jsonl
	$(ANSWER_RUN) --set rag.paraphrase_model=$(PARA_MODEL) train gate $(addprefix --data ,$(GATE_FIT)) \
		$(addprefix --choose ,$(GATE_CHOOSE)) --test help=data/rag/answerability/gate13.jsonl --out rag/answerability.json
	$(GO) build -o $(BIN) ./cmd/assist
	$(ANSWER_RUN) eval rag --kb pawpal --data data/rag/answerability/pawpal.jsonl | head -5

eval-latency: build models ort ## Measure a full bot turn per kind of turn, in process, without an LLM.
	./$(BIN) eval latency $(BOT_MODELS) --turns 300 --out $(REPORTS)/latency

run: build ort models ## Build, fetch ONNX Runtime, train the intent model, seed the demo shop and serve on :8080 (data in ./data).
	@mkdir -p $(DATA)
	./$(BIN) --set rag.paraphrase_model=$(PARA_MODEL) serve --demo --addr $(ADDR) --db $(DATA)/assist.db

reset-shop: ## Put the demo shop back to its seed at the next start (removes data/shop.db; conversations stay).
	rm -f $(DATA)/shop.db $(DATA)/shop.db-wal $(DATA)/shop.db-shm

vet: ## go vet.
	$(GO) vet ./...

fmt-check:
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

tidy-check:
	$(GO) mod tidy -diff

lint: fmt-check vet tidy-check ## gofmt check, go vet, go mod tidy -diff.

fmt: ## gofmt the code.
	gofmt -w $$(git ls-files '*.go')

test: deps ort lint e2e ## Lint, go test -race ./..., every story without -race, every benchmark once, every fuzz target briefly, and the browser tests.
	ASSIST_REQUIRE_ORT=1 $(GO) test -race -count=1 -timeout 60m ./...
	$(MAKE) --no-print-directory test-stories
	$(GO) test -run '^$$' -bench . -benchtime=1x ./...
	GO=$(GO) bash scripts/fuzz.sh $(FUZZTIME_CI)

# Under -race, TestStories runs the first story of each file (every story
# is a fresh demo setup: seconds each when instrumented); this runs them all.
test-stories: deps ort ## Every conversation story in data/eval/stories (TestStories), without the race detector.
	ASSIST_REQUIRE_ORT=1 $(GO) test -count=1 -timeout 30m -run '^TestStories$$' ./cmd/assist

FUZZTIME_CI ?= 2000x
FUZZTIME    ?= 1m
fuzz: ## Run every fuzz target for FUZZTIME each (default 1m; or a count, e.g. 200000x); crashes land in testdata/fuzz and fail the run.
	GO=$(GO) bash scripts/fuzz.sh $(FUZZTIME)

# Browser tests: playwright-core (npm, pinned in web/e2e/package-lock.json)
# drives Debian's chromium (/usr/bin/chromium; CHROMIUM=path for another)
# against bin/assist serve --demo on a free port. Screenshots in web/e2e/out.
E2E := web/e2e
.PHONY: e2e
e2e: build ort models $(E2E)/node_modules/.package-lock.json ## Browser tests of the four pages (chromium + playwright-core), screenshots in web/e2e/out.
	cd $(E2E) && ASSIST_BIN=$(abspath $(BIN)) npm test

$(E2E)/node_modules/.package-lock.json: $(E2E)/package-lock.json
	cd $(E2E) && npm ci --no-audit --no-fund

bench: ort ## Run the benchmarks (5 runs each, for benchstat).
	$(GO) test -run '^$$' -bench . -benchmem -count=5 ./... | tee bench.txt

clean: ## Remove build outputs (keeps data/ and the ONNX Runtime cache).
	rm -rf bin bench.txt
