// Installing Debian packages the tests need (chromium; WordPress, PHP and MariaDB), the one way:
// with apt-get as root when it is there. Used by scripts/test.mjs and scripts/wordpress-test.mjs.
import { spawnSync } from 'node:child_process';

/** Whether `name` is a command on PATH. */
export const onPath = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim() !== '';

/** Whether this process may install packages itself: root, with apt-get. */
export const canAptInstall = () => typeof process.getuid === 'function' && process.getuid() === 0 && onPath('apt-get');

/**
 * `apt-get update` then `apt-get install -y <packages>` (noninteractive, output to the terminal);
 * `what` names them in the line printed first. True when both succeeded.
 */
export function aptInstall(packages, what, { noRecommends = false } = {}) {
  console.log(`${what} not found: installing Debian's ${packages.join(' ')} with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
  return run(['update', '-qq']) && run(['install', '-y', '-qq', ...(noRecommends ? ['--no-install-recommends'] : []), ...packages]);
}
