#!/usr/bin/env node
// `npm run test:faults`: the fault lab. Real network faults between a <rtc-publisher>, a <rtc-player>
// and the embedded server: the server and headless Chromium run in a private network namespace
// (`unshare -n`: loopback only, nothing else reachable) and nftables changes the path there (UDP cut,
// random loss, a rate cap on the publisher's uplink, and on the downlink of a simulcast player,
// which must move to a lower layer, and on a simulcast room connection's, which must get a lower
// layer of the other participant) and the server restarts (closed, down 2 s and
// 10 s, started again on the same port); rules live only in that namespace. Then a 3-person
// <rtc-room> (multitrack) in their place, through its participants' uplinks capped at 300 and at
// 500 kbit/s each, a 5 s and a 20 s cut, 5 % and 20 % loss, and two restarts (2 s and 10 s down).
//   node scripts/fault-lab.mjs            run the scenarios, print the figures, exit 1 if one fails
//   node scripts/fault-lab.mjs --only=cut,uplink,loss,restart,downlink,roomdownlink,room   some of them (loss: loss5 and loss20)
//   node scripts/fault-lab.mjs --measure  the same figures for `npm run bench`, never failing, with
//                                         the official AMS SDK's player beside ours under loss and restarts
// Needs root (for the namespace and nft) and Debian's nftables (installed with apt-get when missing)
// and chromium; the server is dist/node/ (built by `npm test` / `npm run test:node`) and the bundle dist/.
// Ends with `faults: N passed, N failed, N skipped` (scripts/test.mjs counts it).
/* global window, document, navigator, customElements -- the page functions run in Chromium (page.evaluate) */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aptInstall, canAptInstall, onPath } from './apt-install.mjs';
import { CHROMIUM_FLAGS } from './chromium-flags.mjs';

const root = new URL('..', import.meta.url).pathname;
const self = new URL(import.meta.url).pathname;
const measure = process.argv.includes('--measure');
const IN_NS = 'RTC_FAULT_LAB_NETNS';
/** `--only=a,b`: the scenarios to run (all when not given). */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);

const fail = (line) => {
  console.error(line);
  console.log('faults: 0 passed, 1 failed, 0 skipped');
  process.exit(1);
};

if (process.env[IN_NS] !== '1') {
  // Outside the namespace: check what the lab needs (apt works only here, with the network), then re-run inside.
  if (typeof process.getuid !== 'function' || process.getuid() !== 0 || !onPath('unshare')) {
    fail('The fault lab needs root (a private network namespace with `unshare -n` and nftables rules): run `sudo npm run test:faults`.');
  }
  if (!onPath('nft')) {
    if (!canAptInstall() || !aptInstall(['nftables'], 'nft') || !onPath('nft')) {
      fail("The fault lab needs nft: install Debian's nftables (`apt-get install nftables`).");
    }
  }
  const r = spawnSync('unshare', ['-n', '--', process.execPath, self, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [IN_NS]: '1' },
  });
  process.exit(r.status ?? 1);
}

// ---- inside the namespace ----
const sh = (cmd) => {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr.trim()}`);
};
sh('ip link set lo up');
const nft = {
  setup: () => sh(`nft add table inet t && nft add chain inet t input '{ type filter hook input priority 0; }'`),
  rule: (rule) => sh(`nft add rule inet t input '${rule}'`),
  clear: () => sh('nft flush chain inet t input'),
};
nft.setup();

const chrome = process.env.CHROME_PATH || '/usr/bin/chromium';
try {
  accessSync(chrome, constants.X_OK);
} catch {
  fail(`No Chromium at ${chrome}: install Debian's chromium (\`apt-get install chromium\`) or set CHROME_PATH.`);
}
const serverModule = join(root, 'dist/node/packages/server/src/index.js');
let createServer;
try {
  ({ createServer } = await import(serverModule));
} catch {
  fail(`No built server at ${serverModule}: run \`npm run test:node\` (or \`npx tsc -p tsconfig.node.json\`) first.`);
}
const { default: puppeteer } = await import('puppeteer-core');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const demo = mkdtempSync(join(tmpdir(), 'rtc-fault-lab-'));
writeFileSync(join(demo, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="/dist/rtc-elements.js"></script><body></body>');

/** In the page before any script: every RTCPeerConnection the elements make, in `window.__pcs`; a 720p camera. */
function instrument() {
  const pcs = [];
  window.__pcs = pcs;
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      pcs.push(this);
    }
  };
  // 1280x720 from the fake camera: its 640x480 default encodes in about 500 kbit/s, the cap under test.
  const md = navigator.mediaDevices;
  const gum = md.getUserMedia.bind(md);
  md.getUserMedia = (c = {}) =>
    window.__lab720 === false
      ? gum(c)
      : gum(c.video ? { ...c, video: { ...(typeof c.video === 'object' ? c.video : {}), width: { ideal: 1280 }, height: { ideal: 720 } } } : c);
}

/** In the page: a publisher and a player of `streamId`, and the records the lab reads. */
async function setupPage(ws, streamId) {
  await customElements.whenDefined('rtc-player');
  await customElements.whenDefined('rtc-publisher');
  const lab = { frames: [], states: { publisher: [], player: [] }, pub: null, player: null };
  window.__lab = lab;
  const mk = (tag, attrs) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    el.style.cssText = 'display:block;width:320px;height:240px';
    el.addEventListener('rtc-state-change', (e) =>
      lab.states[tag === 'rtc-player' ? 'player' : 'publisher'].push({ t: performance.now(), state: e.detail.state }),
    );
    document.body.append(el);
    return el;
  };
  lab.pub = mk('rtc-publisher', { 'server-url': ws, 'stream-id': streamId });
  await lab.pub.start();
  lab.player = mk('rtc-player', { 'server-url': ws, 'stream-id': streamId, autoplay: '', muted: '', 'no-controls': '' });
  // Every presented frame of the player's <video> (found again if the element replaces it).
  let watched = null;
  const onFrame = (video) => (now, meta) => {
    lab.frames.push({ t: performance.now(), n: meta.presentedFrames });
    if (watched === video) video.requestVideoFrameCallback(onFrame(video));
  };
  setInterval(() => {
    const video = lab.player.shadowRoot?.querySelector('video');
    if (video && video !== watched) {
      watched = video;
      video.requestVideoFrameCallback(onFrame(video));
    }
  }, 50);
  await new Promise((r) => {
    const check = () => (lab.frames.length > 10 ? r() : setTimeout(check, 50));
    check();
  });
}

/** In the page: the live peer connections' figures (the publisher's one sends video, the player's receives it). */
async function pcFigures() {
  const out = { pcs: window.__pcs.length, publisher: null, player: null };
  for (const [i, pc] of window.__pcs.entries()) {
    if (pc.connectionState === 'closed') continue;
    const report = await pc.getStats();
    let pair = null;
    const byId = new Map();
    report.forEach((s) => byId.set(s.id, s));
    const f = { index: i, connectionState: pc.connectionState, iceState: pc.iceConnectionState };
    report.forEach((s) => {
      if (s.type === 'outbound-rtp' && s.kind === 'video')
        Object.assign(f, { role: 'publisher', nackCount: s.nackCount, retransmitted: s.retransmittedPacketsSent, packetsSent: s.packetsSent });
      if (s.type === 'inbound-rtp' && s.kind === 'video')
        Object.assign(f, {
          role: 'player',
          nackCount: s.nackCount,
          packetsLost: s.packetsLost,
          packetsReceived: s.packetsReceived,
          retransmitted: s.retransmittedPacketsReceived,
        });
      if (s.type === 'transport' && s.selectedCandidatePairId) pair = byId.get(s.selectedCandidatePairId);
    });
    if (pair) f.serverPort = byId.get(pair.remoteCandidateId)?.port;
    if (f.role) out[f.role] = f;
  }
  return out;
}

