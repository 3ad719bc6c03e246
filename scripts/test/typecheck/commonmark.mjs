// Runs every example of the CommonMark spec (the commonmark-spec package)
// through Visen's converter, in one Go process, and checks each result:
//   - valid for Notion: every request shape matches @notionhq/client's
//     BlockObjectRequest, and Notion's limits hold (text and link lengths,
//     equation length, rich-text items, children per request);
//   - structure kept: as many headings, list items, code blocks, quotes,
//     dividers and web images as the spec's HTML has (a kind the example
//     writes as raw HTML is not counted, as raw HTML keeps only its visible
//     text by design), and every word of the HTML's visible text is there.
//
//   node scripts/test/typecheck/commonmark.mjs
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { typecheck, units } from './blocks.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const scripts = path.resolve(here, '../..');
const require = createRequire(import.meta.url);
// The spec writes tabs as →, as its own test runner expects.
const tests = require('commonmark-spec').tests.map((t) => ({
  ...t,
  markdown: t.markdown.replaceAll('→', '\t'),
  html: t.html.replaceAll('→', '\t'),
}));

const LIMITS = { text: 2000, url: 2000, equation: 1000, richText: 100, children: 100 };

const converted = JSON.parse(
  execFileSync('go', ['run', './scripts/test/typecheck/convertall'], {
    cwd: path.resolve(scripts, '..'),
    input: JSON.stringify(tests.map((t) => t.markdown)),
    maxBuffer: 256 << 20,
  }),
);

function walk(blocks, visit) {
  for (const b of blocks) {
    visit(b);
    walk(b[b.type]?.children ?? [], visit);
  }
}

// limitProblems lists where a tree breaks Notion's limits.
function limitProblems(tree) {
  const problems = [];
  const richText = (rt, where) => {
    if (rt.length > LIMITS.richText) problems.push(`${where}: ${rt.length} rich-text items`);
    for (const r of rt) {
      if (r.text && r.text.content.length > LIMITS.text) problems.push(`${where}: text of ${r.text.content.length}`);
      if (r.text?.link && r.text.link.url.length > LIMITS.url) problems.push(`${where}: link of ${r.text.link.url.length}`);
      if (r.equation && r.equation.expression.length > LIMITS.equation) problems.push(`${where}: equation of ${r.equation.expression.length}`);
    }
  };
  walk(tree, (b) => {
    const body = b[b.type] ?? {};
    for (const key of ['rich_text', 'caption']) if (body[key]) richText(body[key], b.type);
    for (const cell of body.cells ?? []) richText(cell, b.type);
    if (b.type === 'equation' && body.expression.length > LIMITS.equation) problems.push(`equation of ${body.expression.length}`);
    if ((body.children ?? []).length > LIMITS.children) problems.push(`${b.type}: ${body.children.length} children`);
  });
  return problems;
}

function blockText(tree) {
  const parts = [];
  const rt = (items) => items?.forEach((r) => parts.push(r.text?.content ?? r.equation?.expression ?? ''));
  walk(tree, (b) => {
    const body = b[b.type] ?? {};
    rt(body.rich_text);
    rt(body.caption);
    body.cells?.forEach(rt);
    if (body.expression) parts.push(body.expression);
    if (body.external?.url) parts.push(body.external.url);
  });
  return parts.join(' ');
}

const entities = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: '\u00a0' };
function visibleText(html) {
  return html
    .replace(/<img[^>]*alt="([^"]*)"[^>]*>/g, ' $1 ')
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, ' $1 ')
    .replace(/<(?:[^>"']|"[^"]*"|'[^']*')*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e) => {
      if (e[0] === '#') return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
      return entities[e] ?? m;
    });
}

// kinds counts, per kind, the spec's HTML elements and Visen's blocks.
const kinds = [
  { name: 'heading', html: /<h[1-6][ >]/g, raw: /<h[1-6]/i, block: (t) => /^heading_\d$/.test(t) },
  { name: 'list item', html: /<li[ >]/g, raw: /<li/i, block: (t) => ['bulleted_list_item', 'numbered_list_item', 'to_do'].includes(t) },
  { name: 'code block', html: /<pre[ >]/g, raw: /<pre/i, block: (t) => t === 'code' },
  { name: 'quote', html: /<blockquote[ >]/g, raw: /<blockquote/i, block: (t) => t === 'quote' },
  { name: 'divider', html: /<hr[ />]/g, raw: /<hr/i, block: (t) => t === 'divider' },
  { name: 'image', html: /<img src="https?:\/\//g, raw: /<img/i, block: (t) => t === 'image' },
];

function structureProblems(example, tree) {
  const problems = [];
  for (const k of kinds) {
    if (k.raw.test(example.markdown)) continue;
    const want = (example.html.match(k.html) ?? []).length;
    let got = 0;
    walk(tree, (b) => { if (k.block(b.type)) got++; });
    if (got !== want) problems.push(`${want} ${k.name}s in the spec, ${got} blocks`);
  }
  const have = blockText(tree).replace(/\s+/g, '');
  for (const word of visibleText(example.html).split(/\s+/).filter(Boolean)) {
    if (!have.includes(word)) {
      problems.push(`lost “${word}”`);
      break;
    }
  }
  return problems;
}

const named = converted.map((tree, i) => [`example-${tests[i].number}`, units(tree)]);
const { failed: typeFailed, output } = typecheck(scripts, named);
let valid = 0;
let kept = 0;
const report = [];
for (const [i, example] of tests.entries()) {
  const tree = converted[i];
  const limits = limitProblems(tree);
  const typed = !typeFailed.has(`example-${example.number}`);
  if (typed && limits.length === 0) valid++;
  else report.push(`example ${example.number} (${example.section}) is not valid for Notion: ${typed ? limits.join('; ') : 'request types'}`);
  const structure = structureProblems(example, tree);
  if (structure.length === 0) kept++;
  else report.push(`example ${example.number} (${example.section}): ${structure.join('; ')}`);
}
if (typeFailed.size) console.error(output);
for (const line of report) console.error(line);
console.log(`commonmark: ${valid} of ${tests.length} spec examples valid for Notion; ${kept} of ${tests.length} keep their structure`);
if (report.length) process.exitCode = 1;
