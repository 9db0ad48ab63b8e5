/**
 * Congestion feedback to a publisher: werift's receiver sends receiver reports and NACKs but no
 * bandwidth estimate, so Chrome's send side (goog-remb negotiated, no transport-cc) keeps its
 * estimate at the answer's `x-google-max-bitrate` however narrow the path is, and a narrow uplink
 * fills with losses and retransmissions. `RembEstimator` measures what arrives (the rate, and
 * the loss of first transmissions from the sequence numbers) and keeps an estimate the way
 * Chrome's own loss-based controller does; the publisher sends it as REMB.
 */
import { ReceiverEstimatedMaxBitrate, RtcpPayloadSpecificFeedback, type RTCRtpReceiver } from 'werift';

/** `a - b` for 16-bit RTP sequence numbers (negative: `a` comes before `b`). */
export const seqDiff = (a: number, b: number): number => ((((a - b) & 0xffff) + 0x8000) & 0xffff) - 0x8000;

/** How often the estimate is updated and sent. */
export const REMB_INTERVAL_MS = 500;
/**
 * How often a REMB goes out: the estimate of the last update is sent again halfway to the next.
 * The publisher's element takes a path that was heard every 600 ms and then nothing for 900 ms as
 * lost (`QUIET_MS` in src/core/stats.ts); at 5 % loss one lost REMB of two a second did that
 * about once a run (a `reconnecting` flicker on a live publisher), three lost in a row at four a
 * second almost never.
 */
export const REMB_SEND_INTERVAL_MS = REMB_INTERVAL_MS / 2;
/** Above this loss the estimate goes down; under `GROW_BELOW` it grows. */
const DECREASE_ABOVE = 0.1;
const GROW_BELOW = 0.02;
/** Growth per interval once the path is clean, and how long after a decrease it holds first. */
const GROWTH = 1.03;
const HOLD_MS = 2000;
/** Near the rate that last met loss, growth is additive: this many bit/s per interval. */
const NEAR_LOSS_STEP_BPS = 2500;
/** For this long after a loss the estimate stays under `UNDER_LOSS` of the rate that met it. */
const RELEASE_MS = 30_000;
const UNDER_LOSS = 0.9;
/** Light loss this soon after growth is growth meeting the path's limit. */
const GREW_RECENTLY_MS = 2000;
/** The estimate never grows past this multiple of what arrives (plus 10 kbit/s), as in Chrome. */
const MAX_OVER_RECEIVED = 1.5;
/** Smoothing of the received rate (weight of the newest interval). */
const SMOOTHING = 0.25;
/**
 * A jump of at least this many sequence numbers at once, and at least half of the interval's, is
 * a gap (the path was cut), not congestion: congestion drops packets spread over the interval.
 */
const GAP_PACKETS = 20;

/** Per SSRC: the highest sequence number seen (extended), to count first transmissions. */
interface SsrcCount {
  highest: number;
}

/** The estimate from what arrives, in bit/s, between `minBps` and `maxBps`. */
export class RembEstimator {
  private estimate: number;
  private bytes = 0;
  private expected = 0;
  private fresh = 0;
  /** The largest single jump in sequence numbers this interval, and whether the last one had no packets. */
  private maxStep = 0;
  private silent = false;
  private readonly ssrcs = new Map<number, SsrcCount>();
  private last: number;
  private heldUntil = -Infinity;
  private smoothedBps: number | undefined;
  /** The received rate when loss was last met (the lowest while not released): growth slows near it. */
  private lossRate = Infinity;
  /** When growth last raised the estimate. */
  private grewAt = -Infinity;

  constructor(
    private readonly minBps: number,
    private readonly maxBps: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.estimate = maxBps;
    this.last = now();
  }

  /** One packet of `bytes` with sequence number `seq` on `ssrc`. */
  add(ssrc: number, seq: number, bytes: number): void {
    this.bytes += bytes;
    const s = this.ssrcs.get(ssrc);
    if (!s) {
      this.ssrcs.set(ssrc, { highest: seq });
      this.fresh++;
      this.expected++;
      return;
    }
    // The step from the highest seen, in 16-bit sequence space (-32768..32767).
    const step = seqDiff(seq, s.highest);
    if (step <= 0) return; // a retransmission or a reordered packet
    s.highest += step;
    this.expected += step;
    if (step > this.maxStep) this.maxStep = step;
    this.fresh++;
  }

