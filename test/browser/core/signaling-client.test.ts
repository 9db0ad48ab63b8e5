import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import sinon from 'sinon';
import { RtcError } from '../../../src/core/errors.js';
import { DefaultReconnectPolicy, type ReconnectContext, type ReconnectPolicy } from '../../../src/core/signaling/reconnect-policy.js';
import { SignalingClient, type SignalingClientOptions, type SignalingEvents } from '../../../src/core/signaling/signaling-client.js';
import { createWebSocketTransport } from '../../../src/core/signaling/transport.js';
import { TypedEmitter } from '../../../src/core/typed-emitter.js';
import { FakeServer } from '../../helpers/fake-transport.js';

const URL_ = 'ws://fake.test/LiveApp/websocket';
type EventName = keyof SignalingEvents;
type Recorded = { [K in EventName]: [K, SignalingEvents[K]] }[EventName];

/** Records every event of `client` in order. */
function record(client: SignalingClient): Recorded[] {
  const log: Recorded[] = [];
  const names: EventName[] = ['open', 'close', 'frame', 'error', 'reconnecting', 'state', 'pong'];
  for (const name of names) client.on(name, (detail) => log.push([name, detail] as Recorded));
  return log;
}
const named = <K extends EventName>(log: Recorded[], name: K): Array<SignalingEvents[K]> =>
  log.filter((e) => e[0] === name).map((e) => e[1] as SignalingEvents[K]);
const types = (log: Recorded[]) => log.map((e) => e[0]);

/** Resolves with the next `type` event of `client` that passes `test`. */
function next<K extends EventName>(client: SignalingClient, type: K, test: (d: SignalingEvents[K]) => boolean = () => true) {
  return new Promise<SignalingEvents[K]>((resolve) => {
    const off = client.on(type, (detail) => {
      if (!test(detail)) return;
      off();
      resolve(detail);
    });
  });
}

/** A policy with a fixed delay that records what it was asked. */
function fixedPolicy(delayMs: number | null): ReconnectPolicy & { calls: ReconnectContext[] } {
  const calls: ReconnectContext[] = [];
  return {
    calls,
    nextRetryDelayInMs(ctx) {
      calls.push({ ...ctx });
      return delayMs;
    },
  };
}

/** An `online` source without the DOM. */
class FakeOnline {
  readonly listeners = new Set<() => void>();
  addEventListener(_type: 'online', fn: () => void) {
    this.listeners.add(fn);
  }
  removeEventListener(_type: 'online', fn: () => void) {
    this.listeners.delete(fn);
  }
  fire() {
    for (const fn of [...this.listeners]) fn();
  }
}

