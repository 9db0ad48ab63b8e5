/**
 * The AMS signaling connection: one logical socket that keeps itself alive. It pings while open
 * (reference 1.2) and, unlike the AMS SDK, treats a silent socket as dead; it reconnects through
 * a `ReconnectPolicy`, queues frames while it is not open instead of dropping them (reference 1.3),
 * and turns text into typed frames. It knows nothing of publish or play: sessions on top of it
 * re-issue those after `open` with `reconnected: true`.
 *
 * DOM-free: the transport factory, timers, clock and `online` source are injected.
 *
 * Events, in order on a drop: `state` → `error` (the first failure of an episode only) → `close`
 * (only if the socket had opened) → `reconnecting`. Every entry into `closed` emits `close` with
 * `willReconnect: false`.
 *
 * The first implementation of `Signaling` (signaling.ts): the AMS protocol over a WebSocket.
 * @internal
 */
import { RtcError } from '../errors.js';
import { parseFrame, serializeFrame } from '../protocol/codec.js';
import { TypedEmitter } from '../typed-emitter.js';
import { DefaultReconnectPolicy, type ReconnectPolicy } from './reconnect-policy.js';
import type { OutgoingFrame, Signaling, SignalingEventMap, SignalingState as State } from './signaling.js';
import { createWebSocketTransport, type CreateTransport, type SignalingTransport } from './transport.js';

export const SignalingState = {
  IDLE: 'idle',
  CONNECTING: 'connecting',
  OPEN: 'open',
  RECONNECTING: 'reconnecting',
  CLOSED: 'closed',
} as const satisfies Record<string, State>;
/** `connecting` is the first attempt only; `reconnecting` covers waiting and every later attempt. */
export type SignalingState = State;

/** The legal moves; `closed` is final. */
export const SIGNALING_TRANSITIONS: Readonly<Record<SignalingState, readonly SignalingState[]>> = {
  idle: ['connecting', 'closed'],
  connecting: ['open', 'reconnecting', 'closed'],
  open: ['reconnecting', 'closed'],
  reconnecting: ['open', 'closed'],
  closed: [],
};

/**
 * The `Signaling` events (`open` once the socket is open and the queue flushed; `error`
 * `WebSocketNotConnected` once per episode: at the drop of an open socket or the first failed
 * attempt, not again for the retries until the next open; `protocol` for a malformed frame),
 * plus this client's own.
 */
export interface SignalingEvents extends SignalingEventMap {
  /** A retry is scheduled; `attempt` counts from 1 since the last open. */
  reconnecting: { attempt: number; delayMs: number };
  state: { state: SignalingState; previous: SignalingState };
}

/** Where the `online` event comes from (`window` in browsers). */
export interface OnlineEventSource {
  addEventListener(type: 'online', fn: () => void): void;
  removeEventListener(type: 'online', fn: () => void): void;
}

export interface SignalingClientOptions {
  /** `ws(s)://host:port/<App>/websocket`. */
  url: string;
  /** Default `createWebSocketTransport`. */
  createTransport?: CreateTransport;
  /** Default `new DefaultReconnectPolicy()`. */
  reconnectPolicy?: ReconnectPolicy;
  /** Ping period while open; 0 turns keepalive off. Default 3000. */
  pingIntervalMs?: number;
  /** No frame at all for this long after a ping means the socket is dead; 0 turns the check off. Default 10 000. */
  pongTimeoutMs?: number;
  /** An attempt not open after this long is abandoned; 0 waits forever. Default 10 000. */
  connectTimeoutMs?: number;
  /** While reconnecting, its `online` event cuts the wait short. */
  online?: OnlineEventSource;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  /** Clock for `ReconnectContext.elapsedMs`. Default `Date.now`. */
  now?: () => number;
}

/** Why a socket or attempt ended. */
interface Drop {
  reason: string;
  code: number;
  closeReason: string;
  error?: RtcError;
}

