/**
 * Forwarding primitives the player and the room player share, written once: the codec a
 * forwarded m-line offers (with its RTCP feedback), keyframe requests from the browser (PLI /
 * FIR), the keyframe gate a fresh video m-line waits behind, the pacing of the keyframe
 * requests sent to the publisher, and sending one forwarded packet.
 */
import { RTCRtpCodecParameters, useOPUS, type RtpPacket, type RTCRtpSender } from 'werift';
import type { DataMessage } from './channel-outbox.js';
import { vp8Descriptor } from './media-info.js';
import type { MediaKind, VideoLayer } from './types.js';
import { sendRtpFast } from './werift-speedups.js';
import { ownPacket } from './werift-workarounds.js';

export const RTCP_PSFB = 206;
export const PSFB_PLI = 1;
export const PSFB_FIR = 4;

/** Chrome ignores keyframe requests closer than 300 ms to the previous one. */
export const MIN_PLI_INTERVAL_MS = 300;
/** A player still waiting for a keyframe gets another request this long after the last one. */
export const KEYFRAME_RETRY_MS = 350;
/** How many times a keyframe request for video lost upstream is sent again (every `KEYFRAME_RETRY_MS`) until a keyframe arrives. */
export const KEYFRAME_RETRIES = 5;
/** A player that got no keyframe after this long starts on whatever arrives. */
export const KEYFRAME_GATE_MS = 1500;

/**
 * Video packets a player (or a room player's m-line) holds while its connection comes up, from
 * the latest keyframe on: sent the moment it is up. Past this many (a connection slow to come up)
 * they are dropped, and it waits for a keyframe asked for when it connects.
 */
export const EARLY_VIDEO_LIMIT = 400;

/** The video held before a connection is up, with `rtp` added: a keyframe starts it anew; past `EARLY_VIDEO_LIMIT`, or with no keyframe yet, nothing. */
export function holdEarly(held: RtpPacket[] | undefined, rtp: RtpPacket, keyframe: boolean): RtpPacket[] | undefined {
  if (keyframe) return [ownPacket(rtp)];
  if (!held || held.length >= EARLY_VIDEO_LIMIT) return undefined;
  held.push(ownPacket(rtp));
  return held;
}

/** What a publisher forwards to: a player, or one source slot of a room player. */
export interface RtpSink {
  /** A packet of the publisher's; `layer`: the simulcast layer (rid) of a video packet, `''` without layers. */
  forward(kind: MediaKind, rtp: RtpPacket, keyframe: boolean, layer: string): void;
  sendToPlayer(message: DataMessage): void;
  /** Connected, forwarding video, and no keyframe sent yet. */
  readonly waitingForKeyframe: boolean;
  /** The publisher is going away. */
  close(): void;
}

/**
 * What a player forwards from: a publisher's connection on this thread (`WeriftPublisher`), or its
 * stand-in in a media worker (`media-worker.ts`), fed with the publisher's packets by the main thread.
 */
export interface PlayerSource {
  readonly streamId: string;
  /** Its video comes in simulcast layers (the server asked for them). */
  readonly simulcast: boolean;
  readonly kinds: ReadonlySet<MediaKind>;
  /** The negotiated codecs, which the players offer in turn. */
  readonly videoCodec: RTCRtpCodecParameters | undefined;
  readonly audioCodec: RTCRtpCodecParameters | undefined;
  /** Starts forwarding to `sink`. */
  attach(sink: RtpSink): void;
  /** Stops forwarding to `sink`. */
  detach(sink: RtpSink): void;
  /** Asks the publisher for a keyframe now, or as soon as Chrome would honour it. */
  requestKeyframe(): void;
  /** A message from one player to the publisher. */
  sendToPublisher(message: DataMessage): void;
  /** The video's layers sending now, highest first (`PublisherPeer.layers`). */
  layers(): VideoLayer[];
}

/**
 * The RTCP feedback a forwarded video m-line offers: NACK, PLI and FIR, and with `remb` the
 * browser's bandwidth estimate (which picks a simulcast layer) (a fresh list each call).
 */
export const videoFeedback = (remb = false): { type: string; parameter?: string }[] => [
  { type: 'nack' },
  { type: 'nack', parameter: 'pli' },
  { type: 'ccm', parameter: 'fir' },
  ...(remb ? [{ type: 'goog-remb' }] : []),
];

