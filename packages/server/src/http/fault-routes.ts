/**
 * The fault switch over HTTP, `/__faults` (test-only, when `faultInjection` is on): `GET` lists
 * the AMS command rules, `POST` adds one rule or a list (WHIP/WHEP HTTP rules too), `DELETE` clears them. Off, the path is a 404.
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
            // media-path cut (`MediaCutRule`), any other an AMS command's.
            const add = (r: unknown) =>
              typeof r === 'object' && r !== null && 'method' in r
                ? faults.addHttp(r)
                : typeof r === 'object' && r !== null && 'media' in r
                  ? faults.cutMedia(r)
                  : faults.add(r);
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
