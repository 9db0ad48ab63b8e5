/**
 * The relay on every core: publishers, multitrack room players and signaling stay on the main
 * thread (`WeriftRelay`); each player's connection lives in one of `workers` media workers
 * (`media-worker.ts`), the one with the fewest players. A publisher with players on a worker has a
 * sink there (`WorkerSink`): each of its packets goes to that worker once, whichever number of its
 * players the worker holds, and the worker's keyframe requests and data channel messages come back
 * to it. A player's proxy (`RemotePlayer`) is what the signaling handler holds, so signaling does
 * not know which thread a peer is on.
 *
 * A worker that ends by itself (a crash) is replaced at once: its players' `onClosed` fire, the
 * handler ends their plays (`play_finished`) and the browsers ask again, landing on the workers
 * up. A worker that keeps dying right after its start is started again after a growing delay.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RTCRtpCodecParameters, RtpPacket } from 'werift';
import type { IdMapping } from '../../../../src/core/protocol/messages.js';
import type { DataMessage } from './channel-outbox.js';
import type { RtpSink } from './forwarding.js';
import type { Overload } from '../load-gauge.js';
import { safely } from './peer.js';
import { WeriftPublisher } from './publisher-peer.js';
import {
  SdpError,
  type IceCandidateInit,
  type MediaKind,
  type MediaRelay,
  type PeerEvents,
  type PlayerPeer,
  type PublisherOptions,
  type PublisherPeer,
  type RoomPlayerEvents,
  type RoomPlayerPeer,
} from './types.js';
import { WeriftRelay, type WeriftRelayOptions } from './werift-relay.js';
import { asDataMessage, type CodecInit, type FromWorker, type PlayerCall, type RtpHeaderTuple, type ToWorker, type WorkerInit } from './worker-protocol.js';

export interface WorkerRelayOptions extends WeriftRelayOptions {
  /** How many media workers carry the players (1 or more). */
  workers: number;
  /** The media cuts on now (test faults), for a worker started later; with `mediaCut`. */
  mediaCuts?: () => [string, number][];
  /** The config's `eventLoopLagLimitMs`: past it, a worker takes no new player (0 or absent: off). */
  lagLimitMs?: number;
}

/** One worker's state, as the fault route lists it. */
export interface MediaWorkerInfo {
  index: number;
  /** Its thread id (a new one after a restart). */
  threadId: number;
  players: number;
  /** Its module is loaded and its werift code warmed up (`media-worker.ts`); what is sent to it before waits for the module only. */
  ready: boolean;
  /** How many times this slot's worker was started again after ending by itself. */
  restarts: number;
  /** Its event loop lags past `eventLoopLagLimitMs`: it takes no new player. */
  lagging: boolean;
  /** Its lag counts (from 5 s after its first player: before, that player's set-up compiles werift's code). */
  warm: boolean;
}

/**
 * While no worker is `ready` (a server just started: each worker loads werift's code, which took
 * 0.8-1.4 s on 2 busy cores, and warms it up), the main thread, whose werift the publishers already run, takes
 * up to this many players, so the first viewers (often back from a restart) are not kept waiting
 * for a worker. Later ones wait for a worker as before: the main thread carries the publishers and
 * the rooms, and a crowd of viewers there would starve them.
 */
export const EARLY_PLAYERS_ON_MAIN = 8;

/** A worker that ended within this long of its start counts as failing to start. */
const EARLY_EXIT_MS = 5000;
/** The longest delay before a failing worker is started again. */
const MAX_RESTART_DELAY_MS = 5000;

/** Where the worker's module is: beside this one (tsc's output), or beside the bundle this was built into. */
function workerFile(): URL {
  const candidates = ['./media-worker.js', '../media-worker.js'].map((p) => new URL(p, import.meta.url));
  return candidates.find((u) => existsSync(fileURLToPath(u))) ?? candidates[0]!;
}

const codecInit = (c: RTCRtpCodecParameters | undefined): CodecInit | undefined =>
  c
    ? {
        mimeType: c.mimeType,
        clockRate: c.clockRate,
        ...(c.channels === undefined ? {} : { channels: c.channels }),
        ...(c.parameters === undefined ? {} : { parameters: c.parameters }),
      }
    : undefined;

/** Source numbers, one per publisher, the same on every worker. */
const sourceIds = new WeakMap<WeriftPublisher, number>();
let nextSourceId = 1;
const sourceId = (p: WeriftPublisher): number => {
  let id = sourceIds.get(p);
  if (id === undefined) sourceIds.set(p, (id = nextSourceId++));
  return id;
};

