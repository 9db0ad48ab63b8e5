/**
 * Connection statistics computed from successive `RTCPeerConnection.getStats()` reports: the
 * information of AMS's `PeerStats` (reference 7) without its `-1` sentinels. A value the report does
 * not give is `undefined`: the incoming figures on a connection that receives no RTP (a publisher),
 * the outgoing ones on a connection that sends none (a player). The first report after the
 * connection started (`reset(since)`) has rates over the time since that start; a stream with no
 * previous sample otherwise has a rate of `0`. Pure: the report's own timestamps drive every rate,
 * so tests feed synthetic reports.
 */

/** One snapshot. Rates cover the interval since the previous `update()` (the first: since the connection started). */
export interface RtcStats {
  /** The newest stat timestamp in the report (ms, as the report gives it); 0 for an empty report. */
  timestamp: number;
  /** Received RTP payload bitrate, all inbound streams; absent when nothing is received (a publisher). */
  bitrateInKbps?: number;
  /** Sent RTP payload bitrate, all outbound streams; absent when nothing is sent (a player). */
  bitrateOutKbps?: number;
  /** Packets lost so far: inbound-rtp (what this side receives) plus remote-inbound-rtp (what the far side reports of ours). */
  packetsLost: number;
  /** Lost / expected packets over the last interval, 0..1 (the first snapshot covers the time since the connection started). */
  fractionLost: number;
  /** Interarrival jitter: the largest of the inbound streams, else of the far side's reports. */
  jitterMs?: number;
  /** Media round trip (remote-inbound-rtp), else the selected candidate pair's current round trip. */
  roundTripTimeMs?: number;
  /** Frame rate of the main video stream (received if any, else sent, else the camera's). */
  framesPerSecond?: number;
  frameWidth?: number;
  frameHeight?: number;
  /** Total frames decoded, all inbound video. */
  framesDecoded?: number;
  /** Total frames encoded, all outbound video. */
  framesEncoded?: number;
  /** Total RTP payload bytes received; absent when nothing is received. */
  bytesReceived?: number;
  /** Total RTP payload bytes sent; absent when nothing is sent. */
  bytesSent?: number;
  /** Why the sent video is limited (`none`, `bandwidth`, `cpu`, `other`). */
  qualityLimitationReason?: string;
  /** The congestion controller's estimate on the selected candidate pair; absent when nothing is sent. */
  availableOutgoingBitrateKbps?: number;
  /** Milliseconds since the last packet arrived on the connection's path (RTP, RTCP or STUN). */
  idleMs?: number;
  /** Audio level 0..1: received audio if any, else the microphone. */
  audioLevel?: number;
}

/** A stats report: an `RTCStatsReport`, a `Map`, an array of entries, or anything with `forEach(value, key)`. */
export type StatsReportLike = Iterable<[string, unknown]> | { forEach(cb: (v: unknown, k: string) => void): void };

type Stat = Record<string, unknown> & { id: string; type: string; timestamp: number };

/** What one stream contributed over its last interval. */
interface Rates {
  bitsPerMs: number;
  /** Frame rate from the frame-count delta (when the stat has no `framesPerSecond`). */
  fps?: number;
  lost: number;
  expected: number;
}

/** The counters kept per stat id between updates, with the rates they gave. */
interface Sample {
  type: string;
  timestamp: number;
  bytes: number;
  packets: number;
  lost: number;
  frames: number;
  rates: Rates;
}

type Counters = Omit<Sample, 'type' | 'timestamp' | 'rates'>;

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const kindOf = (stat: Stat): string | undefined => str(stat['kind']) ?? str(stat['mediaType']);

function toStats(report: StatsReportLike): Stat[] {
  const out: Stat[] = [];
  const add = (value: unknown, key: string): void => {
    if (typeof value !== 'object' || value === null) return;
    const v = value as Record<string, unknown>;
    const type = str(v['type']);
    if (!type) return;
    out.push({ ...v, id: str(v['id']) ?? key, type, timestamp: num(v['timestamp']) ?? 0 });
  };
  // Prefer the iterator: an RTCStatsReport or Map yields [key, value], and so does an array of
  // entries (whose forEach would pass the entry as the value).
  if (typeof (report as Iterable<[string, unknown]>)[Symbol.iterator] === 'function') {
    for (const entry of report as Iterable<[string, unknown]>) {
      if (Array.isArray(entry)) add(entry[1], String(entry[0]));
    }
  } else {
    (report as { forEach(cb: (v: unknown, k: string) => void): void }).forEach((v, k) => add(v, k));
  }
  return out;
}

