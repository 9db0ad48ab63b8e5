// Browser tests: headless Debian Chromium with fake camera and microphone, against the real
// embedded server (started here, on a free loopback port, with fault injection on).
import { writeFileSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { createServer } from './dist/node/src/server/server.js';

const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';

/** Flags every browser group gets (DEVELOPERS.md and toolchain-notes). */
const BASE_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];
const FAKE_MEDIA_FLAGS = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];

const launcher = (extraFlags) =>
  chromeLauncher({ launchOptions: { executablePath, headless: true, args: [...BASE_FLAGS, ...extraFlags] } });

/** Counts results and prints the plain `N passed, N failed` line CI reads. */
function countingReporter() {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      let skipped = 0;
      const walk = (suite) => {
        for (const t of suite.tests) {
          if (t.skipped) skipped++;
          else if (t.passed) passed++;
          else failed++;
        }
        for (const s of suite.suites) walk(s);
      };
      for (const session of sessions) {
        if (session.testResults) walk(session.testResults);
        // A file that failed to load or threw outside a test counts as one failure.
        if (!session.passed && session.errors.length > 0) failed++;
      }
      this.summary = { passed, failed, skipped };
    },
    stop() {
      const s = this.summary ?? { passed: 0, failed: 1, skipped: 0 };
      if (process.env.WTR_SUMMARY_FILE) writeFileSync(process.env.WTR_SUMMARY_FILE, JSON.stringify(s));
      console.log(`wtr: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
    },
  };
}

let server;
const serverInfo = () => ({ http: server.url, ws: `${server.url.replace(/^http/, 'ws')}/LiveApp/websocket` });

/** Starts the embedded server for the run and lets tests reach it. */
function amsServerPlugin() {
  return {
    name: 'ams-server',
    async serverStart() {
      server = await createServer({ host: '127.0.0.1', port: 0, faultInjection: true });
    },
    async serverStop() {
      await server?.close();
    },
    /** `executeServerCommand('rtc-server', {action, …})` from a test. */
    async executeCommand({ command, payload, session }) {
      if (command !== 'rtc-server') return undefined;
      switch (payload?.action) {
        case 'info':
          return serverInfo();
        case 'fault':
          return server.faults.add(payload.rule);
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
        case 'drop-connections':
          return server.dropConnections();
        case 'clear-faults':
          server.faults.clear();
          return true;
        default:
          throw new Error(`unknown rtc-server action ${payload?.action}`);
      }
    },
  };
}

export default {
  rootDir: '.',
  // Default group: fake camera and microphone, every permission granted.
  files: ['test/browser/**/*.test.ts', '!test/browser/permissions/**', '!test/browser/no-devices/**'],
  nodeResolve: true,
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 300_000,
  plugins: [esbuildPlugin({ ts: true, target: 'es2021', tsconfig: './tsconfig.json' }), amsServerPlugin()],
  testFramework: { config: { timeout: 20_000 } },
  // Tests read the server's addresses from window.__RTC_SERVER__ = {http, ws}.
  testRunnerHtml: (testFramework) =>
    `<!doctype html><html><head><script>window.__RTC_SERVER__ = ${JSON.stringify(serverInfo())};</script></head>` +
    `<body><script type="module" src="${testFramework}"></script></body></html>`,
  browsers: [launcher(FAKE_MEDIA_FLAGS)],
  groups: [
    // Real refusals. Fake devices but no fake UI: permissions are really asked, so a denial
    // through the DevTools protocol gives NotAllowedError.
    { name: 'permissions', files: ['test/browser/permissions/**/*.test.ts'], browsers: [launcher(['--use-fake-device-for-media-stream'])] },
    // No devices at all: a granted request finds no camera (NotFoundError).
    { name: 'no-devices', files: ['test/browser/no-devices/**/*.test.ts'], browsers: [launcher([])] },
  ],
  reporters: [defaultReporter({ reportTestResults: true, reportTestProgress: false }), countingReporter()],
};
