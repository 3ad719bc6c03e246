// Type-checks every golden converter output against the request types that
// Notion publishes in its official SDK (@notionhq/client's
// BlockObjectRequest). Each block is checked as the writer sends it: with
// its children, whose own children go in later requests. Object literals get
// TypeScript's excess-property checks, so a property the API does not take
// fails here.
//
//   node scripts/typecheck/check.mjs
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const scripts = path.resolve(here, '..');
const goldens = path.resolve(scripts, '../internal/mdnotion/testdata');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

function stripChildren(block) {
  const body = block[block.type];
  if (!body || !('children' in body)) return block;
  const { children, ...rest } = body;
  return { ...block, [block.type]: rest };
}

// units are the shapes of one append request: a block and its children.
// A table cannot be sent without its rows, so one nested under another
// block goes in a request of its own.
function units(blocks, out = []) {
  for (const block of blocks) {
    const body = block[block.type];
    const children = body?.children ?? [];
    const sent = block.type === 'table' ? children : children.filter((c) => c.type !== 'table').map(stripChildren);
    out.push(sent.length ? { ...block, [block.type]: { ...body, children: sent } } : stripChildren(block));
    units(children, out);
  }
  return out;
}

const work = fs.mkdtempSync(path.join(scripts, '.typecheck-'));
try {
  const files = fs.readdirSync(goldens).filter((f) => f.endsWith('.json')).sort();
  let blocks = 0;
  for (const f of files) {
    const tree = JSON.parse(fs.readFileSync(path.join(goldens, f), 'utf8'));
    const u = units(tree);
    blocks += u.length;
    const source = [
      "import type { BlockObjectRequest } from '@notionhq/client';",
      `export const blocks: BlockObjectRequest[] = ${JSON.stringify(u, null, 1)};`,
    ].join('\n');
    fs.writeFileSync(path.join(work, f.replace(/\.json$/, '.ts')), source);
  }
  fs.writeFileSync(
    path.join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: true },
      include: ['*.ts'],
    }),
  );
  try {
    execFileSync(process.execPath, [tsc, '-p', work], { stdio: 'pipe', maxBuffer: 64 << 20 });
  } catch (err) {
    const output = String(err.stdout).replaceAll(path.relative(process.cwd(), work) + path.sep, '');
    if (!/error TS/.test(output)) throw err;
    console.error(output.split('\n').slice(0, 40).join('\n'));
    const failed = new Set(output.match(/^[^\s(]+\.ts(?=\()/gm)).size;
    console.log(`typecheck: ${files.length - failed} passed, ${failed} failed`);
    // exitCode, not exit(), so the finally block still removes the folder.
    process.exitCode = 1;
  }
  if (!process.exitCode) {
    console.log(`typecheck: ${blocks} blocks in ${files.length} golden files match BlockObjectRequest`);
    console.log(`typecheck: ${files.length} passed, 0 failed`);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
