// custom-elements.json and the README API tables are generated; these tests fail when either is
// stale (fix: `npm run docs`, then commit).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// This file runs from dist/node/test/server/.
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const FIX = 'run `npm run docs` and commit custom-elements.json and README.md';

interface Manifest {
  modules: Array<{ path: string; declarations?: Array<{ tagName?: string; customElement?: boolean }> }>;
}

/** The first line where two texts differ, for a readable failure. */
function firstDifference(wanted: string, found: string): string {
  const a = wanted.split('\n');
  const b = found.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i < 0 ? a.length : i;
  return `line ${at + 1}: expected ${JSON.stringify(a[at] ?? '(end of file)')}, found ${JSON.stringify(b[at] ?? '(end of file)')}`;
}

const readmeApi = (...args: string[]) => spawnSync(process.execPath, [join(root, 'scripts/readme-api.mjs'), ...args], { cwd: root, encoding: 'utf8' });

describe('custom-elements.json', () => {
  let dir: string;
  let fresh: string;
  const committed = readFileSync(join(root, 'custom-elements.json'), 'utf8');

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rtc-manifest-'));
    // The analyzer joins --outdir to its working directory, so pass it relative.
    const cem = join(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js');
    const r = spawnSync(process.execPath, [cem, 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--outdir', relative(root, dir), '--quiet'], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `the analyzer failed: ${r.stderr}${r.stdout}`);
    fresh = readFileSync(join(dir, 'custom-elements.json'), 'utf8');
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is what the analyzer writes from the sources now', () => {
    assert.ok(fresh === committed, `custom-elements.json is stale (${firstDifference(fresh, committed)}): ${FIX}`);
  });

  it('lists every element with a tag, modules in a stable order', () => {
    const manifest = JSON.parse(committed) as Manifest;
    const paths = manifest.modules.map((m) => m.path);
    assert.deepEqual(paths, [...paths].sort(), 'modules are sorted by path (deterministic on every file system)');
    // Base classes count as custom elements for the analyzer; only classes with a @tagname are tags.
    const tags = manifest.modules
      .flatMap((m) => m.declarations ?? [])
      .filter((d) => d.customElement && d.tagName)
      .map((d) => d.tagName!);
    assert.ok(tags.includes('rtc-error-overlay'), `tags: ${tags.join(', ')}`);
    for (const tag of tags) assert.match(tag, /^rtc-[a-z-]+$/);
    assert.equal(new Set(tags).size, tags.length, `a tag is documented twice: ${tags.join(', ')}`);
  });

  it('leaves package.json alone when written elsewhere', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { customElements?: string };
    assert.equal(pkg.customElements, 'custom-elements.json');
  });
});

describe('README API tables', () => {
  it('are fresh (scripts/readme-api.mjs --check)', () => {
    const r = readmeApi('--check');
    assert.equal(r.status, 0, `${r.stderr.trim()}\n${FIX}`);
  });

  it('have a section for every element of the manifest', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8')) as Manifest;
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('<!-- api:start -->'), readme.indexOf('<!-- api:end -->'));
    const tags = manifest.modules
      .flatMap((m) => m.declarations ?? [])
      .filter((d) => d.customElement && d.tagName)
      .map((d) => d.tagName!);
    assert.ok(tags.length > 0);
    for (const tag of tags) assert.ok(section.includes(`### \`<${tag}>\``), `README has no API section for <${tag}>: ${FIX}`);
  });

  describe('--check fails on stale files', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'rtc-readme-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('a README whose tables were edited by hand', () => {
      const readme = readFileSync(join(root, 'README.md'), 'utf8').replace('<!-- api:end -->', '| `x` | hand-written row |\n<!-- api:end -->');
      writeFileSync(join(dir, 'README.md'), readme);
      const r = readmeApi('--check', '--readme', join(dir, 'README.md'));
      assert.equal(r.status, 1);
      assert.match(r.stderr, /README\.md are stale.*run `npm run docs`/);
    });

    it('a manifest that does not match the sources', () => {
      const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8')) as Manifest;
      manifest.modules = manifest.modules.slice(1);
      writeFileSync(join(dir, 'custom-elements.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      const r = readmeApi('--check', '--manifest', join(dir, 'custom-elements.json'));
      assert.equal(r.status, 1);
      assert.match(r.stderr, /custom-elements\.json is stale.*run `npm run docs`/);
    });
  });
});
