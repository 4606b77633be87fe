# otelcol-helicone: the Helicone exporter and a collector distribution built with ocb.
#
#   make build   builds _build/otelcol-helicone (static, CGO off); does nothing when up to date
#   make run     starts it with config/otelcol-helicone.yaml (a local Helicone-compatible
#                endpoint when HELICONE_API_KEY is unset)
#   make demo    sends a few LLM traces to the collector started by `make run`
#   make test    vet, gofmt check, unit and end-to-end tests (and TEST_EXTRA_TARGETS)
#   make fuzz    runs every fuzz target for FUZZTIME each (not part of `make test`)
#
# Nothing is assumed installed but Go: ocb is installed into .tools/ by this Makefile.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build
.DELETE_ON_ERROR:

GO ?= go
export CGO_ENABLED := 0

# The collector release line. OCB_VERSION is pinned here and only here; the
# component versions in builder-config.yaml and go.mod must be on the same line
# (internal/versions checks this in `make test`).
OCB_VERSION := 0.165.0

ROOT      := $(CURDIR)
TOOLS_DIR := $(ROOT)/.tools
# The version is part of the path, so changing OCB_VERSION installs the new ocb
# and rebuilds the distribution.
OCB       := $(TOOLS_DIR)/ocb-v$(OCB_VERSION)/builder
BUILD_DIR := _build
DIST_NAME := otelcol-helicone
BIN       := $(BUILD_DIR)/$(DIST_NAME)

# Targets that `make test` runs after its own checks. Included makefiles append
# to it, e.g. deploy/deploy.mk: `TEST_EXTRA_TARGETS += test-deploy`.
TEST_EXTRA_TARGETS :=
-include deploy/deploy.mk

GOTESTFLAGS ?= -count=1
FUZZTIME    ?= 30s

# Every source file of this module that the distribution compiles in: the
# exporter and whatever it imports from this module. Expanded only when the
# build rule is considered; falls back to the exporter's directory.
DIST_SOURCES = $(shell $(GO) list -deps -f '{{with .Module}}{{if .Main}}{{range $$.GoFiles}}{{$$.Dir}}/{{.}} {{end}}{{range $$.EmbedFiles}}{{$$.Dir}}/{{.}} {{end}}{{end}}{{end}}' ./heliconeexporter 2>/dev/null || find heliconeexporter -name '*.go' -not -name '*_test.go')

.PHONY: build
build: $(BIN)

# The first build downloads about 600 MB of modules and compiles for a few
# minutes; scripts/progress.sh prints a line every 15 s meanwhile.
$(OCB):
	@echo ">> installing ocb v$(OCB_VERSION) into $(@D)"
	GOBIN=$(@D) GO=$(GO) scripts/progress.sh $(GO) install go.opentelemetry.io/collector/cmd/builder@v$(OCB_VERSION)

$(BIN): builder-config.yaml go.mod go.sum $(DIST_SOURCES) $(OCB)
	@echo ">> building $@ with ocb v$(OCB_VERSION) (the first build takes a few minutes)"
	GO=$(GO) scripts/progress.sh $(OCB) --config=builder-config.yaml
	@touch $@

.PHONY: ocb
ocb: $(OCB)

.PHONY: run
run: build
	OTELCOL_HELICONE_BIN=$(BIN) GO=$(GO) scripts/run.sh

.PHONY: demo
demo:
	$(GO) run ./cmd/llmtracegen $(DEMO_FLAGS)

.PHONY: vet
vet:
	$(GO) vet ./...

.PHONY: fmt-check
fmt-check:
	@unformatted="$$(gofmt -l . | grep -v '^$(BUILD_DIR)/' || true)"; \
	if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi

# The end-to-end tests in e2e/ run the binary, so `test` builds it first; they
# use OTELCOL_HELICONE_BIN to find it.
.PHONY: test
test: build vet fmt-check
	OTELCOL_HELICONE_BIN=$(ROOT)/$(BIN) $(GO) test $(GOTESTFLAGS) ./...
	$(if $(strip $(TEST_EXTRA_TARGETS)),$(MAKE) --no-print-directory $(TEST_EXTRA_TARGETS))

.PHONY: fuzz
# Each fuzz target with its package; FUZZTIME each.
FUZZ_TARGETS := FuzzEncode:./internal/heliconebody FuzzReadKeyTypes:./heliconeexporter \
	FuzzGenAIMessages:./heliconeexporter FuzzContentSources:./internal/genai FuzzParse:./internal/genaijson \
	FuzzIndex:./internal/genaijson FuzzAppendString:./internal/heliconebody

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		echo ">> $${t%%:*}"; \
		$(GO) test -run='^$$' -fuzz="^$${t%%:*}$$" -fuzztime=$(FUZZTIME) "$${t#*:}" || exit 1; \
	done

.PHONY: clean
clean:
	rm -rf $(BUILD_DIR)

# Proof under load and faults: the real binary, the fake Helicone, the stock
# exporter for comparison (faults/, bench/, cmd/loadgen, internal/otelcoltest).
#
#   make test-faults  fault matrix, permanent errors, bad input, API key and TLS
#                     (about 10 s; part of `make test`)
#   make test-long    kill -9 with file_storage (20 kills over split batches), a
#                     rolling restart in an outage, poison spans, the cost of the
#                     delivery records, overload (about 3 min)
#   make bench        helicone vs otlp_http/json on the same machine and spans, and
#                     the encoder benchmarks; the report goes to _build/bench.md
#   make loadgen      LLM spans to the collector of `make run`, e.g.
#                     LOADGEN_FLAGS='-rate 2000 -duration 1m'

TEST_EXTRA_TARGETS += test-faults

FAULTS_TESTFLAGS ?= -count=1 -timeout=15m
BENCH_FLAGS      ?=
LOADGEN_FLAGS    ?=

.PHONY: test-faults
test-faults: build
	$(GO) vet -tags faults ./faults/
	OTELCOL_HELICONE_BIN=$(ROOT)/$(BIN) $(GO) test $(FAULTS_TESTFLAGS) -tags faults ./faults/

.PHONY: test-long
test-long: build
	$(GO) vet -tags long ./faults/
	OTELCOL_HELICONE_BIN=$(ROOT)/$(BIN) $(GO) test $(FAULTS_TESTFLAGS) -v -tags long ./faults/

.PHONY: bench
bench: build
	OTELCOL_HELICONE_BIN=$(ROOT)/$(BIN) $(GO) run ./bench $(BENCH_FLAGS) | tee $(BUILD_DIR)/bench.md

.PHONY: loadgen
loadgen:
	$(GO) run ./cmd/loadgen $(LOADGEN_FLAGS)

# The exporter's packages under the race detector: a server that answers before
# reading the body must not race with the reuse of pooled request buffers.
TEST_EXTRA_TARGETS += test-race

.PHONY: test-race
test-race:
	CGO_ENABLED=1 $(GO) test $(GOTESTFLAGS) -race ./heliconeexporter/... ./internal/genai/... ./internal/heliconebody/... ./internal/send/... ./internal/delivery/... ./internal/logjoin/...
