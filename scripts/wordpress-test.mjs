#!/usr/bin/env node
// The WordPress test: the plugin in a real WordPress, as a site owner has it. `npm test` runs it
// after the browser tests; alone: `npm run test:wordpress` (builds the zip first).
// 1. Debian's wordpress, php-cli, php-mysql, mariadb-server and the twentytwentythree theme: when
//    missing, installed with apt-get as root (like chromium); otherwise one line says what to do
//    and the run counts one failure.
// 2. MariaDB on a socket only (no network), its data in node_modules/.cache/rtc-wordpress/ (made
//    once; later runs reuse it), Debian's per-site config /etc/wordpress/config-<name>.php (the
//    name from this checkout's path), a wp-content of the run's own with the plugin unzipped from
//    dist/rtc-elements-wordpress.zip, test/wordpress/setup.php (wp_install on the first run, the
//    users, the theme, the plugin activated, the posts of test/wordpress/posts.json), then
//    `php -S 127.0.0.1:PORT` with test/wordpress/router.php.
// 3. node:test runs dist/node/test/wordpress/*.test.js (headless Chromium against that WordPress
//    and the embedded server); RTC_WP (JSON) tells it the site, the posts and the password.
// Everything it started is stopped at the end. Ends with `wordpress: N passed, N failed, N skipped`.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptInstall, canAptInstall } from './apt-install.mjs';
import { ZIP_FILE, extract, unzip } from './wordpress-zip.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const WP = '/usr/share/wordpress';
const THEME = join(WP, 'wp-content/themes/twentytwentythree');
const PACKAGES = ['wordpress', 'php-cli', 'php-mysql', 'mariadb-server', 'wordpress-theme-twentytwentythree'];
const cache = join(root, 'node_modules/.cache/rtc-wordpress');
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

