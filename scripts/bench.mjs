#!/usr/bin/env node
// `npm run bench`: prints measured numbers. Bundle size (gzip) and, against the embedded server
// in headless Chromium with a fake camera, the time from a play request to the first decoded
// frame: for a plain protocol client and for the official AMS SDK; and a 4-person <rtc-room>
// (time to the first frames of a late joiner, server CPU per participant), recovery after outages;
// then the fault lab's figures (scripts/fault-lab.mjs --measure: recovery after UDP cuts and server
// restarts, fps and freezes under loss, a 500 kbit/s uplink; the official SDK's player beside ours
// under loss and restarts), which needs root for its network namespace.
// `npm run bench -- --first-frame [runs]` measures only <rtc-player> (from attaching, socket
// included) against the SDK player (from play(), socket open), alternating on one stream.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_FLAGS } from './chromium-flags.mjs';

const root = new URL('..', import.meta.url).pathname;
const firstFrameOnly = process.argv.indexOf('--first-frame');
const firstFrameRuns = firstFrameOnly >= 0 ? Number(process.argv[firstFrameOnly + 1]) || 15 : 0;
// One part only (no fault lab, no soak): --first-frame [runs], --timeline, --recovery.
const focused = firstFrameRuns > 0 || process.argv.includes('--timeline') || process.argv.includes('--recovery');
const sh = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
sh(join(root, 'node_modules/.bin/rollup'), ['-c', '--silent']);
sh('npm', ['run', 'build', '--silent', '-w', 'packages/server']);

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
// The budgets test/server/bundle-size.test.ts holds them to: the entry (what a page with a publisher and
// a player loads), then its lazy chunks (the room's view, the camera-off black frames, the player's controls).
for (const [file, budget] of [
  ['dist/rtc-elements.js', 25],
  ['dist/rtc-room.js', 15],
  ['dist/black-frames.js', 1],
  ['dist/stats.js', 2.5],
  ['dist/whip.js', 4.5],
  ['dist/player-controls.js', 4.5],
  ['dist/stats-panel.js', 2],
]) {
  console.log(`bundle ${file}: ${kB(readFileSync(join(root, file)).length)} min, ${kB(gz(join(root, file)))} gzip (budget ${budget} kB)`);
}

