/**
 * Where werift 0.24 does not do what the browser expects, and the relay patches around it: the
 * DTLS close_notify it never sends, a browser closing that it does not notice, the msid track id
 * it has no setter for, RTP headers it rewrites in place, sequence rebasing it gets wrong, and
 * inactive m-lines it writes with port 0.
 */
import { RtpHeader, RtpPacket, type RTCDtlsTransport, type RTCPeerConnection, type RTCRtpSender } from 'werift';
import type { MediaKind } from './types.js';

/** The parts of werift's DTLS socket `sendCloseNotify` touches (not in werift's public types). */
interface DtlsSocketInternals {
  connected?: boolean;
  cipher?: { encryptPacket(pkt: { recordLayerHeader: { contentType: number } }): unknown };
  send?(buf: Buffer): Promise<void>;
}

const CONTENT_TYPE_ALERT = 21;
/** `warning(1), close_notify(0)` */
const CLOSE_NOTIFY = Buffer.from([1, 0]);
/** How long the close_notify alerts get to leave before the socket closes under them. */
const CLOSE_NOTIFY_GRACE_MS = 100;

/**
 * werift closes without telling the browser ("todo impl send alert"), which then keeps the
 * connection up until its consent checks fail. Send the DTLS close_notify alert werift
 * lacks, by letting its application-data path encrypt an alert record. Best effort.
 */
async function sendCloseNotify(transport: RTCDtlsTransport): Promise<void> {
  const socket = (transport as unknown as { dtls?: DtlsSocketInternals }).dtls;
  const cipher = socket?.cipher;
  if (!socket || !cipher || typeof socket.send !== 'function' || transport.state !== 'connected') return;
  const encrypt = cipher.encryptPacket;
  if (typeof encrypt !== 'function') return;
  cipher.encryptPacket = (pkt) => {
    pkt.recordLayerHeader.contentType = CONTENT_TYPE_ALERT;
    return encrypt.call(cipher, pkt);
  };
  let sent: Promise<void>;
  try {
    // `send` encrypts synchronously, before its first await.
    sent = socket.send(CLOSE_NOTIFY);
  } catch {
    return;
  } finally {
    cipher.encryptPacket = encrypt;
  }
  await sent.catch(() => undefined);
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Closes `pc` after sending close_notify on its DTLS transports; settles when closed (never rejects). */
export function closeWithNotify(pc: RTCPeerConnection): Promise<void> {
  const alerts = pc.dtlsTransports.map(sendCloseNotify);
  // Let the alerts leave before werift closes the socket under them.
  return Promise.race([Promise.all(alerts), delay(CLOSE_NOTIFY_GRACE_MS)])
    .then(() => pc.close())
    .catch(() => undefined);
}

/**
 * werift leaves connectionState alone when the browser closes (DTLS close_notify); watch the
 * DTLS transports of a connected `pc` so a closed browser peer is noticed at once, not after
 * the 30 s consent timeout. `onClosed` may be called more than once.
 */
export function watchDtlsClose(pc: RTCPeerConnection, onClosed: () => void): void {
  for (const dtls of pc.dtlsTransports) {
    dtls.onStateChange.subscribe((s) => {
      if (s === 'closed' || s === 'failed') onClosed();
    });
  }
}

/** Sets the track id the browser sees (msid) on a sender that has no track of its own. */
export function setTrackId(sender: RTCRtpSender, trackId: string): void {
  (sender as { trackId: string }).trackId = trackId;
}

/**
 * A copy of `rtp` to hand to one sender: werift's sendRtp rewrites ssrc, payload type and
 * sequence in place, and keeps header extensions it does not know, so every player gets its
 * own header, without extensions. The payload is shared.
 */
export function ownPacket(rtp: RtpPacket): RtpPacket {
  const header = new RtpHeader({ ...rtp.header, extension: false, extensions: [] });
  return new RtpPacket(header, rtp.payload);
}

/**
 * Another source on a sender's m-line: its packets go on from the last one sent, one sequence
 * number and one frame (or audio packet) later than `next`, the first packet of the new source.
 * (werift's own `discontinuity` flag adds to the 32-bit timestamp offset with 16-bit
 * arithmetic, which throws the timestamps off.)
 */
export function continueSequence(sender: RTCRtpSender, next: RtpHeader, kind: MediaKind): void {
  try {
    sender.replaceRTP({ sequenceNumber: (next.sequenceNumber - 1) & 0xffff, timestamp: (next.timestamp - (kind === 'video' ? 3000 : 960)) >>> 0 });
  } catch {
    /* keep forwarding */
  }
}

/**
 * werift writes an inactive m-line with port 0, which the browser takes as rejected (and then
 * refuses to bundle or reuse it): keep it a live, inactive section (port 9).
 */
export const reviveInactiveSections = (sdp: string): string => sdp.replace(/^m=(audio|video) 0 /gm, 'm=$1 9 ');

/** The parts of werift's ICE internals a media cut touches (not in werift's public types). */
interface UdpTransportInternals {
  send(data: Buffer, addr: unknown): Promise<void>;
  onData(data: Buffer, addr: unknown): void;
}
interface IceConnectionInternals {
  /** DTLS, SRTP and SCTP out, on the nominated pair. */
  send(data: Buffer): Promise<void>;
  /** DTLS, SRTP and SCTP in. */
  onData: { execute(data: Buffer): void };
  /** The ICE sockets: STUN (checks, consent) both ways. */
  protocols?: Array<{ transport?: UdpTransportInternals }>;
}
/** Makes `obj[name]` (a function) do nothing but `blocked()` while `cut()` says so; wraps once. */
function gate<T extends object>(obj: T, name: keyof T & string, cut: () => boolean, blocked: () => unknown): void {
  const original = obj[name] as unknown as (...args: unknown[]) => unknown;
  if (typeof original !== 'function' || (original as { cutGate?: true }).cutGate) return;
  const wrapped = Object.assign((...args: unknown[]) => (cut() ? blocked() : original.apply(obj, args)), { cutGate: true as const });
  (obj as Record<string, unknown>)[name] = wrapped;
}

/**
 * Test faults: drops every datagram of `pc` both ways while `cut()` says so, by gating werift's
 * ICE connection (DTLS, SRTP, SCTP) and each of its sockets (STUN checks and consent); werift keeps
 * them across ICE restarts. Call it again when sockets may have been added (idempotent).
 */
export function guardUdp(pc: RTCPeerConnection, cut: () => boolean): void {
  for (const ice of pc.iceTransports) {
    const connection = ice.connection as unknown as IceConnectionInternals;
    gate(connection, 'send', cut, () => Promise.resolve());
    gate(connection.onData, 'execute', cut, () => undefined);
    for (const protocol of connection.protocols ?? []) {
      if (!protocol.transport) continue;
      gate(protocol.transport, 'send', cut, () => Promise.resolve());
      gate(protocol.transport, 'onData', cut, () => undefined);
    }
  }
}
