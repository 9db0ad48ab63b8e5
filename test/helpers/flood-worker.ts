/**
 * The flood of `test/server/flood.test.ts`, run in a worker thread so that the flooding client's
 * own work does not hold up the server and the live stream's peers (they share the test's event
 * loop): `count` sockets to `url` at once, each held open when let in; then, on `spam`, those let
 * in send pings as fast as they can until the server closes them. Posts `{admitted, refused,
 * failed}`, then the close codes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

const { url, count } = workerData as { url: string; count: number };

/** One socket: open (and held), or refused at the upgrade with its status; `failed` for anything else. */
function open(): Promise<WebSocket | number | 'failed'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
      resolve(res.statusCode ?? 'failed');
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', () => resolve('failed'));
  });
}

/** Pings as fast as it can; resolves with the close code the server ends it with. */
function spam(ws: WebSocket): Promise<number> {
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  for (let i = 0; i < 300; i++) ws.send('{"command":"ping"}');
  return closed;
}

const outcomes = await Promise.all(Array.from({ length: count }, open));
const admitted = outcomes.filter((o): o is WebSocket => o instanceof WebSocket);
parentPort!.postMessage({
  admitted: admitted.length,
  refused: outcomes.filter((o) => o === 429).length,
  failed: outcomes.filter((o) => o === 'failed' || (typeof o === 'number' && o !== 429)).length,
});
parentPort!.once('message', () => {
  void Promise.all(admitted.map(spam)).then((codes) => parentPort!.postMessage({ codes }));
});
