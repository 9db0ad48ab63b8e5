/**
 * The example apps as built by scripts/consumer-test.mjs (from the packed tarball), each served from
 * another origin than the embedded server and driven in headless Chromium: the publisher goes live,
 * the player decodes frames (`framesDecoded` rising), the app's own `rtc-play-started` handler wrote
 * the status line, and the room element rendered. Then the React app server-rendered: the HTML of its
 * SSR bundle (RTC_CONSUMER_SSR) in the page of its development build (RTC_CONSUMER_HYDRATE), which
 * hydrates it: no hydration mismatch reported, the server's nodes kept, the three elements upgraded
 * and rendered, and the same checks. Run by scripts/consumer-test.mjs, which passes the builds in
 * RTC_CONSUMER_BUILDS (`{app: folder}`).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { RunningServer } from '../../packages/server/src/index.js';
import { FLAGS, executablePath } from '../helpers/chromium.js';
import { startServer, wsUrl } from '../helpers/server.js';

const builds: Record<string, string> = JSON.parse(process.env['RTC_CONSUMER_BUILDS'] ?? '{}');
/** The React app's development build and its SSR bundle (`render(props)`), for the server-rendered page it hydrates. */
const hydrateBuild = process.env['RTC_CONSUMER_HYDRATE'] ?? '';
const ssrBundle = process.env['RTC_CONSUMER_SSR'] ?? '';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/**
 * A static file server for one build on a free loopback port; the page is opened as
 * http://localhost:PORT. `pages` answers some paths with HTML of its own instead of the files.
 */
