//go:build js && wasm

// Command visen is the extension's engine, compiled to WebAssembly. It is a
// thin bridge: it exposes globalThis.visenCall(name, json) → Promise<json>
// and hands every call to the engine package.
package main

import (
	"context"
	"syscall/js"

	"github.com/visen/visen/internal/engine"
)

func main() {
	e := engine.New(nil)
	js.Global().Set("visenCall", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) < 2 {
			return reject("visenCall needs a name and a JSON payload")
		}
		name, payload := args[0].String(), args[1].String()
		// A JS callback must not block: the work runs in a goroutine and
		// settles a Promise.
		return newPromise(func(resolve js.Value) {
			resolve.Invoke(string(e.Call(context.Background(), name, []byte(payload))))
		})
	}))
	select {}
}

func newPromise(run func(resolve js.Value)) js.Value {
	var executor js.Func
	executor = js.FuncOf(func(_ js.Value, args []js.Value) any {
		executor.Release()
		go run(args[0])
		return nil
	})
	return js.Global().Get("Promise").New(executor)
}

func reject(message string) js.Value {
	return js.Global().Get("Promise").Call("reject", js.Global().Get("Error").New(message))
}
