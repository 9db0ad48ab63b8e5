/**
 * The fault switch over HTTP, `/__faults` (test-only, when `faultInjection` is on): `GET` lists
 * the AMS command rules, `POST` adds one rule or a list (WHIP/WHEP HTTP rules, media cuts, lost
 * keyframe requests and the overload switch too), `DELETE` clears them all. With media workers,
 * `/__faults/workers`: `GET` lists them (players, ready, restarts, lagging), `POST {crash: index}`
 * ends one as a crash would (with `readyAfterMs`, up to 10000, its replacement says `ready` that
 * late), `POST {stall: index, ms, times}` blocks its event loop (admission control's worker
 * reading). Off, the paths are 404s.
 */
import { FaultRuleError, type FaultTable } from '../faults.js';
import { HttpError, readJsonBody, sendJson } from './json.js';
import type { Route } from './router.js';

/** The media workers, as the fault route sees them (`WorkerRelay`). */
export interface WorkerFaults {
  workers(): unknown[];
  crashWorker(index: number, readyAfterMs?: number): boolean;
  stallWorker(index: number, ms: number, times: number): boolean;
}

/** The `/__faults` routes; `enabled` is the config's `faultInjection`; `workers`, when the players are on media workers. */
export function faultRoutes(enabled: boolean, faults: FaultTable, workers?: WorkerFaults): Route[] {
  const off = () => {
    if (!enabled) throw new HttpError(404, 'fault injection is off');
  };
  return [
    {
      path: '/__faults/workers',
      before: () => {
        off();
        if (!workers) throw new HttpError(404, 'the players are on the main thread (mediaWorkers: 0)');
      },
      methods: {
        GET: (_req, res) => sendJson(res, 200, workers!.workers()),
        POST: async (req, res) => {
          const body = (await readJsonBody(req)) as { crash?: unknown; readyAfterMs?: unknown; stall?: unknown; ms?: unknown; times?: unknown } | null;
          const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
          if (body?.stall !== undefined) {
            // {stall: index, ms, times}: that worker's loop blocked `times` times (1-10) for `ms` (1-5000).
            const { stall, ms = 300, times = 2 } = body;
            if (!isIndex(stall)) throw new HttpError(400, 'stall must be a worker index');
            if (!isIndex(ms) || ms < 1 || ms > 5000 || !isIndex(times) || times < 1 || times > 10) throw new HttpError(400, 'ms must be 1-5000 and times 1-10');
            if (!workers!.stallWorker(stall, ms, times)) throw new HttpError(400, `there is no worker ${stall}`);
            return sendJson(res, 200, { success: true });
          }
          const index = body?.crash;
          if (!isIndex(index)) throw new HttpError(400, 'crash must be a worker index');
          const { readyAfterMs } = body!;
          if (readyAfterMs !== undefined && (!isIndex(readyAfterMs) || readyAfterMs < 0 || readyAfterMs > 10_000))
            throw new HttpError(400, 'readyAfterMs must be 0-10000');
          if (!workers!.crashWorker(index, readyAfterMs)) throw new HttpError(400, `there is no worker ${index}`);
          sendJson(res, 200, { success: true });
        },
      },
    },
    {
      path: '/__faults',
      before: off,
      methods: {
        GET: (_req, res) => sendJson(res, 200, faults.list()),
        POST: async (req, res) => {
          const body = await readJsonBody(req);
          try {
            // A rule with a `method` is a WHIP/WHEP HTTP fault (`HttpFaultRule`), one with `media` a
            // media-path cut (`MediaCutRule`), one with `overload` the overload switch
            // (`OverloadRule`), one with `keyframeRequests` lost keyframe requests
            // (`KeyframeRequestDropRule`), any other an AMS command's.
            const has = (r: unknown, key: string) => typeof r === 'object' && r !== null && key in r;
            const add = (r: unknown) =>
              has(r, 'method')
                ? faults.addHttp(r)
                : has(r, 'media')
                  ? faults.cutMedia(r)
                  : has(r, 'overload')
                    ? faults.setOverload(r)
                    : has(r, 'keyframeRequests')
                      ? faults.dropKeyframeRequests(r)
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
