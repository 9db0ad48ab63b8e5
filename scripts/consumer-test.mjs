#!/usr/bin/env node
// The consumer test: the package as a user gets it. `npm test` runs it last; alone:
//   node scripts/consumer-test.mjs [--built] [app …]       apps: html react vue svelte angular (default all)
//   (`--built`: the client and the Node tests are built already, as `npm test` does before this step)
// 1. packs the package (`npm pack`, whose `prepack` builds it) into a temporary folder;
// 2. for each app of examples/: installs its own dependencies from its lockfile (`npm ci`, only when
//    node_modules does not match the lockfile: a marker file holds the lockfile's hash, so later runs
//    reuse them), installs the tarball over them (`npm install --no-save`, as a user adds it), then
//    type-checks (the `@ts-expect-error` lines must stay errors) and builds into the temporary folder;
//    two apps at a time;
// 3. runs test/consumer/ with node:test: each build served from another origin than the embedded
//    server and driven in headless Chromium (publisher live, player decoding, the app's own
//    `rtc-play-started` handler ran), the React app rendered with `renderToString` in Node, and
//    that HTML served in the page of React's development build, which hydrates it (no mismatch
//    reported, the elements upgraded, the same checks).
// RTC_CONSUMER_TARBALL=path/to/rtc-elements-x.tgz tests that tarball instead of building and packing one.
// Prints the time of every step and the install size of the front-end package, and ends with
// `consumer: N passed, N failed, N skipped`. Besides what `npm pack`'s prepack rebuilds (dist/, lib/),
// it writes only to a fresh temporary folder and examples/*/node_modules, and takes free ports.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const examples = join(root, 'examples');
const LOCK_MARKER = '.rtc-consumer-lock';

/** Each app: how it type-checks and builds into `out`, and which folder of `out` is served. */
const APPS = {
  // Plain HTML: nothing to build (the page loads the bundle from the server); TypeScript checks app.js and type-checks.ts.
  html: {
    typecheck: ['npm', 'run', 'typecheck'],
    build: (out) => {
      mkdirSync(out, { recursive: true });
      for (const f of ['index.html', 'app.js']) cpSync(join(examples, 'html', f), join(out, f));
      return null;
    },
  },
  react: {
    typecheck: ['npm', 'run', 'typecheck'],
    build: (out) => [bin('react', 'vite'), 'build', '--logLevel', 'warn', '--emptyOutDir', '--outDir', out],
    extras: (out) => {
      rmSync(ssrDir(), { recursive: true, force: true });
      return [
        // The same App rendered in Node: test/consumer/ssr.test.ts imports it, and examples.test.ts
        // puts its HTML into the page that the development build below hydrates.
        { name: 'SSR build', cmd: [bin('react', 'vite'), 'build', '--logLevel', 'warn', '--ssr', 'src/ssr.tsx', '--outDir', ssrDir()] },
        // React's development build: it reports every hydration mismatch (attributes too) in the console.
        {
          name: 'development build (hydrated page)',
          cmd: [bin('react', 'vite'), 'build', '--logLevel', 'warn', '--emptyOutDir', '--outDir', hydrateDir(out)],
          env: { NODE_ENV: 'development' },
        },
      ];
    },
  },
  vue: { typecheck: ['npm', 'run', 'typecheck'], build: (out) => [bin('vue', 'vite'), 'build', '--logLevel', 'warn', '--emptyOutDir', '--outDir', out] },
  svelte: { typecheck: ['npm', 'run', 'typecheck'], build: (out) => [bin('svelte', 'vite'), 'build', '--logLevel', 'warn', '--emptyOutDir', '--outDir', out] },
  // `ng build` type-checks the component code (the app's type-checks.ts included) while it builds.
  angular: { typecheck: null, build: (out) => [bin('angular', 'ng'), 'build', '--output-path', out], served: 'browser' },
};

const bin = (app, name) => join(examples, app, 'node_modules', '.bin', name);
const ssrDir = () => join(examples, 'react', 'node_modules', '.cache', 'rtc-consumer', 'ssr');
/** The React app's development build, beside its production build `out`. */
const hydrateDir = (out) => `${out}-hydrate`;

const args = process.argv.slice(2);
const built = args.includes('--built');
const chosen = args.filter((a) => !a.startsWith('--'));
for (const a of chosen) {
  if (!(a in APPS)) {
    console.error(`consumer-test: unknown app "${a}"; apps: ${Object.keys(APPS).join(' ')}`);
    process.exit(2);
  }
}
const apps = chosen.length ? chosen : Object.keys(APPS);

