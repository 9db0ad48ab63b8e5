// The project's own source files as text, for the Node tests that check house rules on them
// (test/server/layout.test.ts, test/server/no-cycles.test.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The package root (this file runs from dist/node/test/helpers/). */
export const root = new URL('../../../../', import.meta.url).pathname;

/** Every .ts file under `dir` (relative to the root), as root-relative paths. */
export function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The file's code with comments removed, so prose may name `document`, `lit` or `import … from './x.js'`. */
export const code = (path: string): string =>
  readFileSync(join(root, path), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