const now = (page) => page.evaluate(() => performance.now());
const states = (page) => page.evaluate(() => [window.__lab.pub.state, window.__lab.player.state]);
const pageStats = (page) => page.evaluate(pcFigures);
const pubKbps = (page) =>
  page.evaluate(() =>
    window.__lab.pub.getStats().then(
      (s) => s.bitrateOutKbps ?? 0,
      () => 0,
    ),
  );
/**
 * The publisher's outbound RTP counters, read from its peer connection: every byte sent, the
 * retransmitted ones among them (NACK answers and Chrome's bandwidth probes, which it sends as RTX
 * copies of recent packets), and the encoder's target.
 */
const pubSendCounters = (page) =>
  page.evaluate(async () => {
    const out = { t: 0, bytes: 0, retransmitted: 0, target: 0 };
    for (const pc of window.__pcs) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      report.forEach((s) => {
        if (s.type !== 'outbound-rtp') return;
        out.t = s.timestamp;
        out.bytes += s.bytesSent ?? 0;
        out.retransmitted += s.retransmittedBytesSent ?? 0;
        if (s.kind === 'video') out.target += s.targetBitrate ?? 0;
      });
    }
    return out;
  });
/** The publisher's send-side estimate (kbit/s). */
const pubEstimate = (page) =>
  page.evaluate(() =>
    window.__lab.pub.getStats().then(
      (s) => s.availableOutgoingBitrateKbps ?? 0,
      () => 0,
    ),
  );
/** Presented-frame records since `t0` (page time). */
const framesSince = (page, t0, t1 = Infinity) => page.evaluate((a, b) => window.__lab.frames.filter((f) => f.t >= a && f.t <= b), t0, t1);
const statesSince = (page, t0) =>
  page.evaluate((a) => ({ publisher: window.__lab.states.publisher.filter((s) => s.t >= a), player: window.__lab.states.player.filter((s) => s.t >= a) }), t0);

/**
 * In a page of its own (`--measure`): the official AMS SDK (bundled from @antmedia/webrtc_adaptor,
 * unchanged but for `iceServers: []`) playing `streamId` into a <video>, each presented frame's
 * time kept (epoch ms: the lab's page has another time origin).
 */
async function sdkSetup(ws, streamId) {
  const frames = [];
  window.__sdkFrames = frames;
  const video = document.createElement('video');
  video.muted = true;
  video.autoplay = true;
  video.style.cssText = 'width:320px;height:240px';
  document.body.append(video);
  const onFrame = (now, meta) => {
    frames.push({ t: performance.timeOrigin + performance.now(), n: meta.presentedFrames });
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
  let played = false;
  const adaptor = new window.WebRTCAdaptor({
    websocket_url: ws,
    isPlayMode: true,
    remoteVideoElement: video,
    mediaConstraints: { video: false, audio: false },
    peerconnection_config: { iceServers: [] },
    debug: false,
    // Played once: after an outage the SDK plays again by itself.
    callback: (info) => info === 'initialized' && !played && (played = true) && adaptor.play(streamId),
    callbackError: () => undefined,
  });
  await new Promise((r) => {
    const check = () => (frames.length > 10 ? r() : setTimeout(check, 50));
    check();
  });
}

/** The SDK page (`--measure`, from startSdk()), else null; `origin`: the lab page's time origin (epoch ms). */
let sdk = null;
let origin = 0;
/** The SDK player's presented frames in [t0, t1] (the lab page's time). */
const sdkFramesSince = async (t0, t1 = Infinity) =>
  (await sdk.page.evaluate(() => window.__sdkFrames)).map((f) => ({ ...f, t: f.t - origin })).filter((f) => f.t >= t0 && f.t <= t1);
/** Milliseconds from `t0` (the lab page's time) to the SDK player's next presented frame, waiting up to `ms`. */
async function sdkFirstFrame(t0, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const [f] = await sdkFramesSince(t0);
    if (f) return f.t - t0;
    await sleep(100);
  }
  return undefined;
}
/** The SDK player in a browser context of its own (its own renderer: Chromium slows a process's new WebSockets once many of them failed). */
async function startSdk(browser, ws, streamId) {
  const { build } = await import('esbuild');
  await build({
    stdin: { contents: "import { WebRTCAdaptor } from '@antmedia/webrtc_adaptor'; window.WebRTCAdaptor = WebRTCAdaptor;", resolveDir: root },
    bundle: true,
    format: 'esm',
    outfile: join(demo, 'sdk.js'),
    logLevel: 'error',
  });
  writeFileSync(join(demo, 'sdk.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="/sdk.js"></script><body></body>');
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`SDK page error: ${e.message}`));
  await page.goto(`${server.url}/sdk.html`);
  await page.waitForFunction(() => typeof window.WebRTCAdaptor === 'function');
  await page.evaluate(sdkSetup, ws, streamId);
  sdk = { context, page };
}

/** fps, the largest gap between presented frames (and where), the freezes (gaps over 1 s) and the emptiest 2 s and 3 s windows of frames in [t0, t1]. */
function playback(frames, t0, t1) {
  const count = frames.length ? frames[frames.length - 1].n - frames[0].n : 0;
  let gap = frames.length ? frames[0].t - t0 : t1 - t0;
  let gapAt = 0;
  const times = [t0, ...frames.map((f) => f.t), t1];
  const freezes = times.slice(1).filter((t, i) => t - times[i] > 1000).length;
  for (let i = 1; i < frames.length; i++) {
    if (frames[i].t - frames[i - 1].t > gap) {
      gap = frames[i].t - frames[i - 1].t;
      gapAt = frames[i - 1].t - t0;
    }
  }
  if (frames.length && t1 - frames[frames.length - 1].t > gap) {
    gap = t1 - frames[frames.length - 1].t;
    gapAt = frames[frames.length - 1].t - t0;
  }
  /** The fewest frames in a window of `ms` (sliding by 100 ms). */
  const emptiest = (ms) => {
    let least = Infinity;
    for (let w = t0; w + ms <= t1 + 1; w += 100) least = Math.min(least, frames.filter((f) => f.t >= w && f.t < w + ms).length);
    return least;
  };
  return { fps: (count / (t1 - t0)) * 1000, maxGapMs: gap, freezes, gapAtS: gapAt / 1000, minFramesPer2s: emptiest(2000), minFramesPer3s: emptiest(3000) };
}

const results = [];
const checks = [];
const check = (name, ok, detail) => {
  checks.push({ name, ok, detail });
  console.log(`${ok ? '✓' : '✗'} ${name}${detail ? ` (${detail})` : ''}`);
};
const fmt = (n, d = 0) => (typeof n === 'number' && Number.isFinite(n) ? n.toFixed(d) : String(n ?? '—'));

/**
 * An outage of the pair: `cause()` makes it and resolves with the page time the path (or the
 * server) is back. Asserted: both show `reconnecting` within 2 s, then both live and decoding
 * again (within 20 s); the publisher's return and the first frames, ours and the SDK's, are kept.
 */
