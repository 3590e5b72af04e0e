# Build, run and test the real-time dashboard. `make run` starts a live
# dashboard on the built-in simulated appliance; `make test` runs every test.

GO        ?= go
BIN       := $(CURDIR)/bin
WEB       := assets/web
WASM      := $(WEB)/app.wasm
TOOLS_ENV := PATH="$(CURDIR)/scripts:$(BIN):$$PATH"

STATICCHECK_VERSION     := v0.8.2
WASMBROWSERTEST_VERSION := v0.11.0

.PHONY: all build wasm run test lint vet fmt-check unit wasm-test windows tools test-tools clean

all: build

# Building needs brotli and gzip; the tests also need Chromium and nginx.
tools:
	@scripts/ensure-tools brotli=brotli gzip=gzip

test-tools:
	@scripts/ensure-tools chromium=chromium nginx=nginx node=nodejs

$(BIN)/staticcheck:
	GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

$(BIN)/wasmbrowsertest:
	GOBIN=$(BIN) $(GO) install github.com/agnivade/wasmbrowsertest@$(WASMBROWSERTEST_VERSION)

# The WebAssembly app, with brotli and gzip copies the relay serves to
# browsers that accept them. It is rebuilt only when a Go file of the
# packages it is made of, or go.mod, changed; brotli -q 11 takes a while.
WASM_SOURCES := $(shell find wasmui shared -name '*.go' ! -name '*_test.go' 2>/dev/null) go.mod go.sum

wasm: $(WASM).br

$(WASM).br: $(WASM_SOURCES)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $(WASM) ./wasmui/cmd/app
	brotli -q 11 -f -k -o $(WASM).br.tmp $(WASM)
	gzip -9 -f -k $(WASM)
	mv $(WASM).br.tmp $(WASM).br

build: tools wasm
	$(GO) build -o $(BIN)/relay ./relay/cmd/relay
	$(GO) build -o $(BIN)/simulator ./integration/cmd/simulator
	$(GO) build -o $(BIN)/demo ./integration/cmd/demo

run: build
	$(BIN)/demo

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./shared/... ./wasmui/...

lint: fmt-check vet $(BIN)/staticcheck
	$(BIN)/staticcheck ./...
	GOOS=js GOARCH=wasm $(BIN)/staticcheck ./shared/... ./wasmui/...

# The relay runs as a Windows service too; this keeps the cross build working.
windows:
	GOOS=windows GOARCH=amd64 $(GO) build -o /dev/null ./relay/cmd/relay

unit:
	$(TOOLS_ENV) $(GO) test -race -count=1 ./...

# The shared packages' tests again, compiled to WebAssembly and run in
# headless Chromium.
wasm-test: $(BIN)/wasmbrowsertest
	env -i PATH="$(CURDIR)/scripts:$(BIN):$$PATH" HOME="$$HOME" GOCACHE="$$($(GO) env GOCACHE)" \
		GOMODCACHE="$$($(GO) env GOMODCACHE)" GOFLAGS="$$GOFLAGS" GOOS=js GOARCH=wasm \
		$(GO) test -count=1 -exec=$(BIN)/wasmbrowsertest ./shared/...

test: tools test-tools wasm lint windows unit wasm-test

clean:
	rm -rf $(BIN) $(WASM) $(WASM).br $(WASM).gz

# PNGs of the desk and wall layouts in both themes, for the README, written
# by a browser test against the simulator's mid-size site.
.PHONY: screenshots
screenshots: test-tools wasm
	RTD_SCREENSHOTS=$(CURDIR)/docs/screenshots $(TOOLS_ENV) $(GO) test -count=1 -run '^TestScreenshots$$' ./integration/

# Benchmarks against the product's targets: Go benchmarks natively and in
# headless Chromium (with a JavaScript baseline), the relay under load and
# the page through chromedp. Takes about 10 minutes; writes
# docs/benchmarks.md, and raw outputs to bench/out/.
.PHONY: bench
bench: tools test-tools wasm $(BIN)/wasmbrowsertest
	$(TOOLS_ENV) GO="$(GO)" bench/run.sh