/** The selected candidate pair: the transport's `selectedCandidatePairId`, else `selected`, else nominated and succeeded. */
function selectedPair(stats: Stat[]): Stat | undefined {
  const byId = new Map(stats.map((s) => [s.id, s]));
  for (const s of stats) {
    if (s.type !== 'transport') continue;
    const id = str(s['selectedCandidatePairId']);
    const pair = id === undefined ? undefined : byId.get(id);
    if (pair) return pair;
  }
  const pairs = stats.filter((s) => s.type === 'candidate-pair');
  return pairs.find((p) => p['selected'] === true) ?? pairs.find((p) => p['nominated'] === true && p['state'] === 'succeeded');
}

const maxOf = (values: (number | undefined)[]): number | undefined => {
  let best: number | undefined;
  for (const v of values) if (v !== undefined && (best === undefined || v > best)) best = v;
  return best;
};

/**
 * Silence past this (checked at each 1 s stats tick, so shown within 2 s) on a path heard more
 * often than `CHATTY_MS` means it is lost; on any other path, silence past `STUN_QUIET_MS` does
 * (the browser's ICE checks on the selected pair are answered every 2.5 s at the latest).
 */
const QUIET_MS = 900;
const CHATTY_MS = 600;
const STUN_QUIET_MS = 3000;

/**
 * Turns successive reports into `RtcStats`. Counters are compared per stat id, so a stream that
 * appears, disappears or restarts (a new peer connection, whose counters start again) contributes
 * a zero rate for that interval instead of a spike or a negative value. A stat whose timestamp has
 * not moved (a cached report, or no new RTCP report yet) keeps its previous rates.
 */
export class StatsTracker {
  #previous = new Map<string, Sample>();
  /** Whether this connection's path was heard within `CHATTY_MS` at some update. */
  #chatty = false;
  /**
   * After `update()`: nothing has arrived on the path for over a second, on a path that is usually
   * heard more often (the media path is lost; ICE notices only seconds later).
   */
  quiet = false;
  /** When the connection started (the report's clock), until the first report with RTP; 0: unknown. */
  #since = 0;