async function outage(page, scenario, cause, from = 'restore') {
  const before = await pageStats(page);
  const t0 = await now(page);
  const restored = await cause();
  // Back: both live and frames presented after the restore, within 20 s.
  let back = null;
  let firstFrame = null;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const [ps, pls] = await states(page);
    const f = await framesSince(page, restored);
    if (f.length && firstFrame === null) firstFrame = f[0].t - restored;
    if (ps === 'live' && pls === 'live' && f.length > 5) {
      back = (await now(page)) - restored;
      break;
    }
    await sleep(100);
  }
  const after = await pageStats(page);
  const all = await statesSince(page, t0);
  const shownAfter = ['publisher', 'player'].map((side) => all[side].find((s) => s.state === 'reconnecting' && s.t < restored)?.t - t0);
  const pubLive = all.publisher.find((s) => s.state === 'live' && s.t >= restored)?.t - restored;
  const sdkFirst = sdk ? await sdkFirstFrame(restored, 15_000) : undefined;
  const sameConnections = before.publisher?.index === after.publisher?.index && before.player?.index === after.player?.index;
  const row = {
    scenario,
    from,
    recoveredMs: firstFrame,
    pubLiveMs: pubLive,
    sdkRecoveredMs: sdkFirst,
    reconnecting: shownAfter.map((ms, i) => `${i ? 'player' : 'pub'} ${Number.isFinite(ms) ? `after ${fmt(ms)} ms` : 'no'}`).join(', '),
    how: sameConnections
      ? 'ICE (same connections)'
      : `new connections (pub #${before.publisher?.index}→#${after.publisher?.index}, player #${before.player?.index}→#${after.player?.index})`,
    states: `pub ${all.publisher.map((s) => s.state).join('→') || '—'}; player ${all.player.map((s) => s.state).join('→') || '—'}`,
  };
  results.push(row);
  check(
    `${row.scenario}: both show reconnecting within 2 s`,
    shownAfter.every((ms) => ms < 2000),
    `pub ${fmt(shownAfter[0])} ms, player ${fmt(shownAfter[1])} ms`,
  );
  check(`${row.scenario}: both live and decoding again`, back !== null, `first frame ${fmt(firstFrame)} ms after ${from}, ${row.how}`);
  return row;
}

/** All UDP dropped for `seconds` (signaling kept): resolves with the page time the path is back. */
const udpCut = (page, seconds) => async () => {
  nft.rule('meta l4proto udp drop');
  await sleep(seconds * 1000);
  nft.clear();
  return now(page);
};

/** Decoding again this soon after a cut the elements ride out on their connections (ICE). */
const ICE_RECOVERY_BAR_MS = 1000;
/** And after a cut that ends in new connections (the waiting player asks once a second). */
const NEW_CONNECTIONS_BAR_MS = 2000;

async function cut(page, seconds) {
  const row = await outage(page, `UDP cut ${seconds} s`, udpCut(page, seconds));
  // (No frame at all: recoveredMs is null, which is no pass.)
  const decoded = typeof row.recoveredMs === 'number';
  if (row.how.startsWith('ICE')) {
    check(
      `UDP cut ${seconds} s: decoding again within 1 s of the path coming back`,
      decoded && row.recoveredMs <= ICE_RECOVERY_BAR_MS,
      `${fmt(row.recoveredMs)} ms`,
    );
  } else {
    check(
      `UDP cut ${seconds} s: decoding again within 2 s of the path coming back`,
      decoded && row.recoveredMs <= NEW_CONNECTIONS_BAR_MS,
      `${fmt(row.recoveredMs)} ms`,
    );
  }
  // Let the send rate climb back before the next scenario.
  await sleep(3000);
}

/**
 * The server closed (every socket and peer connection with it), down `seconds`, then started
 * again on the same port with the same options, as new (no streams): resolves with the page time
 * at which it listens again.
 */
async function restartServer(seconds) {
  const port = Number(new URL(server.url).port);
  await server.close();
  await sleep(seconds * 1000);
  server = await createServer({ ...serverOptions, port });
  return Date.now() - origin;
}

/** The pair through a server restart: the publisher live again and the player decoding a new frame within 2 s of the server answering. */
async function restart(page, seconds) {
  const row = await outage(page, `server down ${seconds} s`, () => restartServer(seconds), 'the server answered');
  check(`${row.scenario}: the publisher live again within 2 s of the server answering`, row.pubLiveMs <= 2000, `${fmt(row.pubLiveMs)} ms`);
  check(
    `${row.scenario}: the player decodes a new frame within 2 s of the server answering`,
    typeof row.recoveredMs === 'number' && row.recoveredMs <= 2000,
    `${fmt(row.recoveredMs)} ms`,
  );
  await sleep(3000);
}

async function loss(page, percent, seconds, assert) {
  const before = await pageStats(page);
  nft.rule(`meta l4proto udp numgen random mod 100 < ${percent} drop`);
  const t0 = await now(page);
  await sleep(seconds * 1000);
  const t1 = await now(page);
  nft.clear();
  const p = playback(await framesSince(page, t0, t1), t0, t1);
  const theirs = sdk && playback(await sdkFramesSince(t0, t1), t0, t1);
  const after = await pageStats(page);
  const d = (side, key) => (after[side]?.[key] ?? 0) - (before[side]?.index === after[side]?.index ? (before[side]?.[key] ?? 0) : 0);
  const row = {
    scenario: `${percent} % loss ${seconds} s`,
    fps: p.fps,
    maxGapMs: p.maxGapMs,
    gapAtS: p.gapAtS,
    states: `pub ${(await statesSince(page, t0)).publisher.map((x) => x.state).join('→') || '—'}; player ${(await statesSince(page, t0)).player.map((x) => x.state).join('→') || '—'}`,
    minFramesPer2s: p.minFramesPer2s,
    minFramesPer3s: p.minFramesPer3s,
    freezes: p.freezes,
    sdk: theirs,
    nacks: `player sent ${d('player', 'nackCount')}, lost ${d('player', 'packetsLost')}; publisher got ${d('publisher', 'nackCount')}, retransmitted ${d('publisher', 'retransmitted')}`,
  };
  results.push(row);
  assert(p);
  await sleep(3000);
}

/**
 * The second (1-based) from which every 5 s average of `samples` (kbit/s, one a second) is within
 * 10 % of `kbps`, or null: Chrome's congestion control keeps probing just above the rate the path
 * carries (seen: 3 s averages of 530 kbit/s at a 500 kbit/s cap, 20 s in), and nftables' limit
 * lets bursts through; a keyframe alone can fill a second at these rates.
 */
function settledAfter(samples, kbps) {
  const WINDOW = 5;
  const avg = samples.map((_, i) => (i < WINDOW - 1 ? Infinity : samples.slice(i - WINDOW + 1, i + 1).reduce((a, b) => a + b, 0) / WINDOW));
  for (let i = 0; i < avg.length; i++) if (avg.slice(i).every((k) => k < kbps * 1.1)) return i + 1;
  return null;
}

async function narrowUplink(page, kbps, seconds) {
  const s = await pageStats(page);
  const port = s.publisher?.serverPort;
  if (!port) {
    check('500 kbit/s uplink: the publisher’s server port found', false);
    return;
  }
  // Wait for the publisher to send above the cap first, so that settling under it means something.
  let start = 0;
  for (let i = 0; i < 15 && start < kbps * 1.2; i++) {
    await sleep(1000);
    start = await pubKbps(page);
  }
  nft.rule(`udp dport ${port} limit rate over ${Math.round((kbps * 1000) / 8)} bytes/second drop`);
  const t0 = await now(page);
  const before = await pageStats(page);
  // Media bitrate each second: bytes sent minus retransmitted ones. Chrome probes the path with
  // bursts of RTX copies (seen: one second at 1,068 kbit/s, 20 s in at a 500 kbit/s cap): they
  // measure the path and carry no new media, so they are shown but not held against settling.
  const samples = [];
  const totals = [];
  const targets = [];
  let prev = await pubSendCounters(page);
  for (let i = 0; i < seconds; i++) {
    await sleep(1000);
    const cur = await pubSendCounters(page);
    const ms = cur.t - prev.t;
    const rate = (bytes) => (ms > 0 ? Math.max(0, (bytes * 8) / ms) : 0);
    samples.push(rate(cur.bytes - cur.retransmitted - (prev.bytes - prev.retransmitted)));
    totals.push(rate(cur.bytes - prev.bytes));
    targets.push(cur.target / 1000);
    prev = cur;
  }
  const t1 = await now(page);
  nft.clear();
  const after = await pageStats(page);
  // Settled: from some second within the first 15 on, every 5 s average within 10 % of the cap.
  const settledAt = settledAfter(samples, kbps);
  const tail = playback(await framesSince(page, t1 - 5000, t1), t1 - 5000, t1);
  const d = (side, key) => (after[side]?.[key] ?? 0) - (before[side]?.index === after[side]?.index ? (before[side]?.[key] ?? 0) : 0);
  results.push({
    scenario: `uplink ${kbps} kbit/s ${seconds} s`,
    fps: tail.fps,
    maxGapMs: tail.maxGapMs,
    bitrate: `${fmt(start)} before → media ${samples.map((k) => fmt(k)).join(' ')} kbit/s; with retransmissions ${totals.map((k) => fmt(k)).join(' ')}; encoder target ${targets.map((k) => fmt(k)).join(' ')}`,
    settledS: settledAt,
    nacks: `publisher got ${d('publisher', 'nackCount')}, retransmitted ${d('publisher', 'retransmitted')}; player sent ${d('player', 'nackCount')}`,
  });
  check(
    `uplink ${kbps} kbit/s: sending media bitrate settled at the cap (5 s averages under ${Math.round(kbps * 1.1)}) within 15 s`,
    settledAt !== null && settledAt <= 15 && samples.length > settledAt,
    `settled after ${fmt(settledAt)} s`,
  );
  check(`uplink ${kbps} kbit/s: the player keeps decoding`, tail.minFramesPer2s > 0, `${fmt(tail.fps, 1)} fps over the last 5 s`);
  void t0;
}

