#!/usr/bin/env node
// `npm test`: type check, build, lint and format check, Node tests, browser tests in headless
// Chromium, the consumer test (the packed tarball in the apps of examples/), the WordPress
// plugin in a real WordPress, then the fault lab (real network faults). Parts of it alone:
//   npm run test:node [-- test/server/rooms.test.ts …]     build the Node side, run Node tests
//   npm run test:browser [-- --files <glob> [<glob> …]]     browser tests only (server built from source)
//   npm run lint                                           ESLint and Prettier's check
//   node scripts/test.mjs typings                          the consumer type tests (test/typings/)
//   npm run test:consumer [-- react vue …]                  the consumer test (scripts/consumer-test.mjs)
//   npm run test:wordpress                                 the WordPress plugin in Debian's WordPress (scripts/wordpress-test.mjs)
//   npm run test:faults                                    the fault lab: real network faults in a namespace (scripts/fault-lab.mjs)
// Finds Debian's chromium (or CHROME_PATH); installs it with apt-get when it is missing and
// this is root with apt-get; otherwise stops with one line saying what to do.
// Ends with the plain line `N passed, N failed` that CI reads.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { aptInstall, canAptInstall, onPath } from './apt-install.mjs';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** `cmd` in its own process, its output the terminal's; resolves with its exit status. */
const runAsync = (cmd, args) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('close', (code) => resolve(code ?? 1));
  });

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
  });
  if (options.capture && r.stdout) process.stdout.write(r.stdout);
  return r;
}

const executable = (p) => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

