/**
 * The bridge between a DOM-free session (publish or play) and its element (STYLE.md convention 7):
 * it owns the session's lifecycle, keeps `state`, `error` and `stats` for rendering, reflects
 * `state` and `error-code`, and is where session events become `rtc-*` DOM events.
 * @internal
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { toRtcError, type RtcError } from '../core/errors.js';
import { lazy } from '../core/lazy.js';
import type { AmsCallback, SessionDeps, SessionEvents, SessionState } from '../core/session/types.js';
import type { RtcStats } from '../core/stats.js';
import type { TypedEmitter } from '../core/typed-emitter.js';
import { RTC_ERROR, RTC_STATE_CHANGE, rtcEventName } from '../events/names.js';
import type { RtcEventMap } from '../events/rtc-events.js';

/** WHIP/WHEP sessions: a chunk of its own (dist/whip.js), fetched only by an element whose server speaks them. */
const loadWhip = lazy(() => import('../core/session/whip-sessions.js'));

/**
 * What the controller needs of a session (`PublishSession`, `PlaySession`). A player fallback that
 * is not WebRTC (HLS, next) is one more `SessionLike`, made by the player's `create` when WebRTC
 * cannot play; a second signaling protocol instead goes behind `SessionDeps.createSignaling`.
 */
export interface SessionLike<O = never> {
  readonly state: SessionState;
  on: TypedEmitter<SessionEvents>['on'];
  start(options: O): Promise<void>;
  stop(): Promise<void>;
  dispose(): void;
  setStatsInterval(ms: number): void;
  sendData(data: string | ArrayBuffer | ArrayBufferView): void;
  getStats(): Promise<RtcStats>;
  /** A player waiting for its stream to go live: its errors are dispatched, not kept (waiting is a state, not an error). */
  readonly waiting?: boolean;
}

/**
 * The element side, as the controllers see it: a Lit host that reflects attributes and dispatches
 * the `rtc-*` events (`RtcElement` is one). Defined here so the controllers never import the elements.
 */
export interface SessionHost extends ReactiveControllerHost {
  /** The stream the element is about (`''` when unset). */
  readonly streamId: string;
  readonly isConnected: boolean;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  /** Dispatches one of the elements' events (see `RtcElement.emit`). */
  emit<K extends keyof RtcEventMap>(type: K, detail: RtcEventMap[K]['detail'], options?: { cancelable?: boolean }): RtcEventMap[K];
}

export interface SessionControllerOptions<S> {
  create: (deps: SessionDeps) => S;
  /** `auto-publish` / `autoplay`: start when connected. */
  auto: () => boolean;
  /** The element's own start (`start()` / `play()`), for auto start and retry. */
  start: () => Promise<void>;
  /** Stats period while a session runs (drives `updated_stats`). */
  statsIntervalMs: number;
  /** Called after each session callback has been dispatched. */
  onCallback?: (callback: AmsCallback) => void;
  /** The element became `failed` (a start that failed, or a session that gave up): release what it holds. */
  onFail?: () => void;
}

const ACTIVE: ReadonlySet<SessionState> = new Set<SessionState>(['connecting', 'negotiating', 'live', 'reconnecting']);
/** Swallows a rejection already reported as `rtc-error` (and the result of a fire-and-forget call). */
export const noop = (): void => undefined;

/**
 * Dispatches one AMS callback as `rtc-<kebab name>` with detail `{...payload, streamId, definition}`.
 * Names that would collide with our own events are dropped.
 */
export function dispatchCallback(host: SessionHost, definition: string, payload: object = {}, streamId?: string): void {
  const type = rtcEventName(definition);
  if (type === 'rtc-' || type === RTC_ERROR || type === RTC_STATE_CHANGE) return;
  host.emit(type as 'rtc-pong', { ...payload, streamId: streamId ?? host.streamId, definition });
}

export class SessionController<S extends SessionLike<unknown> = SessionLike<unknown>> implements ReactiveController {
  /** The element's state: the session's, plus `connecting`/`failed` around capture and checks. */
  state: SessionState = 'idle';
  /** The current error; cleared by a new start, `stop()` and going live. */
  error: RtcError | null = null;
  /** The page canceled the `rtc-error` of `error`: no overlay. */
  errorHidden = false;
  /** The newest stats snapshot while running. */
  stats: RtcStats | null = null;
  /** The running session, if any. */
  session: S | null = null;
  /** The newest start, until it settles. */
  pending: Promise<void> | null = null;
  #call = 0;
  readonly #reported = new WeakSet<RtcError>();

  constructor(
    private readonly host: SessionHost,
    private readonly options: SessionControllerOptions<S>,
  ) {
    host.addController(this);
  }

  /** A session is on its way or live. */
  get active(): boolean {
    return ACTIVE.has(this.state);
  }

  /** Whether the overlay may offer a retry: the error allows it and nothing is retrying already. */
  get retryable(): boolean {
    return !!this.error?.recoverable && this.state === 'failed';
  }

