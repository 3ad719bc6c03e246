// What the Notion type checks share: blocks cut into the shapes the writer
// sends, and a TypeScript check of those shapes against @notionhq/client's
// BlockObjectRequest, with excess-property checks.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

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
export function units(blocks, out = []) {
  for (const block of blocks) {
    const body = block[block.type];
    const children = body?.children ?? [];
    const sent = block.type === 'table' ? children : children.filter((c) => c.type !== 'table').map(stripChildren);
    out.push(sent.length ? { ...block, [block.type]: { ...body, children: sent } } : stripChildren(block));
    units(children, out);
  }
  return out;
}

// typecheck writes each named list of units as a TypeScript file typed
// BlockObjectRequest[] in a scratch folder under dir, and returns the names
// whose file fails, with tsc's first lines of output.
export function typecheck(dir, named) {
  const work = fs.mkdtempSync(path.join(dir, '.typecheck-'));
  try {
    for (const [name, u] of named) {
      const source = [
        "import type { BlockObjectRequest } from '@notionhq/client';",
        `export const blocks: BlockObjectRequest[] = ${JSON.stringify(u, null, 1)};`,
      ].join('\n');
      fs.writeFileSync(path.join(work, `${name}.ts`), source);
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
      return { failed: new Set(), output: '' };
    } catch (err) {
      const output = String(err.stdout).replaceAll(path.relative(process.cwd(), work) + path.sep, '');
      if (!/error TS/.test(output)) throw err;
      const failed = new Set([...output.matchAll(/^([^\s(]+)\.ts(?=\()/gm)].map((m) => m[1]));
      return { failed, output: output.split('\n').slice(0, 40).join('\n') };
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
