/**
 * Which simulcast layer a player gets: the one `forceStreamQuality` pins (by height), else the one
 * its browser's bandwidth estimate (REMB) allows. A receiver's estimate never rises far above what
 * it receives, so a player moved down cannot see room for a layer up: after a quiet spell it tries
 * the next layer up, and if the estimate then falls below that layer's rate it goes back down and
 * waits twice as long before the next try. Pure: the player feeds it estimates and the time.
 */
import { ReceiverEstimatedMaxBitrate, RtcpPayloadSpecificFeedback, RtcpRrPacket, RtcpSrPacket } from 'werift';
import { BitrateMeter } from './media-info.js';
import type { VideoLayer } from './types.js';

/** A simulcast layer with no packet for this long is not sending (Chrome dropped it, short of bandwidth). */
export const LAYER_IDLE_MS = 1000;

interface LayerState {
  rid: string;
  ssrc: number;
  width: number;
  height: number;
  meter: BitrateMeter;
  lastPacket: number;
}

/**
 * What is known of each layer of a video (by rid; `''` for a video without layers): its SSRC,
 * picture size, bitrate and last packet. The publisher keeps one, and so does its stand-in in a
 * media worker, from the packets the main thread hands it.
 */
export class LayerBook {
  private readonly byRid = new Map<string, LayerState>();

  /** A packet of `rid`: `bytes` long; `width` and `height` when a keyframe told them (0: unknown). */
  note(rid: string, ssrc: number, bytes: number, width = 0, height = 0): void {
    let state = this.byRid.get(rid);
    if (!state) {
      state = { rid, ssrc, width: 0, height: 0, meter: new BitrateMeter(), lastPacket: 0 };
      this.byRid.set(rid, state);
    }
    state.ssrc = ssrc;
    state.meter.add(bytes);
    state.lastPacket = performance.now();
    if (width && height) {
      state.width = width;
      state.height = height;
    }
  }

  /** The picture size of `rid` ([0, 0] before a keyframe told it). */
  sizeOf(rid: string): [number, number] {
    const state = this.byRid.get(rid);
    return state ? [state.width, state.height] : [0, 0];
  }

  /** The SSRC of every layer seen. */
  ssrcs(): number[] {
    return [...this.byRid.values()].map((l) => l.ssrc);
  }

  get size(): number {
    return this.byRid.size;
  }

  /** The layers sending now (a packet in the last `LAYER_IDLE_MS`), highest first. */
  list(): VideoLayer[] {
    const now = performance.now();
    return [...this.byRid.values()]
      .filter((l) => now - l.lastPacket < LAYER_IDLE_MS)
      .map((l) => ({ rid: l.rid, width: l.width, height: l.height, bitrate: l.meter.bitsPerSecond() }))
      .sort((a, b) => b.height - a.height || b.bitrate - a.bitrate);
  }
}

/** What a forwarded video m-line's layers come from: its source (`PlayerSource`, a room participant's publisher). */
export interface LayerSource {
  /** Its video comes in simulcast layers. */
  readonly simulcast: boolean;
  /** The layers sending now, highest first. */
  layers(): VideoLayer[];
  requestKeyframe(): void;
}

/**
 * The layer one forwarded video m-line sends: the one it sends now, and the one its selector
 * picked, switched to at that layer's next keyframe (asked for when picked), so the picture
 * never breaks. A player has one; a room player one per participant's video m-line.
 */
export class LayerSwitch {
  readonly selector = new LayerSelector();
  /** The layer sent (undefined before the first video packet), and the one to switch to at its next keyframe. */
  private layer: string | undefined;
  private target: string | undefined;

  constructor(private readonly source: LayerSource) {}

  /** The layer sent now (undefined before the first). */
  get sending(): string | undefined {
    return this.layer;
  }

  /**
   * A switch waits for its layer's keyframe. The sink counts as waiting for a keyframe meanwhile,
   * so the request is sent again until one comes: the one request sent at the pick, if lost (or
   * not honoured by the encoder), left the player on its old layer until the encoder's next
   * keyframe of its own, which may never come (a pin to 180 lines still showed 720 after 10 s).
   */
  get switching(): boolean {
    return this.layer !== undefined && this.target !== undefined && this.target !== this.layer;
  }

