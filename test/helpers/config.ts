// Node tests of the server's config: one table of configs `resolveConfig` must refuse.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ConfigError, resolveConfig } from '../../packages/server/src/config.js';

/** One test per `[config, reason]`: `resolveConfig` throws a `ConfigError` whose message matches `reason` (it names the bad key). */
export function itRefusesConfigs(cases: ReadonlyArray<readonly [unknown, RegExp]>): void {
  for (const [bad, reason] of cases) {
    it(`refuses ${JSON.stringify(bad)} naming the bad key`, () => {
      assert.throws(
        () => resolveConfig(bad),
        (e: unknown) => e instanceof ConfigError && reason.test(e.message),
      );
    });
  }
}