const PING = serializeFrame({ command: 'ping' });
/** Close code for a socket that ended without a close frame (RFC 6455 7.4.1). */
const ABNORMAL = 1006;
/** Largest delay `setTimeout` honours. */
const MAX_DELAY = 2 ** 31 - 1;

const duration = (value: number | undefined, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;

/** An exception from a transport factory: non-recoverable ones end the client. */
function factoryError(error: unknown): RtcError {
  if (error instanceof RtcError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  // `new WebSocket(url)` throws a SyntaxError DOMException for a malformed or non-ws URL.
  if (name === 'SyntaxError') return RtcError.of('invalid_server_url', { cause: error });
  return RtcError.of('WebSocketNotConnected', { cause: error });
}

/**
 * The page's clients, by URL: one that gets through calls those waiting to retry the same URL at
 * once (a room's sockets, or a publisher and players, come back together, not a second apart).
 */
const together = new EventTarget();

/** The signaling connection to one AMS application. */
export class SignalingClient extends TypedEmitter<SignalingEvents> implements Signaling {
  /** The WebSocket URL this client connects to. */
  readonly url: string;

  #currentState: SignalingState = 'idle';
  #transport: SignalingTransport | null = null;
  #transportOpen = false;
  /** Serialised frames waiting for an open socket, oldest first. */
  readonly #queue: string[] = [];
  #retryCount = 0;
  #lostAt = 0;
  #hasOpened = false;
  #connectTimer: unknown;
  #retryTimer: unknown;
  #pingTimer: unknown;
  #pongTimer: unknown;

  readonly #createTransport: CreateTransport;
  readonly #policy: ReconnectPolicy;
  readonly #pingIntervalMs: number;
  readonly #pongTimeoutMs: number;
  readonly #connectTimeoutMs: number;

  constructor(private readonly options: SignalingClientOptions) {
    super();
    this.url = options.url;
    this.#createTransport = options.createTransport ?? createWebSocketTransport;
    this.#policy = options.reconnectPolicy ?? new DefaultReconnectPolicy();
    this.#pingIntervalMs = duration(options.pingIntervalMs, 3000);
    this.#pongTimeoutMs = duration(options.pongTimeoutMs, 10_000);
    this.#connectTimeoutMs = duration(options.connectTimeoutMs, 10_000);
  }

  /** Current connection state. */
  get state(): SignalingState {
    return this.#currentState;
  }

  /** Starts connecting; does nothing unless `idle`. */
  connect(): void {
    if (this.#currentState !== 'idle') return;
    try {
      this.options.online?.addEventListener('online', this.#handleOnline);
    } catch {
      // An unusable `online` source only loses the early retry.
    }
    if (this.#transition('connecting')) this.#attempt();
  }

  /**
   * Sends a frame now if open, else queues it for the next open (in order). Dropped silently
   * once closed. A frame that cannot be serialised is reported as a `protocol` error.
   */
  send(frame: OutgoingFrame): void {
    if (this.#currentState === 'closed') return;
    let text: string;
    try {
      text = serializeFrame(frame);
    } catch (cause) {
      this.emit('error', RtcError.of('protocol', { message: `Could not serialise a "${String(frame.command)}" frame.`, cause }));
      return;
    }
    // A non-empty queue means a flush is in progress: keep the order.
    if (this.#transportOpen && this.#queue.length === 0) this.#write(text);
    else this.#queue.push(text);
  }

  /** Closes for good: no reconnect, timers cleared, queue dropped, state `closed`. */
  close(): void {
    if (this.#currentState === 'closed') return;
    this.#finish({ reason: 'client closed', code: 1000, closeReason: 'client closed' });
  }

  // ------------------------------------------------------------------ internals

  #transition(next: SignalingState): boolean {
    const previous = this.#currentState;
    // The table never allows staying put (test/browser/core/signaling-deps.test.ts).
    if (!SIGNALING_TRANSITIONS[previous].includes(next)) return false;
    this.#currentState = next;
    this.emit('state', { state: next, previous });
    return true;
  }

  /** Opens one transport; its handlers act only while it is the current one. */
  #attempt(): void {
    let t: SignalingTransport;
    try {
      t = this.#createTransport(this.url, this.#retryCount);
    } catch (error) {
      const rtcError = factoryError(error);
      const drop = { reason: 'transport failed', code: ABNORMAL, closeReason: rtcError.message, error: rtcError };
      if (rtcError.recoverable) this.#lost(drop);
      else this.#finish(drop);
      return;
    }
    this.#transport = t;
    t.onopen = () => {
      if (this.#transport === t && !this.#transportOpen) this.#handleOpen(t);
    };
    t.onmessage = (text) => {
      if (this.#transport === t && this.#transportOpen) this.#handleMessage(text);
    };
    t.onerror = () => {
      if (this.#transport === t) this.#lost({ reason: 'error', code: ABNORMAL, closeReason: '' });
    };
    t.onclose = (ev) => {
      if (this.#transport === t) this.#lost({ reason: 'closed', code: ev?.code ?? ABNORMAL, closeReason: ev?.reason ?? '' });
    };
    if (this.#connectTimeoutMs > 0) {
      this.#connectTimer = this.#setTimer(() => {
        this.#connectTimer = undefined;
        if (this.#transport === t && !this.#transportOpen) this.#lost({ reason: 'connect timeout', code: ABNORMAL, closeReason: 'connect timeout' });
      }, this.#connectTimeoutMs);
    }
  }

  #handleOpen(t: SignalingTransport): void {
    this.#clearTimer(this.#connectTimer);
    this.#connectTimer = undefined;
    this.#transportOpen = true;
    const reconnected = this.#hasOpened;
    this.#hasOpened = true;
    this.#retryCount = 0;
    this.#flush(t);
    if (this.#transport !== t) return;
    this.#schedulePing();
    if (!this.#transition('open')) return;
    together.dispatchEvent(new Event(this.url));
    if (this.#transport === t) this.emit('open', { reconnected });
  }

  #handleMessage(text: string): void {
    // Any inbound frame, even a malformed one, proves the socket is alive.
    this.#clearTimer(this.#pongTimer);
    this.#pongTimer = undefined;
    const frame = parseFrame(text);
    if (frame instanceof RtcError) this.emit('error', frame);
    else if (frame.command === 'pong') this.emit('pong', {});
    else this.emit('frame', frame);
  }

  readonly #handleOnline = (): void => {
    if (this.#currentState !== 'reconnecting' || this.#retryTimer === undefined) return;
    this.#clearTimer(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#attempt();
  };

  #flush(t: SignalingTransport): void {
    while (this.#queue.length > 0 && this.#transport === t && this.#transportOpen) this.#write(this.#queue.shift()!);
  }

  #write(text: string): void {
    const t = this.#transport!;
    try {
      t.send(text);
    } catch (cause) {
      // Not sent, so not lost: it goes first on the next socket.
      this.#queue.unshift(text);
      this.#lost({ reason: 'send failed', code: ABNORMAL, closeReason: '', error: RtcError.of('WebSocketNotConnected', { cause }) });
    }
  }

  #schedulePing(): void {
    if (this.#pingIntervalMs <= 0) return;
    this.#pingTimer = this.#setTimer(() => {
      this.#pingTimer = undefined;
      this.#ping();
    }, this.#pingIntervalMs);
  }

  #ping(): void {
    const t = this.#transport;
    if (!t || !this.#transportOpen) return;
    try {
      t.send(PING);
    } catch (cause) {
      this.#lost({ reason: 'send failed', code: ABNORMAL, closeReason: '', error: RtcError.of('WebSocketNotConnected', { cause }) });
      return;
    }
    // The deadline runs from the first unanswered ping; later pings do not extend it.
    if (this.#pongTimeoutMs > 0 && this.#pongTimer === undefined) {
      this.#pongTimer = this.#setTimer(() => {
        this.#pongTimer = undefined;
        if (this.#transport === t) this.#lost({ reason: 'pong timeout', code: ABNORMAL, closeReason: 'pong timeout' });
      }, this.#pongTimeoutMs);
    }
    this.#schedulePing();
  }

  /** A failed attempt or a dropped socket: schedule a retry, or give up if the policy says so. */
  #lost(drop: Drop): void {
    const previous = this.#currentState;
    if (previous !== 'connecting' && previous !== 'open' && previous !== 'reconnecting') return;
    const wasOpen = this.#transportOpen;
    this.#dropTransport(drop.closeReason);
    if (previous !== 'reconnecting') this.#lostAt = this.#now();
    const error =
      drop.error ??
      RtcError.of('WebSocketNotConnected', {
        message: wasOpen ? `The connection to the server was lost (${drop.reason}).` : `Could not connect to the server (${drop.reason}).`,
      });
    // One error an episode (from the drop or the first failed attempt until the next open): the
    // retries after it are the same trouble, not news.
    const first = previous !== 'reconnecting';
    const delayMs = this.#nextDelay(drop.reason);
    if (delayMs === null) {
      this.#finish({ ...drop, error: first ? error : undefined });
      return;
    }
    const attempt = ++this.#retryCount;
    this.#retryTimer = this.#setTimer(() => {
      this.#retryTimer = undefined;
      if (this.#currentState === 'reconnecting') this.#attempt();
    }, delayMs);
    // Listed from its first loss until closed: the page's list holds no client that never lost its socket.
    together.addEventListener(this.url, this.#handleOnline);
    this.#transition('reconnecting');
    // A listener may close the client at any point; stop emitting if it did.
    if (this.#currentState !== 'reconnecting') return;
    if (first) this.emit('error', error);
    if (wasOpen && this.#currentState === 'reconnecting') this.emit('close', { code: drop.code, reason: drop.closeReason, willReconnect: true });
    if (this.#currentState === 'reconnecting') this.emit('reconnecting', { attempt, delayMs });
  }

  #nextDelay(reason: string): number | null {
    let delay: number | null;
    try {
      delay = this.#policy.nextRetryDelayInMs({ retryCount: this.#retryCount, elapsedMs: Math.max(0, this.#now() - this.#lostAt), reason });
    } catch {
      // A policy that throws cannot say when to retry: treat it as giving up.
      return null;
    }
    if (typeof delay !== 'number' || Number.isNaN(delay)) return null;
    return Math.min(MAX_DELAY, Math.max(0, delay));
  }

  /** Enters `closed`: everything released, then `error` (if any) and `close`. */
  #finish(drop: Drop): void {
    try {
      this.options.online?.removeEventListener('online', this.#handleOnline);
    } catch {
      // Nothing more to release.
    }
    together.removeEventListener(this.url, this.#handleOnline);
    this.#dropTransport(drop.closeReason);
    this.#clearTimer(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#queue.length = 0;
    if (!this.#transition('closed')) return;
    if (drop.error) this.emit('error', drop.error);
    this.emit('close', { code: drop.code, reason: drop.closeReason, willReconnect: false });
  }

  /** Detaches and closes the current transport and stops its timers. */
  #dropTransport(reason: string): void {
    const t = this.#transport;
    this.#transport = null;
    this.#transportOpen = false;
    for (const timer of [this.#connectTimer, this.#pingTimer, this.#pongTimer]) this.#clearTimer(timer);
    this.#connectTimer = this.#pingTimer = this.#pongTimer = undefined;
    if (!t) return;
    t.onopen = t.onclose = t.onerror = null;
    t.onmessage = null;
    try {
      // Close reasons are capped at 123 bytes on the wire.
      t.close(1000, reason.slice(0, 100));
    } catch {
      // Already closed or never opened: nothing to release.
    }
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }

  #setTimer(fn: () => void, ms: number): unknown {
    const set = this.options.setTimeout;
    return set ? set(fn, ms) : setTimeout(fn, ms);
  }

  #clearTimer(handle: unknown): void {
    if (handle === undefined) return;
    const clear = this.options.clearTimeout;
    if (clear) clear(handle);
    else clearTimeout(handle as Parameters<typeof clearTimeout>[0]);
  }
}
