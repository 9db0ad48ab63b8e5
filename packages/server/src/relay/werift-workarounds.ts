/**
 * Where werift 0.24 does not do what the browser expects, and the relay patches around it: the
 * DTLS it starts late (and the early DTLS packets it drops), the ICE agent it does not run again
 * after an ICE restart, the DTLS close_notify it never
 * sends, a browser closing that it does not notice, the msid track id it has no setter for, RTP
 * headers it rewrites in place, sequence rebasing it gets wrong, inactive m-lines it writes
 * with port 0, and the STUN server of Google's it asks on every gathering.
 */
import { RtpHeader, RtpPacket, type RTCDtlsTransport, type RTCPeerConnection, type RTCRtpSender } from 'werift';
import type { MediaKind } from './types.js';

/** The parts of werift's ICE agent (`transport.iceTransport.connection`) `startDtlsEarly` touches. */
interface IceAgentInternals {
  nominated?: unknown;
  consentFresh?: unknown;
  checkComplete?: (pair: unknown) => void;
  onData?: { subscribe(fn: (data: Buffer) => void): { unSubscribe(): void } };
}

/** The parts of werift's ICE and DTLS transports `startDtlsEarly` touches. */
interface EarlyDtlsInternals {
  state?: unknown;
  start?: () => Promise<void>;
  iceTransport?: { start?: () => Promise<void>; connection?: IceAgentInternals };
  /** The DTLS socket, made by `start` before its first await; its transport's socket takes datagrams. */
  dtls?: { transport?: { socket?: { onData?: (data: Buffer) => void } } };
}

/** DTLS records a transport keeps from before its start (the browser's first flight and a retransmission or two). */
export const EARLY_DTLS_LIMIT = 16;
/** RFC 7983: a datagram whose first byte is 20..63 is DTLS. */
const isDtlsRecord = (data: Buffer): boolean => data.length > 0 && data[0]! > 19 && data[0]! < 64;

/** What `startDtlsEarly` could do with a DTLS transport (false: werift's internals differ, werift's own behaviour stays). */
export interface EarlyDtlsStatus {
  keepsEarlyPackets: boolean;
  startsAtNomination: boolean;
}

const prepared = new WeakMap<object, EarlyDtlsStatus>();
const preparedIce = new WeakSet<object>();

/**
 * werift starts its DTLS side only after its ICE agent has finished its checks (up to a 20 ms
 * scheduling tick after the pair is nominated), and drops the DTLS packets that arrive before:
 * the browser's ClientHello, sent as soon as its own ICE is up, is answered only when the
 * browser retransmits it (Chrome's timer: about 50-100 ms later). On every transport `pc`
 * connects: (a) DTLS packets that arrive before the DTLS side starts are kept and handed to it
 * when it does; (b) werift's `connect` goes on to DTLS as soon as a pair is nominated (ICE
 * connectivity is proven then; the agent's own bookkeeping finishes meanwhile). Best effort: a
 * werift whose internals differ keeps its own behaviour (see `earlyDtlsStatus`).
 */
export function startDtlsEarly(pc: RTCPeerConnection): void {
  beforeConnect(pc, (transport) => prepareTransport(transport as unknown as EarlyDtlsInternals));
}

/** Has werift's (internal) `connect` of `pc` call `each` with every DTLS transport first. */
function beforeConnect(pc: RTCPeerConnection, each: (transport: RTCDtlsTransport) => void): void {
  const internals = pc as unknown as { connect?: () => Promise<void> };
  const connect = internals.connect;
  if (typeof connect !== 'function') return;
  internals.connect = function (this: unknown) {
    for (const transport of pc.dtlsTransports) each(transport);
    return connect.call(this);
  };
}

/** What `startDtlsEarly` did with `transport` (undefined: its connection has not connected yet). */
export const earlyDtlsStatus = (transport: object): EarlyDtlsStatus | undefined => prepared.get(transport);

function prepareTransport(t: EarlyDtlsInternals): void {
  if (prepared.has(t) || t.state !== 'new') return;
  prepared.set(t, { keepsEarlyPackets: keepEarlyPackets(t), startsAtNomination: resolveIceAtNomination(t) });
}

/** (a): until `t.start()` makes the DTLS socket, DTLS datagrams are kept, then handed to it. */
function keepEarlyPackets(t: EarlyDtlsInternals): boolean {
  const agent = t.iceTransport?.connection;
  const start = t.start;
  if (typeof start !== 'function' || typeof agent?.onData?.subscribe !== 'function') return false;
  const early: Buffer[] = [];
  const sub = agent.onData.subscribe((data) => {
    if (Buffer.isBuffer(data) && isDtlsRecord(data) && early.length < EARLY_DTLS_LIMIT) early.push(data);
  });
  t.start = function (this: EarlyDtlsInternals) {
    t.start = start;
    sub.unSubscribe();
    // The socket is made (and subscribed to the agent) synchronously, before start's first await.
    const started = start.call(this);
    const socket = this.dtls?.transport?.socket;
    const deliver = socket?.onData;
    const kept = early.splice(0);
    if (typeof deliver === 'function') {
      for (const data of kept) {
        try {
          deliver.call(socket, data);
        } catch {
          /* a packet the socket refuses is one the browser retransmits */
        }
      }
    }
    return started;
  };
  return true;
}

