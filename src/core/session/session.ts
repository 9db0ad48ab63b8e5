/**
 * The part publishing and playing share: one signaling (from `SessionDeps.createSignaling`), one
 * peer connection (a `Peer`: candidates, ICE watching, offers/answers), the state machine, server
 * frames turned into AMS callbacks and errors, stats, data channel, and recovery (ICE restart
 * first where AMS allows it, then a full new publish/play).
 */
import { catalogEntry, isCatalogCode, RtcError } from '../errors.js';
import type { IceServerConfigFrame, NotificationFrame, ServerFrame, StartFrame, TakeConfigurationFrame } from '../protocol/messages.js';
import type { OutgoingFrame, Signaling } from '../signaling/signaling.js';
import { lazy } from '../lazy.js';
import type { RtcStats, StatsTracker } from '../stats.js';
import { TypedEmitter } from '../typed-emitter.js';
import { BinaryAssembler, encodeBinary } from './data-channel.js';
import { openSignaling } from './open-signaling.js';
import { Peer } from './peer.js';
import { canTransition, type CommonOptions, type SessionDeps, type SessionEvents, type SessionState, type TokenSource } from './types.js';

/** How long the server may take to answer `publish`/`play` (start, offer) before we call it a timeout. */
export const ANSWER_TIMEOUT_MS = 10_000;
export { ICE_GRACE_MS } from './peer.js';
/** After an ICE restart, how long to wait for `connected` before a full new session. */
export const ICE_RESTART_TIMEOUT_MS = 5_000;

/** The stats code: a chunk of its own, fetched the first time a session reads its stats (never before first frame). */
const loadStats = lazy(() => import('../stats.js'));

export const resolveToken = async (token: TokenSource | undefined): Promise<string | undefined> => (typeof token === 'function' ? await token() : token);

/** `iceServerConfig` → RTCIceServer list (ignored unless it names a stun: or turn: URI; the codec does not check these fields). */
export function iceServersFromConfig(frame: IceServerConfigFrame): RTCIceServer[] | undefined {
  const uri = typeof frame.stunServerUri === 'string' ? frame.stunServerUri : '';
  if (/^turns?:/.test(uri)) {
    // Strings only: String() of an object with its own toString/valueOf throws.
    const text = (v: unknown): string => (typeof v === 'string' ? v : '');
    return [{ urls: uri, username: text(frame.turnServerUsername), credential: text(frame.turnServerCredential) }];
  }
  if (uri.startsWith('stun:')) return [{ urls: uri }];
  return undefined;
}

export abstract class Session<O extends CommonOptions = CommonOptions> extends TypedEmitter<SessionEvents> {
  #_state: SessionState = 'idle';
  /** Refused by a busy server (`highResourceUsage`) since the last start or live: reported once. */
  #busy = false;
  protected options: O | undefined;
  protected signaling: Signaling | undefined;
  protected peer: Peer | undefined;
  protected channel: RTCDataChannel | undefined;
  /** Bumped by every start/stop/restart: callbacks of an older attempt compare and drop out. */
  protected attempt = 0;
  #serverIceServers: RTCIceServer[] | undefined;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #statsTimer: ReturnType<typeof setInterval> | undefined;
  #statsInterval = 0;
  /** The media path is silent (see `#setQuiet`). */
  #quiet = false;
  /** Made when the stats chunk arrives; `#since` is when the current connection started (0: none). */
  #stats: StatsTracker | undefined;
  #since = 0;
  readonly #assembler = new BinaryAssembler();
  #pending: { resolve: () => void; reject: (e: RtcError) => void } | undefined;

  /** What the session does (a getter: no per-instance field). */
  protected abstract get kind(): 'publish' | 'play';

  constructor(protected readonly deps: SessionDeps) {
    super();
  }

  get state(): SessionState {
    return this.#_state;
  }

  get streamId(): string | undefined {
    return this.options?.streamId;
  }

  // ------------------------------------------------------------------ lifecycle

