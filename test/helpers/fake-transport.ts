/**
 * A scripted stand-in for the WebSocket under `SignalingClient` (livekit's mocked socket):
 * tests open it, push server frames into it and read what the client sent. DOM-free, so the
 * Node smoke test uses it too. `FakeSignaling` stands in for the whole signaling instead (a
 * `SessionDeps.createSignaling` of another protocol).
 */
import type { ServerFrame } from '../../src/core/protocol/messages.js';
import type { OutgoingFrame, Signaling, SignalingEventMap, SignalingState } from '../../src/core/signaling/signaling.js';
import type { CreateTransport, SignalingTransport } from '../../src/core/signaling/transport.js';
import { TypedEmitter } from '../../src/core/typed-emitter.js';

export type FakeReadyState = 'connecting' | 'open' | 'closed';
type Frame = Record<string, unknown> & { command: string };

export interface FakeServerOptions {
  /**
   * Answers a frame the client sent (called synchronously inside `send`). Return frames to push
   * back, or nothing. Default: `ping` → `pong`.
   */
  respond?: (frame: Frame, transport: FakeTransport) => Frame | Frame[] | void;
}

export class FakeTransport implements SignalingTransport {
  onopen: (() => void) | null = null;
  onclose: ((ev?: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((text: string) => void) | null = null;

  readyState: FakeReadyState = 'connecting';
  /** Every text the client sent, in order. */
  readonly sent: string[] = [];
  /** How the client closed this transport, if it did. */
  closedBy: { code: number | undefined; reason: string | undefined } | null = null;

  constructor(
    readonly url: string,
    private readonly respond?: FakeServerOptions['respond'],
  ) {}

  /** The sent texts parsed. */
  get frames(): Frame[] {
    return this.sent.map((s) => JSON.parse(s) as Frame);
  }

  /** The sent frames without the keepalive pings. */
  get commands(): Frame[] {
    return this.frames.filter((f) => f.command !== 'ping');
  }

  // ------------------------------------------------------------ client side

  send(text: string): void {
    if (this.readyState !== 'open') throw new Error(`FakeTransport.send while ${this.readyState}`);
    this.sent.push(text);
    const replies = this.respond?.(JSON.parse(text) as Frame, this);
    if (replies) for (const r of Array.isArray(replies) ? replies : [replies]) this.receive(r);
  }

  close(code?: number, reason?: string): void {
    this.closedBy = { code, reason };
    this.readyState = 'closed';
  }

  // ------------------------------------------------------------ server side (test script)

  /** The connection opens. */
  open(): void {
    this.readyState = 'open';
    this.onopen?.();
  }

  /** The server sends a frame (an object is serialised; a string goes as is). */
  receive(frame: object | string): void {
    this.onmessage?.(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The server (or network) closes the connection. */
  serverClose(code = 1006, reason = ''): void {
    this.readyState = 'closed';
    this.onclose?.({ code, reason });
  }

  /** The connection fails as a browser reports it: `error`, then `close` 1006. */
  fail(): void {
    this.readyState = 'closed';
    this.onerror?.();
    this.onclose?.({ code: 1006, reason: '' });
  }
}

/** Creates `FakeTransport`s and remembers them; `create` is the `createTransport` option. */
export class FakeServer {
  readonly transports: FakeTransport[] = [];
  /** Set to make the next `create` calls throw this. */
  throwOnCreate: unknown = undefined;

  constructor(private readonly options: FakeServerOptions = {}) {}

  readonly create: CreateTransport = (url) => {
    if (this.throwOnCreate !== undefined) throw this.throwOnCreate;
    const t = new FakeTransport(url, this.options.respond ?? FakeServer.pong);
    this.transports.push(t);
    return t;
  };

  /** The most recent transport. */
  get last(): FakeTransport {
    const t = this.transports[this.transports.length - 1];
    if (!t) throw new Error('no transport created yet');
    return t;
  }

  /** Default responder: answers `ping` with `pong`. */
  static pong(frame: Frame): Frame | void {
    if (frame.command === 'ping') return { command: 'pong' };
  }
}

/** A manual clock for injecting `setTimeout`/`clearTimeout`/`now` without sinon (Node smoke test). */
export class ManualTimers {
  private time = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  readonly setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  };
  readonly clearTimeout = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };
  readonly now = (): number => this.time;

  /** Timers still pending. */
  get pending(): number {
    return this.timers.size;
  }

  /** Advances the clock by `ms`, firing due timers in time order (including ones they set). */
  tick(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = next[1].at;
      next[1].fn();
    }
    this.time = end;
  }
}

/** A `Signaling` the test drives by hand: it records what is sent and emits what the test says. */
export class FakeSignaling extends TypedEmitter<SignalingEventMap> implements Signaling {
  state: SignalingState = 'idle';
  /** Every frame sent while not closed, in order. */
  readonly sent: OutgoingFrame[] = [];

  constructor(readonly url: string) {
    super();
  }

  connect(): void {
    if (this.state === 'idle') this.state = 'connecting';
  }

  send(frame: OutgoingFrame): void {
    if (this.state !== 'closed') this.sent.push(frame);
  }

  close(): void {
    this.state = 'closed';
  }

  /** The connection opens (again, with `reconnected`). */
  open(reconnected = false): void {
    this.state = 'open';
    this.emit('open', { reconnected });
  }

  /** The server sends `frame`. */
  receive(frame: ServerFrame): void {
    this.emit('frame', frame);
  }
}
