// Relative times in History, as a person says them.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { relativeTime } from './ui.js';

test('times read as a person says them', () => {
  const now = Date.UTC(2026, 11, 1, 12, 0, 0);
  const cases = [
    [0, 'just now'],
    [30_000, 'just now'],
    [60_000, '1 min ago'],
    [5 * 60_000, '5 min ago'],
    [59 * 60_000, '59 min ago'],
    [60 * 60_000, '1 hour ago'],
    [3 * 3_600_000, '3 hours ago'],
    [26 * 3_600_000, '1 day ago'],
    [3 * 86_400_000, '3 days ago'],
    [15 * 86_400_000, '2 weeks ago'],
  ];
  for (const [ago, want] of cases) assert.equal(relativeTime(now - ago, now), want, `${ago} ms ago`);
});

test('a time in the future (a clock that moved) reads as just now', () => {
  assert.equal(relativeTime(Date.now() + 60_000), 'just now');
});
