/**
 * Where the front-end package `rtc-elements` is, whose `dist/` and `demo/` the server serves:
 * found by walking up from a folder, so it works from the sources, from `dist/node/`, from the
 * bundle in `packages/server/dist/` and from a test's esbuild output alike.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The name in the front-end package's `package.json`. */
export const FRONT_END_PACKAGE = 'rtc-elements';

const nameOf = (packageJson: string): string | undefined => {
  try {
    const { name } = JSON.parse(readFileSync(packageJson, 'utf8')) as { name?: unknown };
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The first folder, from `start` up, that is the `rtc-elements` package (its `package.json`
 * names it) or has it installed (`node_modules/rtc-elements/`); undefined when there is none, and
 * then the server serves no static files.
 */
export function findStaticRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (nameOf(join(dir, 'package.json')) === FRONT_END_PACKAGE) return dir;
    const installed = join(dir, 'node_modules', FRONT_END_PACKAGE);
    if (nameOf(join(installed, 'package.json')) === FRONT_END_PACKAGE) return installed;
    if (dirname(dir) === dir) return undefined;
  }
}