  /** Starts (or restarts) with `options`; resolves when live, rejects with an RtcError. */
  protected begin(options: O): Promise<void> {
    this.#busy = false;
    this.teardownPeer();
    this.#pending?.reject(RtcError.of('AbortError', { message: 'Started again.', streamId: this.streamId }));
    this.options = options;
    this.attempt++;
    const done = new Promise<void>((resolve, reject) => (this.#pending = { resolve, reject }));
    // A rejection nobody awaits must not surface as "unhandled": callers may rely on events.
    done.catch(() => undefined);
    this.transition('connecting');
    this.#ensureSignaling();
    // Opening the socket can fail at once (no WebSocket here): then there is nothing to request.
    if (this.#_state === 'connecting') void this.request();
    return done;
  }

  /** Stops publishing/playing: tells the server, closes the peer connection and the socket. Never rejects. */
  async stop(): Promise<void> {
    this.attempt++;
    this.#pending?.reject(RtcError.of('AbortError', { message: 'Stopped.', streamId: this.streamId }));
    this.#pending = undefined;
    this.#stopOnServer();
    this.teardownPeer();
    this.#closeSignaling();
    this.transition('stopped');
  }

  /**
   * Tells the server our stream is over, before the socket closes: the server learns of a closed
   * socket only later, and a retry's publish on a new socket could meet our old stream still held
   * (`streamIdInUse`).
   */
  #stopOnServer(): void {
    if (this.streamId && this.signaling?.state === 'open') this.send({ command: 'stop', streamId: this.streamId });
  }

  /** Releases everything and drops listeners. */
  dispose(): void {
    void this.stop();
    this.removeAllListeners();
  }

  // ------------------------------------------------------------------ for subclasses

  /** Sends the publish/play request (a fresh token each time). */
  protected abstract request(): Promise<void>;
  /** A `takeConfiguration` for our stream. */
  protected abstract onConfiguration(frame: TakeConfigurationFrame): Promise<void>;
  /** A notification for our stream (already reported as a callback). */
  protected abstract onNotification(definition: string, frame: NotificationFrame): void;
  /** `start` from the server (publish only; its `simulcast`, ours, lists the layers asked for). */
  protected onStart(_frame: StartFrame): void {}
  /**
   * A server error for our stream: return true when handled (e.g. waiting for a stream). A server
   * too busy to admit us (admission control, `highResourceUsage`) is reported once and asked
   * again every 2-5 s (jittered: not all refused clients at once) until it admits us.
   */
  protected onServerError(error: RtcError): boolean {
    if (error.code !== 'highResourceUsage' || this.#_state === 'live') return false;
    if (!this.#busy) this.fail(error, false);
    this.#busy = true;
    // (This clears the attempt's timers too, the watchdog among them.)
    this.teardownPeer();
    if (this.#_state === 'negotiating') this.transition('connecting');
    this.later(2e3 + 3e3 * Math.random(), () => void this.request());
    return true;
  }
  /** ICE trouble past the grace period: subclasses try a restart or a new session. */
  protected abstract recoverIce(): void;
  /** The server sent `stop` for our stream (peer connection already closed): start again shortly. */
  protected onStopped(): void {
    this.transition('reconnecting');
    this.later(500, () => this.restartSession());
  }

  /** Moves to `next` if `TRANSITIONS` allows it (it never allows staying put). */
  protected transition(next: SessionState): void {
    const previous = this.#_state;
    if (!canTransition(previous, next)) return;
    this.#_state = next;
    this.emit('stateChange', { state: next, previous });
  }

  protected callback(definition: string, payload: Record<string, unknown> = {}): void {
    this.emit('callback', { definition, payload, streamId: this.streamId });
  }

  /** Reports an error; fatal ones fail the session and reject a pending start. */
  protected fail(error: RtcError, fatal: boolean): void {
    this.emit('error', error);
    if (!fatal) return;
    this.attempt++;
    this.#stopOnServer();
    this.teardownPeer();
    this.#closeSignaling();
    this.transition('failed');
    this.#pending?.reject(error);
    this.#pending = undefined;
  }

  protected settleLive(): void {
    this.#busy = false;
    this.clearTimers();
    this.transition('live');
    this.#pending?.resolve();
    this.#pending = undefined;
    this.#restartStats();
  }

  protected send(frame: OutgoingFrame): void {
    this.signaling?.send(frame);
  }

  /**
   * A fresh token for this attempt (`''` when none is set), or null when the attempt is over:
   * stopped or restarted meanwhile, or the token provider failed (the session then fails).
   */
  protected async freshToken(): Promise<string | null> {
    const attempt = this.attempt;
    try {
      const token = await resolveToken(this.options?.token);
      return attempt === this.attempt ? (token ?? '') : null;
    } catch (e) {
      if (attempt === this.attempt) {
        this.fail(RtcError.of('unauthorized_access', { message: 'The token provider failed.', streamId: this.streamId, cause: e }), true);
      }
      return null;
    }
  }

  /** Arms a one-shot timer that dies with the attempt. */
  protected later(ms: number, fn: () => void): void {
    const attempt = this.attempt;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      if (attempt === this.attempt) fn();
    }, ms);
    this.#timers.add(t);
  }

  protected clearTimers(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  /** Fails the attempt unless it went live within `ms`. */
  protected watchdog(what: string): void {
    this.later(ANSWER_TIMEOUT_MS, () => {
      if (this.#_state !== 'live') this.fail(RtcError.timeout(what, this.streamId), true);
    });
  }

  /**
   * A new peer connection for this attempt (the previous one closed): its candidates are sent as
   * `takeCandidate`, its ICE states reported, and ICE loss past the grace period recovered. A peer
   * lives within one attempt (every new attempt closes it first: `begin`, `stop`, `fail`,
   * `restartSession`), and a closed peer calls no handler, so the handlers need no attempt check.
   */
  protected createPeer(track?: (event: RTCTrackEvent) => void): Peer {
    this.teardownPeer();
    // The first stats count from here (getStats timestamps are on the epoch clock, like Date.now).
    // (Set apart: `?.` would skip evaluating the argument while no tracker exists yet.)
    this.#since = Date.now();
    this.#stats?.reset(this.#since);
    const streamId = this.streamId!;
    const own = this.options?.iceServers;
    const config: RTCConfiguration = {
      iceServers: own ?? this.#serverIceServers ?? [],
      bundlePolicy: 'max-bundle',
    };
    const create = this.deps.createPeerConnection ?? ((c: RTCConfiguration) => new RTCPeerConnection(c));
    const peer = new Peer(
      config,
      {
        candidate: (c) => this.send({ command: 'takeCandidate', streamId, label: c.sdpMLineIndex ?? 0, id: c.sdpMid ?? '0', candidate: c.candidate }),
        state: (state) => this.callback('ice_connection_state_changed', { state, streamId }),
        connected: () => this.onIceConnected(),
        lost: () => {
          this.fail(RtcError.of('ice_failed', { streamId }), false);
          this.transition('reconnecting');
          this.recoverIce();
        },
        channel: (channel) => this.attachChannel(channel),
        track,
      },
      // A server's ICE servers the browser refuses (a malformed URI from `iceServerConfig`) are forgotten, not fatal.
      own
        ? create
        : (c) => {
            try {
              return create(c);
            } catch (e) {
              if (!this.#serverIceServers) throw e;
              this.#serverIceServers = undefined;
              return create({ ...c, iceServers: [] });
            }
          },
    );
    this.peer = peer;
    return peer;
  }

  /** The current peer connection (stats, tests). */
  protected get pc(): RTCPeerConnection | undefined {
    return this.peer?.pc;
  }

  protected onIceConnected(): void {}

  protected attachChannel(channel: RTCDataChannel): void {
    channel.binaryType = 'arraybuffer';
    this.channel = channel;
    const streamId = this.streamId;
    channel.onopen = () => this.callback('data_channel_opened', { streamId });
    channel.onclose = () => {
      if (this.channel === channel) this.channel = undefined;
      this.callback('data_channel_closed', { streamId });
    };
    channel.onerror = (e) => {
      if (channel.readyState === 'closed' || channel.readyState === 'closing') return;
      this.fail(RtcError.of('data_channel_error', { streamId, cause: e }), false);
    };
    channel.onmessage = (e: MessageEvent) => {
      const data = typeof e.data === 'string' ? e.data : this.#assembler.push(e.data as ArrayBuffer);
      if (data !== undefined) this.callback('data_received', { streamId, data });
    };
  }

  /** Sends text as is and binary in the AMS SDK's chunked format (so SDK peers reassemble it). */
  sendData(data: string | ArrayBuffer | ArrayBufferView): void {
    const channel = this.channel;
    if (!channel || channel.readyState !== 'open') throw RtcError.of('data_channel_not_open', { streamId: this.streamId });
    if (typeof data === 'string') channel.send(data);
    else for (const frame of encodeBinary(data)) channel.send(frame);
  }

  async getStats(): Promise<RtcStats> {
    const { StatsTracker } = await loadStats();
    if (!this.#stats) (this.#stats = new StatsTracker()).reset(this.#since);
    const pc = this.pc;
    return this.#stats.update(pc ? await pc.getStats() : []);
  }

  /**
   * The media path went silent (nothing heard for a second: ICE says `disconnected` only seconds
   * later) or was heard again, at a stats tick: live ↔ reconnecting. ICE often comes back by
   * itself; if it does not, its loss (`Peer`'s grace) starts the recovery.
   */
  #setQuiet(quiet: boolean): void {
    if (quiet ? this.#_state === 'live' : this.#quiet && this.#_state === 'reconnecting') this.transition(quiet ? 'reconnecting' : 'live');
    this.#quiet = quiet;
  }

  /** Emits `stats` (and the `updated_stats` callback) every `ms`; 0 turns it off. */
  setStatsInterval(ms: number): void {
    this.#statsInterval = Math.max(0, ms);
    this.#restartStats();
  }

  #restartStats(): void {
    clearInterval(this.#statsTimer);
    this.#statsTimer = undefined;
    if (!this.#statsInterval || !this.peer) return;
    this.#statsTimer = setInterval(() => {
      void this.getStats().then(
        (s) => {
          this.#setQuiet(this.#stats!.quiet);
          this.emit('stats', s);
          this.callback('updated_stats', s as unknown as Record<string, unknown>);
        },
        () => undefined,
      );
    }, this.#statsInterval);
  }

  /** Closes the peer connection (not the socket). */
  protected teardownPeer(): void {
    this.clearTimers();
    clearInterval(this.#statsTimer);
    this.#statsTimer = undefined;
    this.#since = 0;
    this.#quiet = false;
    this.#stats?.reset();
    this.#assembler.reset();
    this.peer?.close();
    this.peer = this.channel = undefined;
  }

  // ------------------------------------------------------------------ signaling

  #ensureSignaling(): void {
    if (this.signaling && this.signaling.state !== 'closed') return;
    const s = openSignaling(this.deps);
    this.signaling = s;
    s.on('open', ({ reconnected }) => {
      this.callback('initialized');
      // The SDK asks on every open; the answer only affects peer connections made later.
      s.send({ command: 'getIceServerConfig' });
      if (reconnected && (this.#_state === 'reconnecting' || this.#_state === 'live' || this.#_state === 'negotiating')) {
        // The server stopped our stream when the old socket closed: start it again.
        this.callback(`reconnection_attempt_for_${this.kind === 'publish' ? 'publisher' : 'player'}`, { streamId: this.streamId });
        this.restartSession();
      }
    });
    s.on('close', ({ code, reason, willReconnect }) => {
      this.callback('closed', { code, reason });
      if (this.#_state === 'stopped' || this.#_state === 'failed' || this.#_state === 'idle') return;
      if (willReconnect) {
        this.teardownPeer();
        this.transition('reconnecting');
      } else {
        this.fail(
          RtcError.of('WebSocketNotConnected', { streamId: this.streamId, message: 'The connection to the server was lost and could not be restored.' }),
          true,
        );
      }
    });
    s.on('error', (error) => {
      // Socket trouble comes once per episode (from the drop to the next open); the client
      // reconnects by itself, unless trying again cannot help (no WebSocket in this browser):
      // then the session fails with that error.
      if (this.#_state === 'stopped' || this.#_state === 'failed') return;
      this.fail(error, !error.recoverable);
    });
    s.on('pong', () => this.callback('pong'));
    s.on('frame', (frame) => this.#handleFrame(frame));
    s.connect();
  }

  #closeSignaling(): void {
    const s = this.signaling;
    this.signaling = undefined;
    if (!s) return;
    const wasOpen = s.state === 'open';
    s.removeAllListeners();
    s.close();
    // The listeners are gone, so report the close we caused ourselves.
    if (wasOpen) this.callback('closed', { code: 1000, reason: 'closed by the client' });
  }

  /** Full new publish/play on the same socket (after a socket or ICE loss). */
  protected restartSession(): void {
    if (!this.options) return;
    this.teardownPeer();
    this.attempt++;
    this.transition('connecting');
    void this.request();
  }

  #handleFrame(frame: ServerFrame): void {
    const own = this.streamId;
    // Every frame read as one that may name a stream (`pong` and `iceServerConfig` do not).
    const { streamId }: { command: string; streamId?: unknown } = frame;
    const forUs = streamId === undefined || streamId === '' || streamId === own;
    switch (frame.command) {
      case 'iceServerConfig':
        this.#serverIceServers = iceServersFromConfig(frame);
        this.callback('iceServerConfig', frame);
        return;
      case 'error': {
        if (!forUs) return;
        const error = RtcError.fromServer({ definition: frame.definition, streamId });
        if (this.onServerError(error)) return;
        // Errors about the session itself fail it; the rest (unknown definitions, answers to
        // side requests) are reported and the session goes on.
        const fatal = this.#_state !== 'live' && isCatalogCode(error.code) && catalogEntry(error.code).category === 'server';
        this.fail(error, fatal);
        return;
      }
      case 'notification': {
        if (!forUs) return;
        const definition = frame.definition;
        this.callback(definition, frame);
        this.onNotification(definition, frame);
        return;
      }
      case 'start':
        if (frame.streamId === own) this.onStart(frame);
        return;
      case 'takeConfiguration':
        if (frame.streamId === own) {
          void this.onConfiguration(frame).catch((e: unknown) => {
            this.fail(
              e instanceof RtcError
                ? e
                : RtcError.of('notSetRemoteDescription', { streamId: own, cause: e, message: "The server's session description could not be used." }),
              this.#_state !== 'live',
            );
            if (this.#_state === 'live') this.recoverIce();
          });
        }
        return;
      case 'takeCandidate': {
        // `candidate` and `label` are checked by the codec; `id` is not.
        if (frame.streamId === own && frame.candidate) {
          this.peer?.addCandidate({
            candidate: frame.candidate,
            sdpMLineIndex: frame.label,
            sdpMid: typeof frame.id === 'string' ? frame.id : String(frame.label),
          });
        }
        return;
      }
      case 'stop':
        if (frame.streamId === own && this.#_state !== 'stopped') {
          this.callback('stop', { ...frame });
          this.teardownPeer();
          this.onStopped();
        }
        return;
      case 'streamInformation':
      case 'roomInformation':
      case 'trackList':
      case 'peerMessageCommand':
        if (forUs) this.callback(frame.command, frame);
        return;
      default:
        // A command this version does not know: AMS adds some over time; ignore it.
        return;
    }
  }
}