  /** Picks the layer to send; a new one is switched to at its next keyframe, asked for now. */
  choose(): void {
    // From the layer it is switching to, if a switch waits for its keyframe (no flapping meanwhile).
    const next = this.selector.choose(this.source.layers(), this.target ?? this.layer);
    if (next === undefined || next === this.target) return;
    this.target = next;
    if (next !== this.layer && this.layer !== undefined) this.source.requestKeyframe();
  }

  /**
   * What to do with a video packet of `layer`: `send` (its layer's, or a source without layers),
   * `switch` (the target's keyframe: sent, and the m-line's sequence goes on from the last packet
   * sent), or `drop`.
   */
  take(keyframe: boolean, layer: string): 'send' | 'switch' | 'drop' {
    if (layer === this.layer || !this.source.simulcast) return 'send';
    if (this.target === undefined || (keyframe && layer !== this.target)) this.choose();
    if (layer !== this.target) return 'drop';
    if (this.layer === undefined) {
      this.layer = layer;
      return 'send';
    }
    if (!keyframe) return 'drop';
    this.layer = layer;
    return 'switch';
  }
}

/** A layer is taken when the estimate has this much more than its bitrate. */
export const LAYER_HEADROOM = 1.15;
/** The current layer is left when the estimate falls under this share of its bitrate. */
export const LAYER_DOWN_SHARE = 0.9;
/** The first wait, after a step down, before a layer up is tried; doubled after each failed try. */
export const LAYER_PROBE_MS = 5000;
/** The longest wait between tries of a layer up. */
export const LAYER_PROBE_MAX_MS = 12_000;
/**
 * For this long after a try up the estimate is still climbing towards the new layer's rate (by
 * about 8 % a second in Chrome): only a fall of the estimate (`LAYER_OVERUSE_SHARE` of its peak
 * since the try: what Chrome does when the path is overused) sends the player back down.
 */
export const LAYER_RAMP_MS = 6000;
export const LAYER_OVERUSE_SHARE = 0.85;
/**
 * A receiver that reports losing this share of its packets is moved down whatever its estimate:
 * a path that drops without queueing (a policer) never shows in the delay-based estimate.
 */
export const LAYER_LOSS_DOWN = 0.06;
/** A reported loss this heavy ends a try up at once (not held `LAYER_TRY_MS`). */
export const LAYER_LOSS_ABORT = 0.2;
/** How long a try up is held whatever the estimate says: the estimate needs the new layer's packets (after its keyframe) to judge. */
export const LAYER_TRY_MS = 2500;
/** A step down this soon after a step up means the try failed. */
const FAILED_TRY_MS = LAYER_RAMP_MS;

/** The bitrate of a REMB packet (bits a second), or undefined for any other RTCP packet. */
export function rembBitrate(packet: unknown): number | undefined {
  if (!(packet instanceof RtcpPayloadSpecificFeedback) || !(packet.feedback instanceof ReceiverEstimatedMaxBitrate)) return undefined;
  return Number(packet.feedback.bitrate);
}

/**
 * The share of `ssrc`'s packets a receiver report (in an RR or an SR) says were lost since the
 * previous report, or undefined for any other packet.
 */
export function reportedLoss(packet: unknown, ssrc: number): number | undefined {
  if (!(packet instanceof RtcpRrPacket) && !(packet instanceof RtcpSrPacket)) return undefined;
  const report = packet.reports.find((r) => r.ssrc === ssrc);
  return report ? report.fractionLost / 256 : undefined;
}

/** The layer closest in height to `height` (of two as close, the lower). */
export function closestLayer(layers: readonly VideoLayer[], height: number): VideoLayer | undefined {
  let best: VideoLayer | undefined;
  for (const l of layers) {
    const d = Math.abs(l.height - height);
    const b = best === undefined ? Infinity : Math.abs(best.height - height);
    if (d < b || (d === b && best !== undefined && l.height < best.height)) best = l;
  }
  return best;
}