const totals = { passed: 0, failed: 0, skipped: 0 };
const timings = [];

/** Runs a command; its output is kept and printed only when it fails. Resolves `{ok, output, ms}`. */
function run(cmd, cmdArgs, cwd, env = {}) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (e) => resolve({ ok: false, output: `${output}\n${e.message}`, ms: performance.now() - started }));
    child.on('close', (code) => resolve({ ok: code === 0, output, ms: performance.now() - started }));
  });
}

/** One counted step: prints a line with its time; on failure the command's output too. */
async function step(name, cmd, cmdArgs, cwd, env) {
  const r = await run(cmd, cmdArgs, cwd, env);
  timings.push([name, r.ms]);
  if (r.ok) {
    totals.passed++;
    console.log(`✓ ${name} (${(r.ms / 1000).toFixed(1)} s)`);
  } else {
    totals.failed++;
    console.error(`✗ ${name} failed (${(r.ms / 1000).toFixed(1)} s):\n${r.output.trim().split('\n').slice(-60).join('\n')}`);
  }
  return r;
}

const lockHash = (dir) =>
  createHash('sha256')
    .update(readFileSync(join(dir, 'package-lock.json')))
    .update(process.version)
    .digest('hex');

/** `npm ci` unless node_modules was installed from this very lockfile (and Node) before. */
async function ensureDeps(app) {
  const dir = join(examples, app);
  const marker = join(dir, 'node_modules', LOCK_MARKER);
  const hash = lockHash(dir);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === hash) {
    console.log(`✓ ${app}: dependencies match package-lock.json (npm ci skipped)`);
    return true;
  }
  const r = await step(`${app}: npm ci`, 'npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], dir);
  if (r.ok) writeFileSync(marker, hash);
  return r.ok;
}

/**
 * Install, type-check and build one app (the build runs even when the type check failed: both are
 * counted, and a build that works is still checked in the browser). Resolves `{installed, served}`:
 * whether the tarball is in its node_modules, and the folder to serve (null when the build failed).
 */
async function pipeline(app, tarball, out) {
  const dir = join(examples, app);
  const spec = APPS[app];
  const none = { installed: false, served: null };
  if (!(await ensureDeps(app))) return none;
  const install = await step(
    `${app}: npm install --no-save the tarball`,
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--prefer-offline', tarball],
    dir,
  );
  if (!install.ok) return none;
  if (spec.typecheck) await step(`${app}: type check`, spec.typecheck[0], spec.typecheck.slice(1), dir);
  const appOut = join(out, app);
  const build = spec.build(appOut);
  let built = true;
  if (build) built = (await step(`${app}: ${spec.typecheck ? 'build' : 'type check and build'}`, build[0], build.slice(1), dir)).ok;
  else totals.passed++;
  let extrasBuilt = true;
  for (const extra of spec.extras?.(appOut) ?? [])
    extrasBuilt = (await step(`${app}: ${extra.name}`, extra.cmd[0], extra.cmd.slice(1), dir, extra.env)).ok && extrasBuilt;
  return { installed: true, served: built ? (spec.served ? join(appOut, spec.served) : appOut) : null, extrasBuilt };
}

/** The packages `rtc-elements` brought (its dependency closure in the app's node_modules) and their size on disk. */
function installSize(app) {
  const dir = join(examples, app);
  const lock = JSON.parse(readFileSync(join(dir, 'node_modules', '.package-lock.json'), 'utf8')).packages;
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path) || !lock[path]) return;
    seen.add(path);
    for (const dep of Object.keys({ ...lock[path].dependencies, ...lock[path].optionalDependencies })) {
      // Node's lookup: the nearest node_modules/<dep> above `path`.
      let base = path;
      for (;;) {
        const candidate = `${base}/node_modules/${dep}`;
        if (lock[candidate]) {
          visit(candidate);
          break;
        }
        const i = base.lastIndexOf('/node_modules/');
        if (i < 0) {
          if (lock[`node_modules/${dep}`]) visit(`node_modules/${dep}`);
          break;
        }
        base = base.slice(0, i);
      }
    }
  };
  visit('node_modules/rtc-elements');
  const bytes = (p) => {
    const st = statSync(p);
    if (!st.isDirectory()) return st.blocks * 512;
    return readdirSync(p).reduce((sum, name) => sum + bytes(join(p, name)), 0);
  };
  // A nested package's size is already inside its parent's folder.
  const top = [...seen].filter((p) => ![...seen].some((q) => q !== p && p.startsWith(`${q}/`)));
  const total = top.reduce((sum, p) => sum + bytes(join(dir, p)), 0);
  const names = [...seen].map((p) => p.slice(p.lastIndexOf('node_modules/') + 'node_modules/'.length)).filter((n) => n !== 'rtc-elements');
  return { count: names.length, names, mb: total / 2 ** 20, ownMb: bytes(join(dir, 'node_modules/rtc-elements')) / 2 ** 20 };
}

