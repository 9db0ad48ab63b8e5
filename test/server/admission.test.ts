// Admission control: the load gauge (event-loop lag, CPU share; a probe of the test's own, and
// a really blocked event loop), its config and command line, and the server refusing new
// publishes, plays and room joins while overloaded (the fault switch `{overload: true}`):
// `highResourceUsage` over the AMS WebSocket, 503 with `Retry-After` over WHIP and WHEP, while
// a player already admitted keeps receiving its media.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseArgs } from '../../packages/server/src/cli.js';
import { resolveConfig } from '../../packages/server/src/config.js';
import { createServer, type RunningServer } from '../../packages/server/src/index.js';
import type { LimitEvent } from '../../packages/server/src/limits.js';
import { LAG_SAMPLE_MS, LOAD_WINDOW_MS, LoadGauge, type LoadProbe } from '../../packages/server/src/load-gauge.js';
import { AmsClient, http, playDataOnly, publishDataOnly, startServer, wsUrl } from '../helpers/server.js';
import { playerPeer, postOffer, problem, publisherPeer, wsPlayMedia, wsPublishMedia } from '../helpers/whip.js';
import { itRefusesConfigs } from '../helpers/config.js';

/** Keeps the event loop busy for `ms` (no timer, no socket read runs meanwhile). */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy
  }
}

/** The next turn of the event loop: after this turn's timers phase (the gauge's sampler runs there). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A probe whose clock and CPU time the test moves. */
function fakeProbe(cores = 2) {
  const p = { t: 0, cpuUs: 0, cores, now: () => p.t, cpuUsage: () => ({ user: p.cpuUs, system: 0 }) };
  return p satisfies LoadProbe;
}

describe('admission: the load gauge', () => {
  it('reads the CPU share of the last window against wall time and the cores', () => {
    const p = fakeProbe(2);
    const gauge = new LoadGauge({ cpuLimit: 75, eventLoopLagLimitMs: 0 }, () => false, p);
    gauge.start();
    try {
      // A window of 1 s on time; 1.6 s of CPU on 2 cores: 80 %.
      for (let i = 0; i < LOAD_WINDOW_MS / LAG_SAMPLE_MS; i++) {
        p.t += LAG_SAMPLE_MS;
        p.cpuUs += 1600 * LAG_SAMPLE_MS;
        gauge.tick();
      }
      assert.equal(Math.round(gauge.cpuPercent), 80);
      assert.equal(gauge.overload()?.cause, 'cpuLimit');
      assert.match(gauge.overload()!.reason, /CPU 80 %, limit 75 %/);
      // The next window: 0.5 s of CPU a second on 2 cores, 25 %: admitted again.
      for (let i = 0; i < LOAD_WINDOW_MS / LAG_SAMPLE_MS; i++) {
        p.t += LAG_SAMPLE_MS;
        p.cpuUs += 500 * LAG_SAMPLE_MS;
        gauge.tick();
      }
      assert.equal(Math.round(gauge.cpuPercent), 25);
      assert.equal(gauge.overload(), undefined);
    } finally {
      gauge.stop();
    }
  });

  it('reads the lag as how late the sampler ran; two runs over the limit in this window and the previous one overload, one lone stall does not', () => {
    const p = fakeProbe();
    const gauge = new LoadGauge({ cpuLimit: 0, eventLoopLagLimitMs: 150 }, () => false, p);
    const run = (lateMs = 0) => {
      p.t += LAG_SAMPLE_MS + lateMs;
      gauge.tick();
    };
    gauge.start();
    try {
      run();
      assert.equal(gauge.lagMs, 0);
      // The loop stalled once: the run comes 300 ms late. A lone stall admits.
      run(300);
      assert.equal(gauge.lagMs, 300);
      assert.equal(gauge.lateRuns, 1);
      assert.equal(gauge.overload(), undefined);
      // Again: overloaded.
      run();
      run(200);
      assert.equal(gauge.lateRuns, 2);
      assert.equal(gauge.overload()?.cause, 'eventLoopLagLimitMs');
      assert.match(gauge.overload()!.reason, /event loop lag 300 ms, limit 150 ms/);
      // On time for the rest of this window: still overloaded, and through the next window too.
      while (p.t < LOAD_WINDOW_MS) run();
      assert.equal(gauge.overload()?.cause, 'eventLoopLagLimitMs', 'the previous window still counts');
      while (p.t < 2 * LOAD_WINDOW_MS + LAG_SAMPLE_MS) run();
      assert.equal(gauge.lagMs, 0);
      assert.equal(gauge.lateRuns, 0);
      assert.equal(gauge.overload(), undefined);
      // Runs under the limit never count.
      for (let i = 0; i < 5; i++) run(149);
      assert.equal(gauge.lagMs, 149);
      assert.equal(gauge.overload(), undefined);
    } finally {
      gauge.stop();
    }
  });

  it('the fault switch says overloaded whatever the readings; limits of 0 never do', () => {
    let forced = true;
    const p = fakeProbe();
    const gauge = new LoadGauge({ cpuLimit: 0, eventLoopLagLimitMs: 0 }, () => forced, p);
    gauge.start();
    assert.deepEqual(gauge.overload(), { cause: 'overloadFault', reason: 'the server is overloaded (fault injection)' });
    forced = false;
    p.t += 10_000;
    p.cpuUs += 20_000_000;
    gauge.tick();
    assert.equal(gauge.overload(), undefined, 'nothing is read with both limits off');
    gauge.stop();
  });

  it('sees a really blocked event loop (300 ms, twice) on the next turn of the loop; holds no handle; stopped, reads nothing', async () => {
    const gauge = new LoadGauge({ cpuLimit: 0, eventLoopLagLimitMs: 150 });
    // Handles that keep the process alive (an unref'd timer is not one).
    const handles = () => process.getActiveResourcesInfo().length;
    const before = handles();
    gauge.start();
    try {
      assert.equal(handles(), before, 'the sampler keeps the process alive no longer than the server');
      await nextTurn();
      block(300);
      await nextTurn();
      assert.ok(gauge.lagMs >= 250, `lag ${gauge.lagMs} ms`);
      assert.ok(gauge.lateRuns >= 1);
      block(300);
      await nextTurn();
      assert.ok(gauge.lateRuns >= 2);
      assert.equal(gauge.overload()?.cause, 'eventLoopLagLimitMs');
    } finally {
      gauge.stop();
    }
    assert.equal(gauge.lagMs, 0);
    block(200);
    await nextTurn();
    assert.equal(gauge.lagMs, 0, 'no sampler runs after stop');
    assert.equal(gauge.overload(), undefined);
  });
});

