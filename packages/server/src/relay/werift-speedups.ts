/**
 * Per-packet costs of werift 0.24 the relay takes out, with werift's behaviour kept (profiles of
 * a 4-person room, `npm run bench -- --room` with `BENCH_PROFILE`):
 *
 * - `RtpHeader.deSerialize`, run on every packet received (twice: SRTP's header check, then the
 *   parse after decryption), reads its six bit fields through binary strings (`toString(2)`,
 *   arrays, `parseInt`); here with shifts and masks, the same header out (the extension loops as
 *   werift's, byte for byte), except that an extension block said to run past the packet's end
 *   is refused (a `RangeError`) where werift reads on, quadratically (see below).
 * - An ICE transport's UDP send goes through `dgram`'s address lookup (`dns.lookup`, which answers
 *   an IP literal on the next tick) and sends from that tick; here an IP literal is its own
 *   answer, so the datagram goes out at once; a name still goes through `dns.lookup`.
 * - `RTCRtpSender.sendRtp`, run for every packet forwarded to every player, reads the clock
 *   through a string, merges header extensions, records each packet for a bandwidth estimator
 *   nothing here feeds, and chains four promises; `sendRtpFast` (which the forwarding calls, not
 *   a patch) does the rest of what it does, and writes a true NTP time for the Sender Reports.
 *
 * `installWeriftSpeedups` patches werift's classes (once per thread: each media worker has its
 * own werift); where an internal is not what this expects, werift's own path stays.
 */
import { isIP } from 'node:net';
import { RtpHeader, UdpTransport, type RtpPacket, type RTCRtpSender } from 'werift';

/** werift's own header parser, kept for comparison (`test/server/werift-speedups.test.ts`). */
export const weriftRtpHeaderParse: (raw: Buffer) => RtpHeader = RtpHeader.deSerialize.bind(RtpHeader);

const ONE_BYTE_PROFILE = 0xbede;
const TWO_BYTE_PROFILE = 0x1000;

/** The RTP header of `raw`, as werift's `RtpHeader.deSerialize` makes it. */
export function parseRtpHeader(raw: Buffer): RtpHeader {
  const h = new RtpHeader();
  const b0 = raw[0] ?? 0;
  const b1 = raw[1] ?? 0;
  h.version = b0 >> 6;
  h.padding = (b0 & 0x20) !== 0;
  h.extension = (b0 & 0x10) !== 0;
  h.csrcLength = b0 & 0x0f;
  h.marker = (b1 & 0x80) !== 0;
  h.payloadType = b1 & 0x7f;
  h.sequenceNumber = raw.readUInt16BE(2);
  h.timestamp = raw.readUInt32BE(4);
  h.ssrc = raw.readUInt32BE(8);
  const csrc: number[] = new Array<number>(h.csrcLength);
  for (let i = 0; i < h.csrcLength; i++) csrc[i] = raw.readUInt32BE(12 + i * 4);
  h.csrc = csrc;
  let offset = 12 + h.csrcLength * 4;
  if (h.extension) {
    // Any 16 bits, as werift reads them (its type names only the two profiles).
    h.extensionProfile = raw.readUInt16BE(offset) as RtpHeader['extensionProfile'];
    offset += 2;
    const extensionLength = raw.readUInt16BE(offset) * 4;
    h.extensionLength = extensionLength;
    offset += 2;
    const extensions: { id: number; payload: Buffer }[] = [];
    const end = offset + extensionLength;
    // werift reads on past the end, one entry per two missing bytes, each copying the list so far:
    // up to 131,070 entries for a 16-byte datagram, billions of copies (about a minute of the event loop).
    if (end > raw.length) throw new RangeError('RTP header extension past the end of the packet');
    if (h.extensionProfile === ONE_BYTE_PROFILE) {
      while (offset < end) {
        const byte = raw[offset];
        if (byte === 0) {
          offset++;
          continue;
        }
        // (A byte past the end cannot occur here: the block ends within the packet.)
        const id = byte! >> 4;
        const len = (byte! & 0x0f) + 1;
        offset++;
        if (id === 15) break;
        extensions.push({ id, payload: raw.subarray(offset, offset + len) });
        offset += len;
      }
    } else if (h.extensionProfile === TWO_BYTE_PROFILE) {
      while (offset < end) {
        const id = raw[offset];
        if (id === 0) {
          offset++;
          continue;
        }
        offset++;
        const len = raw[offset] as number;
        offset++;
        extensions.push({ id: id as number, payload: raw.subarray(offset, offset + len) });
        offset += len;
      }
    } else {
      const payload = raw.subarray(offset, offset + extensionLength);
      extensions.push({ id: 0, payload });
      offset += payload.length;
    }
    h.extensions = extensions;
  }
  h.payloadOffset = offset;
  if (h.padding) h.paddingSize = raw[raw.length - 1] as number;
  return h;
}

/** The part of Node's `dgram.Socket` state the UDP speed-up replaces (`handle.lookup`). */
interface SocketState {
  handle?: { lookup?: (address: string, callback: (error: Error | null, ip?: string) => void) => void } | null;
}

/** Has `socket`'s sends skip the address lookup for IP literals (false: its internals differ). */
export function skipLookupForIpLiterals(socket: object): boolean {
  const key = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'state symbol');
  const state = key ? ((socket as Record<symbol, unknown>)[key] as SocketState | undefined) : undefined;
  const handle = state?.handle;
  const lookup = handle?.lookup;
  if (!handle || typeof lookup !== 'function') return false;
  let known = '';
  handle.lookup = (address, callback) => {
    // An empty address is lookup's to default (to the loopback).
    if (address && (address === known || isIP(address))) {
      known = address;
      callback(null, address);
    } else {
      lookup.call(handle, address, callback);
    }
  };
  return true;
}