/** A forwarded video m-line's codec: the source's codec with `videoFeedback(remb)`. */
export function forwardedVideoCodec(source: { mimeType: string; clockRate: number; parameters?: string }, remb = false): RTCRtpCodecParameters {
  return new RTCRtpCodecParameters({
    mimeType: source.mimeType,
    clockRate: source.clockRate,
    rtcpFeedback: videoFeedback(remb),
    parameters: source.parameters,
  });
}

/** A forwarded audio m-line's codec: the source's (2 channels unless it says otherwise), or Opus. */
export function forwardedAudioCodec(source: RTCRtpCodecParameters | undefined): RTCRtpCodecParameters {
  if (!source) return useOPUS();
  return new RTCRtpCodecParameters({ mimeType: source.mimeType, clockRate: source.clockRate, channels: source.channels ?? 2, parameters: source.parameters });
}

/** Whether an RTCP packet is a keyframe request: payload-specific feedback PLI or FIR. */
export function isKeyframeRequest(packet: unknown): boolean {
  const p = packet as { type?: number; feedback?: { count?: number } } | undefined;
  return p?.type === RTCP_PSFB && (p.feedback?.count === PSFB_PLI || p.feedback?.count === PSFB_FIR);
}

/** Calls `onRequest` whenever the browser asks `sender` for a keyframe. */
export function onKeyframeRequest(sender: RTCRtpSender, onRequest: () => void): void {
  sender.onRtcp.subscribe((packet) => {
    if (isKeyframeRequest(packet)) onRequest();
  });
}

/**
 * What a forwarded m-line lets through: everything once open; while shut, only a keyframe
 * (which opens it), or anything once `KEYFRAME_GATE_MS` went by since it was shut.
 */
export class KeyframeGate {
  /** Packets pass. */
  open: boolean;
  private since: number;

  constructor(open: boolean, now = performance.now()) {
    this.open = open;
    this.since = now;
  }

  /** Shuts the gate from `now` on (a new source or a new connection: wait for a keyframe). */
  shut(now = performance.now()): void {
    this.open = false;
    this.since = now;
  }

  /** Starts the timeout again from `now`, open or not. */
  restartClock(now = performance.now()): void {
    this.since = now;
  }

  /** Whether a packet may pass (opening the gate if it does). */
  pass(keyframe: boolean, now = performance.now()): boolean {
    if (this.open) return true;
    if (!keyframe && now - this.since < KEYFRAME_GATE_MS) return false;
    this.open = true;
    return true;
  }
}

/**
 * When a publisher is asked for a keyframe: at once unless one went out in the last
 * `MIN_PLI_INTERVAL_MS` (then at the next tick), and again every `KEYFRAME_RETRY_MS` while a
 * player waits for one (or, for video lost upstream, until one arrives). Only when a player
 * needs one (a new player, a new source in a slot, a switch of simulcast layer waiting for its
 * layer's, a player's own PLI or FIR after a loss NACKs could not repair): no timer asks for
 * keyframes nobody needs, each of which costs every player a burst of bits. `send` sends a PLI,
 * or returns false when it cannot (no video yet).
 */
export class PliPacer {
  private lastPli = -Infinity;
  private wanted = false;
  /** Resends left for a `request(true)` (0: a keyframe arrived since, or none was asked for so). */
  private unanswered = 0;

  constructor(
    private readonly send: () => boolean,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Asks for a keyframe now, or as soon as Chrome would honour it. `untilAnswered`: and again
   * every `KEYFRAME_RETRY_MS` until a keyframe arrives (at most `KEYFRAME_RETRIES` times), for
   * video lost for good upstream, which no player can get back by itself: on a lossy path the
   * PLI can be lost too, and the players then froze until Chrome's own timeout (3 s). (Not for
   * every request: resending each of them on a lossy path measured fewer frames a second, the
   * extra keyframes costing the encoder its bits.)
   */
  request(untilAnswered = false): void {
    if (untilAnswered) this.unanswered = KEYFRAME_RETRIES;
    if (!this.trySend()) this.wanted = true;
  }

  /** A keyframe came from the publisher: a request sent until answered is answered. */
  keyframeArrived(): void {
    this.unanswered = 0;
  }

  /** Called every tick while players watch the video; `waiting`: a player still waits for a keyframe. */
  tick(waiting: boolean): void {
    const retry = (waiting || this.unanswered > 0) && this.now() - this.lastPli >= KEYFRAME_RETRY_MS;
    if (this.wanted) this.trySend();
    else if (retry && this.trySend() && this.unanswered > 0) this.unanswered--;
  }

  private trySend(): boolean {
    const now = this.now();
    if (now - this.lastPli < MIN_PLI_INTERVAL_MS) return false;
    if (!this.send()) return false;
    this.lastPli = now;
    this.wanted = false;
    return true;
  }
}

