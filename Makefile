# Visen's front door. `make` builds both browsers' packages; `make test` runs
# every test: Go (native and wasm), JS, the Notion request-type check, and
# the real-browser tests in Chromium and Firefox ESR.

GO        ?= go
GOROOT    := $(shell $(GO) env GOROOT)
WASM_EXEC := $(GOROOT)/lib/wasm/go_js_wasm_exec
NODE_DEPS := scripts/node_modules/.package-lock.json
GO_SRC    := $(shell find wasm internal -name '*.go' -not -name '*_test.go') go.mod go.sum
EXT_SRC   := $(shell find extension -type f)
# Go packages and folders of the project; npm packages under scripts/ may
# carry Go files of their own, which are not ours to build or vet.
GO_PKGS   = $(shell $(GO) list ./... | grep -v /node_modules/)
GO_DIRS   = $(shell $(GO) list -f '{{.Dir}}' ./... | grep -v /node_modules/)

.PHONY: all build test test-go test-wasm test-js test-types test-browser lint bench run demo demo-reset deps browsers clean

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

test: test-go test-wasm test-js test-types test-browser

test-go:
	$(GO) vet $(GO_PKGS)
	@test -z "$$(gofmt -l $(GO_DIRS))" || { gofmt -l $(GO_DIRS); echo 'gofmt: the files above need formatting'; exit 1; }
	$(GO) test $(GO_PKGS)

test-wasm:
	GOOS=js GOARCH=wasm $(GO) vet ./wasm
	GOOS=js GOARCH=wasm $(GO) test -exec=$(WASM_EXEC) ./internal/...

test-js:
	node --test extension/

test-types: $(NODE_DEPS)
	node scripts/typecheck/check.mjs

lint: build $(NODE_DEPS)
	node scripts/lint-extension.mjs dist/firefox

test-browser: build deps lint
	node --test --test-concurrency=1 scripts/browser-test/

bench: build deps
	bash scripts/bench.sh
	node scripts/measure-extension.mjs

# The demo and `make run` need Chromium alone.
run: build
	@bash scripts/install-browsers.sh chromium
	@bash scripts/run-chromium.sh dist/chrome

demo: build
	@bash scripts/install-browsers.sh chromium
	@bash scripts/demo.sh

# The demo keeps its browser profile (settings, the pinned icon) between runs.
demo-reset:
	rm -rf build/demo-profile

clean:
	rm -rf build dist