  /** Computes a snapshot from `report` and remembers its counters for the next call. */
  update(report: StatsReportLike): RtcStats {
    const stats = toStats(report);
    const current = new Map<string, Sample>();
    const since = this.#since;

    /**
     * Records the counters of one stream and returns its rates over the interval since its previous
     * sample. `lossOf(delta)` gives the lost and expected packets of an interval (or, for a first or
     * restarted sample, of the whole life of the stream).
     */
    const track = (stat: Stat, now: Counters, lossOf: (d: Counters) => { lost: number; expected: number }): Rates => {
      const before = this.#previous.get(stat.id);
      const ms = before ? stat.timestamp - before.timestamp : 0;
      const d: Counters = before
        ? { bytes: now.bytes - before.bytes, packets: now.packets - before.packets, lost: now.lost - before.lost, frames: now.frames - before.frames }
        : now;
      let rates: Rates;
      const forward = d.bytes >= 0 && d.packets >= 0 && d.frames >= 0;
      if (before && before.type === stat.type && ms === 0 && forward) {
        // The same measurement again (getStats caches for a few ms; remote-inbound-rtp keeps the time
        // of the last RTCP report): keep its rates and measure the next interval from it.
        current.set(stat.id, before);
        return before.rates;
      }
      if (before && before.type === stat.type && ms > 0 && forward) {
        rates = { bitsPerMs: (d.bytes * 8) / ms, fps: (d.frames * 1000) / ms, ...lossOf(d) };
      } else {
        // First sample, or counters went backwards (the stream started again): no previous sample.
        // In the first report after the connection started, the counters ran since that start.
        const sinceStart = before || !since ? 0 : stat.timestamp - since;
        rates = { bitsPerMs: sinceStart > 0 ? (now.bytes * 8) / sinceStart : 0, ...lossOf(now) };
      }
      current.set(stat.id, { type: stat.type, timestamp: stat.timestamp, ...now, rates });
      return rates;
    };

    let timestamp = 0;
    let bitsInPerMs = 0;
    let bitsOutPerMs = 0;
    let bytesReceived: number | undefined;
    let bytesSent: number | undefined;
    let packetsLost = 0;
    let lostInInterval = 0;
    let expectedInInterval = 0;
    const inboundVideo: Stat[] = [];
    const outboundVideo: Stat[] = [];
    const fpsById = new Map<string, number>();
    let framesDecoded: number | undefined;
    let framesEncoded: number | undefined;
    let receivedAudioLevel: number | undefined;
    let sourceAudioLevel: number | undefined;
    let sourceVideo: Stat | undefined;

    // Outbound streams first: the far side's reports (remote-inbound-rtp) are measured against them.
    const ordered = [...stats].sort((a, b) => Number(a.type === 'remote-inbound-rtp') - Number(b.type === 'remote-inbound-rtp'));
    for (const s of ordered) {
      if (s.timestamp > timestamp) timestamp = s.timestamp;
      const kind = kindOf(s);
      switch (s.type) {
        case 'inbound-rtp': {
          const bytes = num(s['bytesReceived']) ?? 0;
          const packets = num(s['packetsReceived']) ?? 0;
          const lost = num(s['packetsLost']) ?? 0;
          const decoded = num(s['framesDecoded']);
          bytesReceived = (bytesReceived ?? 0) + bytes;
          packetsLost += lost;
          // packetsLost can shrink (late or duplicate packets); that is no negative loss.
          const rates = track(s, { bytes, packets, lost, frames: decoded ?? 0 }, (d) => ({
            lost: Math.max(0, d.lost),
            expected: d.packets + Math.max(0, d.lost),
          }));
          bitsInPerMs += rates.bitsPerMs;
          lostInInterval += rates.lost;
          expectedInInterval += rates.expected;
          if (kind === 'video') {
            inboundVideo.push(s);
            if (decoded !== undefined) framesDecoded = (framesDecoded ?? 0) + decoded;
            const fps = num(s['framesPerSecond']) ?? (decoded !== undefined ? rates.fps : undefined);
            if (fps !== undefined) fpsById.set(s.id, fps);
          } else if (kind === 'audio') {
            receivedAudioLevel = maxOf([receivedAudioLevel, num(s['audioLevel'])]);
          }
          break;
        }
        case 'outbound-rtp': {
          const bytes = num(s['bytesSent']) ?? 0;
          const packets = num(s['packetsSent']) ?? 0;
          const encoded = num(s['framesEncoded']);
          bytesSent = (bytesSent ?? 0) + bytes;
          const rates = track(s, { bytes, packets, lost: 0, frames: encoded ?? 0 }, () => ({ lost: 0, expected: 0 }));
          bitsOutPerMs += rates.bitsPerMs;
          if (kind === 'video') {
            outboundVideo.push(s);
            if (encoded !== undefined) framesEncoded = (framesEncoded ?? 0) + encoded;
            const fps = num(s['framesPerSecond']) ?? (encoded !== undefined ? rates.fps : undefined);
            if (fps !== undefined) fpsById.set(s.id, fps);
          }
          break;
        }
        case 'remote-inbound-rtp': {
          // What the far side reports of our stream (publishers): loss against the packets we sent.
          const lost = num(s['packetsLost']) ?? 0;
          packetsLost += lost;
          const local = str(s['localId']);
          const sent = (local === undefined ? undefined : current.get(local)?.packets) ?? 0;
          const rates = track(s, { bytes: 0, packets: sent, lost, frames: 0 }, (d) => ({
            lost: Math.max(0, d.lost),
            expected: Math.max(d.packets, Math.max(0, d.lost)),
          }));
          lostInInterval += rates.lost;
          expectedInInterval += rates.expected;
          break;
        }
        case 'media-source':
          if (kind === 'video') sourceVideo ??= s;
          else if (kind === 'audio') sourceAudioLevel = maxOf([sourceAudioLevel, num(s['audioLevel'])]);
          break;
        default:
          break;
      }
    }
    this.#previous = current;
    if (current.size) this.#since = 0;

    const result: RtcStats = {
      timestamp,
      packetsLost: Math.max(0, packetsLost),
      fractionLost: expectedInInterval > 0 ? Math.min(1, lostInInterval / expectedInInterval) : 0,
    };
    // Bits per millisecond are kilobits per second.
    if (bytesReceived !== undefined) Object.assign(result, { bitrateInKbps: bitsInPerMs, bytesReceived });
    if (bytesSent !== undefined) Object.assign(result, { bitrateOutKbps: bitsOutPerMs, bytesSent });

    const remoteInbound = stats.filter((s) => s.type === 'remote-inbound-rtp');
    const jitter = maxOf(stats.filter((s) => s.type === 'inbound-rtp').map((s) => num(s['jitter']))) ?? maxOf(remoteInbound.map((s) => num(s['jitter'])));
    if (jitter !== undefined) result.jitterMs = jitter * 1000;

    const pair = selectedPair(stats);
    const withRtt = remoteInbound.filter((s) => num(s['roundTripTime']) !== undefined);
    const mediaRtt = withRtt.find((s) => kindOf(s) === 'video') ?? withRtt[0];
    const rtt = num(mediaRtt?.['roundTripTime']) ?? num(pair?.['currentRoundTripTime']);
    if (rtt !== undefined) result.roundTripTimeMs = rtt * 1000;
    // The estimate is meaningless where nothing is sent (a player's is the default 300 kbps).
    const available = num(pair?.['availableOutgoingBitrate']);
    if (available !== undefined && bytesSent !== undefined) result.availableOutgoingBitrateKbps = available / 1000;
    // How long the path has been silent. A player hears RTP all the time; a publisher hears the
    // server's RTCP (the embedded server's REMB twice a second), so a second of silence means a lost
    // path only on a path that was heard often before (a server may send RTCP every few seconds).
    const heard = num(pair?.['lastPacketReceivedTimestamp']);
    this.quiet = false;
    if (heard !== undefined && timestamp > 0) {
      const idle = (result.idleMs = Math.max(0, timestamp - heard));
      if (idle < CHATTY_MS) this.#chatty = true;
      this.quiet = idle > (this.#chatty ? QUIET_MS : STUN_QUIET_MS);
    }

    // The main video: the inbound stream with the most bytes (a player), else the outbound one
    // (a publisher; with simulcast the top layer), else the camera itself (media-source).
    const mainOut = largest(outboundVideo, 'bytesSent');
    const main = largest(inboundVideo, 'bytesReceived') ?? mainOut;
    const fps = main ? fpsById.get(main.id) : num(sourceVideo?.['framesPerSecond']);
    if (fps !== undefined) result.framesPerSecond = fps;
    const width = main ? num(main['frameWidth']) : num(sourceVideo?.['width']);
    const height = main ? num(main['frameHeight']) : num(sourceVideo?.['height']);
    if (width !== undefined) result.frameWidth = width;
    if (height !== undefined) result.frameHeight = height;
    if (framesDecoded !== undefined) result.framesDecoded = framesDecoded;
    if (framesEncoded !== undefined) result.framesEncoded = framesEncoded;
    const reason = str(mainOut?.['qualityLimitationReason']);
    if (reason !== undefined) result.qualityLimitationReason = reason;
    const level = receivedAudioLevel ?? sourceAudioLevel;
    if (level !== undefined) result.audioLevel = level;
    return result;
  }

  /**
   * Forgets the previous samples, for a new connection started at `since` (the reports' clock, as
   * `Date.now()`): the next report with RTP gives rates over the time since then (0 without `since`).
   */
  reset(since = 0): void {
    this.#previous = new Map();
    this.#since = since;
    this.#chatty = this.quiet = false;
  }
}

function largest(stats: Stat[], field: string): Stat | undefined {
  let best: Stat | undefined;
  for (const s of stats) if (!best || (num(s[field]) ?? 0) > (num(best[field]) ?? 0)) best = s;
  return best;
}

/** Reads `pc.getStats()` once and feeds it to `tracker`. Rejects as `getStats` does (a closed connection). */
export async function collectStats(pc: { getStats(): Promise<StatsReportLike> }, tracker: StatsTracker): Promise<RtcStats> {
  return tracker.update(await pc.getStats());
}
