#!/usr/bin/env node
// The soak run (`npm run bench -- --soak [minutes]`, or `node scripts/soak.mjs [minutes]`; 30 by
// default): a <rtc-publisher> with 3 <rtc-player>s of its stream and a 4-person <rtc-room>, all
// live against the embedded server (in this process) in headless Chromium, for `minutes`.
// Every 10 s it samples the server's RSS and heap, the page's JS heap (DevTools protocol, after a
// forced GC), each player's and each room tile's decoded frames and freezes (over 1 s without a
// new decoded frame), and prints a row; at the end, the
// growth of each figure from the first minute to the last, per hour. Not a test: it asserts
// nothing and prints numbers. Uses the built bundle (dist/) and server (packages/server/dist/).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_FLAGS } from './chromium-flags.mjs';

const root = new URL('..', import.meta.url).pathname;
const minutes = Number(process.argv.find((a) => /^\d+(\.\d+)?$/.test(a)) ?? 30);
const SAMPLE_MS = Number(process.env.SOAK_SAMPLE_MS ?? 10_000);
const FREEZE_MS = 1000;

/** The page: the elements, a frame clock per <video>, and `soakSample()` reading them all. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>soak</title>
<style>body{margin:0;display:grid;grid-template-columns:repeat(4,320px);gap:4px}rtc-room{grid-column:1/-1;height:480px}</style>
<script type="module">
import '/dist/rtc-elements.js';
const { ws } = window.__SOAK__;
const clocks = new Map();
/** Counts decoded frames of 'video' (getVideoPlaybackQuality, read every 100 ms: off-screen videos
 * get no frame callbacks) and the spells of over ${FREEZE_MS} ms without a new one. */
