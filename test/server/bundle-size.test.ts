// Bundle budgets, gzip level 9 (as scripts/bench.mjs measures). The drop-in, dist/rtc-elements.js
// (publisher + player + overlay), at most 25 kB: the official SDK alone is 34.9 kB with no UI.
// The conference element ships as its own file, dist/rtc-room.js (room + overlay), at most 30 kB.
// `npm test` builds both before the Node tests; `npm run bench` prints the sizes.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

// This file runs from dist/node/test/server/.
const root = fileURLToPath(new URL('../../../../', import.meta.url));

const BUDGETS = [
  { file: 'dist/rtc-elements.js', budget: 25_000 },
  { file: 'dist/rtc-room.js', budget: 30_000 },
];

for (const { file, budget } of BUDGETS) {
  const path = join(root, file);

  describe(file, () => {
    it(`is at most ${budget} bytes gzip`, () => {
      assert.ok(existsSync(path), `${file} is missing: run \`npm run build\` (npm test builds it first)`);
      const size = gzipSync(readFileSync(path), { level: 9 }).length;
      assert.ok(size <= budget, `${file} is ${size} bytes gzip, over the ${budget}-byte budget by ${size - budget}`);
    });

    it('is one self-contained module (lit inlined, no imports)', () => {
      const source = readFileSync(path, 'utf8');
      assert.doesNotMatch(source, /^\s*import\b|\bimport\s*["']|\bfrom\s*["'](?!data:)[^"']+["']/m, `${file} imports another module`);
    });
  });
}