/** A publisher's packets, to one worker. */
class WorkerSink implements RtpSink {
  waitingForKeyframe = false;
  /** This publisher's players on the worker. */
  readonly players = new Set<RemotePlayer>();

  constructor(
    private readonly slot: MediaWorker,
    readonly src: number,
    readonly publisher: WeriftPublisher,
  ) {}

  forward(kind: MediaKind, rtp: RtpPacket, keyframe: boolean, layer: string): void {
    const h = rtp.header;
    // A copy of its own (the payload is a view into a larger buffer), handed over, not copied again.
    const payload = new Uint8Array(rtp.payload);
    const [width, height] = kind === 'video' ? this.publisher.videoLayers.sizeOf(layer) : [0, 0];
    const header: RtpHeaderTuple = [h.sequenceNumber, h.timestamp, h.marker ? 1 : 0, h.payloadType, h.ssrc];
    this.slot.post({ t: 'rtp', src: this.src, kind, keyframe, header, payload, layer, width, height }, [payload.buffer]);
  }

  sendToPlayer(message: DataMessage): void {
    this.slot.post({ t: 'data', src: this.src, message });
  }

  /** The publisher is going away: its players on the worker close (their plays end through the handler). */
  close(): void {
    this.slot.dropSink(this, true);
  }
}

/** A player whose connection is in a worker. */
class RemotePlayer implements PlayerPeer {
  closed = false;

  constructor(
    readonly id: number,
    private readonly slot: MediaWorker,
    readonly sink: WorkerSink,
    readonly events: PeerEvents,
  ) {}

  createOffer(): Promise<{ sdp: string; idMapping: IdMapping }> {
    return this.call('createOffer') as Promise<{ sdp: string; idMapping: IdMapping }>;
  }

  async acceptAnswer(sdp: string): Promise<void> {
    await this.call('acceptAnswer', sdp);
  }

  acceptOffer(sdp: string): Promise<string> {
    return this.call('acceptOffer', sdp) as Promise<string>;
  }

  async addCandidate(candidate: IceCandidateInit): Promise<void> {
    if (this.closed) return;
    await this.call('addCandidate', candidate).catch(() => undefined);
  }

  setQuality(height: number): void {
    if (!this.closed) this.slot.post({ t: 'quality', id: this.id, height });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.slot.post({ t: 'close', id: this.id });
    this.slot.forget(this);
  }

  private call(op: PlayerCall, arg?: unknown): Promise<unknown> {
    if (this.closed) return Promise.reject(new SdpError('player is closed'));
    return this.slot.call(this.id, op, arg);
  }
}

/** One worker slot: its thread (replaced when it ends by itself), players and sinks. */
class MediaWorker {
  private worker!: Worker;
  private startedAt = 0;
  private failures = 0;
  restarts = 0;
  ready = false;
  /** Its event loop lags past `lagLimitMs` (its own reading, `load`), and by how much at the latest report, ms. */
  lagging = false;
  lagMs = 0;
  warm = false;
  private down = false;
  private restartTimer: NodeJS.Timeout | undefined;
  readonly players = new Map<number, RemotePlayer>();
  private readonly sinks = new Map<number, WorkerSink>();
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextReq = 1;
  private shutDown: (() => void) | undefined;
  /** Test fault: the next thread started says `ready` this much later (`crash(readyAfterMs)`). */
  private readyAfterMs: number | undefined;

  constructor(
    readonly index: number,
    private readonly init: () => WorkerInit,
  ) {
    this.start();
  }

  get threadId(): number {
    return this.worker.threadId;
  }

  private start(): void {
    this.startedAt = performance.now();
    this.ready = this.lagging = this.warm = false;
    const worker = new Worker(workerFile(), { workerData: { ...this.init(), readyAfterMs: this.readyAfterMs } satisfies WorkerInit });
    this.readyAfterMs = undefined;
    worker.unref();
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    // The 'exit' that follows does the work.
    worker.on('error', () => undefined);
    worker.on('exit', () => this.onExit(worker));
    this.worker = worker;
  }

  post(message: ToWorker, transfer?: ArrayBuffer[]): void {
    this.worker.postMessage(message, transfer);
  }

