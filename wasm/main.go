//go:build js && wasm

// Command visen is the extension's engine, compiled to WebAssembly. It is a
// thin bridge over the engine package, and no panic crosses it: a call that
// panics settles with a failed reply, and the engine keeps serving.
//
//	visenCall(name, json) → Promise<json>          one request, one reply
//	visenGenerate(json, onUpdate) → Promise<json>  a generation; onUpdate(json) on every change
//	visenFill(json, onUpdate) → Promise<json>      a run over database rows; onUpdate(json) on every change
//	visenCancel(jobId) → bool                      stops a generation or a run
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
			resolve.Invoke(string(engine.Safely(func() []byte {
				return e.Call(context.Background(), name, []byte(payload))
			})))
		})
	}))
	js.Global().Set("visenGenerate", streaming("visenGenerate", e.Generate))
	js.Global().Set("visenFill", streaming("visenFill", e.Fill))
	js.Global().Set("visenCancel", js.FuncOf(func(_ js.Value, args []js.Value) any {
		return len(args) == 1 && e.Cancel(args[0].String())
	}))
	select {}
}

// streaming bridges a long call that reports progress: (json, onUpdate) →
// Promise<json>, with onUpdate(json) on every change.
func streaming(name string, run func(context.Context, []byte, func([]byte)) []byte) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) < 2 || args[1].Type() != js.TypeFunction {
			return reject(name + " needs a JSON payload and an update callback")
		}
		payload, onUpdate := args[0].String(), args[1]
		return newPromise(func(resolve js.Value) {
			resolve.Invoke(string(engine.Safely(func() []byte {
				return run(context.Background(), []byte(payload), func(update []byte) {
					onUpdate.Invoke(string(update))
				})
			})))
		})
	})
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
