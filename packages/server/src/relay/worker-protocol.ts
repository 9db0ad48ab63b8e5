/**
 * What the main thread and a media worker (`media-worker.ts`) say to each other. The main thread
 * keeps signaling, the publishers and the rooms; a worker holds players' connections, each fed by
 * a stand-in of its publisher (a "source", by number) that the main thread sends every packet of
 * the publisher to. One message port, so everything arrives in the order it was sent.
 */
import type { DataMessage } from './channel-outbox.js';
import type { IceCandidateInit, MediaKind } from './types.js';

/** A codec as a worker rebuilds it (werift's `RTCRtpCodecParameters`, without its payload type). */
export interface CodecInit {
  mimeType: string;
  clockRate: number;
  channels?: number;
  parameters?: string;
}

/** What a worker starts with (`workerData`). */
export interface WorkerInit {
  /** The relay's `announcedHosts`. */
  announcedHosts: string[] | undefined;
  /** Whether media cuts (test faults) apply, and the ones on now (scope → end, `Date.now()` clock). */
  faultInjection: boolean;
  cuts: [string, number][];
  /** The config's `eventLoopLagLimitMs` (0: off): the worker reports when its own loop lags that much (`load`). */
  lagLimitMs: number;
  /** Test fault (`POST /__faults/workers {crash, readyAfterMs}`): the worker says `ready` this much later, as one slow to load its module on a busy machine (absent: at once). */
  readyAfterMs?: number;
}

/** The calls a player's proxy forwards, by `PlayerPeer` method. */
export type PlayerCall = 'createOffer' | 'acceptAnswer' | 'acceptOffer' | 'addCandidate';

/** An RTP header as forwarded: sequence number, timestamp, marker (0/1), payload type, SSRC. */
export type RtpHeaderTuple = [number, number, number, number, number];

export type ToWorker =
  /** A publisher some of this worker's players play (sent before its first player). */
  | { t: 'source'; src: number; streamId: string; kinds: MediaKind[]; simulcast: boolean; video?: CodecInit; audio?: CodecInit }
  /** The publisher is gone, or none of this worker's players plays it any more: its players close. */
  | { t: 'unsource'; src: number }
  /** A packet; video: its simulcast `layer` (`''` without) and that layer's picture size as known so far. */
  | { t: 'rtp'; src: number; kind: MediaKind; keyframe: boolean; header: RtpHeaderTuple; payload: Uint8Array; layer: string; width: number; height: number }
  /** A publisher's data channel message, to its players. */
  | { t: 'data'; src: number; message: DataMessage }
  | { t: 'player'; id: number; src: number }
  | { t: 'call'; id: number; req: number; op: PlayerCall; arg?: unknown }
  | { t: 'close'; id: number }
  /** `forceStreamQuality` for a player (`PlayerPeer.setQuality`). */
  | { t: 'quality'; id: number; height: number }
  | { t: 'cuts'; cuts: [string, number][] }
  /** Closes every connection (telling the browsers), then answers `down`. */
  | { t: 'shutdown' }
  /** Test fault: the worker ends at once, as a crash would end it. */
  | { t: 'crash' }
  /** Test fault: the worker's event loop is blocked (`Atomics.wait`: no CPU used) `times` times for `ms`, 40 ms apart. */
  | { t: 'stall'; ms: number; times: number };

export type FromWorker =
  | { t: 'result'; req: number; ok: true; value: unknown }
  /** `sdp`: the error was an `SdpError` (the handler answers `notSetRemoteDescription`). */
  | { t: 'result'; req: number; ok: false; message: string; sdp: boolean }
  | { t: 'candidate'; id: number; candidate: IceCandidateInit }
  | { t: 'started'; id: number }
  /** The player's connection failed or was closed by the browser. */
  | { t: 'closed'; id: number }
  /** A player asks the publisher for a keyframe. */
  | { t: 'keyframe'; src: number }
  /** Whether any of the source's players waits for a keyframe (sent on change). */
  | { t: 'waiting'; src: number; waiting: boolean }
  | { t: 'toPublisher'; src: number; message: DataMessage }
  /** Its lag counts from now on (its first player's warm-up is over). */
  | { t: 'warm' }
  /** Its event loop lags past the limit (admission control's reading, `load-gauge.ts`), or no longer does (sent on change). */
  | { t: 'load'; lagging: boolean; lagMs: number }
  /** The worker's module is loaded: it takes messages (sent once, first). */
  | { t: 'ready' }
  | { t: 'down' };

/** A data channel message as it came through the port (a Buffer arrives as a Uint8Array). */
export const asDataMessage = (m: string | Uint8Array): DataMessage => (typeof m === 'string' ? m : Buffer.from(m.buffer, m.byteOffset, m.byteLength));