function watch(name, video) {
  // The clock starts at the video's first frame (a late joiner's tile has none for a while).
  const c = { video, frames: 0, freezes: 0, longestGapMs: 0, lastChange: 0, frozen: false };
  clocks.set(name, c);
}
setInterval(() => {
  const now = performance.now();
  for (const c of clocks.values()) {
    const frames = c.video.getVideoPlaybackQuality().totalVideoFrames;
    if (frames !== c.frames || !c.lastChange) {
      if (!frames) continue;
      c.frames = frames;
      c.lastChange = now;
      c.frozen = false;
      continue;
    }
    const gap = now - c.lastChange;
    if (gap > c.longestGapMs) c.longestGapMs = gap;
    if (gap > ${FREEZE_MS} && !c.frozen) {
      c.frozen = true;
      c.freezes++;
    }
  }
}, 100);
const make = (tag, attrs) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  document.body.append(el);
  return el;
};
window.soakUp = async () => {
  const pub = make('rtc-publisher', { 'server-url': ws, 'stream-id': 'soak', 'no-controls': '' });
  await pub.start();
  const players = [1, 2, 3].map((i) => make('rtc-player', { 'server-url': ws, 'stream-id': 'soak', autoplay: '', muted: '', 'no-controls': '' }));
  await Promise.all(players.map((p) => new Promise((r) => (p.state === 'live' ? r() : p.addEventListener('rtc-play-started', r, { once: true })))));
  players.forEach((p, i) => watch('player' + (i + 1), p.shadowRoot.querySelector('video')));
  const rooms = [1, 2, 3, 4].map((i) => make('rtc-room', { 'server-url': ws, 'room-id': 'soak-room', 'stream-name': 'P' + i, 'no-controls': '' }));
  for (const r of rooms) await r.join();
  // Each room's remote tiles: watched once their videos appear.
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline && rooms.some((r) => r.shadowRoot.querySelectorAll('.tile:not([data-participant=local]) video').length < 3))
    await new Promise((r) => setTimeout(r, 200));
  rooms.forEach((r, i) => r.shadowRoot.querySelectorAll('.tile:not([data-participant=local]) video').forEach((v, j) => watch('room' + (i + 1) + '.' + (j + 1), v)));
  return { players: players.length, tiles: clocks.size - players.length };
};
window.soakSample = () => {
  const out = {};
  for (const [name, c] of clocks) out[name] = { frames: c.frames, freezes: c.freezes, longestGapMs: Math.round(c.longestGapMs) };
  const states = [...document.querySelectorAll('rtc-publisher,rtc-player,rtc-room')].map((e) => e.state);
  return { clocks: out, states };
};
</script>`;

const { createServer } = await import(join(root, 'packages/server/dist/index.js'));
const dir = mkdtempSync(join(tmpdir(), 'rtc-soak-'));
let server;
let browser;
try {
  server = await createServer({ host: '127.0.0.1', port: 0, demoDir: dir });
  const ws = `${server.url.replace(/^http/, 'ws')}/LiveApp/websocket`;
  writeFileSync(
    join(dir, 'index.html'),
    PAGE.replace('<script type="module">', `<script>window.__SOAK__=${JSON.stringify({ ws })}</script><script type="module">`),
  );
  browser = await puppeteer.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1300, height: 1000 });
  const cdp = await page.createCDPSession();
  await page.goto(`${server.url}/`);
  await page.waitForFunction('typeof window.soakUp === "function"');
  const up = await page.evaluate('window.soakUp()');
  console.log(
    `soak: ${minutes} min, a publisher with ${up.players} players and a 4-person room (${up.tiles} remote tiles watched), a sample every ${SAMPLE_MS / 1000} s`,
  );
  console.log('   t  server RSS  server heap  page heap  frames/s (min of all videos)  freezes  longest gap  not live');
  const rows = [];
  const t0 = performance.now();
  let previous;
  for (;;) {
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const mem = process.memoryUsage();
    const s = await page.evaluate('window.soakSample()');
    const t = (performance.now() - t0) / 1000;
    const names = Object.keys(s.clocks);
    const rates = previous ? names.map((n) => (s.clocks[n].frames - (previous.clocks[n]?.frames ?? 0)) / (SAMPLE_MS / 1000)) : [];
    const freezes = names.reduce((n, k) => n + s.clocks[k].freezes, 0);
    const longest = Math.max(0, ...names.map((k) => s.clocks[k].longestGapMs));
    const notLive = s.states.filter((x) => x !== 'live').length;
    const row = {
      t,
      rss: mem.rss / 1e6,
      serverHeap: mem.heapUsed / 1e6,
      pageHeap: heap.usedSize / 1e6,
      minFps: rates.length ? Math.min(...rates) : NaN,
      freezes,
      longest,
      notLive,
    };
    rows.push(row);
    previous = s;
    if (process.env.SOAK_DEBUG) console.log(JSON.stringify(s.clocks));
    console.log(
      `${t.toFixed(0).padStart(4)}  ${row.rss.toFixed(1).padStart(7)} MB  ${row.serverHeap.toFixed(1).padStart(8)} MB  ${row.pageHeap.toFixed(1).padStart(6)} MB  ${Number.isNaN(row.minFps) ? '     –' : row.minFps.toFixed(1).padStart(6)}  ${String(freezes).padStart(33)}  ${String(Math.round(longest)).padStart(8)} ms  ${String(notLive).padStart(8)}`,
    );
    if (t >= minutes * 60) break;
  }
  // Growth: the mean of the first minute against the mean of the last, scaled to an hour.
  const span = Math.min(6, Math.max(1, Math.floor(rows.length / 3)));
  const mean = (xs, k) => xs.reduce((n, r) => n + r[k], 0) / xs.length;
  const first = rows.slice(0, span);
  const last = rows.slice(-span);
  const hours = (mean(last, 't') - mean(first, 't')) / 3600;
  const growth = (k) => {
    const d = mean(last, k) - mean(first, k);
    return `${d >= 0 ? '+' : ''}${d.toFixed(1)} MB (${hours > 0 ? `${(d / hours).toFixed(1)} MB/h` : 'n/a'})`;
  };
  console.log(
    `soak growth, first ${span} samples → last ${span}: server RSS ${growth('rss')}, server heap ${growth('serverHeap')}, page heap ${growth('pageHeap')}`,
  );
  const lowest = rows.length > 1 ? `${Math.min(...rows.slice(1).map((r) => r.minFps)).toFixed(1)} fps` : '–';
  console.log(
    `soak totals: ${rows.at(-1).freezes} freezes over 1 s, longest gap ${Math.round(Math.max(...rows.map((r) => r.longest)))} ms, lowest frame rate of any video ${lowest}, elements not live at the end: ${rows.at(-1).notLive}`,
  );
} finally {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
}
