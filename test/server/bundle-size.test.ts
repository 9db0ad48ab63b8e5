// The drop-in bundle's budget: publisher + player + overlay (everything in dist/rtc-elements.js)
// at most 25 kB gzip; the official SDK alone is 34.9 kB with no UI. `npm test` builds the bundle
// before the Node tests; `npm run bench` prints the size.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

// This file runs from dist/node/test/server/.
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const BUNDLE = join(root, 'dist/rtc-elements.js');
const BUDGET = 25_000;

describe('dist/rtc-elements.js', () => {
  it(`is at most ${BUDGET} bytes gzip`, () => {
    assert.ok(existsSync(BUNDLE), 'dist/rtc-elements.js is missing: run `npm run build` (npm test builds it first)');
    const source = readFileSync(BUNDLE);
    // Level 9, as scripts/bench.mjs measures.
    const size = gzipSync(source, { level: 9 }).length;
    assert.ok(size <= BUDGET, `dist/rtc-elements.js is ${size} bytes gzip, over the ${BUDGET}-byte budget by ${size - BUDGET}`);
  });

  it('is one self-contained module (lit inlined, no imports)', () => {
    const source = readFileSync(BUNDLE, 'utf8');
    assert.doesNotMatch(source, /^\s*import\b|\bimport\s*["']|\bfrom\s*["'](?!data:)[^"']+["']/m, 'the bundle imports another module');
  });
});
