/**
 * A hostile signaling server for the browser tests (web-test-runner.config.mjs starts it on
 * demand): a `ws` server that answers every socket with a seeded stream of random, truncated,
 * oversized, out-of-order and type-confused frames, and valid frames at the wrong time
 * (`takeConfiguration` with garbage SDP, `start` while live, candidates for streams nobody has,
 * notifications with unknown or prototype-named definitions, `error` with non-string
 * definitions, deep nesting, binary frames). Ids the client sends (stream, room) are echoed back
 * in most frames so they reach the sessions, not only the codec. It sends `budget` frames in
 * all (over every socket), then goes quiet and only keeps the sockets open.
 */
import { WebSocketServer, type WebSocket } from 'ws';

/** mulberry32: small, fast, seeded; the same seed gives the same frames. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface HostileStats {
  seed: number;
  budget: number;
  sent: number;
  connections: number;
  /** Frames by kind, for the report. */
  kinds: Record<string, number>;
}

const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];
const NOTIFICATIONS = [
  'publish_started',
  'publish_finished',
  'play_started',
  'play_finished',
  'session_restored',
  'joinedTheRoom',
  'leavedFromRoom',
  'subtrackAdded',
  'subtrackRemoved',
  'broadcastObject',
  'subtrackList',
  'subtrackCount',
  'streamJoined',
  'streamLeaved',
  'joined',
  'leaved',
  'bitrateMeasurement',
  'streamInformation',
  'roomInformation',
  'trackList',
  'data_received',
  'peerMessageCommand',
  'ice_connection_state_changed',
  'closed',
  'error',
  'state-change',
  'rtc-error',
  '',
  '-',
];
const ERRORS = [
  'no_stream_exist',
  'stream_not_exist_or_not_streaming',
  'unauthorized_access',
  'streamIdInUse',
  'no_room_specified',
  'no_active_streams_in_room',
  'notSetRemoteDescription',
  'invalidStreamName',
  'highResourceUsage',
  'viewerLimitReached',
  'license_suspended_please_renew_license',
  'not_allowed_unregistered_streams',
  'WebSocketNotConnected',
  'AbortError',
  'protocol',
];
const COMMANDS = [
  'start',
  'stop',
  'takeConfiguration',
  'takeCandidate',
  'notification',
  'error',
  'pong',
  'iceServerConfig',
  'roomInformation',
  'streamInformation',
  'trackList',
  'peerMessageCommand',
  'connectWithNewId',
  'joined',
];

/** A plausible SDP (parses as SDP, describes nothing this client offered). */
const FAKE_SDP =
  'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n' +
  'a=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF\r\n' +
  'a=setup:actpass\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\n';