/**
 * In the page: the publisher and player go; three <rtc-room> elements of one room take their place
 * (their own cameras, without the lab's 720p constraint; Chrome's fake device, opened at 720p by
 * the publisher before, gave them 1280x720 all the same: 480-650 kbit/s each, fresh), and every
 * remote tile's presented frames are recorded by room and tile.
 */
async function setupRoom(ws, roomId) {
  const lab = window.__lab;
  lab.pub.remove();
  lab.player.remove();
  window.__lab720 = false;
  await customElements.whenDefined('rtc-room');
  lab.rooms = [];
  lab.roomFrames = [];
  lab.roomStates = [];
  for (let i = 0; i < 3; i++) {
    const el = document.createElement('rtc-room');
    for (const [k, v] of Object.entries({ 'server-url': ws, 'room-id': roomId, 'stream-id': `${roomId}p${i}`, name: `P${i}`, 'auto-join': '' }))
      el.setAttribute(k, v);
    el.style.cssText = 'display:block;width:480px;height:360px';
    el.addEventListener('rtc-state-change', (e) => lab.roomStates.push({ t: performance.now(), room: i, state: e.detail.state }));
    document.body.append(el);
    lab.rooms.push(el);
  }
  const watched = new Set();
  const watch = () => {
    lab.rooms.forEach((room, i) => {
      for (const tile of room.shadowRoot?.querySelectorAll('[data-participant]') ?? []) {
        if ((tile.getAttribute('part') ?? '').includes('local-tile')) continue;
        const video = tile.querySelector('video');
        if (!video || watched.has(video)) continue;
        watched.add(video);
        const key = `${i}:${tile.getAttribute('data-participant')}`;
        const onFrame = (now, meta) => {
          lab.roomFrames.push({ t: performance.now(), key, n: meta.presentedFrames });
          if (video.isConnected) video.requestVideoFrameCallback(onFrame);
          else watched.delete(video);
        };
        video.requestVideoFrameCallback(onFrame);
      }
    });
  };
  lab.roomWatch = setInterval(watch, 50);
}

/** In the page: each room's state and, since `t0`, the tiles (room:participant) that presented more than 5 frames. */
function roomStatus(t0) {
  const lab = window.__lab;
  const counts = new Map();
  for (const f of lab.roomFrames) if (f.t >= t0) counts.set(f.key, (counts.get(f.key) ?? 0) + 1);
  return { states: lab.rooms.map((r) => r.state), tiles: [...counts].filter(([, n]) => n > 5).map(([k]) => k) };
}

/** Every room live and each showing both other participants decoding (6 tiles) since `t0`, within `ms`; the time it took or null. */
async function roomBack(page, t0, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const st = await page.evaluate(roomStatus, t0);
    if (st.states.every((x) => x === 'live') && st.tiles.length >= 6) return (await now(page)) - t0;
    await sleep(100);
  }
  return null;
}

/**
 * An outage of the room: `cause()` makes it and resolves with the page time the path (or the
 * server) is back. Asserted: all three show `reconnecting` within 2 s, then all live again with
 * both others decoding (within 20 s); returns each remote tile's first frame after the return.
 */
async function roomOutage(page, scenario, cause, from = 'restore') {
  const t0 = await now(page);
  const restored = await cause();
  const back = await roomBack(page, restored, 20_000);
  const st = await page.evaluate((a) => window.__lab.roomStates.filter((x) => x.t >= a), t0);
  const shown = [0, 1, 2].map((i) => st.find((x) => x.room === i && x.state === 'reconnecting' && x.t < restored)?.t - t0);
  const live = [0, 1, 2].map((i) => st.find((x) => x.room === i && x.state === 'live' && x.t >= restored)?.t - restored);
  const firstFrames = await page.evaluate((a) => {
    const first = new Map();
    for (const f of window.__lab.roomFrames) if (f.t >= a && !first.has(f.key)) first.set(f.key, f.t - a);
    return [...first];
  }, restored);
  results.push({
    scenario: `room: ${scenario}`,
    from,
    recoveredMs: firstFrames.length ? Math.max(...firstFrames.map(([, ms]) => ms)) : undefined,
    tiles: firstFrames
      .sort()
      .map(([key, ms]) => `${key.replace(/:.*p(\d)$/, '←P$1')} ${fmt(ms)}`)
      .join(', '),
    reconnecting: shown.map((ms, i) => `P${i} ${Number.isFinite(ms) ? `after ${fmt(ms)} ms` : 'no'}`).join(', '),
    live: live.map((ms, i) => `P${i} ${fmt(ms)}`).join(', '),
    states: [0, 1, 2]
      .map(
        (i) =>
          `P${i} ${
            st
              .filter((x) => x.room === i)
              .map((x) => x.state)
              .join('→') || '—'
          }`,
      )
      .join('; '),
  });
  check(
    `room: ${scenario}: all three show reconnecting within 2 s`,
    shown.every((ms) => ms < 2000),
    shown.map((ms) => fmt(ms)).join(', ') + ' ms',
  );
  check(`room: ${scenario}: all live again, each decoding both others`, back !== null, `all six tiles decoding ${fmt(back)} ms after ${from}`);
  return firstFrames;
}

/**
 * In the page: from now on, every 50 ms, what changed on each open connection other than its
 * counts: ICE state, the nominated pair's state and answers, each video stream's keyframes and
 * keyframe requests, and when its packets (or frames decoded) move again after standing still.
 * For the room's 5 s cut, whose recovery fell in two groups (about 80 ms and about 800 ms) for a
 * reason not known: printed when its check fails. (The polling is some load of its own on the
 * page for the second or so it runs: 8 runs with it, the last tile 79-220 ms.)
 */
function traceStart() {
  const lab = window.__lab;
  lab.trace = [];
  const last = new Map();
  let busy = false;
  lab.traceTimer = setInterval(async () => {
    if (busy) return;
    busy = true;
    // (A connection closing under getStats loses that sample, not the rest of the trace.)
    await traceOnce().catch(() => undefined);
    busy = false;
  }, 50);
  async function traceOnce() {
    const t = performance.now();
    for (const [i, pc] of window.__pcs.entries()) {
      if (pc.connectionState === 'closed') continue;
      const now = { ice: pc.iceConnectionState };
      const packets = {};
      (await pc.getStats()).forEach((x) => {
        if (x.type === 'inbound-rtp' && x.kind === 'video') {
          now[`in ${x.ssrc}`] = `key ${x.keyFramesDecoded} pli ${x.pliCount}`;
          packets[`in ${x.ssrc}`] = x.packetsReceived;
          packets[`decoded ${x.ssrc}`] = x.framesDecoded;
        } else if (x.type === 'outbound-rtp' && x.kind === 'video') {
          now[`out ${x.rid ?? ''}${x.ssrc}`] = `key ${x.keyFramesEncoded} pli ${x.pliCount}`;
          packets[`out ${x.rid ?? ''}${x.ssrc}`] = x.packetsSent;
        } else if (x.type === 'candidate-pair' && x.nominated) now.pair = `${x.state} answers ${x.responsesReceived}`;
      });
      const before = last.get(i) ?? { now: {}, packets: {}, moved: {} };
      const changed = Object.entries(now).filter(([k, v]) => before.now[k] !== v);
      // A count that moves again after standing still for 300 ms or more: packets (the path back), frames decoded.
      const moved = {};
      for (const [k, n] of Object.entries(packets)) {
        moved[k] = n === before.packets[k] ? (before.moved[k] ?? t) : t;
        if (n !== before.packets[k] && t - (before.moved[k] ?? t) >= 300) changed.push([k, `moving again after ${(t - before.moved[k]).toFixed(0)} ms`]);
      }
      last.set(i, { now, packets, moved });
      if (changed.length) lab.trace.push(`${t.toFixed(0)} #${i} ${changed.map(([k, v]) => `${k}: ${v}`).join('; ')}`);
    }
  }
}