function findChromium() {
  const p = process.env.CHROME_PATH || '/usr/bin/chromium';
  try {
    accessSync(p, constants.X_OK);
    return p;
  } catch {
    return null;
  }
}

const started = performance.now();
const work = mkdtempSync(join(tmpdir(), 'rtc-consumer-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const chrome = findChromium();
if (!chrome) {
  console.error('consumer-test: no Chromium at CHROME_PATH or /usr/bin/chromium (npm test installs it; or set CHROME_PATH).');
  process.exit(1);
}

// 1. The package packed as npm publishes it (its `prepack` builds the client); the Node side of
//    test/consumer/ compiled unless the caller just did.
const given = process.env.RTC_CONSUMER_TARBALL;
const compiled = built || (await step('tests: tsc (Node)', join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.node.json'], root)).ok;
let tarball = given;
if (compiled && !given) {
  const packDir = join(work, 'pack');
  mkdirSync(packDir);
  // `--built`: the caller has just built the client, so the pack skips `prepack`'s second build.
  const pack = await step('package: npm pack', 'npm', ['pack', ...(built ? ['--ignore-scripts'] : []), '--pack-destination', packDir], root);
  const found = readdirSync(packDir).filter((f) => f.endsWith('.tgz'));
  if (pack.ok && found.length === 1) tarball = join(packDir, found[0]);
  else if (pack.ok) {
    totals.failed++;
    console.error(`✗ npm pack left ${found.length} tarballs in ${packDir}, expected one`);
  }
}

// 2. Each app installed from its lockfile plus the tarball, type-checked and built; two at a time.
const served = {};
const installed = new Set();
/** The React app's development build, for the server-rendered page it hydrates (when it and the SSR build were built). */
let hydrated = '';
if (tarball) {
  // The slowest (Angular) first, so the other worker goes through the rest meanwhile.
  const queue = [...apps].sort((a, b) => (b === 'angular') - (a === 'angular'));
  const worker = async () => {
    for (let app = queue.shift(); app; app = queue.shift()) {
      const r = await pipeline(app, tarball, join(work, 'builds'));
      if (r.installed) installed.add(app);
      if (r.served) served[app] = r.served;
      if (app === 'react' && r.served && r.extrasBuilt) hydrated = hydrateDir(r.served);
    }
  };
  await Promise.all([worker(), worker()]);
  const probe = ['html', ...apps].find((a) => installed.has(a));
  if (probe) {
    const size = installSize(probe);
    console.log(
      `front-end install (examples/${probe}): node_modules/rtc-elements ${size.ownMb.toFixed(1)} MB; with the ${size.count} packages it brought ` +
        `${size.mb.toFixed(1)} MB: ${size.names.slice(0, 12).join(', ') || 'none'}${size.count > 12 ? ', …' : ''}`,
    );
  }
}

// 3. The built apps in Chromium, and React's renderToString in Node.
const testFiles = [];
if (Object.keys(served).length) testFiles.push(join(root, 'dist/node/test/consumer/examples.test.js'));
if (installed.has('react')) testFiles.push(join(root, 'dist/node/test/consumer/ssr.test.js'));
if (testFiles.length) {
  const env = {
    CHROME_PATH: chrome,
    RTC_CONSUMER_BUILDS: JSON.stringify(served),
    RTC_CONSUMER_SSR: join(ssrDir(), 'ssr.js'),
    RTC_CONSUMER_HYDRATE: hydrated,
    RTC_CONSUMER_REACT_DIR: join(examples, 'react'),
  };
  const r = await run(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', '--test-timeout=120000', ...testFiles], root, env);
  process.stdout.write(r.output);
  timings.push(['browser and Node checks', r.ms]);
  const count = (label) => Number(r.output.match(new RegExp(`^ℹ ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
  totals.passed += count('pass');
  totals.failed += count('fail') + count('cancelled');
  totals.skipped += count('skipped') + count('todo');
  if (!r.ok && count('fail') + count('cancelled') === 0) totals.failed++;
}

console.log(`\nconsumer test: ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
for (const [name, ms] of timings) console.log(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${name}`);
console.log(`\nconsumer: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
