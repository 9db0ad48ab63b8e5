// Browser tests: headless Debian Chromium with fake camera and microphone, against the real
// embedded server (started here, on a free loopback port, with fault injection on). The server
// is built from source (packages/server/src) with esbuild when the config loads, so one test
// file runs alone in seconds without a `tsc` build first: `npm run test:browser -- --files <glob>`.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { build } from 'esbuild';
import { BASE_FLAGS, FAKE_MEDIA_FLAGS } from './scripts/chromium-flags.mjs';

/**
 * packages/server/src/index.ts (createServer) bundled (npm packages left external) and imported. It serves
 * demo/ and dist/ of this package, which it finds by walking up from the bundle's folder.
 */
const cacheDir = fileURLToPath(new URL(`./node_modules/.cache/rtc-elements/${process.pid}/`, import.meta.url));
mkdirSync(cacheDir, { recursive: true });
process.on('exit', () => rmSync(cacheDir, { recursive: true, force: true }));

/** A TypeScript module for Node (npm packages left external), bundled into the cache and imported. */
async function fromSource(entry, name) {
  const outfile = join(cacheDir, name);
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile, logLevel: 'warning' });
  return import(outfile);
}
const { createServer } = await fromSource('packages/server/src/index.ts', 'server.mjs');
// The media workers' module, bundled apart (a worker thread loads a module of its own): the server looks for it beside its bundle.
await build({
  entryPoints: ['packages/server/src/relay/media-worker.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: join(cacheDir, 'media-worker.js'),
  logLevel: 'warning',
});
/** The hostile signaling server of test/browser/integration/hostile-server.test.ts. */
const { startHostileServer } = await fromSource('test/helpers/hostile-server.ts', 'hostile-server.mjs');

/**
 * WHIP/WHEP clients written by others that ship CommonJS or import it (Eyevinn's), bundled for
 * the browser as they are: a test imports them from `/__interop/<name>.js` (the module's
 * exports as its default export, CommonJS or not).
 */
const INTEROP = { 'whip-web-client': '@eyevinn/whip-web-client', 'webrtc-player': '@eyevinn/webrtc-player' };
async function interopBundles() {
  const files = {};
  for (const [name, pkg] of Object.entries(INTEROP)) {
    const outfile = join(cacheDir, `${name}.js`);
    await build({
      stdin: { contents: `import * as m from '${pkg}';\nexport default m;`, resolveDir: '.' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      outfile,
      logLevel: 'warning',
    });
    files[`/__interop/${name}.js`] = outfile;
  }
  return files;
}
const interopFiles = await interopBundles();
function interopPlugin() {
  return {
    name: 'interop-bundles',
    serve(context) {
      const file = interopFiles[context.path];
      return file ? { body: readFileSync(file, 'utf8'), type: 'js' } : undefined;
    },
  };
}

const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';

/** Flags every browser group gets (DEVELOPERS.md and toolchain-notes); the fake devices where a group allows them. */
const FLAGS = ['--headless=new', ...BASE_FLAGS];

/**
 * A browser with `extraFlags`, running `concurrency` test files at once (the config's, 1, when
 * not given). Each page in a window of its own: a second tab would hide the first (no
 * requestAnimationFrame or video frame callbacks, throttled timers, `visibilityState` hidden).
 */
const launcher = (extraFlags, concurrency) =>
  chromeLauncher({
    launchOptions: { executablePath, headless: true, args: [...FLAGS, ...extraFlags] },
    createPage: ({ context }) => context.newPage({ type: 'window' }),
    ...(concurrency ? { concurrency } : {}),
  });

/**
 * Counts results and prints the plain `N passed, N failed` line CI reads, after the slowest files
 * (the sum of their tests' durations: where the suite's time goes).
 */
function countingReporter() {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      let skipped = 0;
      const perFile = new Map();
      /** Per group: its files and their tests' time (a one-at-a-time group's wall time, about). */
      const perGroup = new Map();
      const failures = [];
      const walk = (suite, file, path = []) => {
        for (const t of suite.tests) {
          if (t.skipped) skipped++;
          else if (t.passed) passed++;
          else {
            failed++;
            const why = String(t.error?.message ?? '')
              .split('\n')[0]
              .slice(0, 200);
            failures.push(`${file}: ${[...path, t.name].join(' › ')}${why ? ` (${why})` : ''}`);
          }
          perFile.set(file, (perFile.get(file) ?? 0) + (t.duration ?? 0));
        }
        for (const s of suite.suites) walk(s, file, [...path, s.name]);
      };
      for (const session of sessions) {
        const file = session.testFile.replace(`${process.cwd()}/`, '');
        if (session.testResults) walk(session.testResults, file);
        const g = perGroup.get(session.group.name) ?? { files: 0, ms: 0 };
        perGroup.set(session.group.name, { files: g.files + 1, ms: g.ms + (perFile.get(file) ?? 0) });
        // A file that failed to load or threw outside a test counts as one failure.
        if (!session.passed && session.errors.length > 0) {
          failed++;
          failures.push(
            `${session.testFile.replace(`${process.cwd()}/`, '')}: ${String(session.errors[0]?.message ?? 'failed to run')
              .split('\n')[0]
              .slice(0, 200)}`,
          );
        }
      }
      this.summary = { passed, failed, skipped, failures };
      this.slowest = [...perFile]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10)
        .map(([f, ms]) => `${f.replace(/^test\/browser\//, '')} ${(ms / 1000).toFixed(0)} s`);
      this.groups = [...perGroup].map(([name, g]) => `${name} ${g.files} files ${(g.ms / 1000).toFixed(0)} s`);
    },
    stop() {
      const s = this.summary ?? { passed: 0, failed: 1, skipped: 0 };
      if (process.env.WTR_SUMMARY_FILE) writeFileSync(process.env.WTR_SUMMARY_FILE, JSON.stringify(s));
      if (this.slowest?.length) console.log(`wtr: slowest files (their tests' time): ${this.slowest.join(', ')}`);
      if (this.groups?.length) console.log(`wtr: groups (their tests' time): ${this.groups.join(', ')}`);
      for (const f of s.failures ?? []) console.log(`wtr: failed: ${f}`);
      console.log(`wtr: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
    },
  };
}

/**
 * Two servers, so that the default group (one file at a time: its files change their server for
 * everyone: fault rules, restarts, dropped sockets, limit counts) runs beside the other groups
 * (their files use streams of their own): `faults` for the default group, `shared` for the others.
 */
const servers = { faults: undefined, shared: undefined };
/** Which server the files of the group named `group` talk to. */
const serverOf = (group) => (group === 'default' ? 'faults' : 'shared');
/** The `jwtStreamSecretKey` of the test server's JwtApp (32 characters or more). */
const JWT_TEST_SECRET = 'rtc-elements-browser-tests-jwt-secret';
/** The hostile server of the running test, if any (one at a time). */
let hostile;
// TokenApp: publishing and playing need a token (WHIP/WHEP Bearer tokens, test/browser/whip.test.ts).
// LimitApp: one viewer per stream; JwtApp: JWT stream tokens (test/browser/hardening.test.ts);
// SimulcastApp: simulcast layers and forceStreamQuality; NoDtxApp: no Opus DTX asked of publishers;
// Ptime60App: 60 ms audio packets asked of publishers.
/** How often each server's limits refused or dropped a client (`onLimit`), for the `limits` action. */
const limitCounts = { faults: {}, shared: {} };
const serverOptions = (key) => ({
  host: '127.0.0.1',
  port: 0,
  faultInjection: true,
  // Admission control reads no real load here: this process also runs the test runner's dev
  // server and esbuild, whose stalls are not the server's. Tests overload it with the fault
  // switch ({action: 'fault', rule: {overload: true}}); test/server/admission.test.ts has the real readings.
  cpuLimit: 0,
  eventLoopLagLimitMs: 0,
  onLimit: ({ limit }) => {
    limitCounts[key][limit] = (limitCounts[key][limit] ?? 0) + 1;
  },
  apps: {
    TokenApp: { publishTokenControlEnabled: true, playTokenControlEnabled: true },
    LimitApp: { webRTCViewerLimit: 1 },
    JwtApp: { publishJwtControlEnabled: true, playJwtControlEnabled: true, jwtStreamSecretKey: JWT_TEST_SECRET },
    // Publishers asked for simulcast layers (test/browser/integration/simulcast.test.ts).
    SimulcastApp: { simulcast: true },
    // Publishers' answers without Opus DTX (test/browser/integration/dtx.test.ts).
    NoDtxApp: { audioDtx: false },
    // Publishers asked for 60 ms audio packets (the same file).
    Ptime60App: { audioPacketMs: 60 },
  },
});
const serverInfo = (key) => ({ http: servers[key].url, ws: `${servers[key].url.replace(/^http/, 'ws')}/LiveApp/websocket` });

/** Starts the embedded server for the run and lets tests reach it. */
function amsServerPlugin() {
  return {
    name: 'ams-server',
    async serverStart() {
      for (const key of Object.keys(servers)) servers[key] = await createServer(serverOptions(key));
    },
    async serverStop() {
      await hostile?.close();
      await Promise.all(Object.values(servers).map((s) => s?.close()));
    },
    /** `executeServerCommand('rtc-server', {action, …})` from a test. */
    async executeCommand({ command, payload, session }) {
      if (command !== 'rtc-server') return undefined;
      const key = serverOf(session.group.name);
      const server = servers[key];
      switch (payload?.action) {
        case 'info':
          return serverInfo(key);
        case 'fault':
          // An AMS command's rule, or the overload switch ({overload: true|false}: admission control refuses new sessions).
          return 'overload' in payload.rule ? server.faults.setOverload(payload.rule) : server.faults.add(payload.rule);
        case 'limits':
          // How often each limit (onLimit's name: overloadFault, maxStreamsPerSocket, …) refused a client so far.
          return { ...limitCounts[key] };
        case 'lose-keyframe-requests':
          // The next `times` keyframe requests to the publisher of `streamId` lost (faults.ts, KeyframeRequestDropRule).
          return server.faults.dropKeyframeRequests({ keyframeRequests: 'drop', ...payload.rule });
        case 'media-cut':
          // A media-path cut (packages/server/src/faults.ts, MediaCutRule): UDP dropped, sockets kept.
          return server.faults.cutMedia({ media: 'cut', ...payload.rule });
        case 'http-fault':
          // A WHIP/WHEP HTTP fault (packages/server/src/faults.ts, HttpFaultRule).
          return server.faults.addHttp(payload.rule);
        case 'token':
          // A one-time token of `app` for `streamId` and `type` (publish, play), valid for a minute.
          return server.app(payload.app).store.createToken(payload.streamId, payload.type, Math.floor(Date.now() / 1000) + 60).tokenId;
        case 'set-permission': {
          // A real browser-level grant or denial (DevTools protocol) for the test page's origin.
          const page = session.browser.getPage(session.id);
          const origin = new URL(page.url()).origin;
          const context = page.browserContext();
          // Browser.setPermission 'granted' does not take in this launcher's context, while
          // Browser.grantPermissions does (and replaces earlier grants: pass them all at once).
          await context.clearPermissionOverrides();
          if (payload.setting === 'granted') await context.overridePermissions(origin, payload.permissions);
          else for (const name of payload.permissions) await context.setPermission(origin, { permission: { name }, state: payload.setting });
          return { origin };
        }
        case 'jwt': {
          // A JWT stream token of `app` for `streamId` and `type`, valid for a minute, from the REST jwt-token route.
          const exp = Math.floor(Date.now() / 1000) + 60;
          const res = await fetch(`${server.url}/${payload.app}/rest/v2/broadcasts/${payload.streamId}/jwt-token?expireDate=${exp}&type=${payload.type}`);
          return (await res.json()).tokenId;
        }
        case 'viewers':
          // How many viewers (WebSocket and WHEP plays) `streamId` of `app` has now.
          return server.app(payload.app).live.get(payload.streamId)?.viewers.size ?? 0;
        case 'layers-sent': {
          // The simulcast layer (rid) each sink of `streamId`'s publisher in `app` sends now: its
          // players' and the room connections' (relay/layers.ts LayerSwitch; null: none yet).
          const peer = server.app(payload.app).live.get(payload.streamId)?.peer;
          return [...(peer?.players ?? [])].map((sink) => ({ room: 'owner' in sink, layer: sink.layers?.sending ?? null }));
        }
        case 'drop-connections':
          return server.dropConnections();
        case 'workers':
          // The media workers (packages/server/src/relay/worker-relay.ts): index, threadId, players, ready, restarts.
          return (await fetch(`${server.url}/__faults/workers`)).json();
        case 'crash-worker': {
          // Media worker `index` ends as a crash would end it; it is started again.
          const res = await fetch(`${server.url}/__faults/workers`, { method: 'POST', body: JSON.stringify({ crash: payload.index }) });
          return res.status;
        }
        case 'restart': {
          // An outage: the server closes (every socket and peer connection with it), stays down
          // `downMs`, and starts again on the same port, as new (no streams, no tokens).
          const port = Number(new URL(server.url).port);
          await server.close();
          await new Promise((r) => setTimeout(r, Math.min(Number(payload.downMs) || 0, 30_000)));
          servers[key] = await createServer({ ...serverOptions(key), port });
          return serverInfo(key);
        }
        case 'screenshot': {
          // A PNG of the page (or of `clip`, page pixels) under test-output/screenshots/, for people to look at.
          if (!/^[\w.-]+$/.test(String(payload.name))) throw new Error('screenshot name: letters, digits, . _ - only');
          const dir = 'test-output/screenshots';
          mkdirSync(dir, { recursive: true });
          const path = join(dir, `${payload.name}.png`);
          await session.browser.getPage(session.id).screenshot({ path, clip: payload.clip, captureBeyondViewport: true });
          return path;
        }
        case 'hostile-start':
          // A hostile signaling server (test/helpers/hostile-server.ts): {seed, budget, batch} → its URL.
          await hostile?.close();
          // The seed: the test's, else RTC_HOSTILE_SEED (to replay a failure), else a new one.
          hostile = await startHostileServer({ ...payload, seed: Number(payload.seed ?? process.env.RTC_HOSTILE_SEED ?? Math.floor(Math.random() * 2 ** 31)) });
          return { url: hostile.url, seed: hostile.stats().seed };
        case 'hostile-stats':
          return hostile?.stats() ?? null;
        case 'hostile-stop':
          await hostile?.close();
          hostile = undefined;
          return true;
        case 'heap': {
          // The page's JS heap after a forced GC (DevTools protocol: HeapProfiler.collectGarbage, Runtime.getHeapUsage).
          const cdp = await session.browser.getPage(session.id).createCDPSession();
          try {
            for (let i = 0; i < (payload.gcs ?? 3); i++) await cdp.send('HeapProfiler.collectGarbage');
            const { usedSize, totalSize } = await cdp.send('Runtime.getHeapUsage');
            return { usedSize, totalSize };
          } finally {
            await cdp.detach();
          }
        }
        case 'clear-faults':
          server.faults.clear();
          return true;
        default:
          throw new Error(`unknown rtc-server action ${payload?.action}`);
      }
    },
  };
}

/** Groups with browsers of their own; `dir` is where their files are. */
const GROUPS = [
  // Real refusals. Fake devices but no fake UI: permissions are really asked, so a denial
  // through the DevTools protocol gives NotAllowedError.
  {
    name: 'permissions',
    dir: 'test/browser/permissions/',
    files: ['test/browser/permissions/**/*.test.ts'],
    browsers: [launcher(['--use-fake-device-for-media-stream'])],
  },
  // No devices at all: a granted request finds no camera (NotFoundError).
  { name: 'no-devices', dir: 'test/browser/no-devices/', files: ['test/browser/no-devices/**/*.test.ts'], browsers: [launcher([])] },
];

/**
 * `RTC_TEST_FILES` (set by `npm run test:browser -- --files <glob> [<glob>…]`): run only these,
 * each in the browser its folder needs.
 */
const only = process.env.RTC_TEST_FILES ? process.env.RTC_TEST_FILES.split(',').filter(Boolean) : undefined;

/**
 * The default group's files run one at a time when they change their test server for everyone
 * (fault rules and their clearing, dropped sockets, media cuts, restarts, limit counts) or time
 * recoveries (integration/); the others two at a time, as pages of one browser (the `parallel`
 * group): they only use streams of their own.
 */
const SHARED_SERVER =
  /\b(fault|clearFaults|dropConnections|cutMedia|restartServer)\(|action: '(fault|clear-faults|drop-connections|media-cut|http-fault|restart|limits)'/;
const oneAtATime = (file) => file.startsWith('test/browser/integration/') || SHARED_SERVER.test(readFileSync(file, 'utf8'));
const testFiles = (dir) =>
  readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(dir, f));
const defaultFiles = (
  only
    ? only.filter((f) => !GROUPS.some((g) => f.startsWith(g.dir)))
    : [...testFiles('test/browser'), ...testFiles('test/core')].filter((f) => !GROUPS.some((g) => f.startsWith(g.dir)))
).sort();
const PARALLEL = { name: 'parallel', files: defaultFiles.filter((f) => !oneAtATime(f)), browsers: [launcher(FAKE_MEDIA_FLAGS, 2)] };
/** The default group's: the one-at-a-time files. */
const serial = defaultFiles.filter(oneAtATime);
/** The test page of a group whose server is `key`'s. */
const runnerHtml = (key) => (testFramework) =>
  `<!doctype html><html><head><script>window.__RTC_SERVER__ = ${JSON.stringify(serverInfo(key))};</script></head>` +
  `<body><script type="module" src="${testFramework}"></script></body></html>`;

export default {
  rootDir: '.',
  // Default group: fake camera and microphone, every permission granted, one file at a time
  // (none when --files names none of them: the runner refuses a group without files).
  files: serial.length ? serial : undefined,
  nodeResolve: true,
  concurrency: 1,
  // Two groups at once, each on its server: the default group's files one at a time beside the
  // parallel group's two at a time (then permissions and no-devices). (Three, with integration/ a
  // group and a server of its own, took 212 s instead of 272 but failed a media-cut recovery once.)
  concurrentBrowsers: 2,
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 300_000,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }), amsServerPlugin(), interopPlugin()],
  testFramework: { config: { timeout: 20_000 } },
  // Tests read their group's server's addresses from window.__RTC_SERVER__ = {http, ws}.
  testRunnerHtml: runnerHtml('faults'),
  browsers: [launcher(FAKE_MEDIA_FLAGS)],
  groups: [
    ...(PARALLEL.files.length ? [PARALLEL] : []),
    ...GROUPS.filter((g) => !only || only.some((f) => f.startsWith(g.dir))).map(({ dir, ...g }) =>
      only ? { ...g, files: only.filter((f) => f.startsWith(dir)) } : g,
    ),
  ].map((g) => ({ ...g, testRunnerHtml: runnerHtml(serverOf(g.name)) })),
  reporters: [defaultReporter({ reportTestResults: true, reportTestProgress: false }), countingReporter()],
};