/**
 * (b): the ICE transport's `start` resolves once the agent has nominated a pair (or when it
 * ends by itself, whichever is first), so werift's `connect` starts DTLS at once. The agent's
 * consent is marked fresh then (it would be a tick later), or werift would drop what DTLS sends.
 */
function resolveIceAtNomination(t: EarlyDtlsInternals): boolean {
  const ice = t.iceTransport;
  const agent = ice?.connection;
  const start = ice?.start;
  const checkComplete = agent?.checkComplete;
  if (!ice || !agent || typeof start !== 'function' || typeof checkComplete !== 'function' || typeof agent.consentFresh !== 'boolean') return false;
  if (preparedIce.has(ice)) return true;
  preparedIce.add(ice);
  let onNominated: (() => void) | undefined;
  agent.checkComplete = function (this: IceAgentInternals, pair: unknown) {
    checkComplete.call(this, pair);
    if (this.nominated && onNominated) onNominated();
  };
  ice.start = function (this: unknown) {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void): void => {
        onNominated = undefined;
        if (settled) return;
        settled = true;
        fn();
      };
      onNominated = () =>
        settle(() => {
          agent.consentFresh = true;
          resolve();
        });
      start.call(this).then(
        () => settle(resolve),
        (e: unknown) => settle(() => reject(e)),
      );
    });
  };
  return true;
}

/**
 * werift answers an offer's `a=setup:actpass` with `active`: it becomes the DTLS client, and
 * its client waits a fixed 100 ms before its ClientHello. Called between the remote offer and
 * the answer, this makes it answer `passive`: the browser sends its ClientHello as soon as its
 * ICE is up, and `startDtlsEarly` has werift answer it at once.
 */
export function answerAsDtlsServer(pc: RTCPeerConnection): void {
  for (const t of pc.dtlsTransports) if (t.role === 'auto') t.role = 'server';
}

/** The parts of werift's ICE transport and agent `resumeIceAfterRestart` touches. */
interface RestartInternals {
  state?: unknown;
  iceTransport?: { state?: unknown; start?: () => Promise<void>; connection?: { nominated?: unknown; generation?: unknown } };
}

/** The agent generation each agent was last run for by `resumeIceAfterRestart`. */
const resumedGeneration = new WeakMap<object, unknown>();

/**
 * werift's `connect` (run after each description) skips a transport whose DTLS is up, so after an
 * ICE restart (new credentials, the DTLS session kept) nothing runs the ICE agent again: the
 * browser's checks are answered but only queued, no pair is nominated, and werift then drops all
 * it would send there (DTLS, SRTP, SRTCP) for want of a nominated pair with fresh consent. The
 * browser, its checks answered, stays connected and keeps sending; the server answers nothing
 * else: no keyframe request, REMB or retransmission reaches the publisher again. Here each such
 * transport's ICE side is started (`iceTransport.start`: the queued checks handled, then checks,
 * nomination and consent as on the first connect); if it fails, the connection fails, as werift's
 * own first connect would.
 */
export function resumeIceAfterRestart(pc: RTCPeerConnection): void {
  beforeConnect(pc, (transport) => resumeIce(transport as unknown as RestartInternals));
}

function resumeIce(t: RestartInternals): void {
  const ice = t.iceTransport;
  const agent = ice?.connection;
  if (t.state !== 'connected' || !ice || !agent || typeof ice.start !== 'function') return;
  if (agent.nominated || ice.state === 'connected' || ice.state === 'checking' || ice.state === 'closed' || ice.state === 'failed') return;
  if (resumedGeneration.get(agent) === agent.generation) return;
  resumedGeneration.set(agent, agent.generation);
  // A failure sets the transport (and so the connection) failed, which the peer handles.
  ice.start().catch(() => undefined);
}

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
 * own header, without extensions. The payload is shared (or `payload`, the sink's own: a VP8
 * picture renumbered, `Vp8Numbering`).
 */
export function ownPacket(rtp: RtpPacket, payload = rtp.payload): RtpPacket {
  const header = new RtpHeader({ ...rtp.header, extension: false, extensions: [] });
  return new RtpPacket(header, payload);
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

/** The part of werift's ICE agent (`iceTransport.connection`) `noDefaultStunServer` clears. */
interface StunInternals {
  stunServer?: unknown;
}

/**
 * werift's ICE agent asks a STUN server on every gathering, Google's (`stun.l.google.com:19302`)
 * when it is given none, and the gathering (so `setLocalDescription`, so every offer and answer
 * of the server) waits for that query: the name's lookup (on Node's thread pool), then the
 * request, up to 5 s. The server has no use for a reflexive candidate (it announces its host
 * addresses), and where the lookup or the packets are slow or dropped, each connection's offer
 * waited those 5 s: seen in the fan-out bench, where a few receivers got their offer 5 s late.
 * Here the agents of `pc` ask no STUN server unless its configuration names one.
 */
export function noDefaultStunServer(pc: RTCPeerConnection, configured: boolean): void {
  if (configured) return;
  const internals = pc as unknown as { gatherCandidates?: () => Promise<void> };
  const gather = internals.gatherCandidates;
  if (typeof gather !== 'function') return;
  internals.gatherCandidates = function (this: unknown) {
    for (const t of pc.iceTransports) {
      const agent = t.connection as unknown as StunInternals | undefined;
      if (agent) agent.stunServer = undefined;
    }
    return gather.call(this);
  };
}