  call(id: number, op: PlayerCall, arg: unknown): Promise<unknown> {
    const req = this.nextReq++;
    return new Promise((resolve, reject) => {
      this.pending.set(req, { resolve, reject });
      this.post({ t: 'call', id, req, op, arg });
    });
  }

  createPlayer(id: number, publisher: WeriftPublisher, events: PeerEvents): RemotePlayer {
    const src = sourceId(publisher);
    let sink = this.sinks.get(src);
    if (!sink) {
      sink = new WorkerSink(this, src, publisher);
      this.sinks.set(src, sink);
      this.post({
        t: 'source',
        src,
        streamId: publisher.streamId,
        kinds: [...publisher.kinds],
        simulcast: publisher.simulcast,
        video: codecInit(publisher.videoCodec),
        audio: codecInit(publisher.audioCodec),
      });
      publisher.attach(sink);
    }
    const player = new RemotePlayer(id, this, sink, events);
    sink.players.add(player);
    this.players.set(id, player);
    this.post({ t: 'player', id, src });
    return player;
  }

  /** A player closed: the last of its publisher's on this worker takes the sink away. */
  forget(player: RemotePlayer): void {
    this.players.delete(player.id);
    player.sink.players.delete(player);
    if (player.sink.players.size === 0) this.dropSink(player.sink, false);
  }

  /** Stops sending a publisher's packets here; `publisherGone`: its players here are closed too (no `onClosed`, as on the main thread). */
  dropSink(sink: WorkerSink, publisherGone: boolean): void {
    if (this.sinks.get(sink.src) !== sink) return;
    this.sinks.delete(sink.src);
    sink.publisher.detach(sink);
    if (publisherGone) {
      for (const p of sink.players) {
        p.closed = true;
        this.players.delete(p.id);
      }
      sink.players.clear();
    }
    this.post({ t: 'unsource', src: sink.src });
  }

  private onMessage(m: FromWorker): void {
    switch (m.t) {
      case 'result': {
        const waiter = this.pending.get(m.req);
        this.pending.delete(m.req);
        if (!waiter) return;
        if (m.ok) waiter.resolve(m.value);
        else waiter.reject(m.sdp ? new SdpError(m.message) : new Error(m.message));
        return;
      }
      case 'candidate': {
        const p = this.players.get(m.id);
        if (p && !p.closed) safely(() => p.events.onCandidate(m.candidate));
        return;
      }
      case 'started': {
        const p = this.players.get(m.id);
        if (p && !p.closed) safely(() => p.events.onMediaStarted());
        return;
      }
      case 'closed':
        return this.closedRemotely(this.players.get(m.id));
      case 'keyframe':
        return this.sinks.get(m.src)?.publisher.requestKeyframe();
      case 'waiting': {
        const sink = this.sinks.get(m.src);
        if (sink) sink.waitingForKeyframe = m.waiting;
        return;
      }
      case 'toPublisher':
        return this.sinks.get(m.src)?.publisher.sendToPublisher(asDataMessage(m.message));
      case 'ready':
        this.ready = true;
        return;
      case 'warm':
        this.warm = true;
        return;
      case 'load':
        this.lagging = m.lagging;
        this.lagMs = m.lagMs;
        return;
      case 'down':
        return this.shutDown?.();
    }
  }

  private closedRemotely(p: RemotePlayer | undefined): void {
    if (!p || p.closed) return;
    p.closed = true;
    this.forget(p);
    safely(() => p.events.onClosed());
  }

  /** The thread ended: by `shutdown()`, or by itself (every player here closes, and a new thread takes the slot). */
  private onExit(worker: Worker): void {
    if (worker !== this.worker) return;
    for (const waiter of this.pending.values()) waiter.reject(new SdpError('the media worker ended'));
    this.pending.clear();
    if (this.down) return this.shutDown?.();
    for (const sink of [...this.sinks.values()]) {
      this.sinks.delete(sink.src);
      sink.publisher.detach(sink);
    }
    for (const p of [...this.players.values()]) this.closedRemotely(p);
    this.players.clear();
    this.failures = performance.now() - this.startedAt < EARLY_EXIT_MS ? this.failures + 1 : 0;
    this.restarts++;
    const delay = this.failures <= 1 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 250 * 2 ** this.failures);
    if (delay === 0) return this.start();
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.down) this.start();
    }, delay);
    this.restartTimer.unref();
  }

  /** Test fault: the thread ends as a crash would end it; its replacement says `ready` `readyAfterMs` late. */
  crash(readyAfterMs?: number): void {
    this.readyAfterMs = readyAfterMs;
    this.post({ t: 'crash' });
  }

  /** Test fault: the thread's event loop is blocked `times` times for `ms`. */
  stall(ms: number, times: number): void {
    this.post({ t: 'stall', ms, times });
  }

  /** Closes every connection here (telling the browsers), then ends the thread. */
  async shutdown(): Promise<void> {
    if (this.down) return;
    this.down = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      this.shutDown = () => {
        clearTimeout(timer);
        resolve();
      };
      this.post({ t: 'shutdown' });
    });
    await worker.terminate();
  }
}

