/**
 * The fault switch over HTTP, `/__faults` (test-only, when `faultInjection` is on): `GET` lists
 * the AMS command rules, `POST` adds one rule or a list (WHIP/WHEP HTTP rules, media cuts and the
 * overload switch too), `DELETE` clears them all. Off, the path is a 404.
 */
import { FaultRuleError, type FaultTable } from '../faults.js';
import { HttpError, readJsonBody, sendJson } from './json.js';
import type { Route } from './router.js';

/** The `/__faults` route; `enabled` is the config's `faultInjection`. */
export function faultRoutes(enabled: boolean, faults: FaultTable): Route[] {
  return [
    {
      path: '/__faults',
      before: () => {
        if (!enabled) throw new HttpError(404, 'fault injection is off');
      },
      methods: {
        GET: (_req, res) => sendJson(res, 200, faults.list()),
        POST: async (req, res) => {
          const body = await readJsonBody(req);
          try {
            // A rule with a `method` is a WHIP/WHEP HTTP fault (`HttpFaultRule`), one with `media` a
            // media-path cut (`MediaCutRule`), one with `overload` the overload switch
            // (`OverloadRule`), any other an AMS command's.
            const has = (r: unknown, key: string) => typeof r === 'object' && r !== null && key in r;
            const add = (r: unknown) =>
              has(r, 'method') ? faults.addHttp(r) : has(r, 'media') ? faults.cutMedia(r) : has(r, 'overload') ? faults.setOverload(r) : faults.add(r);
            const rules = Array.isArray(body) ? body.map(add) : [add(body)];
            sendJson(res, 200, { success: true, rules });
          } catch (e) {
            if (e instanceof FaultRuleError) throw new HttpError(400, e.message);
            throw e;
          }
        },
        DELETE: (_req, res) => {
          faults.clear();
          sendJson(res, 200, { success: true });
        },
      },
    },
  ];
}
