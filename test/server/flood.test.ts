// A flood of 2,000 WebSockets from one address against a server with its limits set, while a
// werift publisher sends VP8 and Opus over the AMS WebSocket and a werift player plays it: the
// flood is refused at the upgrade (maxSocketsPerAddress) or, once in, floods with commands and
// is closed for its rate (maxCommandsPerSecond), and the live stream's packets keep coming
// through it all.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RTCPeerConnection } from 'werift';
import WebSocket from 'ws';
import type { RunningServer } from '../../packages/server/src/index.js';
import { AmsClient, startServer, wsUrl } from '../helpers/server.js';
import { until, wsPlayMedia, wsPublishMedia } from '../helpers/whip.js';

const FLOOD = 2000;
const PER_ADDRESS = 100;

/** One flood socket: open (and held), or refused at the upgrade with its status; `failed` for anything else. */
function floodSocket(url: string): Promise<WebSocket | number | 'failed'> {
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

/** Sends pings as fast as it can; resolves with the close code the server ends it with. */
function spam(ws: WebSocket): Promise<number> {
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  for (let i = 0; i < 300; i++) ws.send('{"command":"ping"}');
  return closed;
}

describe('a 2,000-socket flood', () => {
  let server: RunningServer;
  const pcs: RTCPeerConnection[] = [];
  const clients: AmsClient[] = [];
  let media: { stop(): void } | undefined;

  before(async () => {
    server = await startServer({ maxSocketsPerAddress: PER_ADDRESS });
  });
  after(async () => {
    media?.stop();
    for (const pc of pcs) await pc.close();
    for (const c of clients) c.close();
    await server.close();
  });

  it('is refused or closed while a live stream keeps playing', async () => {
    const streamId = 'live';
    const pub = await AmsClient.connect(wsUrl(server));
    clients.push(pub);
    const published = await wsPublishMedia(pub, streamId);
    pcs.push(published.pc);
    media = published.media;
    const viewer = await AmsClient.connect(wsUrl(server));
    clients.push(viewer);
    const { pc: playPc, received } = await wsPlayMedia(viewer, streamId);
    pcs.push(playPc);
    await received.atLeast('video', 20);

    const before = received.video;
    const outcomes = await Promise.all(Array.from({ length: FLOOD }, () => floodSocket(wsUrl(server))));
    const admitted = outcomes.filter((o): o is WebSocket => o instanceof WebSocket);
    assert.equal(admitted.length, PER_ADDRESS - 2, 'let in up to the cap, the two live sockets counted');
    assert.equal(outcomes.filter((o) => o === 429).length, FLOOD - admitted.length, 'the rest refused at the upgrade with 429');
    // Those let in flood with commands: each is closed for its rate (1008).
    const codes = await Promise.all(admitted.map(spam));
    assert.deepEqual(new Set(codes), new Set([1008]));
    const during = received.video - before;
    assert.ok(during > 0, 'video packets arrived while the flood came in');

    // The stream plays on, its sockets answer, and the address may connect again.
    await Promise.all([received.atLeast('video', 50), received.atLeast('audio', 50)]);
    await viewer.request({ command: 'ping' }, { command: 'pong' });
    await pub.request({ command: 'ping' }, { command: 'pong' });
    await until(async () => {
      try {
        const c = await AmsClient.connect(wsUrl(server));
        clients.push(c);
        return true;
      } catch {
        return false;
      }
    }, 'a new socket admitted after the flood');
  });
});