describe('SignalingClient', () => {
  let clock: sinon.SinonFakeTimers;
  let server: FakeServer;
  let clients: SignalingClient[];

  const make = (options: Partial<SignalingClientOptions> = {}) => {
    const client = new SignalingClient({ url: URL_, createTransport: server.create, reconnectPolicy: fixedPolicy(1000), ...options });
    clients.push(client);
    return client;
  };
  /** A client that is open on its first fake transport. */
  const opened = (options: Partial<SignalingClientOptions> = {}) => {
    const client = make(options);
    const log = record(client);
    client.connect();
    server.last.open();
    return { client, log, transport: server.last };
  };

  beforeEach(() => {
    clock = sinon.useFakeTimers();
    server = new FakeServer();
    clients = [];
  });
  afterEach(() => {
    for (const c of clients) c.close();
    clock.restore();
  });

  describe('happy path', () => {
    it('connects to its url and emits state changes, then open', () => {
      const client = make();
      const log = record(client);
      expect(client.state).to.equal('idle');
      client.connect();
      expect(client.state).to.equal('connecting');
      expect(server.transports).to.have.length(1);
      expect(server.last.url).to.equal(URL_);
      server.last.open();
      expect(client.state).to.equal('open');
      expect(log).to.deep.equal([
        ['state', { state: 'connecting', previous: 'idle' }],
        ['state', { state: 'open', previous: 'connecting' }],
        ['open', { reconnected: false }],
      ]);
    });

    it('connect() is idempotent', () => {
      const { client } = opened();
      client.connect();
      client.connect();
      expect(server.transports).to.have.length(1);
      expect(client.state).to.equal('open');
    });

    it('emits server frames as frame, and pong as pong only', () => {
      const { log, transport } = opened();
      transport.receive({ command: 'notification', definition: 'publish_started', streamId: 's1' });
      transport.receive({ command: 'pong' });
      expect(named(log, 'frame')).to.deep.equal([{ command: 'notification', definition: 'publish_started', streamId: 's1' }]);
      expect(named(log, 'pong')).to.deep.equal([{}]);
    });

    it('sends frames at once while open', () => {
      const { client, transport } = opened();
      client.send({ command: 'play', streamId: 's1' });
      expect(transport.sent).to.deep.equal(['{"command":"play","streamId":"s1"}']);
    });

    it('queues frames sent before open and flushes them in order, before open listeners send', () => {
      const client = make();
      client.send({ command: 'getStreamInfo', streamId: 'a' }); // while idle
      client.connect();
      client.send({ command: 'getStreamInfo', streamId: 'b' }); // while connecting
      client.on('open', () => client.send({ command: 'getStreamInfo', streamId: 'c' }));
      expect(server.last.sent).to.deep.equal([]);
      server.last.open();
      expect(server.last.commands.map((f) => f.streamId)).to.deep.equal(['a', 'b', 'c']);
    });

    it('pings every pingIntervalMs while open', () => {
      const { transport } = opened({ pingIntervalMs: 3000 });
      clock.tick(2999);
      expect(transport.sent).to.deep.equal([]);
      clock.tick(1);
      expect(transport.sent).to.deep.equal(['{"command":"ping"}']);
      clock.tick(3000 * 3);
      expect(transport.frames.filter((f) => f.command === 'ping')).to.have.length(4);
    });

    it('keeps a socket that answers pings open indefinitely', () => {
      const { client, log } = opened();
      clock.tick(60_000);
      expect(client.state).to.equal('open');
      expect(named(log, 'pong')).to.have.length(20);
      expect(named(log, 'error')).to.deep.equal([]);
    });

    it('does not ping with pingIntervalMs 0', () => {
      const { transport } = opened({ pingIntervalMs: 0 });
      clock.tick(60_000);
      expect(transport.sent).to.deep.equal([]);
    });
  });

  describe('failure: dead socket', () => {
    beforeEach(() => {
      server = new FakeServer({ respond: () => undefined }); // never answers ping
    });

    it('closes and reconnects when nothing arrives for pongTimeoutMs after a ping', () => {
      const { client, log, transport } = opened({ pingIntervalMs: 3000, pongTimeoutMs: 10_000 });
      clock.tick(3000 + 9999);
      expect(client.state).to.equal('open');
      clock.tick(1);
      expect(transport.closedBy).to.not.equal(null);
      expect(client.state).to.equal('reconnecting');
      const errors = named(log, 'error');
      expect(errors).to.have.length(1);
      expect(errors[0]!.code).to.equal('WebSocketNotConnected');
      expect(named(log, 'close')).to.deep.equal([{ code: 1006, reason: 'pong timeout', willReconnect: true }]);
      expect(named(log, 'reconnecting')).to.deep.equal([{ attempt: 1, delayMs: 1000 }]);
      clock.tick(1000);
      expect(server.transports).to.have.length(2);
    });

    it('counts any inbound frame as life', () => {
      const { client, transport } = opened({ pingIntervalMs: 3000, pongTimeoutMs: 10_000 });
      for (let i = 0; i < 12; i++) {
        clock.tick(5000);
        transport.receive({ command: 'notification', definition: 'bitrateMeasurement', streamId: 's' });
      }
      expect(client.state).to.equal('open');
      expect(transport.closedBy).to.equal(null);
    });

    it('counts even a malformed frame as life', () => {
      const { client, transport } = opened({ pingIntervalMs: 3000, pongTimeoutMs: 10_000 });
      for (let i = 0; i < 6; i++) {
        clock.tick(9000);
        transport.receive('not json');
      }
      expect(client.state).to.equal('open');
    });
  });

  describe('failure: connection lost', () => {
    it('reconnects after a server close with the policy delay and reports reconnected', () => {
      const policy = fixedPolicy(1500);
      const { client, log, transport } = opened({ reconnectPolicy: policy });
      clock.tick(100);
      transport.serverClose(1001, 'going away');
      expect(client.state).to.equal('reconnecting');
      expect(policy.calls).to.deep.equal([{ retryCount: 0, elapsedMs: 0, reason: 'closed' }]);
      expect(types(log).slice(3)).to.deep.equal(['state', 'error', 'close', 'reconnecting']);
      expect(named(log, 'close')).to.deep.equal([{ code: 1001, reason: 'going away', willReconnect: true }]);
      clock.tick(1499);
      expect(server.transports).to.have.length(1);
      clock.tick(1);
      expect(server.transports).to.have.length(2);
      server.last.open();
      expect(client.state).to.equal('open');
      expect(named(log, 'open')).to.deep.equal([{ reconnected: false }, { reconnected: true }]);
    });

    it('emits one WebSocketNotConnected per episode (not per failed attempt) and no close for a socket that never opened', () => {
      const client = make();
      const log = record(client);
      client.connect();
      server.last.fail(); // error, then close
      expect(client.state).to.equal('reconnecting');
      expect(named(log, 'error').map((e) => e.code)).to.deep.equal(['WebSocketNotConnected']);
      expect(named(log, 'close')).to.deep.equal([]);
      for (let i = 0; i < 3; i++) {
        clock.tick(1000);
        server.last.fail();
      }
      expect(server.transports).to.have.length(4);
      expect(named(log, 'error'), 'the retries of one episode').to.have.length(1);
      clock.tick(1000);
      server.last.open();
      // The next drop is a new episode.
      server.last.serverClose();
      expect(named(log, 'error').map((e) => e.code)).to.deep.equal(['WebSocketNotConnected', 'WebSocketNotConnected']);
      clock.tick(1000);
      server.last.fail();
      expect(named(log, 'error')).to.have.length(2);
    });

    it('abandons an attempt after connectTimeoutMs', () => {
      const policy = fixedPolicy(1000);
      const client = make({ connectTimeoutMs: 5000, reconnectPolicy: policy });
      client.connect();
      const first = server.last;
      clock.tick(4999);
      expect(client.state).to.equal('connecting');
      clock.tick(1);
      expect(first.closedBy).to.not.equal(null);
      expect(client.state).to.equal('reconnecting');
      expect(policy.calls[0]!.reason).to.equal('connect timeout');
      // The abandoned socket opening late changes nothing.
      first.open();
      expect(client.state).to.equal('reconnecting');
    });

    it('follows the policy: retry counts and elapsed time grow, and reset after an open', () => {
      const policy = fixedPolicy(1000);
      const client = make({ reconnectPolicy: policy });
      const log = record(client);
      client.connect();
      server.last.fail();
      clock.tick(1000);
      server.last.fail();
      clock.tick(1000);
      server.last.fail();
      expect(policy.calls.map((c) => [c.retryCount, c.elapsedMs])).to.deep.equal([
        [0, 0],
        [1, 1000],
        [2, 2000],
      ]);
      expect(named(log, 'reconnecting').map((r) => r.attempt)).to.deep.equal([1, 2, 3]);
      clock.tick(1000);
      server.last.open();
      server.last.serverClose();
      expect(policy.calls.at(-1)).to.deep.equal({ retryCount: 0, elapsedMs: 0, reason: 'closed' });
      expect(named(log, 'reconnecting').at(-1)!.attempt).to.equal(1);
    });

    it('retries quickly, then once a second for as long as it takes, with DefaultReconnectPolicy', () => {
      const client = make({ reconnectPolicy: new DefaultReconnectPolicy({ random: () => 0.5 }) });
      const log = record(client);
      client.connect();
      for (let i = 0; i < 70; i++) {
        server.last.fail();
        clock.tick(named(log, 'reconnecting').at(-1)!.delayMs);
      }
      const delays = named(log, 'reconnecting').map((r) => r.delayMs);
      expect(delays.slice(0, 14)).to.deep.equal([50, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 1000, 1000]);
      // A minute down: still one attempt a second, none further apart.
      expect(Math.max(...delays)).to.equal(1000);
      expect(server.transports).to.have.length(71);
    });

    it('gives up when the policy returns null: closed, close without reconnect, no timers', () => {
      const client = make({ reconnectPolicy: fixedPolicy(null) });
      const log = record(client);
      client.connect();
      server.last.open();
      server.last.serverClose(1006, '');
      expect(client.state).to.equal('closed');
      expect(named(log, 'close')).to.deep.equal([{ code: 1006, reason: '', willReconnect: false }]);
      expect(named(log, 'error').map((e) => e.code)).to.deep.equal(['WebSocketNotConnected']);
      expect(named(log, 'reconnecting')).to.deep.equal([]);
      expect(clock.countTimers()).to.equal(0);
      clock.tick(60_000);
      expect(server.transports).to.have.length(1);
    });

    it('giving up after retries adds no second error to the episode: closed, close without reconnect', () => {
      const client = make({ reconnectPolicy: new DefaultReconnectPolicy({ maxRetries: 2, jitter: 0, quickMs: [100] }) });
      const log = record(client);
      client.connect();
      for (let i = 0; i < 3; i++) {
        server.last.fail();
        clock.tick(1000);
      }
      expect(server.transports).to.have.length(3);
      expect(client.state).to.equal('closed');
      expect(named(log, 'error').map((e) => e.code)).to.deep.equal(['WebSocketNotConnected']);
      expect(named(log, 'close')).to.deep.equal([{ code: 1006, reason: '', willReconnect: false }]);
    });

    it('retries at once on the online event while reconnecting', () => {
      const online = new FakeOnline();
      // No connect timeout, so the second attempt stays in flight.
      const client = make({ reconnectPolicy: fixedPolicy(60_000), online, connectTimeoutMs: 0 });
      client.connect();
      expect(online.listeners.size).to.equal(1);
      server.last.fail();
      expect(server.transports).to.have.length(1);
      online.fire();
      expect(server.transports).to.have.length(2);
      // While an attempt is in flight, online does not start another.
      online.fire();
      expect(server.transports).to.have.length(2);
      // The cancelled wait does not fire later.
      clock.tick(60_000);
      expect(server.transports).to.have.length(2);
      server.last.open();
      expect(client.state).to.equal('open');
    });

    it('ignores the online event while open', () => {
      const online = new FakeOnline();
      opened({ online });
      online.fire();
      expect(server.transports).to.have.length(1);
    });

    it('keeps frames sent while reconnecting and sends them on the new socket', () => {
      const { client, transport } = opened();
      transport.serverClose();
      client.send({ command: 'publish', streamId: 'p' });
      client.send({ command: 'takeCandidate', streamId: 'p', label: 0, id: '0', candidate: 'c' });
      clock.tick(1000);
      server.last.open();
      expect(server.last.commands.map((f) => f.command)).to.deep.equal(['publish', 'takeCandidate']);
      expect(transport.commands).to.deep.equal([]);
    });

    it('ignores late events from a socket it has left', () => {
      const { client, log, transport } = opened();
      const onmessage = transport.onmessage;
      transport.serverClose();
      clock.tick(1000);
      server.last.open();
      onmessage?.('{"command":"stop","streamId":"old"}');
      transport.receive({ command: 'stop', streamId: 'old' });
      transport.serverClose();
      expect(named(log, 'frame')).to.deep.equal([]);
      expect(client.state).to.equal('open');
    });

    it('retries when the transport factory throws a recoverable error', () => {
      const client = make();
      const log = record(client);
      server.throwOnCreate = new Error('boom');
      client.connect();
      expect(client.state).to.equal('reconnecting');
      expect(named(log, 'error')[0]!.code).to.equal('WebSocketNotConnected');
      server.throwOnCreate = undefined;
      clock.tick(1000);
      server.last.open();
      expect(client.state).to.equal('open');
    });

    it('stops for good when the transport factory throws WebSocketNotSupported', () => {
      const client = make();
      const log = record(client);
      server.throwOnCreate = RtcError.of('WebSocketNotSupported');
      client.connect();
      expect(client.state).to.equal('closed');
      expect(named(log, 'error').map((e) => e.code)).to.deep.equal(['WebSocketNotSupported']);
      expect(named(log, 'close')).to.have.length(1);
      expect(named(log, 'close')[0]!.willReconnect).to.equal(false);
      expect(clock.countTimers()).to.equal(0);
    });

    it('re-queues a frame whose send throws and reconnects', () => {
      const { client, transport } = opened();
      transport.readyState = 'closed'; // the socket died without telling anyone yet
      client.send({ command: 'stop', streamId: 's' });
      expect(client.state).to.equal('reconnecting');
      clock.tick(1000);
      server.last.open();
      expect(server.last.commands).to.deep.equal([{ command: 'stop', streamId: 's' }]);
    });
  });

  describe('failure: malformed frames', () => {
    it('emits a protocol error and keeps going', () => {
      const { client, log, transport } = opened();
      transport.receive('{"command":"takeCandidate","streamId":"s"}');
      transport.receive('garbage');
      transport.receive({ command: 'start', streamId: 's' });
      expect(named(log, 'error').map((e) => e.code)).to.deep.equal(['protocol', 'protocol']);
      expect(named(log, 'frame')).to.deep.equal([{ command: 'start', streamId: 's' }]);
      expect(client.state).to.equal('open');
    });

    it('reports an unserialisable frame as a protocol error without throwing', () => {
      const { client, log, transport } = opened();
      const cyclic: Record<string, unknown> & { command: string } = { command: 'publish' };
      cyclic.self = cyclic;
      expect(() => client.send(cyclic)).not.to.throw();
      expect(named(log, 'error').map((e) => e.code)).to.deep.equal(['protocol']);
      expect(transport.sent).to.deep.equal([]);
    });

    it('survives a listener that throws', () => {
      const { client, transport } = opened();
      const reported: unknown[] = [];
      const restore = sinon.stub(globalThis, 'reportError').callsFake((e: unknown) => reported.push(e));
      const seen = sinon.spy();
      try {
        client.on('frame', () => {
          throw new Error('listener bug');
        });
        client.on('frame', seen);
        transport.receive({ command: 'stop', streamId: 's' });
      } finally {
        restore.restore();
      }
      expect(seen).to.have.been.calledOnce;
      expect((reported[0] as Error).message).to.equal('listener bug');
      expect(client.state).to.equal('open');
    });
  });

  describe('state', () => {
    it('walks idle → connecting → open → reconnecting → open → closed', () => {
      const { client, log } = opened();
      server.last.serverClose();
      clock.tick(1000);
      server.last.open();
      client.close();
      expect(named(log, 'state').map((s) => `${s.previous}>${s.state}`)).to.deep.equal([
        'idle>connecting',
        'connecting>open',
        'open>reconnecting',
        'reconnecting>open',
        'open>closed',
      ]);
    });

    it('close() is final: socket closed, close emitted once, queue dropped, no timers, no listener', () => {
      const online = new FakeOnline();
      const { client, log, transport } = opened({ online });
      client.close();
      client.close();
      expect(client.state).to.equal('closed');
      expect(transport.closedBy).to.deep.equal({ code: 1000, reason: 'client closed' });
      expect(named(log, 'close')).to.deep.equal([{ code: 1000, reason: 'client closed', willReconnect: false }]);
      expect(clock.countTimers()).to.equal(0);
      expect(online.listeners.size).to.equal(0);
      client.connect();
      client.send({ command: 'stop', streamId: 's' });
      clock.tick(60_000);
      expect(server.transports).to.have.length(1);
      expect(transport.sent).to.deep.equal([]);
      expect(named(log, 'error')).to.deep.equal([]);
    });

    it('close() while reconnecting cancels the retry and drops the queue', () => {
      const { client, transport } = opened();
      transport.serverClose();
      client.send({ command: 'stop', streamId: 's' });
      client.close();
      expect(clock.countTimers()).to.equal(0);
      clock.tick(60_000);
      expect(server.transports).to.have.length(1);
    });

    it('close() before connect() goes straight to closed', () => {
      const client = make();
      const log = record(client);
      client.close();
      client.connect();
      expect(client.state).to.equal('closed');
      expect(server.transports).to.have.length(0);
      expect(named(log, 'state')).to.deep.equal([{ state: 'closed', previous: 'idle' }]);
    });

    it('close() from an error listener during a drop stops the reconnect', () => {
      const { client, log, transport } = opened();
      client.on('error', () => client.close());
      transport.serverClose();
      expect(client.state).to.equal('closed');
      expect(named(log, 'reconnecting')).to.deep.equal([]);
      expect(named(log, 'close').map((c) => c.willReconnect)).to.deep.equal([false]);
      expect(clock.countTimers()).to.equal(0);
    });
  });
});