const { createServer } = await import(join(root, 'packages/server/dist/index.js'));
const dir = mkdtempSync(join(tmpdir(), 'rtc-bench-'));
let server;
let browser;
let serverOptions;
try {
  await build({ entryPoints: [join(root, 'scripts/bench/page.ts')], bundle: true, format: 'esm', outfile: join(dir, 'page.js'), logLevel: 'error' });
  // Fault injection on for the media-cut figure below (it changes nothing until a cut is made).
  serverOptions = { host: '127.0.0.1', port: 0, demoDir: dir, faultInjection: true };
  server = await createServer(serverOptions);
  const ws = `${server.url.replace(/^http/, 'ws')}/LiveApp/websocket`;
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><script>window.__RTC_SERVER__=${JSON.stringify({ http: server.url, ws })}</script><script type="module" src="page.js"></script>`,
  );
  browser = await puppeteer.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
  });
  const page = await browser.newPage();
  await page.goto(`${server.url}/`);
  await page.waitForFunction('typeof window.runBench === "function"');
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return `median ${median(s).toFixed(0)} ms (min ${s[0].toFixed(0)}, max ${s[s.length - 1].toFixed(0)}, n=${s.length})`;
  };
  if (process.argv.includes('--recovery')) {
    await recoveryBench();
  } else if (process.argv.includes('--timeline')) {
    const runs = await page.evaluate(`window.runTimeline(${firstFrameRuns || 7})`);
    for (const who of ['element', 'sdk']) {
      const mine = runs.filter((r) => r.who === who);
      const keys = [...new Set(mine.flatMap((r) => Object.keys(r.marks)))];
      const rows = keys.map((k) => [k, median(mine.map((r) => r.marks[k]).filter((v) => v !== undefined))]).sort((a, b) => a[1] - b[1]);
      console.log(`${who}: total ${stats(mine.map((r) => r.total))}`);
      for (const [k, v] of rows) console.log(`  ${v.toFixed(1).padStart(7)}  ${k}`);
    }
  } else if (firstFrameRuns) {
    const race = await page.evaluate(`window.runFirstFrame(${firstFrameRuns})`);
    console.log(`first frame, <rtc-player> from attaching (socket included): ${stats(race.element)}`);
    console.log(`first frame, official SDK from play() (socket open):        ${stats(race.sdk)}`);
    console.log(`ratio ours / SDK (medians, alternating): ${(median(race.element) / median(race.sdk)).toFixed(2)} (target ≤ 0.80)`);
  } else {
    const result = await page.evaluate('window.runBench()');
    console.log(`play request → first decoded frame, plain protocol client: ${stats(result.protocolClient)}`);
    console.log(`play request → first decoded frame, official AMS SDK:     ${stats(result.officialSdk)}`);
    console.log(`new player → first frame (socket included), <rtc-player>:    ${stats(result.element)}`);
    console.log(`new player → first frame (socket included), official SDK:   ${stats(result.sdkFromScratch)}`);
    console.log(`new player → first frame over WHEP (HTTP included), <rtc-player>: ${stats(result.elementWhep)}`);

    // A 4-person <rtc-room> conference (4 publishers, 4 room plays of 3 participants each), all in
    // this headless page; the server runs in this process, so its CPU is this process's.
    const PEOPLE = 4;
    const late = await page.evaluate(`window.roomUp(${PEOPLE})`);
    console.log(
      `<rtc-room>, ${PEOPLE}th participant from join(): own publish live ${late.live.toFixed(0)} ms, room play_started ${late.played.toFixed(0)} ms, ` +
        `first frame of each of the other ${PEOPLE - 1}: ${late.frames.toFixed(0)} ms`,
    );
    const WINDOW_MS = 10_000;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const cpu = process.cpuUsage(cpu0);
    const share = ((cpu.user + cpu.system) / 1000 / (performance.now() - t0)) * 100;
    console.log(
      `server CPU, ${PEOPLE}-person room (640x480 fake camera, over ${WINDOW_MS / 1000} s): ${share.toFixed(1)} % of one core, ${(share / PEOPLE).toFixed(1)} % per participant`,
    );
    await page.evaluate('window.roomDown()');

    await recoveryBench();
  }
} finally {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
}

// The fault lab in its measuring mode: the same scenarios and figures as in `npm test`, never failing.
// It runs the server from dist/node/ (the Node build).
if (!focused) {
  sh(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.node.json']);
  console.log('\nfault lab (real network faults; scripts/fault-lab.mjs --measure):');
  spawnSync(process.execPath, [join(root, 'scripts/fault-lab.mjs'), '--measure'], { cwd: root, stdio: 'inherit' });
}

// The soak run (scripts/soak.mjs): a publisher with 3 players and a 4-person room for 30 minutes,
// sampled every 10 s, with the growth of memory, frames and freezes. `--soak <minutes>` sets its
// length; `--no-soak` leaves it out.
if (!process.argv.includes('--no-soak') && !focused) {
  const at = process.argv.indexOf('--soak');
  const minutes = at >= 0 ? Number(process.argv[at + 1]) || 30 : 30;
  console.log(`\nsoak (${minutes} min; --no-soak leaves it out):`);
  spawnSync(process.execPath, [join(root, 'scripts/soak.mjs'), String(minutes)], { cwd: root, stdio: 'inherit' });
}

/**
 * Recovery: <rtc-publisher> + <rtc-player> in one page, the official SDK's publisher + player in
 * another (each its own browser context, so its own renderer process: Chromium throttles a
 * process's WebSockets by its failed ones); the server closes (every socket and connection), stays
 * down, starts again on the same port; measured from the server answering again to each player's
 * next decoded frame. Then a media cut with the sockets up (the relay drops all UDP for 5 s), from
 * the path's return. BENCH_OUTAGES (seconds, comma-separated; default 2,10,60),
 * BENCH_RECOVERY_TRIALS (default 3).
 */
async function recoveryBench() {
  const outages = (process.env.BENCH_OUTAGES ?? '2,10,60')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const TRIALS = Number(process.env.BENCH_RECOVERY_TRIALS ?? 3);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const port = Number(new URL(server.url).port);
  const pct = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  };
  const summary = (xs) =>
    `median ${pct(xs, 50).toFixed(0)} ms, p95 ${pct(xs, 95).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n=${xs.length})`;
  const pages = {};
  for (const side of ['ours', 'sdk']) {
    const context = await browser.createBrowserContext();
    const p = (pages[side] = await context.newPage());
    await p.goto(`${server.url}/`);
    await p.waitForFunction('typeof window.recoveryUp === "function"');
    await p.evaluate(`window.recoveryUp(${JSON.stringify(side)})`);
  }
  const trial = async (back) => {
    const [a, b] = await Promise.all(['ours', 'sdk'].map((side) => pages[side].evaluate(`window.recoveredAfter(${back})`)));
    return { ours: a.ours, sdk: b.sdk };
  };
  for (const down of outages) {
    const ours = [];
    const sdk = [];
    for (let i = 0; i < TRIALS; i++) {
      await server.close();
      await sleep(down * 1000);
      server = await createServer({ ...serverOptions, port });
      const r = await trial(Date.now());
      ours.push(r.ours);
      sdk.push(r.sdk);
    }
    console.log(`server down ${down} s → player decoding again (from the server answering), <rtc-player>: ${summary(ours)}`);
    console.log(`server down ${down} s → player decoding again (from the server answering), official SDK: ${summary(sdk)}`);
  }
  if (process.env.BENCH_CUT === '0') return;
  const ours = [];
  const sdk = [];
  const CUT_MS = 5000;
  for (let i = 0; i < TRIALS; i++) {
    server.faults.cutMedia({ media: 'cut', ms: CUT_MS });
    const r = await trial(Date.now() + CUT_MS);
    ours.push(r.ours);
    sdk.push(r.sdk);
  }
  console.log(`UDP cut ${CUT_MS / 1000} s (socket up) → player decoding again (from the path's return), <rtc-player>: ${summary(ours)}`);
  console.log(`UDP cut ${CUT_MS / 1000} s (socket up) → player decoding again (from the path's return), official SDK: ${summary(sdk)}`);
}