/**
 * Sends a forwarded packet on `sender` (its own header copy; errors dropped): `sendRtpFast`, or
 * werift's `sendRtp` where that needs werift's path. `numbering`: the m-line's VP8 picture
 * numbering, which the payload goes through.
 */
export function sendForwarded(sender: RTCRtpSender, rtp: RtpPacket, numbering?: Vp8Numbering): void {
  const own = ownPacket(rtp, numbering ? numbering.apply(rtp.payload) : rtp.payload);
  if (!sendRtpFast(sender, own)) void sender.sendRtp(own).catch(() => undefined);
}

/** `a` is ahead of `b` in a sequence of `mask + 1` numbers (a power of two) that wraps. */
const ahead = (a: number, b: number, mask: number): boolean => {
  const d = (a - b) & mask;
  return d !== 0 && d <= mask >> 1;
};

/**
 * The VP8 picture numbering (RFC 7741's PictureID and TL0PICIDX) of one forwarded m-line, kept
 * going when its source changes (another simulcast layer, another participant in a slot): each
 * encoder numbers its pictures from its own random start, and the RTP sequence alone going on
 * is not enough. Chrome's VP8 reference finder keeps what it knows per TL0PICIDX: a keyframe
 * whose numbers jump back leaves it the old layer's entries ahead, and it drops the new layer's
 * frames as old until its TL0PICIDX passes them, seconds later (the picture frozen at the old
 * layer). So, as other SFUs do, the numbers go on from the last ones sent, one picture later.
 * (A payload that needs no change is sent as it is; one that does is a copy: every sink shares it.)
 * That account is not reproduced on demand: with this off, a throwaway fault that put the lower
 * layers' numbers behind the highest's (by 2 to 110 TL0PICIDX) did not freeze a pin from 720 to
 * 180 lines. (One Chrome was seen numbering its three layers alike, another not.) What stands
 * behind it is the measurement: 5 of 40 pins not shown within 12 s without it, 0 of 40 with it.
 */
export class Vp8Numbering {
  /** A numbering for a sender of `codec` if it is VP8 (other codecs' numbers are sent as they come). */
  static forCodec(codec: { mimeType: string } | undefined): Vp8Numbering | undefined {
    return codec?.mimeType.toLowerCase() === 'video/vp8' ? new Vp8Numbering() : undefined;
  }

  private picShift = 0;
  private tl0Shift = 0;
  /** The newest numbers sent (-1: none yet). */
  private lastPic = -1;
  private lastTl0 = -1;
  private restarting = false;

  /** The next packet is the first of another source (a keyframe): its numbers go on from the last sent. */
  restart(): void {
    this.restarting = true;
  }

  /** `payload` with its numbers as this m-line sends them. */
  apply(payload: Buffer): Buffer {
    const restart = this.restarting;
    this.restarting = false;
    const d = vp8Descriptor(payload);
    if (!d || d.end > payload.length) return payload;
    const { picAt, wide, tl0At } = d;
    const pic = picAt < 0 ? -1 : wide ? ((payload[picAt]! & 0x7f) << 8) | payload[picAt + 1]! : payload[picAt]! & 0x7f;
    const tl0 = tl0At < 0 ? -1 : payload[tl0At]!;
    const picMask = wide ? 0x7fff : 0x7f;
    if (restart) {
      if (pic >= 0 && this.lastPic >= 0) this.picShift = (this.lastPic + 1 - pic) & 0x7fff;
      if (tl0 >= 0 && this.lastTl0 >= 0) this.tl0Shift = (this.lastTl0 + 1 - tl0) & 0xff;
    }
    let out = payload;
    if (pic >= 0) {
      const v = (pic + this.picShift) & picMask;
      if (v !== pic) {
        out = Buffer.from(payload);
        if (wide) {
          out[picAt] = 0x80 | (v >> 8);
          out[picAt + 1] = v & 0xff;
        } else out[picAt] = v;
      }
      // (A late packet, a retransmission's, does not move the newest back.)
      if (this.lastPic < 0 || restart || ahead(v, this.lastPic, picMask)) this.lastPic = v;
    }
    if (tl0 >= 0) {
      const v = (tl0 + this.tl0Shift) & 0xff;
      if (v !== tl0) {
        if (out === payload) out = Buffer.from(payload);
        out[tl0At] = v;
      }
      if (this.lastTl0 < 0 || restart || ahead(v, this.lastTl0, 0xff)) this.lastTl0 = v;
    }
    return out;
  }
}