describe('DefaultReconnectPolicy', () => {
  const ctx = (retryCount: number): ReconnectContext => ({ retryCount, elapsedMs: 0, reason: 'closed' });
  const delays = (p: DefaultReconnectPolicy, n: number): Array<number | null> => Array.from({ length: n }, (_, i) => p.nextRetryDelayInMs(ctx(i)));

  it('retries quickly through the first 3 s, then every second with no ceiling that grows', () => {
    const p = new DefaultReconnectPolicy({ jitter: 0 });
    expect(delays(p, 14)).to.deep.equal([50, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 1000, 1000]);
    expect(p.nextRetryDelayInMs(ctx(10_000))).to.equal(1000);
  });

  it('spreads each delay by ± jitter (injected random)', () => {
    expect(new DefaultReconnectPolicy({ random: () => 0 }).nextRetryDelayInMs(ctx(12))).to.equal(700);
    expect(new DefaultReconnectPolicy({ random: () => 0.999999 }).nextRetryDelayInMs(ctx(12))).to.equal(1300);
    expect(new DefaultReconnectPolicy({ random: () => 0 }).nextRetryDelayInMs(ctx(1))).to.equal(175);
  });

  it('after the first few seconds, a client never tries more than about once a second', () => {
    // The worst case: every draw at the low end of the spread.
    const p = new DefaultReconnectPolicy({ random: () => 0 });
    const d = delays(p, 200) as number[];
    let t = 0;
    const attempts = d.map((x) => (t += x));
    const afterFew = attempts.filter((a) => a >= 3000);
    for (let i = 1; i < afterFew.length; i++) expect(afterFew[i]! - afterFew[i - 1]!).to.be.at.least(700);
  });

  it('spreads a thousand clients dropped together over the interval, not into one instant', () => {
    // A seeded generator (deterministic): the thirteenth retry of 1000 clients (past the quick ones).
    let seed = 42;
    const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const p = new DefaultReconnectPolicy({ random });
    const fifth = Array.from({ length: 1000 }, () => p.nextRetryDelayInMs(ctx(12))!);
    const buckets = new Map<number, number>();
    for (const d of fifth) buckets.set(Math.floor(d / 100), (buckets.get(Math.floor(d / 100)) ?? 0) + 1);
    expect(Math.min(...fifth)).to.be.at.least(700);
    expect(Math.max(...fifth)).to.be.at.most(1300);
    // Six 100 ms buckets share them: none holds more than a quarter.
    expect(Math.max(...buckets.values())).to.be.below(250);
  });

  it('gives up after maxRetries', () => {
    expect(delays(new DefaultReconnectPolicy({ maxRetries: 2, jitter: 0 }), 4)).to.deep.equal([50, 250, null, null]);
  });
});

