#!/bin/sh
# Runs a Go test binary compiled to WebAssembly in Node with V8's default
# stack, the one an extension's background has. Go's own go_js_wasm_exec
# asks Node for 8 MB, where recursion that overflows in the browser passes.
# Usage: go test -exec="$PWD/scripts/test/wasm-exec.sh" (GOOS=js GOARCH=wasm).
exec node "$(go env GOROOT)/lib/wasm/wasm_exec_node.js" "$@"
