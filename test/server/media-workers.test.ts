// The players' media on worker threads (`mediaWorkers`): players spread over the workers, each
// decoding (a keyframe first, then the stream) from one publisher on the main thread, whose
// packets reach every worker; a worker that crashes is replaced, the plays it held end with
// `play_finished`, and a new play of theirs decodes again; while no worker is ready (one slow to
// load), the main thread takes the first few players.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RTCPeerConnection } from 'werift';
import { EARLY_PLAYERS_ON_MAIN, type MediaWorkerInfo } from '../../packages/server/src/relay/worker-relay.js';
import { inspectVp8 } from '../../packages/server/src/relay/media-info.js';
import { AmsClient, startServer, wsUrl } from '../helpers/server.js';
import { request, until, wsPlayMedia, wsPublishMedia } from '../helpers/whip.js';

/** A werift player of `streamId` on its own socket: whether its first video packet began a keyframe, and its packet counts. */
async function player(server: Awaited<ReturnType<typeof startServer>>, streamId: string) {
  const ws = await AmsClient.connect(wsUrl(server));
  const first: boolean[] = [];
  const { pc, received } = await wsPlayMedia(ws, streamId, (kind, rtp) => {
    if (kind === 'video' && first.length === 0) first.push(inspectVp8(rtp.payload).keyframe);
  });
  return { ws, pc, received, first };
}

const workersOf = async (server: Awaited<ReturnType<typeof startServer>>): Promise<MediaWorkerInfo[]> =>
  JSON.parse((await request(server, 'GET', '/__faults/workers')).text) as MediaWorkerInfo[];

/** Resolves once every worker has loaded its module (until then the first players go to the main thread). */
const workersReady = (server: Awaited<ReturnType<typeof startServer>>): Promise<void> =>
  until(async () => (await workersOf(server)).every((w) => w.ready), 'every worker ready', 15_000);

/** Blocks worker `index`'s event loop `times` times for `ms` (the fault route). */
const stall = async (server: Awaited<ReturnType<typeof startServer>>, index: number, ms: number, times: number): Promise<void> => {
  const answer = await request(server, 'POST', '/__faults/workers', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ stall: index, ms, times }),
  });
  assert.equal(answer.status, 200, answer.text);
};

/** A server with media workers (`options`, fault injection on), once they are ready, and a werift publisher of `streamId` on it. */
async function publishing(options: Parameters<typeof startServer>[0], streamId: string) {
  const server = await startServer({ faultInjection: true, ...options });
  await workersReady(server);
  const ws = await AmsClient.connect(wsUrl(server));
  const { pc, media } = await wsPublishMedia(ws, streamId);
  return { server, media, pc, ws };
}

/** Ends a test's publisher (its media, peer and socket), its players and the server. */
async function closeAll(
  server: Awaited<ReturnType<typeof startServer>>,
  pub: { media: { stop(): void }; pc: RTCPeerConnection; ws: AmsClient },
  players: { pc: RTCPeerConnection; ws: AmsClient }[],
): Promise<void> {
  pub.media.stop();
  for (const p of players) {
    await p.pc.close();
    p.ws.close();
  }
  await pub.pc.close();
  pub.ws.close();
  await server.close();
}