class Gen {
  constructor(
    readonly r: () => number,
    readonly ids: string[],
  ) {}

  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.r() < p;
  }

  text(max = 40): string {
    const n = this.int(max);
    let s = '';
    for (let i = 0; i < n; i++) {
      const c = this.r();
      // Mostly printable ASCII; some controls, lone surrogates and astral characters.
      if (c < 0.85) s += String.fromCharCode(32 + this.int(95));
      else if (c < 0.9) s += String.fromCharCode(this.int(32));
      else if (c < 0.95) s += String.fromCharCode(0xd800 + this.int(0x800));
      else s += String.fromCodePoint(0x1f600 + this.int(80));
    }
    return s;
  }

  /** An id the client uses (most of the time), one nobody uses, or a hostile one. */
  id(): string {
    const c = this.r();
    if (c < 0.7 && this.ids.length > 0) return this.pick(this.ids);
    if (c < 0.8) return this.pick(PROTO_NAMES);
    if (c < 0.9) return `ghost${this.int(1000)}`;
    return this.text(12);
  }

  /** Any JSON value, `depth` levels deep at most. */
  value(depth = 2): unknown {
    const c = this.int(depth > 0 ? 10 : 7);
    switch (c) {
      case 0:
        return null;
      case 1:
        return this.chance(0.5);
      case 2:
        return this.pick([0, -1, 1, 1.5, 2 ** 31, -(2 ** 53), 1e308, -0]);
      case 3:
        return this.text();
      case 4:
        return this.id();
      case 5:
        return this.pick(PROTO_NAMES);
      case 6:
        return '';
      case 7:
        return Array.from({ length: this.int(4) }, () => this.value(depth - 1));
      default: {
        // No prototype: "__proto__" and "constructor" become keys of their own, as JSON.parse makes them.
        const o = Object.create(null) as Record<string, unknown>;
        for (let i = this.int(4); i > 0; i--) o[this.chance(0.3) ? this.pick(PROTO_NAMES) : this.text(8)] = this.value(depth - 1);
        return o;
      }
    }
  }

  /** A field's value: the right type most of the time, anything otherwise. */
  maybe<T>(good: () => T): unknown {
    return this.chance(0.75) ? good() : this.value();
  }

  candidate(): string {
    return this.pick([
      `candidate:1 1 udp 2122260223 127.0.0.1 ${1024 + this.int(60000)} typ host generation 0`,
      `candidate:${this.text(6)}`,
      '',
      this.text(80),
      'candidate:1 1 udp 1 999.1.1.1 1 typ host',
    ]);
  }

  /** A frame the protocol knows, with fields of the right type mostly, at any time. */
  frame(): Record<string, unknown> {
    const command = this.chance(0.95) ? this.pick(COMMANDS) : this.value();
    const f: Record<string, unknown> = { command };
    if (this.chance(0.9)) f.streamId = this.maybe(() => this.id());
    switch (command) {
      case 'takeConfiguration':
        f.type = this.maybe(() => this.pick(['offer', 'answer', 'pranswer', 'rollback']));
        f.sdp = this.maybe(() => (this.chance(0.5) ? FAKE_SDP : this.chance(0.5) ? this.text(200) : FAKE_SDP.slice(0, this.int(FAKE_SDP.length))));
        if (this.chance(0.3)) f.idMapping = this.maybe(() => ({ 0: this.id(), 1: this.id() }));
        break;
      case 'takeCandidate':
        f.label = this.maybe(() => this.pick([0, 1, 5, '0', '3', -1, 1.5, 1e9]));
        f.id = this.maybe(() => this.pick(['0', '1', 'audio', 'video']));
        f.candidate = this.maybe(() => this.candidate());
        break;
      case 'notification':
        f.definition = this.maybe(() => (this.chance(0.8) ? this.pick(NOTIFICATIONS) : this.chance(0.5) ? this.pick(PROTO_NAMES) : this.text(30)));
        if (this.chance(0.5)) f.trackId = this.maybe(() => this.id());
        if (this.chance(0.3)) f.room = this.maybe(() => this.id());
        if (this.chance(0.3)) f.streams = this.maybe(() => Array.from({ length: this.int(6) }, () => this.id()));
        if (this.chance(0.2)) f.streamList = this.maybe(() => [{ streamId: this.id(), streamName: this.value() }, this.value()]);
        if (this.chance(0.3))
          f.broadcast = this.maybe(() => JSON.stringify({ streamId: this.id(), name: this.value(), subTrackStreamIds: [this.id(), this.value()] }));
        if (this.chance(0.2)) f.data = this.maybe(() => this.text(60));
        if (this.chance(0.2)) f.streamName = this.value();
        if (this.chance(0.2)) f.metaData = this.value();
        break;
      case 'error':
        f.definition = this.chance(0.7) ? this.maybe(() => this.pick(ERRORS)) : this.value();
        break;
      case 'roomInformation':
        f.room = this.maybe(() => this.id());
        f.streams = this.maybe(() => Array.from({ length: this.int(6) }, () => this.id()));
        f.streamList = this.maybe(() => [{ streamId: this.id(), streamName: this.value() }]);
        break;
      case 'iceServerConfig':
        f.stunServerUri = this.maybe(() => this.pick(['stun:127.0.0.1:1', 'turn:127.0.0.1:1', 'turns:x', 'stun:', this.text(20)]));
        f.turnServerUsername = this.value();
        f.turnServerCredential = this.value();
        break;
      case 'trackList':
        f.trackList = this.maybe(() => Array.from({ length: this.int(5) }, () => this.id()));
        break;
      default:
        if (this.chance(0.5)) f[this.text(8)] = this.value();
    }
    return f;
  }

  /** One message on the wire and its kind. */
  message(): { data: string | Buffer; kind: string } {
    const c = this.r();
    if (c < 0.58) return { data: JSON.stringify(this.frame()), kind: 'frame' };
    if (c < 0.73) {
      const s = JSON.stringify(this.frame());
      return { data: s.slice(0, this.int(s.length)), kind: 'truncated' };
    }
    if (c < 0.83) return { data: this.text(120), kind: 'junk' };
    if (c < 0.89) return { data: JSON.stringify(this.value(3)), kind: 'not-a-frame' };
    if (c < 0.94) {
      // Out of order: the frames of a whole negotiation, backwards or shuffled.
      const id = this.id();
      const seq = [
        { command: 'notification', definition: 'play_started', streamId: id },
        { command: 'takeCandidate', streamId: id, label: 0, id: '0', candidate: this.candidate() },
        { command: 'takeConfiguration', streamId: id, type: this.pick(['offer', 'answer']), sdp: FAKE_SDP },
        { command: 'start', streamId: id },
        { command: 'notification', definition: 'publish_started', streamId: id },
      ];
      return { data: JSON.stringify(seq[this.int(seq.length)]), kind: 'out-of-order' };
    }
    if (c < 0.975) return { data: Buffer.from(Array.from({ length: this.int(64) }, () => this.int(256))), kind: 'binary' };
    if (c < 0.99) {
      // Deep nesting, inside a frame with a command.
      const depth = this.pick([100, 1000, 10_000, 50_000]);
      const open = this.chance(0.5) ? '[' : '{"a":';
      const close = open === '[' ? ']' : '}';
      const inner = open.repeat(depth) + '1' + (this.chance(0.8) ? close.repeat(depth) : '');
      return { data: `{"command":"notification","definition":"deep","streamId":${JSON.stringify(this.id())},"x":${inner}}`, kind: 'deep' };
    }
    if (c < 0.9998) {
      // A huge string in a field (under the client's 1 MiB cap).
      const f = this.frame();
      f[this.pick(['definition', 'sdp', 'candidate', 'streamId', 'data', 'broadcast'])] = 'x'.repeat(20_000 + this.int(200_000));
      return { data: JSON.stringify(f), kind: 'huge' };
    }
    // Over the client's cap (1 MiB): refused before JSON.parse.
    return { data: `{"command":"notification","definition":"${'y'.repeat(1024 * 1024 + this.int(1000))}"}`, kind: 'oversized' };
  }
}