function finish(passed, failed, skipped, message) {
  if (message) console.error(`wordpress: ${message}`);
  console.log(`wordpress: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(failed === 0 ? 0 : 1);
}

const have = () =>
  existsSync(join(WP, 'wp-load.php')) &&
  existsSync(THEME) &&
  ['php', 'mariadbd', 'mariadb-install-db', 'mariadb'].every((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0) &&
  spawnSync('php', ['-r', 'exit(function_exists("mysqli_connect") ? 0 : 1);']).status === 0;

if (!have()) {
  if (!canAptInstall())
    finish(0, 1, 0, `WordPress, PHP or MariaDB missing: install Debian's ${PACKAGES.join(' ')} (sudo apt-get install --no-install-recommends …).`);
  if (!aptInstall(PACKAGES, 'WordPress, PHP or MariaDB', { noRecommends: true }) || !have())
    finish(0, 1, 0, `installing ${PACKAGES.join(' ')} with apt-get failed: install them yourself.`);
}
if (!existsSync(ZIP_FILE)) finish(0, 1, 0, 'dist/rtc-elements-wordpress.zip is missing: run `npm run build` (or node scripts/wordpress-zip.mjs).');

const isRoot = process.getuid?.() === 0;
const children = [];
/**
 * A long-running process of ours, in a process group of its own (php -S forks its workers), which
 * is stopped at the end; its output goes to `log`.
 */
function start(cmd, args, options, log) {
  // A file, not a pipe: this process waits in spawnSync while the tests run, and would not drain one.
  const fd = openSync(log, 'w');
  const child = spawn(cmd, args, { ...options, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  children.push(child);
  return child;
}
async function stopAll() {
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const group = (signal) => {
            try {
              process.kill(-child.pid, signal);
            } catch {
              // already gone
            }
          };
          const timer = setTimeout(() => group('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(timer);
            group('SIGTERM'); // the workers of php -S
            resolve();
          });
          group('SIGTERM');
        }),
    ),
  );
}
const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
async function until(what, check, ms) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let result = { passed: 0, failed: 1, skipped: 0 };
let message = '';
try {
  // MariaDB: the data folder once, then the server on its socket only.
  const db = join(cache, 'db');
  const socket = join(cache, 'mysqld.sock');
  mkdirSync(cache, { recursive: true });
  if (!existsSync(join(db, 'mysql'))) {
    rmSync(db, { recursive: true, force: true });
    const r = spawnSync(
      'mariadb-install-db',
      [`--datadir=${db}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...(isRoot ? ['--user=root'] : [])],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`mariadb-install-db failed: ${r.stderr}`);
  }
  rmSync(socket, { force: true });
  const mariadb = start(
    'mariadbd',
    [
      '--no-defaults',
      `--datadir=${db}`,
      `--socket=${socket}`,
      `--pid-file=${join(cache, 'mysqld.pid')}`,
      '--skip-networking',
      '--skip-log-bin',
      ...(isRoot ? ['--user=root'] : []),
    ],
    {},
    join(cache, 'mariadb.log'),
  );
  await until(
    'MariaDB listening on its socket',
    () => {
      if (mariadb.exitCode !== null) throw new Error(`mariadbd exited (${mariadb.exitCode}): see ${join(cache, 'mariadb.log')}`);
      return existsSync(socket);
    },
    30_000,
  );
  const sql = spawnSync('mariadb', ['--no-defaults', '-uroot', `--socket=${socket}`, '-e', 'CREATE DATABASE IF NOT EXISTS rtc_wordpress'], {
    encoding: 'utf8',
  });
  if (sql.status !== 0) throw new Error(`creating the database failed: ${sql.stderr}`);

  // Debian's per-site config, a wp-content of our own with the plugin from the zip.
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const name = `rtc-test-${createHash('sha256').update(root).digest('hex').slice(0, 10)}`;
  const content = join(cache, 'wp-content');
  const password = `rtc-${createHash('sha256').update(`${root}password`).digest('hex').slice(0, 16)}`;
  mkdirSync(join(content, 'themes'), { recursive: true });
  mkdirSync(join(content, 'uploads'), { recursive: true });
  if (!existsSync(join(content, 'themes/twentytwentythree'))) symlinkSync(THEME, join(content, 'themes/twentytwentythree'));
  rmSync(join(content, 'plugins/rtc-elements'), { recursive: true, force: true });
  extract(unzip(readFileSync(ZIP_FILE)), join(content, 'plugins'));
  const config = `<?php
// Written by scripts/wordpress-test.mjs for the WordPress test of ${root}.
define( 'DB_NAME', 'rtc_wordpress' );
define( 'DB_USER', 'root' );
define( 'DB_PASSWORD', '' );
define( 'DB_HOST', 'localhost:${socket}' );
define( 'WP_CONTENT_DIR', '${content}' );
define( 'WP_HOME', 'http://${host}' );
define( 'WP_SITEURL', 'http://${host}' );
define( 'WP_DEBUG', false );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'FS_METHOD', 'direct' );
`;
  writeFileSync(`/etc/wordpress/config-${name}.php`, config);
  const env = { ...process.env, RTC_WP_CONFIG: name, RTC_WP_HOST: host, RTC_WP_CONTENT: content, RTC_WP_PASSWORD: password };
  const setup = spawnSync('php', [join(root, 'test/wordpress/setup.php')], {
    env,
    encoding: 'utf8',
    input: readFileSync(join(root, 'test/wordpress/posts.json'), 'utf8'),
  });
  const json = setup.stdout.slice(setup.stdout.indexOf('{"posts"'));
  if (setup.status !== 0 || !json.startsWith('{')) throw new Error(`test/wordpress/setup.php failed (${setup.status}): ${setup.stderr}${setup.stdout}`);
  const { posts } = JSON.parse(json);

  // WordPress on 127.0.0.1 (four PHP workers: the pages of several browser contexts at once).
  const php = start(
    'php',
    ['-S', host, '-t', WP, join(root, 'test/wordpress/router.php')],
    { env: { ...env, PHP_CLI_SERVER_WORKERS: '4' } },
    join(cache, 'php.log'),
  );
  await until(
    'WordPress answering',
    () =>
      php.exitCode === null &&
      fetch(`http://${host}/wp-login.php`).then(
        (r) => r.ok,
        () => false,
      ),
    20_000,
  );
  console.log(`wordpress: ready at http://${host}/ after ${elapsed()}`);
  if (process.env.RTC_WP_SERVE) {
    // RTC_WP_SERVE=1: no tests; the site stays up (admin, editor, subscriber) until Ctrl-C or SIGTERM.
    result = { passed: 0, failed: 0, skipped: 0 };
    console.log(`wordpress: serving until Ctrl-C; users admin, editor, subscriber, password ${password}`);
    await new Promise((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  } else {
    const tests = ['dist/node/test/wordpress/wordpress.test.js'];
    const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-force-exit', '--test-timeout=120000', ...tests], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      env: {
        ...process.env,
        RTC_WP: JSON.stringify({
          url: `http://${host}`,
          posts,
          password,
          pluginDir: join(content, 'plugins/rtc-elements'),
          phpEnv: { RTC_WP_CONFIG: name, RTC_WP_HOST: host },
        }),
      },
    });
    process.stdout.write(r.stdout ?? '');
    const count = (label) => Number((r.stdout ?? '').match(new RegExp(`^ℹ ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
    result = { passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') };
    if (r.status !== 0 && result.failed === 0) result.failed = 1;
  }
} catch (e) {
  message = e instanceof Error ? e.message : String(e);
  result = { ...result, failed: Math.max(1, result.failed) };
} finally {
  await stopAll();
}
console.log(`wordpress: took ${elapsed()}`);
finish(result.passed, result.failed, result.skipped, message);