describe('TypedEmitter', () => {
  class Emitter extends TypedEmitter<{ a: number; b: string }> {
    readonly reported: unknown[] = [];
    fire<K extends 'a' | 'b'>(type: K, detail: { a: number; b: string }[K]) {
      this.emit(type, detail);
    }
    protected override reportListenerError(error: unknown) {
      this.reported.push(error);
    }
  }

  it('calls listeners in order with the detail, and on() returns a remover', () => {
    const e = new Emitter();
    const calls: string[] = [];
    const off = e.on('a', (n) => calls.push(`1:${n}`));
    e.on('a', (n) => calls.push(`2:${n}`));
    e.on('b', (s) => calls.push(`b:${s}`));
    e.fire('a', 7);
    off();
    e.fire('a', 8);
    expect(calls).to.deep.equal(['1:7', '2:7', '2:8']);
  });

  it('reports a throwing listener and still calls the rest', () => {
    const e = new Emitter();
    const boom = new Error('boom');
    const after = sinon.spy();
    e.on('a', () => {
      throw boom;
    });
    e.on('a', after);
    e.fire('a', 1);
    expect(after).to.have.been.calledOnceWith(1);
    expect(e.reported).to.deep.equal([boom]);
  });

  it('once() fires a single time; off() and removeAllListeners() remove', () => {
    const e = new Emitter();
    const once = sinon.spy();
    const kept = sinon.spy();
    e.once('a', once);
    e.on('b', kept);
    e.fire('a', 1);
    e.fire('a', 2);
    expect(once).to.have.been.calledOnceWith(1);
    e.off('b', kept);
    e.fire('b', 'x');
    expect(kept).to.not.have.been.called;
    e.on('b', kept);
    e.removeAllListeners();
    e.fire('b', 'y');
    expect(kept).to.not.have.been.called;
  });

  it('skips a listener removed by an earlier one in the same emit', () => {
    const e = new Emitter();
    const second = sinon.spy();
    e.on('a', () => e.off('a', second));
    e.on('a', second);
    e.fire('a', 1);
    expect(second).to.not.have.been.called;
  });
});