/** In the page: the trace since `traceStart`, each line's time from `t0` (ms). */
function traceStop(t0) {
  const lab = window.__lab;
  clearInterval(lab.traceTimer);
  return (lab.trace ?? []).map((line) => line.replace(/^\d+/, (t) => `${Number(t) - Math.round(t0)}`));
}

async function roomCut(page, seconds) {
  const cause = udpCut(page, seconds);
  const traced = seconds === 5;
  let restored = 0;
  const first = await roomOutage(page, `UDP cut ${seconds} s`, async () => {
    if (traced) setTimeout(() => page.evaluate(traceStart).catch(() => undefined), seconds * 1000 - 500);
    return (restored = await cause());
  });
  const trace = traced ? await page.evaluate(traceStop, restored) : [];
  const worst = first.length ? Math.max(...first.map(([, ms]) => ms)) : undefined;
  // A 5 s cut is ridden out on the same connections (ICE); a 20 s one ends in new ones, as the pair's.
  const bar = seconds > 5 ? NEW_CONNECTIONS_BAR_MS : ICE_RECOVERY_BAR_MS;
  const ok = first.length === 6 && worst <= bar;
  check(
    `room: UDP cut ${seconds} s: every remote tile decodes a new frame within ${bar / 1000} s of the path coming back`,
    ok,
    `${first.length} tiles, the last after ${fmt(worst)} ms${ok || !traced ? '' : `; each connection (ms from the path's return):\n    ${trace.slice(0, 80).join('\n    ')}`}`,
  );
  await sleep(3000);
}

/**
 * The room through a server restart: every remote tile decoding again within 2 s of the server
 * answering, as the pair (the issue's p95). Every participant is live again within about 0.6 s;
 * each room play then gets the others' tracks by renegotiation as they publish, with three
 * encoders and six decoders in one page on 2 cores. The last tile came 1.5-3.1 s after the server
 * answered with the first reconnect schedule (6 runs, when the bar was 2.5 s), 0.7-1.4 s with
 * 500 ms steps (5 runs), 0.93-0.96 s with 250 ms steps (2 runs, the machine busy) and 0.43-1.1 s
 * in the 5 runs since.
 */
async function roomRestart(page, seconds) {
  const first = await roomOutage(page, `server down ${seconds} s`, () => restartServer(seconds), 'the server answered');
  const worst = first.length ? Math.max(...first.map(([, ms]) => ms)) : undefined;
  check(
    `room: server down ${seconds} s: every remote tile decodes a new frame within 2 s of the server answering`,
    first.length === 6 && worst <= 2000,
    `${first.length} tiles, the last after ${fmt(worst)} ms`,
  );
  await sleep(3000);
}

/**
 * In the page: each live peer connection that sends video (a room participant's publish), with
 * its server port and send counters: every byte, and the retransmitted ones among them.
 */
async function roomSenders() {
  const out = [];
  for (const [index, pc] of window.__pcs.entries()) {
    if (pc.connectionState === 'closed') continue;
    const report = await pc.getStats();
    const byId = new Map();
    report.forEach((s) => byId.set(s.id, s));
    const f = { index, t: 0, bytes: 0, retransmitted: 0, video: false, port: undefined };
    report.forEach((s) => {
      if (s.type === 'outbound-rtp') {
        f.t = s.timestamp;
        f.bytes += s.bytesSent ?? 0;
        f.retransmitted += s.retransmittedBytesSent ?? 0;
        if (s.kind === 'video') f.video = true;
      }
      if (s.type === 'transport' && s.selectedCandidatePairId) f.port = byId.get(byId.get(s.selectedCandidatePairId)?.remoteCandidateId)?.port;
    });
    if (f.video) out.push(f);
  }
  return out;
}

/**
 * The room with each participant's uplink capped at `kbps` (a rule per publisher's server port,
 * each with a rate of its own). Asserted as the pair's: every publisher's media bitrate (audio and
 * video, retransmissions not counted) settles under the cap (5 s averages within 10 %) within
 * 15 s, and every remote tile keeps decoding; with `mustBind`, each must have sent above it
 * by a fifth before. The issue's 500 kbit/s barely binds here (the room's three cameras send
 * 480-650 kbit/s each), so the room goes through 300 kbit/s too, where it does. (The three sharing one 500 kbit/s
 * rule settled under it together within 7 s, but each flow's loss-based estimate then held at a
 * few per cent of loss and a tile froze 2.7 s in one run of two: left out.)
 */
async function roomUplink(page, kbps, seconds, mustBind) {
  const senders = await page.evaluate(roomSenders);
  const ports = [...new Set(senders.map((f) => f.port).filter(Boolean))];
  if (senders.length !== 3 || ports.length !== 3) {
    check(`room: ${kbps} kbit/s uplink: the three publishers' server ports found`, false, `${senders.length} senders, ports ${ports.join(', ') || '—'}`);
    return;
  }
  const rate = (a, b, key = 'bytes') => (a && b && b.t > a.t ? Math.max(0, ((b[key] - a[key]) * 8) / (b.t - a.t)) : 0);
  const byIndex = (list, f) => list.find((g) => g.index === f.index);
  // Where they were before the cap, over 2 s.
  const a = await page.evaluate(roomSenders);
  await sleep(2000);
  const b = await page.evaluate(roomSenders);
  const start = senders.map((f) => rate(byIndex(a, f), byIndex(b, f)));
  for (const port of ports) nft.rule(`udp dport ${port} limit rate over ${Math.round((kbps * 1000) / 8)} bytes/second drop`);
  // Media bitrate each second per publisher: bytes sent minus retransmitted ones (see narrowUplink).
  const samples = senders.map(() => []);
  let prev = await page.evaluate(roomSenders);
  for (let i = 0; i < seconds; i++) {
    await sleep(1000);
    const cur = await page.evaluate(roomSenders);
    senders.forEach((f, k) => {
      const [x, y] = [byIndex(prev, f), byIndex(cur, f)];
      samples[k].push(Math.max(0, rate(x, y) - rate(x, y, 'retransmitted')));
    });
    prev = cur;
  }
  const t1 = await now(page);
  nft.clear();
  const settled = samples.map((sm) => settledAfter(sm, kbps));
  const frames = await page.evaluate((x, y) => window.__lab.roomFrames.filter((f) => f.t >= x && f.t <= y), t1 - 5000, t1);
  const tiles = [...new Set(frames.map((f) => f.key))].map((k) =>
    playback(
      frames.filter((f) => f.key === k),
      t1 - 5000,
      t1,
    ),
  );
  const worstFps = tiles.length === 6 ? Math.min(...tiles.map((p) => p.fps)) : 0;
  const over = start.filter((k) => k > kbps * 1.2).length;
  results.push({
    scenario: `room: uplink ${kbps} kbit/s ${seconds} s`,
    fps: worstFps,
    maxGapMs: tiles.length ? Math.max(...tiles.map((p) => p.maxGapMs)) : undefined,
    bitrate: samples.map((sm, k) => `P${k} ${fmt(start[k])} before → media ${sm.map((x) => fmt(x)).join(' ')}`).join('; ') + ' kbit/s',
    states: `${tiles.length} tiles decoding over the last 5 s; the worst tile's figures; each publisher under the cap after ${settled.map((x) => fmt(x)).join(', ')} s`,
  });
  check(
    `room: uplink ${kbps} kbit/s each: every publisher's media bitrate settled at the cap (5 s averages under ${Math.round(kbps * 1.1)}) within 15 s`,
    (!mustBind || over === 3) && settled.every((x) => x !== null && x <= 15 && x < seconds),
    `after ${settled.map((x) => fmt(x)).join(', ')} s, from ${start.map((x) => fmt(x)).join(', ')} kbit/s before the cap${mustBind ? '' : `: ${over} of 3 above it by a fifth`}`,
  );
  check(
    `room: uplink ${kbps} kbit/s each: every tile keeps decoding`,
    tiles.length === 6 && tiles.every((p) => p.minFramesPer2s > 0),
    `${tiles.length} tiles, the slowest ${fmt(worstFps, 1)} fps over the last 5 s`,
  );
  await sleep(3000);
}

async function roomLoss(page, percent, seconds, minFps) {
  nft.rule(`meta l4proto udp numgen random mod 100 < ${percent} drop`);
  const t0 = await now(page);
  await sleep(seconds * 1000);
  const t1 = await now(page);
  nft.clear();
  const frames = await page.evaluate((a, b) => window.__lab.roomFrames.filter((f) => f.t >= a && f.t <= b), t0, t1);
  const keys = [...new Set(frames.map((f) => f.key))];
  const tiles = keys.map((k) =>
    playback(
      frames.filter((f) => f.key === k),
      t0,
      t1,
    ),
  );
  const worstFps = tiles.length === 6 ? Math.min(...tiles.map((p) => p.fps)) : 0;
  const worstGap = tiles.length ? Math.max(...tiles.map((p) => p.maxGapMs)) : Infinity;
  results.push({
    scenario: `room: ${percent} % loss ${seconds} s`,
    fps: worstFps,
    maxGapMs: worstGap,
    states: `${tiles.length} tiles decoding; the worst tile's figures`,
  });
  // Asserted: every tile keeps playing; with `minFps` (5 %), the pair's bars too: every tile at
  // least that many frames a second and no freeze over 1 s. (Printed, not held, in earlier stops:
  // the slowest tile made 13-16.5 fps with gaps up to 0.9 s on a busy machine; 16.9-18.3 fps, gaps
  // 0.20-0.47 s in 6 runs of 2026-12-04's third stop, 3 of them in the suite.)
  check(
    `room: ${percent} % loss: every tile keeps decoding (frames in every 2 s window)`,
    tiles.length === 6 && tiles.every((p) => p.minFramesPer2s > 0),
    `${tiles.length} tiles, the slowest ${fmt(worstFps, 1)} fps, largest gap ${fmt(worstGap)} ms`,
  );
  if (minFps) {
    check(`room: ${percent} % loss: every tile at least ${minFps} fps`, tiles.length === 6 && worstFps >= minFps, `the slowest ${fmt(worstFps, 1)} fps`);
    check(`room: ${percent} % loss: no freeze over 1 s on any tile`, tiles.length === 6 && worstGap <= 1000, `largest gap ${fmt(worstGap)} ms`);
  }
  await sleep(3000);
}

/**
 * In the page: a publisher and a player of `streamId` on `ws`, an app that asks for simulcast
 * layers (720p camera: 720, 360 and 180 lines), apart from the pair. The player's frames and
 * picture heights are kept in `window.__sim`.
 */
async function setupSimulcast(ws, streamId) {
  const sim = { frames: [], heights: [], pub: null, player: null };
  window.__sim = sim;
  const mk = (tag, attrs) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    el.style.cssText = 'display:block;width:320px;height:240px';
    document.body.append(el);
    return el;
  };
  sim.pub = mk('rtc-publisher', { 'server-url': ws, 'stream-id': streamId });
  await sim.pub.start();
  sim.player = mk('rtc-player', { 'server-url': ws, 'stream-id': streamId, autoplay: '', muted: '', 'no-controls': '' });
  let watched = null;
  const onFrame = (video) => (now, meta) => {
    sim.frames.push({ t: performance.now(), n: meta.presentedFrames, h: meta.height });
    if (watched === video) video.requestVideoFrameCallback(onFrame(video));
  };
  setInterval(() => {
    const video = sim.player.shadowRoot?.querySelector('video');
    if (video && video !== watched) {
      watched = video;
      video.requestVideoFrameCallback(onFrame(video));
    }
  }, 50);
  await new Promise((r) => {
    const check = () => (sim.frames.length > 10 ? r() : setTimeout(check, 50));
    check();
  });
}

