// Bundle budgets, gzip level 9 (as scripts/bench.mjs measures). The one tag, dist/rtc-elements.js,
// registers all four elements and holds everything a page with a publisher and a player runs:
// at most 25 kB (the official SDK alone is 34.9 kB with no UI). Code such a page does not run is
// a chunk of its own beside it, imported only when needed: the room's view (dist/rtc-room.js, the
// first time a <rtc-room> connects), the device check (dist/device-check.js: menus, microphone
// meter; the first time a <rtc-publisher> connects, and by the room's chunk), the camera-off black
// frames (dist/black-frames.js) and the stats (dist/stats.js, the first time a session reads its
// stats, never before the first frame).
// `npm test` builds the bundles before the Node tests; `npm run bench` prints the sizes.
// The room's chunk had 10 kB; it has 15 kB since the room lays itself out at every width (grid and
// speaker layouts placed in pixels, pin, full screen, chat panel or sheet), checks the devices
// before joining (preview, menus, microphone meter) and renders every string from one table:
// about 5 kB more of code a page pays for only once a <rtc-room> is on it.
// The player's full controls (dist/player-controls.js: volume, quality menu, fullscreen,
// picture-in-picture, shortcuts, fading) are fetched when a player is first connected, with the
// stats panel and its plots (dist/stats-panel.js, which the publisher fetches alone the first time
// its `stats` is on); until then the player's basic play/stop and mute buttons, in the entry, stand in.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

// This file runs from dist/node/test/server/.
const root = fileURLToPath(new URL('../../../../', import.meta.url));

const ENTRY = 'dist/rtc-elements.js';
/** The languages besides English, each a table of its own that only a page in that language fetches. */
const LOCALES = ['de', 'es', 'fr', 'ja', 'pt-BR', 'tr', 'zh-CN'];
const BUDGETS = [
  { file: ENTRY, budget: 25_000 },
  { file: 'dist/rtc-room.js', budget: 15_000 },
  { file: 'dist/device-check.js', budget: 2_500 },
  { file: 'dist/black-frames.js', budget: 1_000 },
  { file: 'dist/stats.js', budget: 2_500 },
  { file: 'dist/player-controls.js', budget: 4_500 },
  { file: 'dist/stats-panel.js', budget: 2_000 },
  // WHIP and WHEP (src/core/session/whip-sessions.ts and signaling/whip-signaling.ts): fetched
  // only by an element whose server is http(s):// (or protocol="whip|whep").
  { file: 'dist/whip.js', budget: 4_500 },
  { file: 'dist/i18n.js', budget: 300 },
  ...LOCALES.map((l) => ({ file: `dist/locales/${l}.js`, budget: 3_000 })),
];

const read = (file: string): string => {
  const path = join(root, file);
  assert.ok(existsSync(path), `${file} is missing: run \`npm run build\` (npm test builds it first)`);
  return readFileSync(path, 'utf8');
};
const staticImports = (source: string): string[] => [...source.matchAll(/(?:^|[;}])\s*import\s*(?:[\w${},*\s]+from\s*)?["']([^"']+)["']/g)].map((m) => m[1]!);
const dynamicImports = (source: string): string[] => [...source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);

for (const { file, budget } of BUDGETS) {
  describe(file, () => {
    it(`is at most ${budget} bytes gzip`, () => {
      const size = gzipSync(read(file), { level: 9 }).length;
      assert.ok(size <= budget, `${file} is ${size} bytes gzip, over the ${budget}-byte budget by ${size - budget}`);
    });
  });
}

describe('the chunks of dist/', () => {
  it('are exactly the entry and its lazy chunks (nothing else a page could have to fetch)', () => {
    const files = readdirSync(join(root, 'dist'), { recursive: true })
      .map(String)
      .filter((n) => n.endsWith('.js') && !n.startsWith('node'));
    assert.deepEqual(files.sort(), BUDGETS.map((b) => b.file.slice('dist/'.length)).sort());
  });

  it('the entry imports nothing statically (lit inlined) and the lazy chunks only by import(), relative to itself', () => {
    const source = read(ENTRY);
    assert.deepEqual(staticImports(source), []);
    assert.deepEqual(
      dynamicImports(source).sort(),
      [
        './black-frames.js',
        './device-check.js',
        './player-controls.js',
        './stats-panel.js',
        './rtc-room.js',
        './stats.js',
        './whip.js',
        ...LOCALES.map((l) => `./locales/${l}.js`),
      ].sort(),
    );
  });

  it('the room imports the entry and the device check, the other chunks the entry only (shared code is loaded once)', () => {
    assert.deepEqual([...new Set(staticImports(read('dist/rtc-room.js')))].sort(), ['./device-check.js', './rtc-elements.js']);
    assert.deepEqual([...new Set(staticImports(read('dist/device-check.js')))], ['./rtc-elements.js']);
    assert.deepEqual(dynamicImports(read('dist/device-check.js')), []);
    assert.deepEqual([...new Set(staticImports(read('dist/black-frames.js')))], ['./rtc-elements.js']);
    assert.deepEqual([...new Set(staticImports(read('dist/whip.js')))], ['./rtc-elements.js']);
    assert.deepEqual([...new Set(staticImports(read('dist/player-controls.js')))].sort(), ['./rtc-elements.js', './stats-panel.js']);
    assert.deepEqual([...new Set(staticImports(read('dist/stats-panel.js')))], ['./rtc-elements.js']);
    assert.deepEqual(dynamicImports(read('dist/stats-panel.js')), []);
    assert.deepEqual(dynamicImports(read('dist/player-controls.js')), []);
    assert.deepEqual(dynamicImports(read('dist/whip.js')), []);
    assert.deepEqual(dynamicImports(read('dist/rtc-room.js')), []);
    assert.deepEqual(dynamicImports(read('dist/black-frames.js')), []);
    const stats = read('dist/stats.js');
    assert.deepEqual([...staticImports(stats), ...dynamicImports(stats)], [], 'the stats chunk is self-contained');
  });

  it('the languages entry (setTranslations) is a re-export of the bundle, where the code is', () => {
    const source = read('dist/i18n.js');
    assert.match(source, /export\s*\{[^}]*\bsetTranslations\b[^}]*\}\s*from\s*["']\.\/rtc-elements\.js["']/);
    assert.deepEqual(dynamicImports(source), []);
    assert.ok(gzipSync(source, { level: 9 }).length < 300, 'dist/i18n.js holds no code of its own');
  });

  it('a language table is data only: it imports nothing', () => {
    for (const l of LOCALES) {
      const source = read(`dist/locales/${l}.js`);
      assert.deepEqual([...staticImports(source), ...dynamicImports(source)], [], l);
    }
  });
});
