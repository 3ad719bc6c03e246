# Visen's front door. `make` builds both browsers' packages; `make test` runs
# every test: Go (native and wasm), JS, and the real-browser tests in
# Chromium and Firefox ESR.

GO        ?= go
GOROOT    := $(shell $(GO) env GOROOT)
WASM_EXEC := $(GOROOT)/lib/wasm/go_js_wasm_exec
NODE_DEPS := scripts/node_modules/.package-lock.json
GO_SRC    := $(shell find wasm internal -name '*.go' -not -name '*_test.go') go.mod go.sum
EXT_SRC   := $(shell find extension -type f)

.PHONY: all build test test-go test-wasm test-js test-browser lint bench run deps browsers clean

all: build

build: dist/.built

build/visen.wasm: $(GO_SRC)
	@mkdir -p build
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $@ ./wasm

dist/.built: build/visen.wasm $(EXT_SRC) scripts/pack/main.go
	$(GO) run ./scripts/pack -wasm build/visen.wasm -out dist chrome firefox
	@touch $@

$(NODE_DEPS): scripts/package.json scripts/package-lock.json
	npm ci --prefix scripts --no-audit --no-fund
	@touch $@

deps: $(NODE_DEPS) browsers

browsers:
	@bash scripts/install-browsers.sh

test: test-go test-wasm test-js test-browser

test-go:
	$(GO) vet ./...
	@test -z "$$(gofmt -l wasm internal scripts)" || { gofmt -l wasm internal scripts; echo 'gofmt: the files above need formatting'; exit 1; }
	$(GO) test ./...

test-wasm:
	GOOS=js GOARCH=wasm $(GO) vet ./wasm
	GOOS=js GOARCH=wasm $(GO) test -exec=$(WASM_EXEC) ./internal/...

test-js:
	node --test extension/

lint: build $(NODE_DEPS)
	node scripts/lint-extension.mjs dist/firefox

test-browser: build deps lint
	node --test --test-concurrency=1 scripts/browser-test/

bench: build deps
	node scripts/measure-extension.mjs

run: build browsers
	bash scripts/run-chromium.sh dist/chrome

clean:
	rm -rf build dist