/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
const NTP_UNIX_OFFSET_S = 2_208_988_800;
let ntpMs = Number.NaN;
let ntpValue = 0n;

/**
 * `ms` (Unix epoch, milliseconds) as a 64-bit NTP timestamp: the seconds since 1900 in the upper
 * 32 bits, the fraction of a second in the lower 32 (one BigInt made per millisecond). werift's
 * own `ntpTime` writes the decimal digits of the seconds' fraction as that fraction (0.25 s as
 * 25/2^32 s), so its Sender Reports carried whole seconds: a receiver's RTP-to-wall-clock
 * mapping, which lip sync uses, up to a second off.
 */
export function ntpTimestamp(ms = Date.now()): bigint {
  if (ms !== ntpMs) {
    ntpMs = ms;
    const seconds = Math.floor(ms / 1000);
    const fraction = Math.floor(((ms - seconds * 1000) / 1000) * 2 ** 32);
    ntpValue = (BigInt(seconds + NTP_UNIX_OFFSET_S) << 32n) | BigInt(fraction);
  }
  return ntpValue;
}

/** The parts of werift 0.24's `RTCRtpSender` (and its DTLS transport) `sendRtpFast` reads and writes. */
interface SenderInternals {
  dtlsTransport?: {
    state: string;
    srtp?: { encrypt(payload: Buffer, header: RtpHeader): Buffer };
    bytesSent: number;
    packetsSent: number;
    config?: { debug?: { outboundPacketLoss?: number } };
    iceTransport: { connection: { send(data: Buffer): Promise<void> } };
  };
  codec?: { payloadType: number };
  ssrc: number;
  timestampOffset: number;
  seqOffset: number;
  timestamp?: number;
  sequenceNumber?: number;
  ntpTimestamp: bigint;
  rtpTimestamp: number;
  octetCount: number;
  headerBytesSent: number;
  packetCount: number;
  rtpCache: RtpPacket[];
  headerExtensions?: unknown[];
  redRedundantPayloadType?: number;
  rtcpRunning: boolean;
  stopped: boolean;
  runRtcp(): Promise<void>;
}

/** werift's `RTP_HISTORY_SIZE`: the packets a sender keeps for NACKs. */
const RTP_HISTORY = 128;
const noop = (): void => undefined;

/**
 * Sends `rtp` on `sender` as werift's `RTCRtpSender.sendRtp` does (the same header rewrite, the
 * same state for its Sender Reports, NACK history and stats), without its per-packet costs: the
 * NTP clock read through a string, the header extension merge (a forwarded m-line of ours
 * negotiates none), the send-side bandwidth estimator's record (fed only by transport-wide
 * feedback, which needs that extension), and two of the three promises between it and the ICE
 * connection. Its Sender Reports carry a true NTP time (`ntpTimestamp`). `rtp` must be the
 * caller's own copy: its header is rewritten and kept for NACKs.
 *
 * Returns false, having done nothing, where werift's own path is needed (header extensions or
 * RED negotiated, or werift's internals not what this expects); true when sent, or dropped as
 * werift drops it (not connected yet).
 */
export function sendRtpFast(sender: RTCRtpSender, rtp: RtpPacket): boolean {
  const s = sender as unknown as SenderInternals;
  const dtls = s.dtlsTransport;
  if (s.headerExtensions?.length || s.redRedundantPayloadType || dtls?.config?.debug?.outboundPacketLoss) return false;
  if (dtls?.state !== 'connected' || !s.codec) return true;
  const srtp = dtls.srtp;
  const connection = dtls.iceTransport?.connection;
  if (!srtp || typeof connection?.send !== 'function' || !Array.isArray(s.rtpCache)) return false;
  const { header, payload } = rtp;
  header.ssrc = s.ssrc;
  header.payloadType = s.codec.payloadType;
  header.timestamp = (header.timestamp + s.timestampOffset) >>> 0;
  header.sequenceNumber = (header.sequenceNumber + s.seqOffset) & 0xffff;
  s.timestamp = header.timestamp;
  s.sequenceNumber = header.sequenceNumber;
  s.ntpTimestamp = ntpTimestamp();
  s.rtpTimestamp = header.timestamp;
  s.octetCount += payload.length;
  s.headerBytesSent += header.serializeSize;
  s.packetCount = (s.packetCount + 1) >>> 0;
  s.rtpCache[header.sequenceNumber % RTP_HISTORY] = rtp;
  let encrypted: Buffer;
  try {
    encrypted = srtp.encrypt(payload, header);
  } catch {
    return true;
  }
  dtls.bytesSent += encrypted.length;
  dtls.packetsSent++;
  connection.send(encrypted).catch(noop);
  if (!s.rtcpRunning && !s.stopped) void s.runRtcp().catch(noop);
  return true;
}

let installed = false;

/** Installs both speed-ups in this thread's werift (once; later calls do nothing). */
export function installWeriftSpeedups(): void {
  if (installed) return;
  installed = true;
  RtpHeader.deSerialize = parseRtpHeader;
  const init = UdpTransport.init.bind(UdpTransport);
  UdpTransport.init = async (...args: Parameters<typeof UdpTransport.init>): Promise<UdpTransport> => {
    const transport = await init(...args);
    skipLookupForIpLiterals(transport.socket);
    return transport;
  };
}
