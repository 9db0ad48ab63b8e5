// Smoke test: the DOM-free core (codec, reconnect policy, typed emitter, signaling client) loads
// and runs in Node, with no browser globals, through the fake transport and a manual clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RtcError } from '../../src/core/errors.js';
import { parseFrame, serializeFrame } from '../../src/core/protocol/codec.js';
import { DefaultReconnectPolicy, WAITING_QUICK_MS } from '../../src/core/signaling/reconnect-policy.js';
import { SignalingClient } from '../../src/core/signaling/signaling-client.js';
import { createWebSocketTransport } from '../../src/core/signaling/transport.js';
import { FakeServer, ManualTimers } from '../helpers/fake-transport.js';

describe('core in Node', () => {
  it('has no DOM globals here', () => {
    assert.equal(typeof (globalThis as { window?: unknown }).window, 'undefined');
    assert.equal(typeof (globalThis as { document?: unknown }).document, 'undefined');
  });

  it('codec parses, repairs and refuses frames', () => {
    assert.deepEqual(parseFrame('{"command":"pong"}'), { command: 'pong' });
    assert.deepEqual(parseFrame('{"command":"takeCandidate","streamId":"s","label":"2","id":"0","candidate":"c"}'), {
      command: 'takeCandidate',
      streamId: 's',
      label: 2,
      id: '0',
      candidate: 'c',
    });
    const error = parseFrame('{"command":"start"}');
    assert.ok(error instanceof RtcError);
    assert.equal(error.code, 'protocol');
    assert.ok(parseFrame('nope') instanceof RtcError);
    assert.equal(serializeFrame({ command: 'stop', streamId: 's' }), '{"command":"stop","streamId":"s"}');
  });

  it('DefaultReconnectPolicy retries quickly, then every second, and gives up after maxRetries', () => {
    const p = new DefaultReconnectPolicy({ jitter: 0, maxRetries: 14 });
    const delays = Array.from({ length: 15 }, (_, retryCount) => p.nextRetryDelayInMs({ retryCount, elapsedMs: 0, reason: 'closed' }));
    assert.deepEqual(delays, [50, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 1000, 1000, null]);
  });

  it('a player waiting for its stream asks at least eight times in the first 2 s, then about once a second', () => {
    // Holds for any draw of the ± 30 % spread (at +30 % throughout: exactly eight by 1950 ms).
    const WAIT = new DefaultReconnectPolicy({ quickMs: WAITING_QUICK_MS });
    const asks: number[] = [];
    let t = 0;
    for (let i = 0; i < 30; i++) asks.push((t += WAIT.nextRetryDelayInMs({ retryCount: i })!));
    assert.ok(asks.filter((a) => a <= 2000).length >= 8, `asks at ${asks.slice(0, 12).join(', ')} ms`);
    const later = asks.filter((a) => a > 3500);
    for (let i = 1; i < later.length; i++) assert.ok(later[i]! - later[i - 1]! >= 700, `gap ${later[i]! - later[i - 1]!} ms after 3.5 s`);
  });

  it('SignalingClient queues, pings, reconnects and closes cleanly', () => {
    const timers = new ManualTimers();
    const server = new FakeServer();
    const client = new SignalingClient({
      url: 'ws://fake/LiveApp/websocket',
      createTransport: server.create,
      reconnectPolicy: new DefaultReconnectPolicy({ jitter: 0 }),
      setTimeout: timers.setTimeout,
      clearTimeout: timers.clearTimeout,
      now: timers.now,
    });
    const events: string[] = [];
    client.on('state', ({ state }) => events.push(state));
    client.on('pong', () => events.push('pong'));
    client.on('frame', (f) => events.push(`frame:${f.command}`));
    client.on('reconnecting', ({ attempt, delayMs }) => events.push(`reconnecting:${attempt}:${delayMs}`));

    client.send({ command: 'getStreamInfo', streamId: 'a' });
    client.connect();
    server.last.open();
    assert.deepEqual(server.last.commands, [{ command: 'getStreamInfo', streamId: 'a' }]);

    timers.tick(3000);
    assert.equal(server.last.frames.at(-1)?.command, 'ping');
    server.last.receive({ command: 'notification', definition: 'play_started', streamId: 'a' });

    server.last.serverClose();
    client.send({ command: 'stop', streamId: 'a' });
    timers.tick(500);
    assert.equal(server.transports.length, 2);
    server.last.open();
    assert.deepEqual(server.last.commands, [{ command: 'stop', streamId: 'a' }]);

    client.close();
    assert.equal(timers.pending, 0);
    assert.deepEqual(events, ['connecting', 'open', 'pong', 'frame:notification', 'reconnecting', 'reconnecting:1:50', 'open', 'closed']);
  });

  it('createWebSocketTransport needs a WebSocket', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');
    // Node 22 has a global WebSocket; Node 20 does not. Test the missing case either way.
    Reflect.deleteProperty(globalThis, 'WebSocket');
    try {
      assert.throws(
        () => createWebSocketTransport('ws://127.0.0.1:1/'),
        (e: unknown) => e instanceof RtcError && e.code === 'WebSocketNotSupported',
      );
    } finally {
      if (saved) Object.defineProperty(globalThis, 'WebSocket', saved);
    }
  });
});