function findChromium() {
  if (process.env.CHROME_PATH) {
    if (executable(process.env.CHROME_PATH)) return process.env.CHROME_PATH;
    console.error(`CHROME_PATH=${process.env.CHROME_PATH} is not an executable file: point it at Chromium, or unset it to use /usr/bin/chromium.`);
    process.exit(1);
  }
  if (executable('/usr/bin/chromium')) return '/usr/bin/chromium';
  if (canAptInstall()) {
    if (aptInstall(['chromium'], 'Chromium') && executable('/usr/bin/chromium')) return '/usr/bin/chromium';
    console.error('Installing chromium with apt-get failed: run `apt-get install chromium` yourself, or set CHROME_PATH to a Chromium binary.');
    process.exit(1);
  }
  console.error("No Chromium found: install Debian's chromium (`sudo apt-get install chromium`) or set CHROME_PATH to a Chromium binary.");
  process.exit(1);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
/** One line per failed test (phase: file or suite: name (first line of the error)), printed last: CI shows the tail. */
const failures = [];
const step = (name, ok) => {
  if (ok) totals.passed++;
  else {
    totals.failed++;
    console.error(`✗ ${name} failed`);
    failures.push(`step: ${name}`);
  }
  return ok;
};

const [mode = 'all', ...rest] = process.argv.slice(2);
if (!['all', 'node', 'browser', 'lint', 'typings', 'consumer', 'wordpress', 'faults'].includes(mode)) {
  console.error(`usage: node scripts/test.mjs [all|node|browser|lint|typings|consumer|wordpress|faults] [files…|apps…]; got "${mode}"`);
  process.exit(2);
}
/** Test files named on the command line (`--files` optional), as given. */
const named = rest.filter((a) => a !== '--files');

/** The newest modification time of the files under `dir` (0 when it is missing). */
function newest(dir) {
  let t = 0;
  try {
    for (const name of readdirSync(join(root, dir), { recursive: true })) {
      const st = statSync(join(root, dir, name));
      if (st.isFile()) t = Math.max(t, st.mtimeMs);
    }
  } catch {
    return 0;
  }
  return t;
}
const mtime = (file) => {
  try {
    return statSync(join(root, file)).mtimeMs;
  } catch {
    return 0;
  }
};

// The package as a consumer's TypeScript sees it: tag map, typed events, React JSX (with `@ts-expect-error` lines).
const typeCheckTypings = () => step('type tests (test/typings)', run(bin('tsc'), ['-p', 'test/typings/tsconfig.json']).status === 0);
const buildNode = () => step('type check and build (Node)', run(bin('tsc'), ['-p', 'tsconfig.node.json']).status === 0);
const bundle = () => step('bundle', run(bin('rollup'), ['-c', '--silent']).status === 0);
// lib/: the npm build (ES modules and .d.ts) that package.json `exports` names; the SSR tests import it.
const buildLib = () => step('build lib/ (tsc, declarations)', run(bin('tsc'), ['-p', 'tsconfig.lib.json']).status === 0);
/** Whether a source is newer than `file` (a build output). */
const staleAgainst = (file, ...configs) => mtime(file) < Math.max(newest('src'), ...configs.map(mtime));
const lint = () => {
  const eslintOk = step('eslint', run(bin('eslint'), ['--max-warnings=0', '.']).status === 0);
  const prettierOk = step('prettier --check (run `npx prettier --write .`)', run(bin('prettier'), ['--check', '--log-level=warn', '.']).status === 0);
  return eslintOk && prettierOk;
};

async function nodeTests(files) {
  // test/server/x.test.ts runs as dist/node/test/server/x.test.js.
  // Every *.test.js of the Node test folders; not test/helpers/, which node:test would load as tests.
  const all = ['server', 'node', 'core'].flatMap((d) =>
    readdirSync(join(root, 'dist/node/test', d))
      .filter((n) => n.endsWith('.test.js'))
      .map((n) => join('dist/node/test', d, n)),
  );
  const paths = files.length ? files.map((f) => join('dist/node', f.replace(/\.ts$/, '.js'))) : all;
  // Two files at a time, each in a process of its own: their servers take free ports, their files
  // go to temporary folders, and what reads load (admission's gauge) reads its own process. Most
  // of a file's time is waiting on sockets and timers (one at a time: 110 s, 65 s of it CPU).
  const r = await runCaptured(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=60000', ...paths]);
  const count = (label) => Number((r.stdout ?? '').match(new RegExp(`^ℹ ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
  totals.passed += count('pass');
  totals.failed += count('fail') + count('cancelled');
  // node:test's spec reporter repeats each failing test under `✖ failing tests:`.
  const failing = (r.stdout ?? '').split('\n✖ failing tests:')[1];
  if (failing) for (const m of failing.matchAll(/^\S*\s*✖ (.+?)(?: \([\d.]+ms\))?$/gm)) failures.push(`node: ${m[1]}`);
  totals.skipped += count('skipped') + count('todo');
  if (r.status !== 0 && count('fail') + count('cancelled') === 0) step('node tests', false);
}

/**
 * `cmd` in its own process, its standard output kept and printed in one piece when it ends (so
 * that two of these at once do not interleave their lines); resolves like spawnSync: {status, stdout}.
 */
const runCaptured = (cmd, args, env) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('error', () => resolve({ status: 1, stdout }));
    child.on('close', (code) => {
      process.stdout.write(stdout);
      resolve({ status: code ?? 1, stdout });
    });
  });

/**
 * A test script in a process of its own (scripts/consumer-test.mjs, scripts/wordpress-test.mjs);
 * adds the counts of its closing `<label>: N passed, N failed, N skipped` line.
 */
async function scriptTest(label, script, chrome, args = []) {
  const r = await runCaptured(process.execPath, [join(root, 'scripts', script), ...args], { CHROME_PATH: chrome });
  const m = (r.stdout ?? '').match(new RegExp(`^${label}: (\\d+) passed, (\\d+) failed, (\\d+) skipped$`, 'm'));
  if (!m) return step(`${label} test`, false);
  totals.passed += Number(m[1]);
  totals.failed += Number(m[2]);
  totals.skipped += Number(m[3]);
  // The scripts mark a failed check with a leading ✗ (or node:test's ✖).
  for (const f of (r.stdout ?? '').matchAll(/^\s*[✗✖] (.+)$/gm)) failures.push(`${label}: ${f[1].slice(0, 200)}`);
  if (r.status !== 0 && Number(m[2]) === 0) step(`${label} test`, false);
}
const consumerTest = (chrome, args) => scriptTest('consumer', 'consumer-test.mjs', chrome, args);
// The plugin zip (scripts/wordpress-zip.mjs, from the bundle just built), then the plugin in a real
// WordPress (scripts/wordpress-test.mjs: Debian's packages, installed when missing, like chromium).
const wordpressTest = async (chrome) =>
  step('WordPress plugin zip', (await runCaptured(process.execPath, [join(root, 'scripts', 'wordpress-zip.mjs')])).status === 0) &&
  scriptTest('wordpress', 'wordpress-test.mjs', chrome);
// The fault lab (scripts/fault-lab.mjs): the server (dist/node/) and Chromium in a private network
// namespace, with nftables cutting, dropping and capping the media path, and the server restarted.
// In two halves at once, each in a namespace of its own with its own server and Chromium (the lab
// mostly waits: one half keeps a quarter of the cores busy): the pair's cuts, narrow uplink,
// restarts and 5 % loss, then a simulcast room's narrow downlink; the pair's 20 % loss, a
// simulcast player's narrow downlink and the room (2.5-3.5 min each).
const FAULT_LAB_HALVES = ['--only=cut,uplink,restart,loss5,roomdownlink', '--only=loss20,downlink,room'];
async function faultLab(chrome) {
  // nftables once, before the halves (two apt-gets at once would fight over dpkg's lock).
  if (!onPath('nft') && canAptInstall()) aptInstall(['nftables'], 'nft');
  await Promise.all(FAULT_LAB_HALVES.map((half) => scriptTest('faults', 'fault-lab.mjs', chrome, [half])));
}

function browserTests(chrome, files) {
  const dir = mkdtempSync(join(tmpdir(), 'rtc-wtr-'));
  const summaryFile = join(dir, 'summary.json');
  const env = { CHROME_PATH: chrome, WTR_SUMMARY_FILE: summaryFile, ...(files.length ? { RTC_TEST_FILES: files.join(',') } : {}) };
  const r = run(bin('wtr'), ['--config', 'web-test-runner.config.mjs'], { env });
  let summary;
  try {
    summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  } catch {
    summary = { passed: 0, failed: 1, skipped: 0 };
  }
  rmSync(dir, { recursive: true, force: true });
  totals.passed += summary.passed;
  totals.failed += summary.failed;
  totals.skipped += summary.skipped;
  for (const f of summary.failures ?? []) failures.push(`browser: ${f}`);
  if (r.status !== 0 && summary.failed === 0) step('browser tests', false);
}

/** Where the suite's time goes: each phase's wall time, printed at the end (the suite's budget is 10 min on 2 cores). */
const times = [];
/** The machine's busy and total CPU time so far, over all its cores (ms). */
const machineCpu = () =>
  cpus().reduce(
    (sum, { times: t }) => {
      const total = t.user + t.nice + t.sys + t.idle + t.irq;
      return { busy: sum.busy + total - t.idle, total: sum.total + total };
    },
    { busy: 0, total: 0 },
  );
const timed = (label, fn) => {
  const t0 = performance.now();
  const c0 = machineCpu();
  const done = () => {
    const c1 = machineCpu();
    // How busy the machine's cores were meanwhile: what doing two phases at once could win.
    const busy = c1.total > c0.total ? `, cores ${Math.round((100 * (c1.busy - c0.busy)) / (c1.total - c0.total))} % busy` : '';
    times.push(`${label} ${((performance.now() - t0) / 1000).toFixed(0)} s${busy}`);
  };
  const result = fn();
  if (result instanceof Promise) return result.finally(done);
  done();
  return result;
};

if (mode === 'all') {
  const chrome = findChromium();
  const t0 = performance.now();
  // 1. Type check everything (browser code and Node code), build what the tests load, lint: in
  // two lanes at once (about a minute each; their outputs are disjoint: lib/, dist/ and dist/node/,
  // which ESLint and Prettier ignore). The same steps as the single ones below.
  const lane = async (jobs) => {
    const ok = [];
    for (const [name, cmd, args] of jobs) ok.push(step(name, (await runAsync(cmd, args)) === 0));
    return ok;
  };
  const [[typesOk], [nodeBuildOk, bundleOk]] = await timed('type checks, builds, lint', () =>
    Promise.all([
      lane([
        ['type check (browser)', bin('tsc'), ['-p', 'tsconfig.json']],
        ['type tests (test/typings)', bin('tsc'), ['-p', 'test/typings/tsconfig.json']],
        ['eslint', bin('eslint'), ['--max-warnings=0', '.']],
        ['build lib/ (tsc, declarations)', bin('tsc'), ['-p', 'tsconfig.lib.json']],
      ]),
      lane([
        ['type check and build (Node)', bin('tsc'), ['-p', 'tsconfig.node.json']],
        ['bundle', bin('rollup'), ['-c', '--silent']],
        ['prettier --check (run `npx prettier --write .`)', bin('prettier'), ['--check', '--log-level=warn', '.']],
      ]),
    ]),
  );
  // 2. Node tests (node:test) over real sockets, and at once the fault lab: real network faults
  // between publishers, players and the server. Both mostly wait (the Node tests on sockets and
  // timers, the lab on its faults: each kept about a third of the cores busy alone), each in
  // processes of its own with its own servers on free ports; each one's output printed as it ends.
  await Promise.all([
    nodeBuildOk ? timed('node tests', () => nodeTests([])) : totals.failed++,
    nodeBuildOk && bundleOk ? timed('fault lab (at once)', () => faultLab(chrome)) : totals.failed++,
  ]);
  // 3. Browser tests in headless Chromium against the embedded server.
  if (typesOk && bundleOk) timed('browser tests', () => browserTests(chrome, []));
  else totals.failed++;
  // 4. and 5. at once (neither times anything; each takes free ports and a folder of its own, and
  // the consumer test mostly waits on npm and builds while WordPress mostly waits on PHP): the
  // consumer test, the packed tarball in the example apps (scripts/consumer-test.mjs), and the
  // WordPress plugin in Debian's WordPress. Each one's output is printed in one piece as it ends.
  if (nodeBuildOk && bundleOk)
    await Promise.all([timed('consumer', () => consumerTest(chrome, ['--built'])), timed('wordpress (at once)', () => wordpressTest(chrome))]);
  else totals.failed += 2;
  times.push(`total ${((performance.now() - t0) / 60_000).toFixed(1)} min`);
} else if (mode === 'faults') {
  const chrome = findChromium();
  if ((!staleAgainst('dist/rtc-elements.js', 'rollup.config.mjs') || bundle()) && buildNode()) await faultLab(chrome);
} else if (mode === 'wordpress') {
  const chrome = findChromium();
  if ((!staleAgainst('dist/rtc-elements.js', 'rollup.config.mjs') || bundle()) && buildNode()) await wordpressTest(chrome);
} else if (mode === 'consumer') {
  await consumerTest(findChromium(), rest);
} else if (mode === 'node') {
  // The Node tests read the bundles and lib/ (sizes, SSR imports): rebuilt when a source is newer.
  const built = (!staleAgainst('dist/rtc-elements.js', 'rollup.config.mjs') || bundle()) && (!staleAgainst('lib/define.js', 'tsconfig.lib.json') || buildLib());
  if (built && buildNode()) await nodeTests(named);
} else if (mode === 'browser') {
  const chrome = findChromium();
  // Some tests load the bundle: rebuild it when a source is newer than it.
  if (!staleAgainst('dist/rtc-elements.js', 'rollup.config.mjs') || bundle()) browserTests(chrome, named);
} else if (mode === 'typings') {
  typeCheckTypings();
} else {
  lint();
}

if (failures.length) console.log(`\nfailed:\n${[...new Set(failures)].map((f) => `  ${f}`).join('\n')}`);
if (times.length) console.log(`\ntime: ${times.join(', ')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
