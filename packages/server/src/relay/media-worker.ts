/**
 * A media worker: a thread of its own holding players' werift connections (`WeriftPlayer`, as on
 * the main thread), so the players' encryption and sending use every core. Each player is fed by
 * a stand-in of its publisher (`RemoteSource`), which gets the publisher's packets and data
 * channel messages from the main thread and sends keyframe requests, the players' data channel
 * messages and whether a player waits for a keyframe back. `worker-relay.ts` starts these and
 * speaks `worker-protocol.ts` with them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, useOPUS, useVP8 } from 'werift';
import { isCut } from '../faults.js';
import { LoadGauge } from '../load-gauge.js';
import type { DataMessage } from './channel-outbox.js';
import type { PlayerSource, RtpSink } from './forwarding.js';
import { LayerBook } from './layers.js';
import { networkPolicy } from './network-policy.js';
import type { Peer, PeerHost } from './peer.js';
import { WeriftPlayer } from './player-peer.js';
import { SdpError, type IceCandidateInit, type MediaKind, type VideoLayer } from './types.js';
import { asDataMessage, type CodecInit, type FromWorker, type ToWorker, type WorkerInit } from './worker-protocol.js';

/** How often a source reports whether a player waits for a keyframe (the publisher's own tick). */
const WAITING_TICK_MS = 100;

const port = parentPort;
if (!port) throw new Error('media-worker.ts runs as a worker thread');
const init = workerData as WorkerInit;
/** How often the worker looks at its lag reading (a change is reported at once). */
const LOAD_CHECK_MS = 100;
const post = (message: FromWorker): void => port.postMessage(message);

const codec = (c: CodecInit | undefined): RTCRtpCodecParameters | undefined => (c ? new RTCRtpCodecParameters({ ...c }) : undefined);

/** A publisher on the main thread, as this worker's players see it. */
class RemoteSource implements PlayerSource {
  readonly sinks = new Set<RtpSink>();
  readonly kinds: ReadonlySet<MediaKind>;
  readonly simulcast: boolean;
  /** The layers of the video, from the packets handed over. */
  private readonly book = new LayerBook();
  readonly videoCodec: RTCRtpCodecParameters | undefined;
  readonly audioCodec: RTCRtpCodecParameters | undefined;
  private timer: NodeJS.Timeout | undefined;
  private waiting = false;

  constructor(
    readonly src: number,
    readonly streamId: string,
    m: Extract<ToWorker, { t: 'source' }>,
  ) {
    this.kinds = new Set(m.kinds);
    this.simulcast = m.simulcast;
    this.videoCodec = codec(m.video);
    this.audioCodec = codec(m.audio);
  }

  attach(sink: RtpSink): void {
    this.sinks.add(sink);
    this.timer ??= setInterval(() => this.report(), WAITING_TICK_MS);
    this.timer.unref();
  }

  detach(sink: RtpSink): void {
    this.sinks.delete(sink);
    if (this.sinks.size === 0) this.stop();
  }

  requestKeyframe(): void {
    post({ t: 'keyframe', src: this.src });
  }

  sendToPublisher(message: DataMessage): void {
    post({ t: 'toPublisher', src: this.src, message });
  }

  layers(): VideoLayer[] {
    return this.book.list();
  }

  forward(kind: MediaKind, rtp: RtpPacket, keyframe: boolean, layer: string, width: number, height: number): void {
    if (kind === 'video') this.book.note(layer, rtp.header.ssrc, rtp.payload.length + 12, width, height);
    for (const sink of this.sinks) sink.forward(kind, rtp, keyframe, layer);
  }

  sendToPlayers(message: DataMessage): void {
    for (const sink of this.sinks) sink.sendToPlayer(message);
  }

  /** The publisher is gone: its players close (the main thread's handler ends their plays). */
  close(): void {
    for (const sink of [...this.sinks]) sink.close();
    this.sinks.clear();
    this.stop();
  }