async function serveStatic(dir: string, pages: Record<string, string> = {}): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createHttpServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const page = pages[path];
    if (page !== undefined) {
      res.writeHead(200, { 'content-type': TYPES['.html']! }).end(page);
      return;
    }
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(dir + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://localhost:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** What the page shows, for a failure's message. */
const pageState = (page: Page): Promise<unknown> =>
  page
    .evaluate(
      `({ status: document.getElementById('status')?.textContent, publisher: document.querySelector('rtc-publisher')?.getAttribute('state'),
          player: document.querySelector('rtc-player')?.getAttribute('state'), errorCodes: [...document.querySelectorAll('[error-code]')].map((e) => e.localName + ':' + e.getAttribute('error-code')),
          defined: ['rtc-publisher', 'rtc-player', 'rtc-room', 'rtc-error-overlay'].filter((t) => customElements.get(t)) })`,
    )
    .catch((e: unknown) => String(e));

/** Waits until `expression` (evaluated in the page, awaited) is truthy; a timeout says what the page showed. */
async function waitFor(page: Page, what: string, expression: string, timeout: number, errors: string[]) {
  try {
    return await page.waitForFunction(expression, { timeout, polling: 200 });
  } catch (e) {
    throw new Error(
      `${what}: not within ${timeout} ms (${e instanceof Error ? e.message.split('\n')[0] : e}); page: ${JSON.stringify(await pageState(page))}; page errors: ${JSON.stringify(errors)}`,
      { cause: e },
    );
  }
}

/** The player's decoded frame count, read through the element's own `getStats()`. */
const framesDecoded = (page: Page): Promise<number> =>
  page.evaluate(`document.querySelector('rtc-player').getStats().then((s) => s.framesDecoded ?? 0, () => 0)`) as Promise<number>;

/**
 * What every app's page must do once opened: the publisher goes live, the app's own handler of the
 * player's `rtc-play-started` writes the status line, the player decodes frames and keeps doing so,
 * and the room renders; no uncaught error on the way.
 */
async function checkLivePage(page: Page, stream: string, pageErrors: string[]): Promise<void> {
  // The plain HTML page says so at once when the bundle did not load (CORS, say): no need to wait on.
  await waitFor(
    page,
    'the publisher live',
    `document.querySelector('rtc-publisher')?.getAttribute('state') === 'live' || /^could not load/.test(document.getElementById('status')?.textContent ?? '')`,
    20_000,
    pageErrors,
  );
  assert.equal(await page.evaluate(`document.querySelector('rtc-publisher').getAttribute('state')`), 'live', JSON.stringify(await pageState(page)));
  // The app's own handler of the player's rtc-play-started event wrote this line (before it, the
  // player may have reported a recoverable `no_stream_exist` there while the publisher started).
  await waitFor(
    page,
    "the status line written by the app's rtc-play-started handler",
    `document.getElementById('status')?.textContent === ${JSON.stringify(`rtc-play-started: ${stream}`)}`,
    20_000,
    pageErrors,
  );

  // Frames keep coming: the count rises past what it was once decoding had begun.
  const decodedAtLeast = (n: number) => `document.querySelector('rtc-player').getStats().then((s) => (s.framesDecoded ?? 0) >= ${n}, () => false)`;
  await waitFor(page, 'a first decoded frame', decodedAtLeast(1), 20_000, pageErrors);
  const first = await framesDecoded(page);
  await waitFor(page, `framesDecoded rising from ${first} by 10`, decodedAtLeast(first + 10), 10_000, pageErrors);

  // <rtc-room> is registered and rendered its shadow root (its code may come later than the rest).
  await waitFor(
    page,
    'the room rendered',
    `customElements.get('rtc-room') !== undefined && !!document.querySelector('rtc-room').shadowRoot?.querySelector('button')`,
    10_000,
    pageErrors,
  );
  assert.deepEqual(pageErrors, []);
}

const SSR_TAGS = ['rtc-publisher', 'rtc-player', 'rtc-room'];

/**
 * Runs in the page before any of its scripts: once the server's HTML is parsed (readyState
 * `interactive` comes before module scripts run), keeps the elements it holds and which tags were
 * defined by then, so the test can tell that React kept these very nodes and that they upgraded later.
 */
const SNAPSHOT_AFTER_PARSE = `document.addEventListener('readystatechange', () => {
  if (document.readyState !== 'interactive') return;
  window.__rtcParsed = {
    elements: [...document.querySelectorAll(${JSON.stringify(SSR_TAGS.join(', '))})],
    defined: ${JSON.stringify(SSR_TAGS)}.filter((t) => customElements.get(t) !== undefined),
  };
});`;

/** The messages of React (development build) about hydration: mismatches of text, structure or attributes, and the client re-render after one. */
const HYDRATION_MESSAGE = /hydrat|didn't match|did not match|server rendered|server HTML/i;

describe('the example apps, built from the packed tarball and served from another origin', () => {
  let media: RunningServer;
  let browser: Browser;
  before(async () => {
    media = await startServer();
    browser = await puppeteer.launch({ executablePath, headless: true, args: FLAGS });
  });
  after(async () => {
    await browser?.close();
    await media?.close();
  });

  it('got at least one build to check', () => {
    assert.ok(Object.keys(builds).length > 0, 'RTC_CONSUMER_BUILDS lists no build: run scripts/consumer-test.mjs');
  });

  for (const [app, dir] of Object.entries(builds)) {
    it(`${app}: the publisher goes live, the player decodes frames, the app's rtc-play-started handler ran, the room renders`, async () => {
      const site = await serveStatic(dir);
      const context = await browser.createBrowserContext();
      try {
        const page = await context.newPage();
        const pageErrors: string[] = [];
        page.on('pageerror', (e) => pageErrors.push(String(e)));
        const stream = `${app}-example`;
        assert.notEqual(site.origin, new URL(media.url).origin);
        const query = new URLSearchParams({ server: wsUrl(media), stream, room: `${app}-room` });
        await page.goto(`${site.origin}/?${query}`);
        await checkLivePage(page, stream, pageErrors);
      } finally {
        await context.close();
        await site.close();
      }
    });
  }

  if (hydrateBuild) {
    it('react, server-rendered (renderToString) and hydrated by its development build: no hydration mismatch, the server HTML kept, the three elements upgraded after it, then the same checks', async () => {
      // The page as a server sends it: the SSR bundle's HTML of the App, with the props the client
      // reads from the address (src/config.ts), in the root of the built index.html.
      const stream = 'react-hydrated';
      const props = { serverUrl: wsUrl(media), streamId: stream, roomId: 'react-hydrated-room' };
      const { render } = (await import(pathToFileURL(ssrBundle).href)) as { render: (p: typeof props) => string };
      const markup = render(props);
      for (const tag of SSR_TAGS) assert.match(markup, new RegExp(`<${tag} `), `the server HTML has <${tag}>`);
      const index = await readFile(join(hydrateBuild, 'index.html'), 'utf8');
      const emptyRoot = '<div id="root"></div>';
      assert.equal(index.split(emptyRoot).length, 2, `one ${emptyRoot} in the built index.html`);
      const site = await serveStatic(hydrateBuild, { '/': index.replace(emptyRoot, () => `<div id="root">${markup}</div>`) });
      const context = await browser.createBrowserContext();
      try {
        const page = await context.newPage();
        // Uncaught errors, console errors and any message of React's about hydration: none may come.
        const problems: string[] = [];
        page.on('pageerror', (e) => problems.push(String(e)));
        page.on('console', (m) => {
          // A failed request is listed below with its address; the console's line for it has none.
          if (/^Failed to load resource/.test(m.text())) return;
          if (m.type() === 'error' || HYDRATION_MESSAGE.test(m.text())) problems.push(`console.${m.type()}: ${m.text()}`);
        });
        page.on('response', (r) => {
          // The browser asks for /favicon.ico by itself; the app has none.
          if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico') problems.push(`HTTP ${r.status()}: ${r.url()}`);
        });
        await page.evaluateOnNewDocument(SNAPSHOT_AFTER_PARSE);
        assert.notEqual(site.origin, new URL(media.url).origin);
        const query = new URLSearchParams({ server: props.serverUrl, stream, room: props.roomId });
        await page.goto(`${site.origin}/?${query}`);

        await checkLivePage(page, stream, problems);

        // React hydrated the server's nodes: the elements parsed from its HTML are the ones in the
        // page now (after a mismatch React renders the root anew on the client, with new nodes).
        const parsed = (await page.evaluate(`(() => {
          const p = window.__rtcParsed;
          return p && { count: p.elements.length, defined: p.defined,
            kept: ${JSON.stringify(SSR_TAGS)}.map((t) => p.elements.includes(document.querySelector(t)) && document.querySelector(t).isConnected) };
        })()`)) as { count: number; defined: string[]; kept: boolean[] } | null;
        assert.ok(parsed, 'the snapshot after parsing was taken');
        assert.equal(parsed.count, SSR_TAGS.length, 'the parsed server HTML held the three elements');
        assert.deepEqual(parsed.defined, [], 'no element was defined while the server HTML was parsed');
        assert.deepEqual(parsed.kept, [true, true, true], `each of ${SSR_TAGS.join(', ')} is the node parsed from the server's HTML`);
        // Each upgraded: an instance of its registered class, with its shadow root rendered.
        const upgraded = await page.evaluate(
          `${JSON.stringify(SSR_TAGS)}.map((t) => { const el = document.querySelector(t), C = customElements.get(t);
            return !!C && el instanceof C && (el.shadowRoot?.childElementCount ?? 0) > 0; })`,
        );
        assert.deepEqual(upgraded, [true, true, true], `${SSR_TAGS.join(', ')} upgraded and rendered`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
        await site.close();
      }
    });
  }
});