describe('admission: config', () => {
  it("defaults: cpuLimit 75 (AMS's), eventLoopLagLimitMs 150", () => {
    const c = resolveConfig({});
    assert.equal(c.cpuLimit, 75);
    assert.equal(c.eventLoopLagLimitMs, 150);
    assert.equal(c.maxPlayers, 0);
    assert.equal(resolveConfig({ cpuLimit: 0, eventLoopLagLimitMs: 0 }).cpuLimit, 0);
    assert.equal(resolveConfig({ cpuLimit: 100, eventLoopLagLimitMs: 1000 }).eventLoopLagLimitMs, 1000);
  });

  itRefusesConfigs([
    [{ cpuLimit: 101 }, /cpuLimit/],
    [{ cpuLimit: -1 }, /cpuLimit/],
    [{ cpuLimit: 50.5 }, /cpuLimit/],
    [{ cpuLimit: '75' }, /cpuLimit/],
    [{ eventLoopLagLimitMs: -5 }, /eventLoopLagLimitMs/],
    [{ eventLoopLagLimitMs: 1.5 }, /eventLoopLagLimitMs/],
    [{ eventLoopLagLimitMs: null }, /eventLoopLagLimitMs/],
    [{ maxPlayers: -1 }, /maxPlayers/],
    [{ mediaWorkers: -1 }, /mediaWorkers/],
    [{ mediaWorkers: 65 }, /mediaWorkers/],
    [{ mediaWorkers: 1.5 }, /mediaWorkers/],
    [{ mediaWorkers: '2' }, /mediaWorkers/],
  ]);

  it('a server reads its load from the start, with the limits of its config', async () => {
    const server = await createServer({ host: '127.0.0.1', port: 0 });
    try {
      assert.deepEqual(server.load.limits, { cpuLimit: 75, eventLoopLagLimitMs: 150 });
    } finally {
      await server.close();
    }
  });

  it('takes both limits from the command line', () => {
    assert.deepEqual(parseArgs(['--cpu-limit', '90', '--event-loop-lag-limit-ms=0', '--max-players', '500']), {
      help: false,
      limits: { cpuLimit: 90, eventLoopLagLimitMs: 0, maxPlayers: 500 },
    });
    assert.throws(() => parseArgs(['--cpu-limit', '120']), /--cpu-limit/);
    assert.throws(() => parseArgs(['--event-loop-lag-limit-ms', 'soon']), /--event-loop-lag-limit-ms/);
    assert.deepEqual(parseArgs(['--media-workers', '0']), { help: false, limits: { mediaWorkers: 0 } });
    assert.throws(() => parseArgs(['--media-workers', '65']), /--media-workers must be a number from 0 to 64/);
  });
});

