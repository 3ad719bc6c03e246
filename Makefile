# Visen's front door. `make` builds both browsers' packages; `make test` runs
# every test: Go (native, with the race detector, and wasm), JS, the Notion
# request-type check, and the real-browser tests in Chromium and Firefox ESR.

GO        ?= go
# The wasm tests run with the stack a browser gives the engine, not the
# larger one Go's own go_js_wasm_exec asks Node for.
WASM_EXEC := $(CURDIR)/scripts/test/wasm-exec.sh
NODE_DEPS := scripts/node_modules/.package-lock.json
GO_SRC    := $(shell find wasm internal -name '*.go' -not -name '*_test.go') go.mod go.sum
EXT_SRC   := $(shell find extension -type f)
# Go packages and folders of the project; npm packages under scripts/ may
# carry Go files of their own, which are not ours to build or vet.
GO_PKGS   = $(shell $(GO) list ./... | grep -v /node_modules/)
GO_DIRS   = $(shell $(GO) list -f '{{.Dir}}' ./... | grep -v /node_modules/)

# The build's date: the last commit's or, in a source package (which has
# no git), the one make source wrote into it. The zips carry it, so one
# source gives byte-identical zips.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || cat SOURCE_DATE_EPOCH 2>/dev/null)
export SOURCE_DATE_EPOCH
VERSION   := $(shell sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' extension/manifest.json)
SOURCE_ZIP = dist/visen-source-$(VERSION).zip

.PHONY: all build test test-go test-wasm test-js test-types test-browser lint bench screenshots run demo demo-reset deps browsers clean source verify-release FORCE

all: build

build: dist/.built

# Inlining is turned off where the engine only passes through: the HTTP
# stack and TLS that go-openai and notionapi link in though the browser's
# fetch carries every request, the two clients' own code, and the
# compression and crypto beside them. Inlined copies of their small
# functions made a tenth of the gzipped engine; Go's runtime, the
# converters, goldmark and encoding/json keep theirs, so conversion keeps
# its speed (make bench converts under wasm with these same flags).
COLD_PKGS := net/... crypto/... vendor/... mime/... compress/... math/big encoding/asn1 encoding/pem \
	github.com/jomei/notionapi github.com/sashabaranov/go-openai/...
WASM_GCFLAGS := $(foreach p,$(COLD_PKGS),-gcflags=$(p)=-l)

build/visen.wasm: $(GO_SRC)
	@mkdir -p build
	GOOS=js GOARCH=wasm $(GO) build -trimpath -buildvcs=false -ldflags='-s -w' $(WASM_GCFLAGS) -o $@ ./wasm

# build/epoch changes only when the build's date does, so a new commit
# re-dates the zips without rebuilding what did not change.
build/epoch: FORCE
	@mkdir -p build
	@echo '$(SOURCE_DATE_EPOCH)' | cmp -s - $@ || echo '$(SOURCE_DATE_EPOCH)' > $@

dist/.built: build/visen.wasm build/epoch $(EXT_SRC) scripts/pack/main.go
	$(GO) run ./scripts/pack -wasm build/visen.wasm -out dist chrome firefox
	@touch $@

# The source package Firefox's review asks for, as the wasm is built from
# source: the last commit's files, the build's date, and a note for the
# reviewer with the tool versions and the one command that builds it.
source: build/epoch
	@mkdir -p dist
	cp build/epoch build/SOURCE_DATE_EPOCH
	sed -e 's/@GO@/$(shell $(GO) env GOVERSION)/' -e 's/@NODE@/$(shell node --version 2>/dev/null)/' -e 's/@VERSION@/$(VERSION)/g' \
		scripts/pack/REVIEWERS.md > build/REVIEWERS.md
	git archive --format=zip --prefix=visen-source-$(VERSION)/ --add-file=build/REVIEWERS.md \
		--add-file=build/SOURCE_DATE_EPOCH -o $(SOURCE_ZIP) HEAD
	@echo "source: $(SOURCE_ZIP)"

# Builds the source package in a clean folder and checks that its zips are
# byte for byte the ones built here.
verify-release: build source
	@dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
	unzip -q $(SOURCE_ZIP) -d "$$dir" && \
	env -u SOURCE_DATE_EPOCH $(MAKE) --no-print-directory -C "$$dir/visen-source-$(VERSION)" build >/dev/null && \
	for b in chrome firefox; do \
		cmp dist/visen-$$b-$(VERSION).zip "$$dir/visen-source-$(VERSION)/dist/visen-$$b-$(VERSION).zip" || exit 1; \
		echo "verify-release: visen-$$b-$(VERSION).zip is byte-identical when built from $(SOURCE_ZIP)"; \
	done

$(NODE_DEPS): scripts/package.json scripts/package-lock.json
	npm ci --prefix scripts --no-audit --no-fund
	@touch $@

deps: $(NODE_DEPS) browsers

browsers:
	@bash scripts/browser/install.sh

test: test-go test-wasm test-js test-types test-browser

test-go:
	$(GO) vet $(GO_PKGS)
	@test -z "$$(gofmt -l $(GO_DIRS))" || { gofmt -l $(GO_DIRS); echo 'gofmt: the files above need formatting'; exit 1; }
	$(GO) test -race $(GO_PKGS)

test-wasm:
	GOOS=js GOARCH=wasm $(GO) vet ./wasm
	GOOS=js GOARCH=wasm $(GO) test -exec=$(WASM_EXEC) ./internal/...

test-js:
	node --test extension/

test-types: $(NODE_DEPS)
	node scripts/test/typecheck/check.mjs
	node scripts/test/typecheck/commonmark.mjs

lint: build $(NODE_DEPS)
	node scripts/test/lint-extension.mjs dist/firefox

test-browser: build deps lint
	node --test --test-concurrency=1 scripts/test/browser/

bench: build deps
	WASM_GCFLAGS='$(WASM_GCFLAGS)' bash scripts/bench/bench.sh
	node scripts/bench/measure-extension.mjs

screenshots: build deps
	node scripts/bench/screenshots.mjs

# Chromium on Notion with the built extension, in a profile kept between runs.
run: build browsers
	@echo "Starting Chromium with Visen loaded (profile build/chromium-profile; Chromium's own messages go to build/chromium-profile/chromium.log)."
	@echo "Stop it by closing the browser, or with Ctrl+C here."
	@node scripts/browser/chromium.mjs --profile build/chromium-profile dist/chrome https://www.notion.so/

demo: build
	@bash scripts/browser/install.sh chromium
	@bash scripts/fakes/demo.sh

# The demo keeps its browser profile (settings, the pinned icon) between runs.
demo-reset:
	rm -rf build/demo-profile

clean:
	rm -rf build dist