  /** Closes the interval: the new estimate (bit/s), and what it was made from. */
  update(): { bps: number; loss: number; receivedBps: number } {
    const t = this.now();
    const dt = Math.max(1, t - this.last) / 1000;
    const receivedBps = (this.bytes * 8) / dt;
    const loss = this.expected > 0 ? Math.max(0, 1 - this.fresh / this.expected) : 0;
    // The first interval after a silent one, or one with a gap, tells of a cut path, not of its
    // capacity: it neither lowers the estimate nor records a loss rate (a cut would otherwise
    // hold the publisher far under its path for `RELEASE_MS` after the path came back).
    const gap = this.silent || (this.maxStep >= GAP_PACKETS && this.maxStep * 2 >= this.expected);
    if (this.expected > 0) {
      const smoothed = (this.smoothedBps = this.smoothedBps === undefined ? receivedBps : this.smoothedBps + SMOOTHING * (receivedBps - this.smoothedBps));
      if (gap) {
        // Nothing learnt about the path's capacity.
      } else if (loss > DECREASE_ABOVE) {
        // What got through, less half the loss (Chrome's loss-based rule), never above the last estimate.
        this.estimate = Math.min(this.estimate, smoothed) * (1 - loss / 2);
        // What got through is what the path carries (the smoothed rate still holds what was sent
        // before the loss began): the lowest such rate until released, and the estimate under it.
        this.lossRate = Math.min(this.lossRate, receivedBps);
        this.estimate = Math.min(this.estimate, this.lossRate * UNDER_LOSS);
        this.heldUntil = t + HOLD_MS;
      } else if (loss >= GROW_BELOW) {
        // Some loss: Chrome's loss-based rule holds here, which just over a capped path (where
        // growth led) loses a few per cent for good. Loss that growth just met is the rate the
        // path carries (random loss on a steady estimate is not: held, as Chrome does).
        if (this.lossRate === Infinity && t - this.grewAt <= GREW_RECENTLY_MS) {
          this.lossRate = receivedBps;
          this.heldUntil = t + HOLD_MS;
        }
        if (this.estimate > this.lossRate * UNDER_LOSS) this.estimate = this.lossRate * UNDER_LOSS;
      } else if (t >= this.heldUntil) {
        if (t - this.heldUntil > RELEASE_MS) this.lossRate = Infinity;
        const grown = this.estimate < this.lossRate * 0.85 ? this.estimate * GROWTH : this.estimate + NEAR_LOSS_STEP_BPS;
        const next = Math.min(this.maxBps, Math.max(this.estimate, Math.min(grown, smoothed * MAX_OVER_RECEIVED + 10_000, this.lossRate * UNDER_LOSS)));
        if (next > this.estimate) this.grewAt = t;
        this.estimate = next;
      }
    }
    this.silent = this.expected === 0;
    this.estimate = Math.min(this.maxBps, Math.max(this.minBps, this.estimate));
    this.last = t;
    this.bytes = 0;
    this.expected = 0;
    this.fresh = 0;
    this.maxStep = 0;
    return { bps: this.estimate, loss, receivedBps };
  }
}

/** A REMB packet of `bps` for `ssrcs`, from `senderSsrc`. */
export function rembPacket(senderSsrc: number, bps: number, ssrcs: number[]): RtcpPayloadSpecificFeedback {
  let mantissa = Math.max(0, Math.round(bps));
  let exp = 0;
  while (mantissa >= 1 << 18) {
    mantissa = Math.floor(mantissa / 2);
    exp++;
  }
  return new RtcpPayloadSpecificFeedback({
    feedback: new ReceiverEstimatedMaxBitrate({ senderSsrc, mediaSsrc: 0, brExp: exp, brMantissa: mantissa, ssrcNum: ssrcs.length, ssrcFeedbacks: ssrcs }),
  });
}

/** Sends a REMB of `bps` for `ssrcs` on `receiver`'s transport (errors dropped). */
export function sendRemb(receiver: RTCRtpReceiver, bps: number, ssrcs: number[]): void {
  if (ssrcs.length === 0) return;
  void receiver.dtlsTransport.sendRtcp([rembPacket(receiver.rtcpSsrc, bps, ssrcs)]).catch(() => undefined);
}