describe('admission: an overloaded server refuses new sessions', () => {
  let server: RunningServer;
  const clients: AmsClient[] = [];
  const pcs: Array<{ close(): Promise<void> }> = [];
  const limits: LimitEvent[] = [];
  let media: { stop(): void } | undefined;
  const connect = async () => {
    const c = await AmsClient.connect(wsUrl(server));
    clients.push(c);
    return c;
  };
  const overload = (on: boolean) => http(server, 'POST', '/__faults', { overload: on });

  before(async () => {
    server = await startServer({ faultInjection: true, onLimit: (e) => limits.push(e) });
  });
  after(async () => {
    media?.stop();
    for (const pc of pcs) await pc.close();
    for (const c of clients) c.close();
    await server.close();
  });

  it('play, publish and joinRoom get highResourceUsage; the player admitted before keeps its media; cleared, a play is admitted', async () => {
    const pub = await connect();
    const published = await wsPublishMedia(pub, 'busy');
    pcs.push(published.pc);
    media = published.media;
    const viewer = await connect();
    const watching = await wsPlayMedia(viewer, 'busy');
    pcs.push(watching.pc);
    await watching.received.atLeast('video', 10);

    assert.deepEqual((await overload(true)).json, { success: true, rules: [{ overload: true }] });
    assert.equal(server.load.overload()?.cause, 'overloadFault');
    const late = await connect();
    const refused = await late.request({ command: 'play', streamId: 'busy' }, { command: 'error' });
    assert.deepEqual(refused, { command: 'error', definition: 'highResourceUsage', streamId: 'busy', reason: 'the server is overloaded (fault injection)' });
    const publishRefused = await late.request({ command: 'publish', streamId: 'other' }, { command: 'error' });
    assert.equal(publishRefused.definition, 'highResourceUsage');
    assert.equal(publishRefused.streamId, 'other');
    const joinRefused = await late.request({ command: 'joinRoom', room: 'hall', streamId: 'me' }, { command: 'error' });
    assert.equal(joinRefused.definition, 'highResourceUsage');
    assert.deepEqual(
      limits.map((e) => e.limit),
      ['overloadFault', 'overloadFault', 'overloadFault'],
    );
    // Other commands are answered as ever; nothing of the refused ones was made.
    await late.request({ command: 'ping' }, { command: 'pong' });
    assert.equal(server.app('LiveApp').live.get('busy')?.viewers.size, 1);
    assert.equal(server.app('LiveApp').live.has('other'), false);
    // The viewer admitted before goes on receiving, and its socket answers.
    await Promise.all([watching.received.atLeast('video', 20), watching.received.atLeast('audio', 20)]);
    await viewer.request({ command: 'ping' }, { command: 'pong' });
    assert.equal(
      viewer.frames.some((f) => f.command === 'notification' && f.definition === 'play_finished'),
      false,
    );

    // The switch off: the same socket's play is admitted.
    assert.equal((await overload(false)).status, 200);
    assert.equal(server.load.overload(), undefined);
    const admitted = await wsPlayMedia(late, 'busy');
    pcs.push(admitted.pc);
    await admitted.received.atLeast('video', 5);
  });

  it('WHIP and WHEP POSTs get 503 highResourceUsage with Retry-After; the usual fault reset turns the switch off', async () => {
    await overload(true);
    const whip = await publisherPeer();
    pcs.push(whip.pc);
    const whipBusy = await postOffer(server, '/LiveApp/whip/whipbusy', whip.offer);
    assert.equal(whipBusy.status, 503);
    assert.equal(whipBusy.headers.get('retry-after'), '5');
    assert.equal(whipBusy.headers.get('content-type'), 'application/problem+json');
    assert.deepEqual(problem(whipBusy), {
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      detail: 'the server is overloaded (fault injection)',
      code: 'highResourceUsage',
    });
    const whep = await playerPeer();
    pcs.push(whep.pc);
    const whepBusy = await postOffer(server, '/LiveApp/whep/busy', whep.offer);
    assert.equal(whepBusy.status, 503);
    assert.equal(whepBusy.headers.get('retry-after'), '5');
    assert.equal(problem(whepBusy).code, 'highResourceUsage');

    assert.equal((await http(server, 'DELETE', '/__faults')).status, 200);
    assert.equal(server.faults.overloaded, false);
    const played = await postOffer(server, '/LiveApp/whep/busy', whep.offer);
    assert.equal(played.status, 201);
  });

  it('refuses a bad switch with 400', async () => {
    assert.equal((await http(server, 'POST', '/__faults', { overload: 'yes' })).status, 400);
  });
});

