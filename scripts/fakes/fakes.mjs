// Starts the strict fake Notion and OpenAI servers (the Go program beside
// this file) for a browser test, a benchmark or the screenshots, and talks
// to their control API.
import { spawn, execFileSync } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const binary = path.join(root, 'build', 'fakes');

/** Builds the fakes once per test process. */
function build() {
  execFileSync('go', ['build', '-o', binary, './scripts/fakes'], { cwd: root, stdio: 'inherit' });
}

/**
 * Starts the fakes and resolves to their ports and a control client once
 * they print their one JSON line.
 */
export async function startFakes(args = []) {
  build();
  const proc = spawn(binary, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: proc.stdout });
  const ports = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the fakes did not start in 20 s')), 20_000);
    proc.once('exit', (code) => reject(new Error(`the fakes exited with ${code}`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
  });
  const base = `http://127.0.0.1:${ports.control}`;

  async function control(method, route, body) {
    const res = await fetch(base + route, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`fakes ${method} ${route}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  return {
    ports,
    control,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', resolve);
        proc.kill('SIGTERM');
      }),
  };
}
