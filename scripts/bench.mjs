#!/usr/bin/env node
// `npm run bench`: prints measured numbers. Bundle size (gzip) and, against the embedded server
// in headless Chromium with a fake camera, the time from a play request to the first decoded
// frame: for a plain protocol client and for the official AMS SDK; and a 4-person <rtc-room>
// (time to the first frames of a late joiner, server CPU per participant), recovery after outages;
// then the fault lab's figures (scripts/fault-lab.mjs --measure: recovery after UDP cuts and server
// restarts, fps and freezes under loss, a 500 kbit/s uplink; the official SDK's player beside ours
// under loss and restarts), which needs root for its network namespace.
// Also the server's fan-out curve (scripts/bench/node/fanout.ts: one publisher at 0.5 Mbit/s, N
// werift receivers for each N of BENCH_FANOUT, default 25,50,100,150,300: the server's CPU, the
// receivers' packet loss). It ends with one summary table, ours against the official SDK side by
// side (scripts/bench/node/report.ts), and writes the same with plots as bench-report.html at the
// root (`--report <path>` elsewhere).
// One part only (no fault lab, no soak): `--first-frame [runs]` <rtc-player> (from attaching,
// socket included) against the SDK player (from play(), socket open), alternating on one stream;
// `--publish [runs]` publish to live, both; `--recovery`; `--room`; `--fanout`; `--timeline` (a diagnostic).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_FLAGS } from './chromium-flags.mjs';

const root = new URL('..', import.meta.url).pathname;
const firstFrameOnly = process.argv.indexOf('--first-frame');
const firstFrameRuns = firstFrameOnly >= 0 ? Number(process.argv[firstFrameOnly + 1]) || 15 : 0;
const publishOnly = process.argv.indexOf('--publish');
const publishRuns = publishOnly >= 0 ? Number(process.argv[publishOnly + 1]) || 7 : 0;
const flag = (name) => process.argv.includes(name);
const fanoutOnly = flag('--fanout') && !firstFrameRuns && !publishRuns && !flag('--timeline') && !flag('--recovery') && !flag('--room');
const focused = firstFrameRuns > 0 || publishRuns > 0 || flag('--timeline') || flag('--recovery') || flag('--room') || flag('--fanout');
const sh = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
// The Node build (dist/node/): the report and the fan-out modules, and the fault lab's server.
sh(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.node.json']);
const { emptyResults, median, ratioInterval, reportPath, summaryTable, writeReport } = await import(join(root, 'dist/node/scripts/bench/node/report.js'));
const { fanoutCounts, fanoutCurve } = await import(join(root, 'dist/node/scripts/bench/node/fanout.js'));
const { formatProfileShares, profileShares } = await import(join(root, 'dist/node/scripts/bench/node/profile.js'));
/** What the run measured, for the summary table and the report; each part adds to it as it goes. */
const results = emptyResults();
results.machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`;
results.command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
/** Runs one part; a failure is printed and kept for the table, and the bench goes on. */
const part = async (name, run) => {
  try {
    await run();
  } catch (e) {
    const line = `${name}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    console.error(`failed: ${line}`);
    results.errors.push(line);
  }
};

let createServer;
let server;
let browser;
let serverOptions;
// `--fanout` alone: no bundles, no browser.
if (!fanoutOnly) await browserParts();