  private report(): void {
    let waiting = false;
    for (const sink of this.sinks) if (sink.waitingForKeyframe) waiting = true;
    if (waiting === this.waiting) return;
    this.waiting = waiting;
    post({ t: 'waiting', src: this.src, waiting });
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.waiting) post({ t: 'waiting', src: this.src, waiting: false });
    this.waiting = false;
  }
}

const sources = new Map<number, RemoteSource>();
const players = new Map<number, WeriftPlayer>();
const ids = new Map<Peer, number>();
const cuts = new Map(init.cuts);

const host: PeerHost = {
  policy: networkPolicy(init.announcedHosts),
  ...(init.faultInjection ? { mediaCut: (key: string) => isCut(cuts, key) } : {}),
  forget: (peer) => {
    const id = ids.get(peer);
    ids.delete(peer);
    if (id !== undefined) players.delete(id);
  },
};

function createPlayer(id: number, src: number): void {
  const source = sources.get(src);
  if (!source) return post({ t: 'closed', id });
  if (!warming) {
    warming = true;
    setTimeout(watchLag, WARM_UP_MS).unref();
  }
  const player = new WeriftPlayer(host, source, {
    onCandidate: (candidate: IceCandidateInit) => post({ t: 'candidate', id, candidate }),
    onMediaStarted: () => post({ t: 'started', id }),
    onClosed: () => post({ t: 'closed', id }),
  });
  players.set(id, player);
  ids.set(player, id);
}

async function call(m: Extract<ToWorker, { t: 'call' }>): Promise<void> {
  const player = players.get(m.id);
  try {
    if (!player) throw new SdpError('player is closed');
    let value: unknown;
    if (m.op === 'createOffer') value = await player.createOffer();
    else if (m.op === 'acceptAnswer') value = await player.acceptAnswer(String(m.arg));
    else if (m.op === 'acceptOffer') value = await player.acceptOffer(String(m.arg));
    else value = await player.addCandidate(m.arg as IceCandidateInit);
    post({ t: 'result', req: m.req, ok: true, value });
  } catch (e) {
    post({ t: 'result', req: m.req, ok: false, message: e instanceof Error ? e.message : String(e), sdp: e instanceof SdpError });
  }
}

async function shutdown(): Promise<void> {
  down = true;
  endWarmUp?.();
  await warmUp;
  const open = [...players.values()];
  for (const source of sources.values()) source.close();
  sources.clear();
  for (const player of open) player.close();
  await Promise.all(open.map((p) => p.closing));
  post({ t: 'down' });
}

// Admission control's lag reading, for this thread's own loop: the main thread admits no player
// while every worker lags (`WorkerRelay.overload`), and places none on a worker that does. A
// fresh thread's first player compiles werift's code paths as it comes up (stalls of 150-300 ms
// on 2 cores, which are not overload): the reading starts `WARM_UP_MS` after that player.
const WARM_UP_MS = 5000;
let warming = false;

function watchLag(): void {
  post({ t: 'warm' });
  if (init.lagLimitMs <= 0) return;
  const gauge = new LoadGauge({ cpuLimit: 0, eventLoopLagLimitMs: init.lagLimitMs });
  gauge.start();
  let lagging = false;
  setInterval(() => {
    const now = gauge.overload() !== undefined;
    if (now === lagging) return;
    lagging = now;
    post({ t: 'load', lagging, lagMs: Math.round(gauge.lagMs) });
  }, LOAD_CHECK_MS).unref();
}

/**
 * Before the thread says `ready`, it connects a player to a werift peer of its own on the loopback
 * (offer, ICE, DTLS, SRTP) and closes both. Otherwise a fresh thread's first player compiles those
 * paths as it comes up: from `play` to `play_started`, 194-214 ms for a fresh worker's first
 * player against 140-153 ms for the next (a quiet machine, a werift client). Until a worker is
 * ready the main thread takes the first players (`EARLY_PLAYERS_ON_MAIN`), so no viewer waits for
 * this. At most `WARM_UP_LIMIT_MS`; a failure only means a colder first player; shutdown ends it.
 */