/** In the page: the simulcast player's server port, and its video's inbound counters. */
async function simPlayerFigures() {
  const pc = window.__sim.player.session?.session?.pc;
  const out = { port: undefined, packetsReceived: 0, packetsLost: 0, bytes: 0, t: 0 };
  if (!pc) return out;
  const report = await pc.getStats();
  const byId = new Map();
  report.forEach((x) => byId.set(x.id, x));
  report.forEach((x) => {
    if (x.type === 'transport' && x.selectedCandidatePairId) out.port = byId.get(byId.get(x.selectedCandidatePairId)?.remoteCandidateId)?.port;
    if (x.type === 'inbound-rtp' && x.kind === 'video')
      Object.assign(out, { packetsReceived: x.packetsReceived, packetsLost: x.packetsLost, bytes: x.bytesReceived, t: x.timestamp });
  });
  return out;
}

/** In the page: every open connection's outbound video layers, e.g. `l 180, m 360, h 360 (cpu)`. */
async function sentLayers() {
  const layers = [];
  for (const pc of window.__pcs) {
    if (pc.connectionState === 'closed') continue;
    (await pc.getStats()).forEach((x) => {
      if (x.type !== 'outbound-rtp' || x.kind !== 'video') return;
      const why = x.qualityLimitationReason && x.qualityLimitationReason !== 'none' ? ` (${x.qualityLimitationReason})` : '';
      layers.push(`${x.rid ?? '-'} ${x.frameHeight ?? 'off'}${why}`);
    });
  }
  return layers.join(', ') || 'no video';
}

/**
 * Waits up to `waitS` seconds for `heightNow()` to show 720 lines (then 2 s more), caps the
 * downlink from the server port `figures()` finds at `kbps` for `seconds`, and returns what it
 * measured: the lines shown each second, playback, the step down's second, the loss and rate in
 * over the second half of the cap. Undefined (a failed check) without a port.
 */
async function capDownlink(page, name, framesOf, figures, heightNow, kbps, seconds, waitS) {
  let before = 0;
  for (let i = 0; i < waitS && before !== 720; i++) {
    await sleep(1000);
    before = await heightNow();
  }
  await sleep(2000);
  before = await heightNow();
  const a = await page.evaluate(figures);
  if (!a.port) return void check(`${name}: the server port found`, false);
  // What the publishers send then (each simulcast layer's lines, and why Chrome limits it, if it
  // does): a 720-line layer not shown may be one not sent, on a machine busy enough for Chrome's
  // encoder to give up resolution (`cpu`) or with an uplink estimate too low for it (`bandwidth`).
  const sent = before === 720 ? '' : `; sent: ${await page.evaluate(sentLayers)}`;
  check(`${name}: the 720-line layer shown within ${waitS} s`, before === 720, `${before} lines${sent}`);
  // Server to browser: the source port is the server's.
  nft.rule(`udp sport ${a.port} limit rate over ${Math.round((kbps * 1000) / 8)} bytes/second drop`);
  const t0 = await now(page);
  const heights = [];
  let mid = null;
  for (let i = 0; i < seconds; i++) {
    await sleep(1000);
    heights.push(await heightNow());
    if (i === Math.floor(seconds / 2)) mid = await page.evaluate(figures);
  }
  const end = await page.evaluate(figures);
  const t1 = await now(page);
  nft.clear();
  const play = playback(await page.evaluate(framesOf, t0, t1), t0, t1);
  const down = heights.findIndex((h) => h > 0 && h < 720);
  // Loss over the second half of the cap, once on a lower layer (tries up lose some: a few per cent).
  const lost = mid && end.packetsLost - mid.packetsLost;
  const got = mid && end.packetsReceived - mid.packetsReceived;
  const lossPct = got + lost > 0 ? (lost / (got + lost)) * 100 : 0;
  const kbpsIn = mid && end.t > mid.t ? ((end.bytes - mid.bytes) * 8) / (end.t - mid.t) : 0;
  const lastS = seconds - Math.floor(seconds / 2) - 1;
  return { heights, play, down, lossPct, kbpsIn, lastS };
}

