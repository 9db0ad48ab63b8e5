/**
 * The installed package in Node, without a DOM, as SSR frameworks load it: every entry of its
 * `exports` imports without throwing (each in a fresh Node process, resolved from the React
 * example's node_modules as a user's app resolves it), and the React example's App renders with
 * `renderToString` (built by `vite build --ssr`; RTC_CONSUMER_SSR). Run by scripts/consumer-test.mjs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

const reactDir = process.env['RTC_CONSUMER_REACT_DIR'] ?? '';
const ssrBundle = process.env['RTC_CONSUMER_SSR'] ?? '';

/** The import specifiers of the package's entries: `rtc-elements`, `rtc-elements/react`, …; `main` when it has no `exports`. */
function entries(): string[] {
  const pkg = JSON.parse(readFileSync(join(reactDir, 'node_modules', 'rtc-elements', 'package.json'), 'utf8'));
  if (!pkg.exports) return [pkg.name];
  const keys = typeof pkg.exports === 'string' || !Object.keys(pkg.exports).some((k) => k.startsWith('.')) ? ['.'] : Object.keys(pkg.exports);
  return keys.filter((k) => !k.includes('*') && !k.endsWith('.json')).map((k) => (k === '.' ? pkg.name : `${pkg.name}${k.slice(1)}`));
}

describe('the packed package in Node (no DOM)', () => {
  it('imports every entry of its exports without throwing, in a fresh process each', () => {
    const specs = entries();
    assert.ok(specs.includes('rtc-elements'));
    const failures: string[] = [];
    for (const spec of specs) {
      // `--eval` resolves bare specifiers from the working directory: the example app's node_modules.
      const r = spawnSync(process.execPath, ['--input-type=module', '--eval', `await import(${JSON.stringify(spec)});`], { cwd: reactDir, encoding: 'utf8' });
      if (r.status !== 0) {
        const error = r.stderr.split('\n').find((l) => /^\w*Error\b/.test(l)) ?? r.stderr.slice(-300);
        failures.push(`${spec}: ${error.slice(0, 300)}`);
      }
    }
    assert.deepEqual(failures, [], `entries that throw in Node:\n${failures.join('\n')}`);
  });

  it("renders the React example's App with renderToString: the three elements with their attributes", async () => {
    const { render } = (await import(pathToFileURL(ssrBundle).href)) as { render: (props: Record<string, string>) => string };
    const html = render({ serverUrl: 'ws://127.0.0.1:5080/LiveApp/websocket', streamId: 'ssr1', roomId: 'ssr-room' });
    assert.match(html, /<rtc-publisher [^>]*server-url="ws:\/\/127\.0\.0\.1:5080\/LiveApp\/websocket"[^>]*stream-id="ssr1"[^>]*auto-publish=""/);
    assert.match(html, /<rtc-player [^>]*stream-id="ssr1"[^>]*autoplay=""[^>]*muted=""/);
    assert.match(html, /<rtc-room [^>]*room-id="ssr-room"/);
    assert.match(html, /<p id="status" role="status">waiting for the stream<\/p>/);
    // Event props are listeners in the browser, never attributes in the HTML.
    assert.doesNotMatch(html, /onrtc-/);
  });
});