/** Replaces `WebSocket` with one that records the URL of every socket made. */
function countSockets(): { made: string[]; stub: sinon.SinonStub } {
  const made: string[] = [];
  const Real = WebSocket;
  const stub = sinon.stub(globalThis, 'WebSocket').value(
    class extends Real {
      constructor(u: string | URL) {
        super(u);
        made.push(String(u));
      }
    },
  );
  return { made, stub };
}

describe('SignalingClient over the real server', () => {
  const ws = (window as unknown as { __RTC_SERVER__: { ws: string } }).__RTC_SERVER__.ws;
  let clients: SignalingClient[] = [];
  const make = (options: Partial<SignalingClientOptions> = {}) => {
    const client = new SignalingClient({ url: ws, reconnectPolicy: fixedPolicy(50), ...options });
    clients.push(client);
    return client;
  };
  const unique = (prefix: string) => `${prefix}${Math.random().toString(36).slice(2, 10)}`;

  afterEach(async () => {
    for (const c of clients) c.close();
    clients = [];
    await executeServerCommand('rtc-server', { action: 'clear-faults' });
  });

  it('opens, pings and gets pong', async () => {
    const client = make({ pingIntervalMs: 50 });
    const opened = next(client, 'open');
    const pong = next(client, 'pong');
    client.connect();
    expect(await opened).to.deep.equal({ reconnected: false });
    expect(await pong).to.deep.equal({});
    expect(client.state).to.equal('open');
  });

  it('delivers a frame queued while connecting (getStreamInfo → no_stream_exist)', async () => {
    const client = make();
    const streamId = unique('nostream');
    const reply = next(client, 'frame', (f) => f.command === 'error' && f.streamId === streamId);
    client.connect();
    expect(client.state).to.equal('connecting');
    client.send({ command: 'getStreamInfo', streamId });
    expect(await reply).to.deep.include({ command: 'error', definition: 'no_stream_exist', streamId });
  });

  it('notices a server-side close and reconnects', async () => {
    const streamId = unique('x');
    await executeServerCommand('rtc-server', { action: 'fault', rule: { command: 'getStreamInfo', streamId, action: 'close', times: 1 } });
    const client = make();
    const log = record(client);
    const first = next(client, 'open');
    client.connect();
    await first;
    const reopened = next(client, 'open');
    client.send({ command: 'getStreamInfo', streamId });
    expect(await reopened).to.deep.equal({ reconnected: true });
    expect(named(log, 'close').map((c) => c.willReconnect)).to.deep.equal([true]);
    expect(named(log, 'error').map((e) => e.code)).to.deep.equal(['WebSocketNotConnected']);
    expect(named(log, 'reconnecting')).to.deep.equal([{ attempt: 1, delayMs: 50 }]);
    // The new socket works.
    const answer = next(client, 'frame', (f) => f.command === 'error' && f.streamId === streamId);
    client.send({ command: 'getStreamInfo', streamId });
    expect(await answer).to.deep.include({ definition: 'no_stream_exist' });
  });

  it('reports a refused connection and schedules a retry', async () => {
    const client = make({ url: 'ws://127.0.0.1:9/LiveApp/websocket', reconnectPolicy: fixedPolicy(60_000) });
    const error = next(client, 'error');
    const retry = next(client, 'reconnecting');
    client.connect();
    expect((await error).code).to.equal('WebSocketNotConnected');
    expect(await retry).to.deep.equal({ attempt: 1, delayMs: 60_000 });
    expect(client.state).to.equal('reconnecting');
  });

  it('a retry asks the HTTP side first: no WebSocket to a server that is not there, except every fifth retry', async () => {
    const url = 'ws://127.0.0.1:9/LiveApp/websocket';
    const fetchSpy = sinon.spy(window, 'fetch');
    const { made, stub } = countSockets();
    try {
      for (const retry of [1, 2, 3, 4]) {
        const t = createWebSocketTransport(url, retry);
        // Closed without an event: the client reads that as abnormal (1006).
        const closed = new Promise<unknown>((r) => (t.onclose = (ev) => r(ev)));
        expect(await closed).to.equal(undefined);
      }
      expect(made).to.deep.equal([]);
      expect(fetchSpy.callCount).to.equal(4);
      const [target, init] = fetchSpy.firstCall.args as [string, RequestInit];
      expect(target).to.equal('http://127.0.0.1:9/LiveApp/websocket');
      expect(init).to.include({ method: 'HEAD', mode: 'no-cors', cache: 'no-store' });
      // The first attempt and every fifth retry open the socket straight away (a CSP that refuses the probe cannot strand a page).
      for (const retry of [0, 5, 10]) createWebSocketTransport(url, retry).close();
      expect(made).to.deep.equal([url, url, url]);
      expect(fetchSpy.callCount).to.equal(4);
    } finally {
      stub.restore();
      fetchSpy.restore();
    }
  });

  it('a retry opens its socket once the probe answers, and close() during the probe opens nothing', async () => {
    const fetchSpy = sinon.spy(window, 'fetch');
    const { made, stub } = countSockets();
    try {
      const t = createWebSocketTransport(ws, 2);
      expect(made).to.deep.equal([]);
      await new Promise<void>((r) => (t.onopen = r));
      expect(made).to.deep.equal([ws]);
      expect(String(fetchSpy.firstCall.args[0])).to.equal(ws.replace(/^ws/, 'http'));
      t.close();

      const abandoned = createWebSocketTransport(ws, 3);
      const events: string[] = [];
      abandoned.onopen = () => events.push('open');
      abandoned.onclose = () => events.push('close');
      abandoned.close();
      await (fetchSpy.secondCall.returnValue as Promise<Response>).catch(() => undefined);
      await new Promise((r) => setTimeout(r));
      expect(made).to.deep.equal([ws]);
      expect(events).to.deep.equal([]);
    } finally {
      stub.restore();
      fetchSpy.restore();
    }
  });

  it('clients of one URL come back together: one that opens calls the waiting ones at once', async () => {
    const streamId = unique('together');
    await executeServerCommand('rtc-server', { action: 'fault', rule: { command: 'getStreamInfo', streamId, action: 'close', times: 1 } });
    const waiting = make({ reconnectPolicy: fixedPolicy(60_000) });
    const opened = next(waiting, 'open');
    waiting.connect();
    await opened;
    const retry = next(waiting, 'reconnecting');
    waiting.send({ command: 'getStreamInfo', streamId });
    expect(await retry).to.deep.equal({ attempt: 1, delayMs: 60_000 });
    // Another client of the same URL gets through: the waiting one retries now, not in a minute.
    const back = next(waiting, 'open');
    const other = make();
    other.connect();
    expect(await back).to.deep.equal({ reconnected: true });
    expect(other.state).to.equal('open');
  });

  it('ends with invalid_server_url for a URL WebSocket refuses', () => {
    const client = make({ url: 'ftp://127.0.0.1/LiveApp/websocket' });
    const log = record(client);
    client.connect();
    expect(client.state).to.equal('closed');
    expect(named(log, 'error').map((e) => e.code)).to.deep.equal(['invalid_server_url']);
  });

  it('createWebSocketTransport throws WebSocketNotSupported without WebSocket', () => {
    const stub = sinon.stub(globalThis, 'WebSocket').value(undefined);
    try {
      expect(() => createWebSocketTransport(ws))
        .to.throw(RtcError)
        .with.property('code', 'WebSocketNotSupported');
    } finally {
      stub.restore();
    }
  });
});