/** The bundle sizes, then every part in headless Chromium (or the one asked for). */
async function browserParts() {
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
  // The official SDK as the bench page loads it (scripts/bench/page.ts imports @antmedia/webrtc_adaptor;
  // esbuild bundles it), minified: its size against our entry's, which holds the publisher and the player.
  const entry = {
    metric: 'bundle gzip: dist/rtc-elements.js (publisher + player) vs the SDK',
    unit: 'kB',
    ours: [gz(join(root, 'dist/rtc-elements.js')) / 1000],
  };
  results.sizes.push(entry);
  for (const file of ['dist/rtc-room.js', 'dist/player-controls.js', 'dist/whip.js']) {
    results.sizes.push({ metric: `bundle gzip: ${file} (lazy chunk)`, unit: 'kB', ours: [gz(join(root, file)) / 1000] });
  }
  await part('SDK size', async () => {
    const sdk = await build({
      stdin: { contents: "export { WebRTCAdaptor } from '@antmedia/webrtc_adaptor';", resolveDir: root },
      bundle: true,
      minify: true,
      format: 'esm',
      write: false,
      logLevel: 'error',
    });
    const bytes = sdk.outputFiles[0].contents;
    const sdkGzip = gzipSync(bytes, { level: 9 }).length;
    console.log(`official SDK (@antmedia/webrtc_adaptor, bundled and minified by esbuild): ${kB(bytes.length)} min, ${kB(sdkGzip)} gzip`);
    entry.sdk = [sdkGzip / 1000];
  });

  ({ createServer } = await import(join(root, 'packages/server/dist/index.js')));
  const dir = mkdtempSync(join(tmpdir(), 'rtc-bench-'));
  try {
    await build({ entryPoints: [join(root, 'scripts/bench/page.ts')], bundle: true, format: 'esm', outfile: join(dir, 'page.js'), logLevel: 'error' });
    // Fault injection on for the media-cut figure below (it changes nothing until a cut is made).
    // Admission control off, as in the tests (test/helpers/server.ts): this process runs the browser's
    // driver beside the server, and on a busy machine it refused the room ("The server is busy").
    serverOptions = { host: '127.0.0.1', port: 0, demoDir: dir, faultInjection: true, cpuLimit: 0, eventLoopLagLimitMs: 0 };
    // BENCH_DTX=0: the publishers' answers without Opus DTX (the server's audioDtx off), to compare.
    // BENCH_PTIME=40|60: the publishers asked for audio packets that long (the server's audioPacketMs), to compare.
    const live = {
      ...(process.env.BENCH_DTX === '0' ? { audioDtx: false } : {}),
      ...(process.env.BENCH_PTIME ? { audioPacketMs: Number(process.env.BENCH_PTIME) } : {}),
    };
    if (Object.keys(live).length > 0) serverOptions.apps = { LiveApp: live };
    server = await createServer(serverOptions);
    const ws = `${server.url.replace(/^http/, 'ws')}/LiveApp/websocket`;
    writeFileSync(
      join(dir, 'index.html'),
      `<!doctype html><script>window.__RTC_SERVER__=${JSON.stringify({ http: server.url, ws })}</script><script type="module" src="/dist/rtc-elements.js"></script><script type="module" src="page.js"></script>`,
    );
    browser = await puppeteer.launch({
      executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_FLAGS,
    });
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForFunction('typeof window.runBench === "function"');
    const stats = (xs) => {
      const s = [...xs].sort((a, b) => a - b);
      return `median ${median(s).toFixed(0)} ms (min ${s[0].toFixed(0)}, max ${s[s.length - 1].toFixed(0)}, n=${s.length})`;
    };
    if (flag('--recovery')) {
      await part('recovery', recoveryBench);
    } else if (flag('--room')) {
      await part('room', () => roomBench(page));
    } else if (publishRuns) {
      await part('publish to live', () => publishLive(page, publishRuns));
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
      await part('first frame', async () => {
        const race = await page.evaluate(`window.runFirstFrame(${firstFrameRuns})`);
        console.log(`first frame, <rtc-player> from attaching (socket included): ${stats(race.element)}`);
        console.log(`first frame, official SDK from play() (socket open):        ${stats(race.sdk)}`);
        // How far that ratio could move from run to run (a bootstrap of these samples): a change
        // whose ratio stays within the interval of the run before has not shown itself.
        const spread = ratioInterval(race.element, race.sdk);
        console.log(
          `ratio ours / SDK (medians, alternating): ${(median(race.element) / median(race.sdk)).toFixed(2)} ` +
            `(90 % bootstrap interval ${spread.low.toFixed(2)}-${spread.high.toFixed(2)}; target ≤ 0.80)`,
        );
        results.firstFrame.push({
          metric: 'first frame: <rtc-player> from attaching vs SDK from play() (alternating)',
          unit: 'ms',
          ours: race.element,
          sdk: race.sdk,
        });
      });
    } else {
      await part('first frame', async () => {
        const result = await page.evaluate('window.runBench()');
        console.log(`play request → first decoded frame, plain protocol client: ${stats(result.protocolClient)}`);
        console.log(`play request → first decoded frame, official AMS SDK:     ${stats(result.officialSdk)}`);
        console.log(`new player → first frame (socket included), <rtc-player>:    ${stats(result.element)}`);
        console.log(`new player → first frame (socket included), official SDK:   ${stats(result.sdkFromScratch)}`);
        console.log(`new player → first frame over WHEP (HTTP included), <rtc-player>: ${stats(result.elementWhep)}`);
        results.firstFrame.push(
          { metric: 'first frame: new player (socket included)', unit: 'ms', ours: result.element, sdk: result.sdkFromScratch },
          {
            metric: 'first frame: from play(), socket open (ours: the plain protocol client)',
            unit: 'ms',
            ours: result.protocolClient,
            sdk: result.officialSdk,
          },
          { metric: 'first frame: <rtc-player> from attaching vs SDK from play()', unit: 'ms', ours: result.element, sdk: result.officialSdk },
          { metric: 'first frame: new <rtc-player> over WHEP (HTTP included)', unit: 'ms', ours: result.elementWhep },
        );
      });
      await part('publish to live', () => publishLive(page, 7));

      await part('room', () => roomBench(page));

      await part('recovery', recoveryBench);
    }
  } finally {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// The server's fan-out curve (the browser closed by now): in the full run, and with --fanout beside another part.
if (!focused || flag('--fanout')) {
  console.log(`\nfan-out (one publisher at 0.5 Mbit/s, N werift receivers; BENCH_FANOUT=${fanoutCounts().join(',')}):`);
  results.fanout = await fanoutCurve(fanoutCounts());
}

// The fault lab in its measuring mode: the same scenarios and figures as in `npm test`, never failing.
// It runs the server from dist/node/ (the Node build, made above).
if (!focused) {
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

if (!flag('--timeline')) finish();

/** The summary table, last, and the report. */
function finish() {
  console.log(`\nsummary (medians; ratio = ours / official SDK, below 1 ours is the lower; — not measured):\n${summaryTable(results)}`);
  console.log(`\nreport: ${writeReport(results, reportPath(process.argv, root))}`);
}

/** Publish to live, `runs` each, ours and the SDK alternating (scripts/bench/page.ts runPublishLive). */
async function publishLive(page, runs) {
  const r = await page.evaluate(`window.runPublishLive(${runs})`);
  for (const f of r.failures) {
    console.error(`failed: publish to live, ${f}`);
    results.errors.push(`publish to live, ${f}`);
  }
  const stats = (xs) => `median ${xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(0) : '—'} ms (n=${xs.length})`;
  console.log(`new publisher → publish_started (camera and socket included), <rtc-publisher>: ${stats(r.ours.live)}`);
  console.log(`new publisher → publish_started (camera and socket included), official SDK:    ${stats(r.sdk.live)}`);
  console.log(`new publisher → a viewer's first decoded frame, <rtc-publisher>: ${stats(r.ours.viewer)}; official SDK: ${stats(r.sdk.viewer)}`);
  results.publish.push(
    { metric: 'new publisher → publish_started (camera and socket included)', unit: 'ms', ours: r.ours.live, sdk: r.sdk.live },
    { metric: "new publisher → a viewer's first decoded frame (same viewer for both)", unit: 'ms', ours: r.ours.viewer, sdk: r.sdk.viewer },
  );
}

/**
 * A 4-person <rtc-room> conference (4 publishers, 4 room plays of 3 participants each), all in
 * the headless page; the server runs in this process, so its CPU is this process's. Also the video
 * bitrate the server receives from the four publishers (what it forwards three times), since the
 * room's cost follows it.
 */
async function roomBench(page) {
  const PEOPLE = 4;
  const late = await page.evaluate(`window.roomUp(${PEOPLE})`);
  console.log(
    `<rtc-room>, ${PEOPLE}th participant from join(): own publish live ${late.live.toFixed(0)} ms, room play_started ${late.played.toFixed(0)} ms, ` +
      `first frame of each of the other ${PEOPLE - 1}: ${late.frames.toFixed(0)} ms`,
  );
  const WINDOW_MS = 10_000;
  const live = server.app('LiveApp').live;
  /** The server's CPU share over a window, and what the publishers send it then. */
  const measure = async (label, profile) => {
    // BENCH_PROFILE=<file>: a CPU profile of this process over the window given it (the second: every microphone on; the server's work), for DevTools.
    const profiler = profile ? new (await import('node:inspector/promises')).Session() : undefined;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const cpu = process.cpuUsage(cpu0);
    // (Read with the CPU, before the profile is stopped, written and summed up.)
    const ms = performance.now() - t0;
    if (profiler) {
      const { profile: data } = await profiler.post('Profiler.stop');
      writeFileSync(profile, JSON.stringify(data));
      profiler.disconnect();
      console.log(`CPU profile of the room's window: ${profile}`);
      for (const line of formatProfileShares(profileShares(data))) console.log(line);
    }
    const share = ((cpu.user + cpu.system) / 1000 / ms) * 100;
    const kbps = (key) => late.ids.map((id) => Math.round((live.get(id)?.peer?.info()[key] ?? 0) / 1000)).join(', ');
    console.log(
      `server CPU, ${PEOPLE}-person room, ${label} (640x480 fake camera, over ${WINDOW_MS / 1000} s): ${share.toFixed(1)} % of one core, ${(share / PEOPLE).toFixed(1)} % per participant; ` +
        `user ${((cpu.user / 1000 / ms) * 100).toFixed(1)} %, system ${((cpu.system / 1000 / ms) * 100).toFixed(1)} %; ` +
        `publishers' video ${kbps('videoBitrate')} kbit/s, audio ${kbps('audioBitrate')} kbit/s`,
    );
    return share;
  };
  // The first seconds after the last join cost more than what follows (its connections' set-up,
  // the browsers' bandwidth probing, first keyframes), so they are a window of their own.
  const joining = await measure('the 10 s after the last join, every microphone on');
  const share = await measure('after that, every microphone on (the fake one: a beep every 500 ms)', process.env.BENCH_PROFILE);
  // One speaks, three listen with their microphones muted (a muted track sends silence, which
  // Opus DTX, asked for by the server's answer, sends as one packet every 400 ms).
  await page.evaluate('window.roomMuteListeners()');
  await new Promise((r) => setTimeout(r, 1000));
  const muted = await measure('one speaking, three muted');
  await page.evaluate('window.roomDown()');
  results.room.push(
    { metric: `room of ${PEOPLE}: server CPU (of one core), the 10 s after the last join`, unit: '%', ours: [joining] },
    { metric: `room of ${PEOPLE}: server CPU (of one core), every microphone on`, unit: '%', ours: [share] },
    { metric: `room of ${PEOPLE}: server CPU (of one core), one speaking, three muted`, unit: '%', ours: [muted] },
    { metric: `room of ${PEOPLE}: last joiner's first frames of the others, from join()`, unit: 'ms', ours: [late.frames] },
  );
}

/**
 * Recovery: <rtc-publisher> + <rtc-player> in one page, the official SDK's publisher + player in
 * another (each its own browser context, so its own renderer process: Chromium throttles a
 * process's WebSockets by its failed ones); the server closes (every socket and connection), stays
 * down, starts again on the same port; measured from the server answering again to each player's
 * next decoded frame. Then a media cut with the sockets up (the relay drops all UDP for 5 s), from
 * the path's return. Then the same for a 3-person <rtc-room> alone (the last of its six remote
 * tiles to decode again). BENCH_OUTAGES (seconds, comma-separated; default 2,10,60),
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
    // The median as everywhere in the bench and its report: the upper middle of an even count.
    `median ${[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(0)} ms, p95 ${pct(xs, 95).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n=${xs.length})`;
  /** Each side in a browser context of its own, brought up; resolves with the pages by side. */
  const open = async (sides) => {
    const pages = {};
    for (const side of sides) {
      const context = await browser.createBrowserContext();
      const p = (pages[side] = await context.newPage());
      await p.goto(`${server.url}/`);
      await p.waitForFunction('typeof window.recoveryUp === "function"');
      await p.evaluate(`window.recoveryUp(${JSON.stringify(side)})`);
    }
    return pages;
  };
  const close = (pages) => Promise.all(Object.values(pages).map((p) => p.browserContext().close()));
  /** Every page's figures after `back` (epoch ms), merged: {ours, sdk, room, live: {ours, sdk}}. */
  const trial = async (pages, back) => {
    const rs = await Promise.all(Object.values(pages).map((p) => p.evaluate(`window.recoveredAfter(${back})`)));
    return rs.reduce((acc, r) => ({ ...acc, ...r, live: { ...acc.live, ...r.live } }), { live: {} });
  };
  const restart = async (down) => {
    await server.close();
    await sleep(down * 1000);
    server = await createServer({ ...serverOptions, port });
    return Date.now();
  };
  const CUT_MS = 5000;
  const cut = () => {
    server.faults.cutMedia({ media: 'cut', ms: CUT_MS });
    return Date.now() + CUT_MS;
  };
  /** The publishers' figures: the trials in which each was live again (a missing one is counted). */
  const publishers = (label, oursLive, sdkLive) => {
    for (const [who, xs] of [
      ['<rtc-publisher>', oursLive],
      ['official SDK publisher', sdkLive],
    ]) {
      const got = xs.filter((x) => x !== undefined);
      const missing = xs.length - got.length ? `; not live again within 5 s of its player in ${xs.length - got.length} of ${xs.length}` : '';
      console.log(`${label} → publisher live again (from the server answering), ${who}: ${got.length ? summary(got) : 'never'}${missing}`);
    }
  };
  const defined = (xs) => xs.filter((x) => x !== undefined);
  // 1. The pair, ours beside the SDK's (BENCH_PAIR=0 leaves it out).
  const cuts = process.env.BENCH_CUT !== '0';
  if (process.env.BENCH_PAIR !== '0') {
    const pages = await open(['ours', 'sdk']);
    for (const down of outages) {
      const rs = [];
      for (let i = 0; i < TRIALS; i++) rs.push(await trial(pages, await restart(down)));
      const [ours, sdk] = [rs.map((r) => r.ours), rs.map((r) => r.sdk)];
      console.log(`server down ${down} s → player decoding again (from the server answering), <rtc-player>: ${summary(ours)}`);
      console.log(`server down ${down} s → player decoding again (from the server answering), official SDK: ${summary(sdk)}`);
      const [oursLive, sdkLive] = [rs.map((r) => r.live.ours), rs.map((r) => r.live.sdk)];
      publishers(`server down ${down} s`, oursLive, sdkLive);
      results.recovery.push({ metric: `recovery: server down ${down} s`, unit: 'ms', ours, sdk });
      results.recovery.push({ metric: `recovery: server down ${down} s, publisher live`, unit: 'ms', ours: defined(oursLive), sdk: defined(sdkLive) });
    }
    if (cuts) {
      const rs = [];
      for (let i = 0; i < TRIALS; i++) rs.push(await trial(pages, cut()));
      const [ours, sdk] = [rs.map((r) => r.ours), rs.map((r) => r.sdk)];
      console.log(`UDP cut ${CUT_MS / 1000} s (socket up) → player decoding again (from the path's return), <rtc-player>: ${summary(ours)}`);
      console.log(`UDP cut ${CUT_MS / 1000} s (socket up) → player decoding again (from the path's return), official SDK: ${summary(sdk)}`);
      results.recovery.push({ metric: `recovery: UDP cut ${CUT_MS / 1000} s, socket up`, unit: 'ms', ours, sdk });
    }
    await close(pages);
  }
  // 2. A 3-person <rtc-room> alone (its three encoders and six decoders would slow the pair's
  // figures): the last of its six remote tiles to decode again. The SDK has no room element.
  // BENCH_ROOM=0 leaves it out.
  if (process.env.BENCH_ROOM === '0') return;
  const pages = await open(['room']);
  const roomRows = [
    ...outages.map((down) => [`server down ${down} s`, () => restart(down)]),
    ...(cuts ? [[`UDP cut ${CUT_MS / 1000} s, socket up`, cut]] : []),
  ];
  for (const [label, fault] of roomRows) {
    const room = [];
    const tiles = [];
    for (let i = 0; i < TRIALS; i++) {
      const r = await trial(pages, await fault());
      room.push(r.room);
      tiles.push(...r.tiles);
    }
    const from = label.startsWith('server') ? 'the server answering' : "the path's return";
    console.log(`${label} → a 3-person <rtc-room>'s last remote tile decoding again (of 6, from ${from}): ${summary(room)}`);
    console.log(`${label} → a 3-person <rtc-room>'s remote tiles decoding again (each, from ${from}): ${summary(tiles)}`);
    results.recovery.push({ metric: `recovery: ${label}, 3-person room (last tile)`, unit: 'ms', ours: room });
    results.recovery.push({ metric: `recovery: ${label}, 3-person room (each tile)`, unit: 'ms', ours: tiles });
  }
  await close(pages);
}