/**
 * A simulcast player's downlink capped at `kbps` for `seconds`: it must move to a lower layer (its
 * picture under 720 lines) instead of losing packets, keep decoding, and lose few packets once
 * moved; after the cap it goes back up (a try up every 8 s at first).
 */
async function narrowDownlink(page, ws, kbps, seconds) {
  await page.evaluate(setupSimulcast, ws, 'faultsim');
  const heightNow = () => page.evaluate(() => window.__sim.frames.at(-1)?.h ?? 0);
  // Chrome turns its layers on as its send estimate grows: the 720-line one within a few seconds.
  const framesOf = (x, y) => window.__sim.frames.filter((f) => f.t >= x && f.t <= y);
  const m = await capDownlink(page, `downlink ${kbps} kbit/s`, framesOf, simPlayerFigures, heightNow, kbps, seconds, 15);
  if (!m) return;
  const { heights, play, down, lossPct, kbpsIn, lastS } = m;
  results.push({
    scenario: `downlink ${kbps} kbit/s ${seconds} s`,
    fps: play.fps,
    maxGapMs: play.maxGapMs,
    bitrate: `picture lines each second ${heights.join(' ')}; ${fmt(kbpsIn)} kbit/s in, ${fmt(lossPct, 1)} % lost over the last ${lastS} s`,
  });
  check(`downlink ${kbps} kbit/s: the player moves to a lower layer within 10 s`, down >= 0 && down < 10, `after ${down + 1} s: ${heights.join(' ')}`);
  // (A try up under the cap loses part of the new layer's keyframe: a freeze of up to about 3 s
  // until it is repaired or the player is back down. Seen: 0.5-3.2 s.)
  check(
    `downlink ${kbps} kbit/s: the player keeps decoding (no gap over 4 s)`,
    play.maxGapMs <= 4000,
    `${fmt(play.fps, 1)} fps, largest gap ${fmt(play.maxGapMs)} ms`,
  );
  check(`downlink ${kbps} kbit/s: under 5 % of its packets lost once moved`, lossPct < 5, `${fmt(lossPct, 1)} %, ${fmt(kbpsIn)} kbit/s`);
  // The cap gone: back to 720 lines (a try up 5 s after a step down, twice as long after a failed try, at most 12 s; a try holds after 6 s).
  let back = null;
  const after = [];
  for (let i = 0; i < 45 && back === null; i++) {
    await sleep(1000);
    after.push(await heightNow());
    if (after.at(-1) === 720) back = i + 1;
  }
  // Printed, not held: whether a try up holds depends on the estimate's climb, and in one run of
  // five the player was still at 360 lines 45 s after the cap (the others: 7-25 s).
  console.log(
    `  downlink ${kbps} kbit/s: after the cap, back on the 720-line layer ${back === null ? 'not within 45 s' : `after ${back} s`} (${after.join(' ')})`,
  );
  await page.evaluate(() => {
    window.__sim.player.remove();
    window.__sim.pub.remove();
  });
}

/**
 * In the page: a 2-person <rtc-room> of a simulcast app, X with a 1280x720 camera (three layers)
 * and Y without one (so the only connection receiving video is Y's room connection); Y's tile of
 * X records each frame's height.
 */