export class LayerSelector {
  /** The height `forceStreamQuality` pinned; 0: automatic. */
  pinned = 0;
  private estimate: number | undefined;
  private lastUp = -Infinity;
  private lastDown = -Infinity;
  private wait = LAYER_PROBE_MS;
  /** The layer a try up went to, held for `LAYER_TRY_MS` whatever the estimate says. */
  private trying: string | undefined;
  /** The layer the last try up went to. */
  private lastTry: string | undefined;
  /** The highest estimate since the last try up. */
  private peak = 0;

  /** The share of packets the browser last reported lost (0 after a switch). */
  private loss = 0;

  /** The browser's latest report of its losses (0-1). */
  setLoss(fraction: number): void {
    this.loss = fraction;
  }

  /** The browser's latest estimate, bits a second. */
  setEstimate(bps: number): void {
    this.estimate = bps;
    this.peak = Math.max(this.peak, bps);
  }

  /**
   * The layer (rid) to send, given the layers sending now (highest first) and the one sent now;
   * undefined while there are none.
   */
  choose(layers: readonly VideoLayer[], current: string | undefined, now = performance.now()): string | undefined {
    if (layers.length === 0) return undefined;
    if (this.pinned > 0) return closestLayer(layers, this.pinned)!.rid;
    // A try up is held until the estimate has seen the new layer (its keyframe first).
    // (Unless the browser reports heavy loss: the try is over at once.)
    const holding = this.trying !== undefined && now - this.lastUp < LAYER_TRY_MS && this.loss < LAYER_LOSS_ABORT;
    if (holding && layers.some((l) => l.rid === this.trying)) return this.trying;
    this.trying = undefined;
    const i = layers.findIndex((l) => l.rid === current);
    // A new player, or its layer stopped sending: the highest that fits the estimate (the highest
    // without one); below the highest, the quiet spell before a try up starts now.
    if (i < 0) {
      const fit = this.fitting(layers);
      if (fit !== layers[0]) this.lastDown = now;
      return fit.rid;
    }
    const cur = layers[i]!;
    const est = this.estimate;
    if (est === undefined) return cur.rid;
    // Under the layer's rate: down; while the estimate still climbs after a try up, only once it falls.
    const ramping = now - this.lastUp < LAYER_RAMP_MS && cur.rid === this.lastTry;
    const over = this.loss >= LAYER_LOSS_DOWN || (ramping ? est < this.peak * LAYER_OVERUSE_SHARE : est < cur.bitrate * LAYER_DOWN_SHARE);
    if (over && i < layers.length - 1) {
      this.loss = 0;
      // Down soon after a try up: the try failed, and the next one waits twice as long.
      if (now - this.lastUp < FAILED_TRY_MS) this.wait = Math.min(this.wait * 2, LAYER_PROBE_MAX_MS);
      this.lastDown = now;
      return this.fitting(layers.slice(i + 1)).rid;
    }
    // A try that held: the next one waits the first wait again.
    if (this.lastUp > this.lastDown && now - this.lastUp >= FAILED_TRY_MS) this.wait = LAYER_PROBE_MS;
    // A quiet spell since the last step down, and room for the next layer up or a quiet spell since
    // the last try: try it. (Not at once on the estimate alone: a path that drops without queueing
    // leaves the estimate rising over a layer it cannot carry.)
    const up = layers[i - 1];
    if (up && now - this.lastDown >= this.wait && (est >= up.bitrate * LAYER_HEADROOM || now - this.lastUp >= this.wait)) {
      this.lastUp = now;
      this.trying = up.rid;
      this.lastTry = up.rid;
      this.peak = est;
      this.loss = 0;
      return up.rid;
    }
    return cur.rid;
  }

  /** The highest of `layers` the estimate has room for, else the lowest. */
  private fitting(layers: readonly VideoLayer[]): VideoLayer {
    const est = this.estimate;
    if (est === undefined) return layers[0]!;
    return layers.find((l) => l.bitrate * LAYER_HEADROOM <= est) ?? layers[layers.length - 1]!;
  }
}