  hostConnected(): void {
    if (this.host.getAttribute('state') !== this.state) this.host.setAttribute('state', this.state);
    if (!this.options.auto()) return;
    // After the first render, so properties set right after insertion are read too.
    void this.host.updateComplete.then(() => {
      if (this.host.isConnected && this.options.auto() && !this.active) this.options.start().catch(noop);
    });
  }

  hostDisconnected(): void {
    this.#call++;
    this.#drop();
    this.stats = null;
    this.#clearError();
    if (this.state !== 'idle') this.#setState('stopped');
  }

  /**
   * Starts a new run: ends the previous session and returns a check that turns false once a
   * newer run or `stop()` supersedes this one.
   */
  begin(): () => boolean {
    const id = ++this.#call;
    this.#drop();
    this.stats = null;
    this.#clearError();
    this.#setState('connecting');
    return () => id === this.#call;
  }

  /**
   * Creates the session, wires its events and starts it; resolves when live. `whip` (the
   * `protocol`, `whip` or `whep`): its WHIP (publisher) or WHEP (player) twin, from the lazy chunk
   * `dist/whip.js` (a failed fetch is `module_load_failed`, a bad protocol `invalid_protocol`).
   */
  async connect(url: string, options: S extends SessionLike<infer O> ? O : never, current: () => boolean, whip?: string | false): Promise<void> {
    const deps: SessionDeps = { url, online: globalThis as unknown as SessionDeps['online'] };
    let s = this.options.create(deps);
    if (whip) {
      s = (await loadWhip()).whipSession(s, deps, whip);
    }
    if (!current()) return s.dispose();
    this.session = s;
    const mine = (): boolean => this.session === s;
    s.on('stateChange', ({ state }) => mine() && this.#setState(state));
    s.on('callback', (cb) => {
      if (!mine()) return;
      dispatchCallback(this.host, cb.definition, cb.payload, cb.streamId);
      this.options.onCallback?.(cb);
    });
    s.on('error', (error) => mine() && this.report(error, !s.waiting));
    s.on('stats', (stats) => {
      if (!mine()) return;
      this.stats = stats;
      this.host.requestUpdate();
    });
    s.on('track', () => mine() && this.host.requestUpdate());
    s.setStatsInterval(this.options.statsIntervalMs);
    this.host.requestUpdate();
    await s.start(options);
  }

  /**
   * Awaits a run and remembers it as `pending`. A superseded run resolves quietly; a failure is
   * reported once (`rtc-error`), leaves the element `failed` and rejects with the `RtcError`.
   */
  settle(run: Promise<void>, current: () => boolean): Promise<void> {
    const p = run.then(noop, (e: unknown) => {
      if (!current()) return;
      const error = toRtcError(e);
      this.report(error);
      this.#setState('failed');
      throw error;
    });
    this.pending = p;
    // Callers may rely on events alone: an unawaited failure is not "unhandled".
    p.catch(noop);
    return p;
  }

  /** Stops the session (never rejects); the element becomes `stopped`. */
  async stop(): Promise<void> {
    const id = ++this.#call;
    const s = this.session;
    this.#clearError();
    if (s) {
      await s.stop();
      if (this.session === s) this.#drop();
    }
    if (id !== this.#call) return;
    this.stats = null;
    this.pending = null;
    if (this.state !== 'idle') this.#setState('stopped');
  }

  /**
   * Dispatches the cancelable `rtc-error` once per error. An error of the connection (`keep`)
   * also becomes `error` / `error-code` and the overlay; a failed action (switching camera,
   * sharing the screen) is only dispatched, and its method rejects.
   */
  report(error: RtcError, keep = true): void {
    if (this.#reported.has(error)) return;
    this.#reported.add(error);
    if (keep) {
      this.error = error;
      this.host.setAttribute('error-code', error.code);
    }
    const { code, message, category, recoverable } = error;
    const streamId = error.streamId ?? (this.host.streamId || undefined);
    const event = this.host.emit('rtc-error', { code, message, category, recoverable, streamId, error }, { cancelable: true });
    if (keep && this.error === error) this.errorHidden = event.defaultPrevented;
    this.host.requestUpdate();
  }

  /** The overlay's retry button: `start()` / `play()` again. */
  retry(): void {
    this.options.start().catch(noop);
  }

  #setState(next: SessionState): void {
    const previous = this.state;
    if (previous === next) return;
    this.state = next;
    if (next === 'live') this.#clearError();
    if (next === 'failed') this.options.onFail?.();
    this.host.setAttribute('state', next);
    this.host.emit('rtc-state-change', { state: next, previous });
    this.host.requestUpdate();
  }

  #clearError(): void {
    if (!this.error) return;
    this.error = null;
    this.errorHidden = false;
    this.host.removeAttribute('error-code');
    this.host.requestUpdate();
  }

  /** Forgets the session and releases it (socket, peer connection, timers). */
  #drop(): void {
    const s = this.session;
    this.session = null;
    s?.dispose();
  }
}
