// No import cycles under src/ and packages/server/src/: the import graph of their .ts files, built
// from the relative import specifiers (type-only imports included: a cycle of types is still a
// tangle), has no cycle.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { code, root, sources } from '../helpers/sources.js';

/** The relative specifiers of `text`: `import … from`, `export … from`, side-effect `import '…'`, `import('…')`. */
export function relativeSpecifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s*['"](\.[^'"]*)['"]/g, /\bimport\s*['"](\.[^'"]*)['"]/g, /\bimport\s*\(\s*['"](\.[^'"]*)['"]\s*\)/g];
  for (const re of patterns) for (const m of text.matchAll(re)) found.push(m[1]!);
  return found;
}

/** `./x.js` from `src/a/b.ts` → `src/a/x.ts` (or `x/index.ts`); undefined when no such source exists. */
function resolve(from: string, spec: string): string | undefined {
  const base = join(dirname(from), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => c.endsWith('.ts') && existsSync(join(root, c)));
}

/** Every cycle found by a depth-first search, each as the list of files from its start back to it. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (node: string): void => {
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (onStack.has(next)) cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!done.has(next)) visit(next);
    }
    stack.pop();
    onStack.delete(node);
    done.add(node);
  };
  for (const node of [...graph.keys()].sort()) if (!done.has(node)) visit(node);
  return cycles;
}

describe('import graph of src/ and packages/server/src/', () => {
  it('the cycle finder finds a cycle of two, a cycle of three and a self-import, and nothing in a tree', () => {
    const graph = new Map<string, string[]>([
      ['a', ['b']],
      ['b', ['a', 'c']],
      ['c', ['d']],
      ['d', ['e']],
      ['e', ['c']],
      ['f', ['f']],
    ]);
    assert.deepEqual(findCycles(graph), [
      ['a', 'b', 'a'],
      ['c', 'd', 'e', 'c'],
      ['f', 'f'],
    ]);
    assert.deepEqual(
      findCycles(
        new Map([
          ['a', ['b', 'c']],
          ['b', ['c']],
          ['c', []],
        ]),
      ),
      [],
    );
  });

  it('reads every kind of relative import and no package import', () => {
    const text = [
      "import { html } from 'lit';",
      "import type { A } from './a.js';",
      "export { B } from '../b.js';",
      "import './c.js';",
      "const d = import('./d.js');",
      "import {\n  E,\n  type F,\n} from './e/f.js';",
    ].join('\n');
    assert.deepEqual(relativeSpecifiers(text).sort(), ['../b.js', './a.js', './c.js', './d.js', './e/f.js']);
  });

  it('has no cycle', () => {
    const files = [...sources('src'), ...sources('packages/server/src')];
    assert.ok(files.length > 60, `only ${files.length} sources found under ${root}src and ${root}packages/server/src`);
    const graph = new Map<string, string[]>();
    const unresolved: string[] = [];
    for (const file of files) {
      const deps: string[] = [];
      for (const spec of relativeSpecifiers(code(file))) {
        const target = resolve(file, spec);
        if (target) deps.push(target);
        else unresolved.push(`${file}: ${spec}`);
      }
      graph.set(file, deps);
    }
    assert.deepEqual(unresolved, [], 'relative imports that name no source file');
    const cycles = findCycles(graph).map((c) => c.join(' -> '));
    assert.deepEqual(cycles, []);
  });
});