const WARM_UP_LIMIT_MS = 5000;
/** Ends the warm-up now (at shutdown). */
let endWarmUp: (() => void) | undefined;
let down = false;

async function warmThread(): Promise<void> {
  const vp8 = useVP8();
  const opus = useOPUS();
  // Its id, -1, matches no sink on the main thread: what it posts there (keyframe requests, waiting) is dropped.
  const source = new RemoteSource(-1, '', {
    t: 'source',
    src: -1,
    streamId: 'warm-up',
    kinds: ['video', 'audio'],
    simulcast: false,
    video: { mimeType: vp8.mimeType, clockRate: vp8.clockRate },
    audio: { mimeType: opus.mimeType, clockRate: opus.clockRate, ...(opus.channels ? { channels: opus.channels } : {}) },
  });
  let timer: NodeJS.Timeout | undefined;
  const stopped = new Promise<void>((resolve) => {
    endWarmUp = resolve;
    timer = setTimeout(resolve, WARM_UP_LIMIT_MS);
  });
  let player: WeriftPlayer | undefined;
  let peer: RTCPeerConnection | undefined;
  try {
    // The thread's network policy (its hosts), without the media cuts (test faults) of real players.
    const pl = (player = new WeriftPlayer({ policy: host.policy, forget: () => undefined }, source, {
      onCandidate: () => undefined,
      onMediaStarted: () => undefined,
      onClosed: () => undefined,
    }));
    const p = (peer = new RTCPeerConnection({ ...host.policy.config, codecs: { video: [useVP8()], audio: [useOPUS()] } }));
    const connected = new Promise<void>((resolve) => {
      p.connectionStateChange.subscribe((state) => state === 'connected' && resolve());
    });
    const connect = async (): Promise<void> => {
      const { sdp } = await pl.createOffer();
      await p.setRemoteDescription({ type: 'offer', sdp });
      await p.setLocalDescription(await p.createAnswer());
      await pl.acceptAnswer(p.localDescription?.sdp ?? '');
      await connected;
    };
    // Every step within the limit (a step that never ends is left to the close below).
    await Promise.race([connect().catch(() => undefined), stopped]);
  } catch {
    /* a colder first player, nothing more */
  } finally {
    clearTimeout(timer);
    endWarmUp = undefined;
    player?.close();
    source.close();
    await Promise.all([player?.closing, peer?.close().catch(() => undefined)]);
  }
}

const warmUp = warmThread().then(() => {
  if (down) return;
  if (init.readyAfterMs) setTimeout(() => post({ t: 'ready' }), init.readyAfterMs).unref();
  else post({ t: 'ready' });
});
port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'rtp': {
      const [sequenceNumber, timestamp, marker, payloadType, ssrc] = m.header;
      const header = new RtpHeader({ sequenceNumber, timestamp, marker: marker === 1, payloadType, ssrc });
      const payload = Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength);
      sources.get(m.src)?.forward(m.kind, new RtpPacket(header, payload), m.keyframe, m.layer, m.width, m.height);
      return;
    }
    case 'data':
      return sources.get(m.src)?.sendToPlayers(asDataMessage(m.message));
    case 'source':
      sources.set(m.src, new RemoteSource(m.src, m.streamId, m));
      return;
    case 'unsource':
      sources.get(m.src)?.close();
      sources.delete(m.src);
      return;
    case 'player':
      return createPlayer(m.id, m.src);
    case 'call':
      void call(m);
      return;
    case 'close':
      players.get(m.id)?.close();
      return;
    case 'quality':
      players.get(m.id)?.setQuality(m.height);
      return;
    case 'cuts':
      cuts.clear();
      for (const [scope, until] of m.cuts) cuts.set(scope, until);
      return;
    case 'shutdown':
      void shutdown();
      return;
    case 'stall':
      // Blocked, not busy: the loop lags and the cores stay free for the rest of the machine.
      for (let i = 0; i < m.times; i++) setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, m.ms), i * (m.ms + 40));
      return;
    case 'crash':
      // Ends this thread only (not the process), as an uncaught error in it would.
      process.exit(1);
  }
});