describe('admission: maxPlayers', () => {
  let server: RunningServer;
  const clients: AmsClient[] = [];
  const pcs: Array<{ close(): Promise<void> }> = [];
  const limits: LimitEvent[] = [];
  const connect = async () => {
    const c = await AmsClient.connect(wsUrl(server));
    clients.push(c);
    return c;
  };
  before(async () => {
    server = await startServer({ maxPlayers: 1, onLimit: (e) => limits.push(e) });
  });
  after(async () => {
    for (const pc of pcs) await pc.close();
    for (const c of clients) c.close();
    await server.close();
  });

  it('a play past the server-wide count gets highResourceUsage (WHEP: 503), publishing is not held to it; a player leaving makes room', async () => {
    const pub = await connect();
    pcs.push((await publishDataOnly(pub, 'one')).pc);
    const first = await connect();
    pcs.push((await playDataOnly(first, 'one')).pc);

    const second = await connect();
    const refused = await second.request({ command: 'play', streamId: 'one' }, { command: 'error' });
    assert.deepEqual(refused, { command: 'error', definition: 'highResourceUsage', streamId: 'one', reason: 'the server has 1 players, its limit' });
    assert.deepEqual(
      limits.map((e) => e.limit),
      ['maxPlayers'],
    );
    const whep = await playerPeer();
    pcs.push(whep.pc);
    const busy = await postOffer(server, '/LiveApp/whep/one', whep.offer);
    assert.equal(busy.status, 503);
    assert.equal(problem(busy).code, 'highResourceUsage');
    assert.equal(busy.headers.get('retry-after'), '5');
    // Publishing is not playing.
    pcs.push((await publishDataOnly(second, 'two')).pc);

    first.send({ command: 'stop', streamId: 'one' });
    await first.next({ command: 'notification', definition: 'play_finished' });
    pcs.push((await playDataOnly(second, 'one')).pc);
  });
});

describe('admission: a really blocked event loop', () => {
  let server: RunningServer;
  let client: AmsClient | undefined;
  before(async () => {
    // Only the lag limit: the CPU share of this busy test process is not the point here.
    server = await startServer({ cpuLimit: 0, eventLoopLagLimitMs: 150 });
  });
  after(async () => {
    client?.close();
    await server.close();
  });

  it('a play that arrives during the second 300 ms stall of the loop is refused with highResourceUsage naming the lag', async () => {
    client = await AmsClient.connect(wsUrl(server));
    const refused = client.next({ command: 'error' });
    await nextTurn();
    block(300);
    await nextTurn();
    // The frame reaches the kernel during the stall; the server reads it after the sampler saw the stall.
    client.send({ command: 'play', streamId: 'blocked' });
    block(300);
    const frame = await refused;
    assert.equal(frame.definition, 'highResourceUsage');
    assert.equal(frame.streamId, 'blocked');
    assert.match(String(frame.reason), /event loop lag \d+ ms, limit 150 ms/);
  });
});
