// House rules that a compiler does not check (STYLE.md conventions 5 and 10): the core is
// DOM-free and lit-free, the server never imports the elements (only the core protocol and errors), and no HTML sink appears in src/.
import assert from 'node:assert/strict';
import { dirname, join, relative } from 'node:path';
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

  it('the server (packages/server/src) imports neither lit nor the elements, and from the client half only the core protocol and errors', () => {
    const offenders: string[] = [];
    for (const file of sources('packages/server/src')) {
      const text = code(file);
      if (/from\s+['"](lit[^'"]*|[^'"]*\/(elements|controllers|events)\/[^'"]*)['"]/.test(text)) offenders.push(`${file}: imports lit or the element layer`);
      for (const m of text.matchAll(/\bfrom\s*['"](\.[^'"]*)['"]/g)) {
        const target = relative(root, join(root, dirname(file), m[1]!));
        if (target.startsWith('packages/server/src/')) continue;
        if (!target.startsWith('src/core/protocol/') && target !== 'src/core/errors.js') offenders.push(`${file}: imports ${target}`);
      }
    }
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
