// A flood of 2,000 WebSockets from one address against a server with its limits set, while a
// werift publisher sends VP8 and Opus over the AMS WebSocket and a werift player plays it: the
// flood is refused at the upgrade (maxSocketsPerAddress) or, once in, floods with commands and
// is closed for its rate (maxCommandsPerSecond), and the live stream's packets keep coming
// through it all.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RTCPeerConnection } from 'werift';
import { Worker } from 'node:worker_threads';
import type { RunningServer } from '../../packages/server/src/index.js';
import { AmsClient, startServer, wsUrl } from '../helpers/server.js';
import { until, wsPlayMedia, wsPublishMedia } from '../helpers/whip.js';

const FLOOD = 2000;
const PER_ADDRESS = 100;

interface Opened {
  admitted: number;
  refused: number;
  failed: number;
}

/** Runs the flood in a worker thread (test/helpers/flood-worker.ts): resolves when every socket was let in or refused; `spam()` then floods those let in with commands and resolves with their close codes. */
function flood(url: string, count: number) {
  const worker = new Worker(new URL('../helpers/flood-worker.js', import.meta.url), { workerData: { url, count } });
  const message = <T>() =>
    new Promise<T>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  return {
    opened: message<Opened>(),
    async spam(): Promise<number[]> {
      const done = message<{ codes: number[] }>();
      worker.postMessage('spam');
      const { codes } = await done;
      await worker.terminate();
      return codes;
    },
  };
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
    const attack = flood(wsUrl(server), FLOOD);
    const opened = await attack.opened;
    assert.deepEqual(
      opened,
      { admitted: PER_ADDRESS - 2, refused: FLOOD - PER_ADDRESS + 2, failed: 0 },
      'let in up to the cap (the two live sockets counted), the rest refused with 429',
    );
    // Those let in flood with commands: each is closed for its rate (1008).
    const codes = await attack.spam();
    assert.equal(codes.length, PER_ADDRESS - 2);
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
