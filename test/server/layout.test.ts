// House rules that a compiler does not check (STYLE.md conventions 5 and 10): the core is
// DOM-free and lit-free, the server never imports the elements, and no HTML sink appears in src/.
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { code, root, sources } from '../helpers/sources.js';

describe('source layout rules', () => {
  it('src/core uses no DOM globals directly and imports neither lit nor the elements', () => {
    const offenders: string[] = [];
    for (const file of sources('src/core')) {
      const text = code(file);
      // Browser objects are reached lazily through globalThis (media/), never at module level.
      if (/(^|[^.\w])(window|document|navigator)\s*[.[]/m.test(text)) offenders.push(`${file}: DOM global`);
      if (/from\s+['"](lit|lit\/[^'"]*|\.\.\/(\.\.\/)*elements[^'"]*|\.\.\/(\.\.\/)*controllers[^'"]*)['"]/.test(text))
        offenders.push(`${file}: imports lit or the element layer`);
    }
    assert.deepEqual(offenders, []);
  });

  it('src/server imports neither lit nor the elements, only the core protocol', () => {
    const offenders = sources('src/server').filter((file) => /from\s+['"](lit[^'"]*|[^'"]*\/(elements|controllers|events)\/[^'"]*)['"]/.test(code(file)));
    assert.deepEqual(offenders, []);
  });

  it('no HTML sink in src/ (server or user strings must never reach one)', () => {
    const offenders = sources('src').filter((file) => /\b(innerHTML|outerHTML|insertAdjacentHTML|unsafeHTML|document\.write)\b/.test(code(file)));
    assert.deepEqual(
      offenders.map((f) => relative(root, join(root, f))),
      [],
    );
  });
});