/** Ids a client frame names (stream, room, track). */
function learn(ids: string[], text: string): void {
  let f: unknown;
  try {
    f = JSON.parse(text);
  } catch {
    return;
  }
  if (!f || typeof f !== 'object') return;
  for (const key of ['streamId', 'room', 'mainTrack', 'userPublishId']) {
    const v = (f as Record<string, unknown>)[key];
    if (typeof v === 'string' && v && !ids.includes(v)) ids.push(v);
  }
}

export interface HostileServer {
  url: string;
  stats(): HostileStats;
  close(): Promise<void>;
}

/** Starts a hostile server on a free loopback port; `budget` frames in all, `batch` per turn of the event loop. */
export async function startHostileServer({ seed, budget = 100_000, batch = 200 }: { seed: number; budget?: number; batch?: number }): Promise<HostileServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const stats: HostileStats = { seed, budget, sent: 0, connections: 0, kinds: {} };
  const sockets = new Set<WebSocket>();
  wss.on('connection', (ws) => {
    const n = stats.connections++;
    sockets.add(ws);
    const ids: string[] = [];
    // One generator per socket, seeded from the run's seed and the socket's number: reproducible
    // as long as the client opens its sockets in the same order.
    const gen = new Gen(prng(seed * 7919 + n), ids);
    let open = true;
    ws.on('message', (data, isBinary) => {
      if (!isBinary) learn(ids, String(data));
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      open = false;
      sockets.delete(ws);
    });
    const pump = (): void => {
      if (!open || stats.sent >= budget) return;
      // Back off while the client is behind (no unbounded buffer here either).
      if (ws.bufferedAmount > 4 * 1024 * 1024) return void setTimeout(pump, 5);
      for (let i = 0; i < batch && stats.sent < budget; i++) {
        const { data, kind } = gen.message();
        stats.sent++;
        stats.kinds[kind] = (stats.kinds[kind] ?? 0) + 1;
        ws.send(data, { binary: Buffer.isBuffer(data) });
      }
      setTimeout(pump, 1);
    };
    // Give the client's first frames (publish, play, joinRoom) a moment to name their ids.
    setTimeout(pump, 20);
  });
  const port = (wss.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}/LiveApp/websocket`,
    stats: () => ({ ...stats, kinds: { ...stats.kinds } }),
    close: async () => {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