async function setupSimRoom(ws, roomId) {
  await customElements.whenDefined('rtc-room');
  window.__lab720 = true;
  const sr = { frames: [], rooms: [] };
  window.__simRoom = sr;
  for (const [id, extra] of [
    [`${roomId}x`, {}],
    [`${roomId}y`, { 'no-video': '' }],
  ]) {
    const el = document.createElement('rtc-room');
    for (const [k, v] of Object.entries({ 'server-url': ws, 'room-id': roomId, 'stream-id': id, 'auto-join': '', ...extra })) el.setAttribute(k, v);
    el.style.cssText = 'display:block;width:480px;height:360px';
    document.body.append(el);
    sr.rooms.push(el);
  }
  let watched = null;
  setInterval(() => {
    const video = sr.rooms[1].shadowRoot?.querySelector(`[data-participant="${roomId}x"] video`);
    if (!video || video === watched) return;
    watched = video;
    const onFrame = (now, meta) => {
      sr.frames.push({ t: performance.now(), n: meta.presentedFrames, h: meta.height });
      if (watched === video) video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }, 50);
}

/** In the page: the one connection receiving video (Y's room connection): its server port and video inbound counters. */
async function simRoomFigures() {
  const out = { port: undefined, packetsReceived: 0, packetsLost: 0, bytes: 0, t: 0 };
  for (const pc of window.__pcs) {
    if (pc.connectionState === 'closed') continue;
    const report = await pc.getStats();
    const byId = new Map();
    report.forEach((x) => byId.set(x.id, x));
    let video = false;
    let port;
    report.forEach((x) => {
      if (x.type === 'transport' && x.selectedCandidatePairId) port = byId.get(byId.get(x.selectedCandidatePairId)?.remoteCandidateId)?.port;
      if (x.type === 'inbound-rtp' && x.kind === 'video' && x.packetsReceived > 0) {
        video = true;
        Object.assign(out, { packetsReceived: x.packetsReceived, packetsLost: x.packetsLost, bytes: x.bytesReceived, t: x.timestamp });
      }
    });
    if (video) out.port = port;
  }
  return out;
}

/**
 * Simulcast in a room: Y's room connection capped at `kbps` for `seconds` must get a lower layer
 * of X (the room connection's share of its estimate), not loss, as a player does.
 */
async function roomDownlink(page, ws, kbps, seconds) {
  await page.evaluate(setupSimRoom, ws, 'faultsimroom');
  const heightNow = () => page.evaluate(() => window.__simRoom.frames.at(-1)?.h ?? 0);
  const name = `room (simulcast): downlink ${kbps} kbit/s`;
  const framesOf = (x, y) => window.__simRoom.frames.filter((f) => f.t >= x && f.t <= y);
  const m = await capDownlink(page, name, framesOf, simRoomFigures, heightNow, kbps, seconds, 20);
  if (!m) return;
  const { heights, play, down, lossPct, kbpsIn, lastS } = m;
  results.push({
    scenario: `room: downlink ${kbps} kbit/s ${seconds} s`,
    fps: play.fps,
    maxGapMs: play.maxGapMs,
    bitrate: `X's picture lines each second ${heights.join(' ')}; ${fmt(kbpsIn)} kbit/s in, ${fmt(lossPct, 1)} % lost over the last ${lastS} s`,
  });
  check(`${name}: X moves to a lower layer within 10 s`, down >= 0 && down < 10, `after ${down + 1} s: ${heights.join(' ')}`);
  check(`${name}: X keeps decoding (no gap over 4 s)`, play.maxGapMs <= 4000, `${fmt(play.fps, 1)} fps, largest gap ${fmt(play.maxGapMs)} ms`);
  check(`${name}: under 5 % of the packets lost once moved`, lossPct < 5, `${fmt(lossPct, 1)} %, ${fmt(kbpsIn)} kbit/s`);
  await page.evaluate(async () => {
    const rooms = window.__simRoom.rooms;
    await Promise.all(rooms.map((r) => r.leave()));
    for (const r of rooms) r.remove();
  });
}

// No event-loop lag limit: the lab's server shares 2 cores with Chromium and, in `npm test`, with
// the Node tests; its lag reading there measures them, and refused the players' plays after a
// server restart (2-5 s of retry against the 2 s bar). Admission control has tests of its own
// (test/server/admission.test.ts, media-workers.test.ts).
const serverOptions = {
  host: '127.0.0.1',
  port: 0,
  eventLoopLagLimitMs: 0,
  demoDir: demo,
  distDir: join(root, 'dist'),
  apps: { SimulcastApp: { simulcast: true } },
};
let server;
let browser;
try {
  server = await createServer(serverOptions);
  const ws = `${server.url.replace(/^http/, 'ws')}/LiveApp/websocket`;
  browser = await puppeteer.launch({
    executablePath: chrome,
    headless: true,
    args: CHROMIUM_FLAGS,
  });
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.evaluateOnNewDocument(instrument);
  await page.goto(`${server.url}/`);
  origin = await page.evaluate(() => performance.timeOrigin);
  await page.evaluate(setupPage, ws, 'faultlab');
  await sleep(3000);

  // (`loss` is both losses: `loss5` and `loss20`.)
  const want = (name) => !only || only.split(',').includes(name) || (name.startsWith('loss') && only.split(',').includes('loss'));
  if (process.argv.includes('--probe')) {
    for (let i = 0; i < 20; i++) {
      await sleep(1000);
      console.log(`kbps ${fmt(await pubKbps(page))} estimate ${fmt(await pubEstimate(page))}`);
    }
  }
  if (want('cut')) await cut(page, 5);
  if (want('cut')) await cut(page, 20);
  if (want('uplink')) await narrowUplink(page, 500, 20);
  // `--measure`: the official SDK's player beside ours through the loss and the restarts (not in npm test: the suite's time).
  if (measure && (want('loss5') || want('loss20') || want('restart'))) await startSdk(browser, ws, 'faultlab');
  if (want('loss5'))
    await loss(page, 5, 30, (p) => {
      check('5 % loss: at least 15 fps', p.fps >= 15, `${fmt(p.fps, 1)} fps`);
      check('5 % loss: no freeze over 1 s', p.maxGapMs <= 1000, `largest gap ${fmt(p.maxGapMs)} ms`);
    });
  if (want('loss20'))
    await loss(page, 20, 20, (p) =>
      check(
        '20 % loss: frames keep coming (some in every 2 s window)',
        p.minFramesPer2s > 0,
        `${fmt(p.fps, 1)} fps, fewest ${p.minFramesPer2s} frames in a 2 s window and ${p.minFramesPer3s} in a 3 s one, largest gap ${fmt(p.maxGapMs)} ms`,
      ),
    );
  if (want('restart')) await restart(page, 2);
  if (want('restart')) await restart(page, 10);
  // A simulcast player (an app that asks for layers) on a 300 kbit/s downlink: a lower layer, not loss.
  if (want('downlink')) await narrowDownlink(page, `${server.url.replace(/^http/, 'ws')}/SimulcastApp/websocket`, 300, 20);
  // The same in a room: a participant's room connection on a 300 kbit/s downlink gets a lower layer of the other.
  if (want('roomdownlink')) await roomDownlink(page, `${server.url.replace(/^http/, 'ws')}/SimulcastApp/websocket`, 300, 20);
  await sdk?.context.close();
  sdk = null;
  // A 3-person <rtc-room> (multitrack) through the same faults: cuts, loss and restarts.
  if (want('room')) {
    await page.evaluate(setupRoom, ws, 'faultroom');
    const t0 = await now(page);
    const up = await roomBack(page, t0, 30_000);
    check('room: three participants live, each decoding both others', up !== null, `${fmt(up)} ms from joining`);
    if (up !== null) {
      await sleep(3000);
      // The uplink first, while the publishers send their most: after a loss the relay's
      // estimate stays under the rate that met it for 30 s (seen: all three at about 278 kbit/s
      // 15 s after 20 % loss), and after the 20 s cut's new connections Chrome's estimate starts
      // again at 300 kbit/s (seen: 475 kbit/s 10 s later).
      // 300 kbit/s first, where it binds on the fresh publishers (500 kbit/s first met loss near
      // its end, and the next 20 s kept them under 400: seen twice); then the issue's 500.
      await roomUplink(page, 300, 20, true);
      await roomUplink(page, 500, 20, false);
      await roomCut(page, 5);
      await roomCut(page, 20);
      await roomLoss(page, 5, 10, 15);
      await roomLoss(page, 20, 10);
      await roomRestart(page, 2);
      await roomRestart(page, 10);
    }
  }
} catch (e) {
  check('fault lab ran to the end', false, e instanceof Error ? e.message : String(e));
} finally {
  await browser?.close().catch(() => undefined);
  await server?.close().catch(() => undefined);
  rmSync(demo, { recursive: true, force: true });
}

console.log(
  `\nfault lab figures${only ? ` (${only.split(',').join(', ')})` : ''} (<rtc-publisher> → embedded server → <rtc-player>, then a 3-person <rtc-room>; real faults in a network namespace):`,
);
for (const r of results) {
  const parts = [
    r.pubLiveMs !== undefined && `publisher live again ${fmt(r.pubLiveMs)} ms after ${r.from}`,
    r.recoveredMs !== undefined && `decoding again ${fmt(r.recoveredMs)} ms after ${r.from}`,
    r.sdkRecoveredMs !== undefined && `the SDK player ${fmt(r.sdkRecoveredMs)} ms`,
    r.tiles && `first frame per tile (room←participant, ms) ${r.tiles}`,
    r.reconnecting && `reconnecting shown: ${r.reconnecting}`,
    r.live && `live again (ms) ${r.live}`,
    r.how && `recovered by ${r.how}`,
    r.states && `states ${r.states}`,
    r.fps !== undefined && `${fmt(r.fps, 1)} fps`,
    r.maxGapMs !== undefined && `largest frame gap ${fmt(r.maxGapMs)} ms${r.gapAtS !== undefined ? ` (at ${fmt(r.gapAtS, 1)} s)` : ''}`,
    r.freezes !== undefined && `freezes over 1 s ${r.freezes}`,
    r.minFramesPer2s !== undefined && `fewest frames in 2 s ${r.minFramesPer2s}, in 3 s ${r.minFramesPer3s}`,
    r.bitrate && `send bitrate ${r.bitrate}`,
    r.settledS !== undefined && `under the cap after ${fmt(r.settledS)} s`,
    r.nacks && `NACKs: ${r.nacks}`,
  ].filter(Boolean);
  console.log(`  ${r.scenario.padEnd(22)} ${parts.join('; ')}`);
}
const sideBySide = results.filter((r) => r.sdk || r.sdkRecoveredMs !== undefined);
if (sideBySide.length) {
  console.log('\nside by side with the official AMS SDK player (same stream, a page of its own):');
  const play = (p) => `${fmt(p.fps, 1)} fps, largest gap ${fmt(p.maxGapMs)} ms, ${p.freezes} freezes over 1 s`;
  for (const r of sideBySide) {
    const [ours, theirs] = r.sdk ? [play(r), play(r.sdk)] : [`${fmt(r.recoveredMs)} ms`, `${fmt(r.sdkRecoveredMs)} ms`];
    console.log(`  ${r.scenario.padEnd(22)} <rtc-player> ${ours.padEnd(50)} official SDK ${theirs}`);
  }
}
const failed = checks.filter((c) => !c.ok).length;
console.log(`faults: ${checks.length - failed} passed, ${failed} failed, 0 skipped`);
process.exit(failed && !measure ? 1 : 0);
