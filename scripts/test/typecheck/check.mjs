// Type-checks every golden converter output against the request types that
// Notion publishes in its official SDK (@notionhq/client's
// BlockObjectRequest). Each block is checked as the writer sends it: with
// its children, whose own children go in later requests. Object literals get
// TypeScript's excess-property checks, so a property the API does not take
// fails here.
//
//   node scripts/test/typecheck/check.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { typecheck, units } from './blocks.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const scripts = path.resolve(here, '../..');
const goldens = path.resolve(scripts, '../internal/convert/md2notion/testdata');

const files = fs.readdirSync(goldens).filter((f) => f.endsWith('.json')).sort();
let blocks = 0;
const named = files.map((f) => {
  const u = units(JSON.parse(fs.readFileSync(path.join(goldens, f), 'utf8')));
  blocks += u.length;
  return [f.replace(/\.json$/, ''), u];
});
const { failed, output } = typecheck(scripts, named);
if (failed.size) {
  console.error(output);
  console.log(`typecheck: ${files.length - failed.size} passed, ${failed.size} failed`);
  process.exitCode = 1;
} else {
  console.log(`typecheck: ${blocks} blocks in ${files.length} golden files match BlockObjectRequest`);
  console.log(`typecheck: ${files.length} passed, 0 failed`);
}
