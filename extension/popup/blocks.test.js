import { test } from 'node:test';
import assert from 'node:assert/strict';

import { readableTail } from './blocks.js';

test('the tail of an answer hides the syntax still being written', () => {
  const cases = [
    ['- [', ''],
    ['- [ ] Write the ann', 'Write the ann'],
    ['- [x] Brief', 'Brief'],
    ['```sh', ''],
    ['```sh\nmake rel', 'make rel'],
    ['## Ste', 'Ste'],
    ['#', ''],
    ['> [!TIP]\n> Launch on', 'Launch on'],
    ['| Task | Owner |\n| --- | --- |\n| Blog | Da', 'Task  Owner\nBlog  Da'],
    ['A short plan for the **laun', 'A short plan for the laun'],
    ['See the [docs](https://exa', 'See the docs'],
    ['See the [do', 'See the do'],
    ['1. First', 'First'],
    ['Plain text goes on', 'Plain text goes on'],
    ['snake_case stays', 'snake_case stays'],
    ['$$E = mc', 'E = mc'],
    ['42', '42'],
    ['', ''],
  ];
  for (const [tail, want] of cases) assert.equal(readableTail(tail), want, JSON.stringify(tail));
});
