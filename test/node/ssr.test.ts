// Server-side rendering: every entry imports in Node without a DOM, throws nothing, and leaves
// no DOM globals behind (an SSR framework imports the elements while rendering a page). Each
// import runs in a fresh Node process, so one entry's globals cannot hide another's failure.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// This file runs from dist/node/test/node/.
const root = fileURLToPath(new URL('../../../../', import.meta.url));

interface Outcome {
  ok: boolean;
  error?: string;
  exports?: string[];
  globals?: Record<string, string>;
}

/** Imports `specifier` (a package name or a root-relative path) in a new Node process without a DOM. */
function importInNode(specifier: string): Outcome {
  const script = `
    const globals = () => Object.fromEntries(['window', 'document', 'HTMLElement', 'customElements', 'navigator'].map((k) => [k, typeof globalThis[k]]));
    try {
      const m = await import(${JSON.stringify(specifier)});
      console.log(JSON.stringify({ ok: true, exports: Object.keys(m).sort(), globals: globals() }));
    } catch (e) {
      console.log(JSON.stringify({ ok: false, error: String(e && e.stack || e) }));
    }`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Outcome;
}

describe('importing in Node (SSR)', () => {
  for (const specifier of [
    'rtc-elements',
    'rtc-elements/player',
    'rtc-elements/publisher',
    'rtc-elements/room',
    'rtc-elements/classes',
    'rtc-elements/i18n',
    'rtc-elements/react',
  ]) {
    it(`import('${specifier}') throws nothing`, () => {
      const out = importInNode(specifier);
      assert.equal(out.ok, true, out.error);
      // lit's own Node build brings a custom-element registry of its own (lit's SSR shim), nothing else of a DOM.
      assert.deepEqual(out.globals, {
        window: 'undefined',
        document: 'undefined',
        HTMLElement: 'undefined',
        // The languages module loads no lit at all, so not even lit's registry.
        customElements: specifier.endsWith('/i18n') ? 'undefined' : 'object',
        navigator: out.globals!.navigator,
      });
    });
  }

  it("the package's entry exports the four element classes", () => {
    const out = importInNode('rtc-elements');
    for (const name of ['RtcPublisher', 'RtcPlayer', 'RtcRoom', 'RtcErrorOverlay', 'RtcError']) assert.ok(out.exports!.includes(name), name);
  });

  for (const file of [
    './dist/rtc-elements.js',
    './dist/rtc-room.js',
    './dist/black-frames.js',
    './dist/player-controls.js',
    './dist/stats-panel.js',
    './dist/i18n.js',
    './lib/elements/rtc-room/room-view.js',
  ]) {
    it(`import('${file}') throws nothing${file.startsWith('./dist') ? ' and defines no DOM global' : ''}`, () => {
      const out = importInNode(file);
      assert.equal(out.ok, true, out.error);
      if (file.startsWith('./dist')) {
        // The bundle's stand-ins for HTMLElement and document are its own, never globals.
        assert.deepEqual(out.globals, {
          window: 'undefined',
          document: 'undefined',
          HTMLElement: 'undefined',
          customElements: 'undefined',
          navigator: out.globals!.navigator,
        });
      }
    });
  }
});