describe('media workers', () => {
  it('spreads the players over the workers, and every one of them decodes the publisher', async () => {
    const { server, media, pc: pubPc, ws: pubWs } = await publishing({ mediaWorkers: 2 }, 'spread');
    const players: Awaited<ReturnType<typeof player>>[] = [];
    try {
      for (let i = 0; i < 4; i++) players.push(await player(server, 'spread'));
      const workers = await workersOf(server);
      assert.deepEqual(
        workers.map((w) => w.players),
        [2, 2],
        'two players on each worker',
      );
      assert.notEqual(workers[0]!.threadId, workers[1]!.threadId);
      // Each player: video from a keyframe on, and audio, through the worker that holds it.
      await Promise.all(players.map((p) => Promise.all([p.received.atLeast('video', 20), p.received.atLeast('audio', 10)])));
      assert.deepEqual(
        players.map((p) => p.first[0]),
        [true, true, true, true],
        'every first video packet begins a keyframe',
      );
      // A stop frees the worker's slot (and its copy of the publisher once none plays it).
      players[0]!.ws.send({ command: 'stop', streamId: 'spread' });
      await until(async () => (await workersOf(server)).reduce((n, w) => n + w.players, 0) === 3, 'the stopped player gone from its worker');
    } finally {
      await closeAll(server, { media, pc: pubPc, ws: pubWs }, players);
    }
  });

  it('replaces a worker that crashes: its plays end (play_finished) and play again on the workers up', async () => {
    const { server, media, pc: pubPc, ws: pubWs } = await publishing({ mediaWorkers: 2 }, 'crash');
    const pcs: RTCPeerConnection[] = [];
    const sockets: AmsClient[] = [pubWs];
    try {
      const a = await player(server, 'crash');
      const b = await player(server, 'crash');
      pcs.push(a.pc, b.pc);
      sockets.push(a.ws, b.ws);
      await Promise.all([a.received.atLeast('video', 10), b.received.atLeast('video', 10)]);
      const before = await workersOf(server);
      assert.deepEqual(
        before.map((w) => w.players),
        [1, 1],
      );
      // Player a is on worker 0 (the first with the fewest players).
      const finished = a.ws.next({ command: 'notification', definition: 'play_finished', streamId: 'crash' }, 10_000);
      const crash = await request(server, 'POST', '/__faults/workers', { body: JSON.stringify({ crash: 0 }) });
      assert.equal(crash.status, 200);
      await finished;
      const after = await workersOf(server);
      assert.equal(after[0]!.restarts, 1, 'worker 0 started again');
      assert.notEqual(after[0]!.threadId, before[0]!.threadId, 'on a new thread');
      assert.deepEqual(
        after.map((w) => w.players),
        [0, 1],
        "the crashed worker's play ended; the other worker's goes on",
      );
      // The other worker's player still gets the stream.
      await b.received.atLeast('video', 10);
      // Player a plays again (as the element does after play_finished): on the new worker, decoding.
      await a.pc.close();
      const again = await player(server, 'crash');
      pcs.push(again.pc);
      sockets.push(again.ws);
      await again.received.atLeast('video', 10);
      assert.equal(again.first[0], true);
      assert.deepEqual(
        (await workersOf(server)).map((w) => w.players),
        [1, 1],
      );
      // A crash of a worker that is not there is refused.
      assert.equal((await request(server, 'POST', '/__faults/workers', { body: JSON.stringify({ crash: 5 }) })).status, 400);
      // And so is a replacement's delay that is not 0-10000 ms (nothing crashed).
      for (const readyAfterMs of [-1, 10_001, '100', 1.5]) {
        assert.equal(
          (await request(server, 'POST', '/__faults/workers', { body: JSON.stringify({ crash: 0, readyAfterMs }) })).status,
          400,
          String(readyAfterMs),
        );
      }
      assert.equal((await workersOf(server))[0]!.restarts, 1, 'no crash made of a refused request');
    } finally {
      media.stop();
      for (const pc of pcs) await pc.close();
      await pubPc.close();
      for (const s of sockets) s.close();
      await server.close();
    }
  });

  it(`while no worker is ready, the main thread takes the first ${EARLY_PLAYERS_ON_MAIN} players, and they decode; the next waits for a worker`, async () => {
    const { server, media, pc: pubPc, ws: pubWs } = await publishing({ mediaWorkers: 1 }, 'early');
    const players: Awaited<ReturnType<typeof player>>[] = [];
    try {
      // The only worker replaced by one slow to load (ready 8 s after its start), as at a server's start on a busy machine.
      assert.equal((await request(server, 'POST', '/__faults/workers', { body: JSON.stringify({ crash: 0, readyAfterMs: 8000 }) })).status, 200);
      await until(async () => (await workersOf(server))[0]!.restarts === 1, 'worker 0 started again');
      assert.equal((await workersOf(server))[0]!.ready, false);
      for (let i = 0; i < EARLY_PLAYERS_ON_MAIN; i++) players.push(await player(server, 'early'));
      assert.equal((await workersOf(server))[0]!.players, 0, 'none of them on the worker');
      await Promise.all(players.map((p) => p.received.atLeast('video', 10)));
      assert.ok(
        players.every((p) => p.first[0] === true),
        'every first video packet begins a keyframe',
      );
      // One more, the worker still not ready: it goes to the worker (whose module, loaded, serves it).
      players.push(await player(server, 'early'));
      const [worker] = await workersOf(server);
      assert.deepEqual([worker!.ready, worker!.players], [false, 1], 'the next player on the worker, though not ready');
      await players.at(-1)!.received.atLeast('video', 10);
      assert.equal(server.app('LiveApp').live.get('early')?.viewers.size, EARLY_PLAYERS_ON_MAIN + 1);
    } finally {
      await closeAll(server, { media, pc: pubPc, ws: pubWs }, players);
    }
  });

  it('closes a server whose workers are still loading and warming up (each connects a player of its own on the loopback first)', async () => {
    const server = await startServer({ mediaWorkers: 2, faultInjection: true });
    assert.deepEqual(
      (await workersOf(server)).map((w) => w.ready),
      [false, false],
      'not ready yet',
    );
    // Resolves: the warm-ups are ended and their connections closed (node:test's timeout otherwise).
    await server.close();
  });

  it('keeps the players on the main thread with mediaWorkers: 0 (no worker route)', async () => {
    const server = await startServer({ mediaWorkers: 0, faultInjection: true });
    const pubWs = await AmsClient.connect(wsUrl(server));
    const { pc: pubPc, media } = await wsPublishMedia(pubWs, 'main');
    try {
      const p = await player(server, 'main');
      await p.received.atLeast('video', 10);
      assert.equal((await request(server, 'GET', '/__faults/workers')).status, 404);
      await p.pc.close();
      p.ws.close();
    } finally {
      media.stop();
      await pubPc.close();
      pubWs.close();
      await server.close();
    }
  });

  it('admission control reads the workers (once warm): a lagging worker takes no new player; every worker lagging refuses a play with highResourceUsage, and the players watching keep their media', async () => {
    const { server, media, pc: pubPc, ws: pubWs } = await publishing({ mediaWorkers: 2, eventLoopLagLimitMs: 150 }, 'lagging');
    const players: Awaited<ReturnType<typeof player>>[] = [];
    const late = await AmsClient.connect(wsUrl(server));
    try {
      // A player on each worker; a worker's lag counts once its first player's set-up is over.
      for (let i = 0; i < 2; i++) players.push(await player(server, 'lagging'));
      await until(async () => (await workersOf(server)).every((w) => w.warm), 'both workers warm', 10_000);
      // Worker 0's loop blocked 6 × 300 ms (the main thread's loop is not): new players go to worker 1.
      await stall(server, 0, 300, 6);
      await until(async () => (await workersOf(server))[0]!.lagging, 'worker 0 reported lagging');
      for (let i = 0; i < 2; i++) players.push(await player(server, 'lagging'));
      assert.deepEqual(
        (await workersOf(server)).map((w) => w.players),
        [1, 3],
        'both new players on the worker that keeps up',
      );
      await Promise.all(players.map((p) => p.received.atLeast('video', 10)));

      // Both workers lagging: a play is refused, as AMS refuses one on a busy server.
      await Promise.all([stall(server, 0, 300, 8), stall(server, 1, 300, 8)]);
      await until(async () => (await workersOf(server)).every((w) => w.lagging), 'both workers reported lagging');
      const refused = await late.request({ command: 'play', streamId: 'lagging' }, { command: 'error' });
      assert.equal(refused.definition, 'highResourceUsage');
      assert.match(String(refused.reason), /media workers are overloaded \(event loop lag \d+ ms, limit 150 ms\)/);
      assert.equal(server.app('LiveApp').live.get('lagging')?.viewers.size, 4, 'nothing was made of the refused play');

      // The lag over, the same socket's play is admitted, and the players admitted before went on.
      await until(async () => (await workersOf(server)).every((w) => !w.lagging), 'the lag over', 15_000);
      const watching = Promise.all(players.map((p) => p.received.atLeast('video', 10)));
      const admitted = await wsPlayMedia(late, 'lagging');
      await admitted.received.atLeast('video', 5);
      await watching;
      await admitted.pc.close();
    } finally {
      media.stop();
      for (const p of players) {
        await p.pc.close();
        p.ws.close();
      }
      late.close();
      await pubPc.close();
      pubWs.close();
      await server.close();
    }
  });
});
