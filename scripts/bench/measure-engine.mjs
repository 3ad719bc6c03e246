// Measures the engine's start-up in Node, phase by phase, the way the
// background starts it: reading the module (the fetch), compiling it,
// instantiating it, and running Go until the engine's calls exist (Go's
// runtime and every package's init). Prints one line per phase with the
// median of its runs, and the module's size as shipped and gzipped.
//
//   node scripts/bench/measure-engine.mjs [visen.wasm] [runs]
//
// With VISEN_INITTRACE=1 it prints Go's own account of each package's
// init (GODEBUG=inittrace=1) for one run instead.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import zlib from 'node:zlib';

const file = process.argv[2] ?? 'build/visen.wasm';
const runs = Number(process.argv[3] ?? 15);
const goroot = execFileSync('go', ['env', 'GOROOT']).toString().trim();
await import(`${goroot}/lib/wasm/wasm_exec.js`);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function once(trace) {
  const t0 = performance.now();
  const bytes = fs.readFileSync(file);
  const t1 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const t2 = performance.now();
  const go = new globalThis.Go();
  if (trace) go.env = { GODEBUG: 'inittrace=1' };
  const instance = await WebAssembly.instantiate(module, go.importObject);
  const t3 = performance.now();
  delete globalThis.visenCall;
  go.run(instance);
  if (typeof globalThis.visenCall !== 'function') throw new Error('the engine did not start');
  const t4 = performance.now();
  return { read: t1 - t0, compile: t2 - t1, instantiate: t3 - t2, run: t4 - t3, total: t4 - t0 };
}

if (process.env.VISEN_INITTRACE) {
  await once(true);
  process.exit(0);
}
const all = [];
for (let i = 0; i < runs; i++) all.push(await once(false));
const wasm = fs.readFileSync(file);
const mib = (n) => `${(n / 1048576).toFixed(2)} MiB`;
console.log(`size ${mib(wasm.length)} gzipped ${mib(zlib.gzipSync(wasm, { level: 9 }).length)}`);
for (const k of ['read', 'compile', 'instantiate', 'run', 'total']) {
  console.log(`${k} ${median(all.map((r) => r[k])).toFixed(1)} ms`);
}
process.exit(0);