/** Publishers and rooms on this thread, players on `workers` media workers. */
export class WorkerRelay implements MediaRelay {
  private readonly local: WeriftRelay;
  private readonly slots: MediaWorker[] = [];
  private nextPlayer = 1;
  private readonly lagLimitMs: number;
  /** Players the main thread took while no worker was ready (`EARLY_PLAYERS_ON_MAIN`). */
  private onMain = 0;

  constructor(options: WorkerRelayOptions) {
    this.local = new WeriftRelay(options);
    this.lagLimitMs = options.lagLimitMs ?? 0;
    const init = (): WorkerInit => ({
      announcedHosts: options.announcedHosts,
      faultInjection: options.mediaCut !== undefined,
      cuts: options.mediaCuts?.() ?? [],
      lagLimitMs: this.lagLimitMs,
    });
    for (let i = 0; i < Math.max(1, options.workers); i++) this.slots.push(new MediaWorker(i, init));
  }

  createPublisher(streamId: string, events: PeerEvents, options?: PublisherOptions): PublisherPeer {
    return this.local.createPublisher(streamId, events, options);
  }

  createPlayer(source: PublisherPeer, events: PeerEvents): PlayerPeer {
    if (!(source instanceof WeriftPublisher)) throw new TypeError('source was not created by this relay');
    if (this.onMain < EARLY_PLAYERS_ON_MAIN && !this.slots.some((s) => s.ready)) {
      this.onMain++;
      return this.local.createPlayer(source, events);
    }
    // The worker with the fewest players of those whose loop keeps up (of all, if none does:
    // admission control refuses plays then, `overload`).
    const keepingUp = this.slots.filter((s) => !s.lagging);
    const candidates = keepingUp.length > 0 ? keepingUp : this.slots;
    let slot = candidates[0]!;
    for (const s of candidates) if (s.players.size < slot.players.size) slot = s;
    return slot.createPlayer(this.nextPlayer++, source, events);
  }

  /**
   * Admission control's reading of the workers (`load-gauge.ts` reads the main thread): every
   * worker's event loop lags past the limit, so a new player would go to an overloaded one.
   */
  overload(): Overload | undefined {
    if (!this.slots.every((s) => s.lagging)) return undefined;
    const lag = Math.max(...this.slots.map((s) => s.lagMs));
    return { cause: 'eventLoopLagLimitMs', reason: `the media workers are overloaded (event loop lag ${lag} ms, limit ${this.lagLimitMs} ms)` };
  }

  createRoomPlayer(roomId: string, events: RoomPlayerEvents): RoomPlayerPeer {
    return this.local.createRoomPlayer(roomId, events);
  }

  /** The media cuts changed (test faults): every worker gets the new list. */
  setMediaCuts(cuts: [string, number][]): void {
    for (const s of this.slots) s.post({ t: 'cuts', cuts });
  }

  /** The workers, for the fault route. */
  workers(): MediaWorkerInfo[] {
    return this.slots.map((s) => ({
      index: s.index,
      threadId: s.threadId,
      players: s.players.size,
      ready: s.ready,
      restarts: s.restarts,
      lagging: s.lagging,
      warm: s.warm,
    }));
  }

  /** Test fault: worker `index` ends as if it crashed, its replacement `ready` `readyAfterMs` late (false: no such worker). */
  crashWorker(index: number, readyAfterMs?: number): boolean {
    const slot = this.slots[index];
    slot?.crash(readyAfterMs);
    return slot !== undefined;
  }

  /** Test fault: worker `index`'s event loop is blocked `times` times for `ms` (false: no such worker). */
  stallWorker(index: number, ms: number, times: number): boolean {
    const slot = this.slots[index];
    slot?.stall(ms, times);
    return slot !== undefined;
  }

  async close(): Promise<void> {
    await Promise.all([this.local.close(), ...this.slots.map((s) => s.shutdown())]);
  }
}
