/**
 * The embedded media relay: a small SFU on werift. One peer connection per publisher (the
 * browser offers) and per player (the server offers); RTP is copied from the publisher to
 * every player, keyframes are requested when players need them, and data channel messages
 * go from the publisher to every player and from each player to the publisher.
 */
import { networkInterfaces } from 'node:os';
import {
  MediaStream,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtpHeader,
  RtpPacket,
  useH264,
  useOPUS,
  useVP8,
  type RTCDataChannel,
  type RTCDtlsTransport,
  type RTCRtpSender,
  type RTCRtpTransceiver,
} from 'werift';
import { trackIdFor } from '../../core/protocol/ams.js';
import type { IdMapping } from '../../core/protocol/messages.js';
import { BitrateMeter, inspectVideo, type VideoCodecName } from './media-info.js';
import { addVideoBitrateHints, bundleCandidates, filterCandidates, isUsableSdp, parseCandidate, restrictPublisherOffer } from './sdp.js';
import {
  SdpError,
  type IceCandidateInit,
  type MediaKind,
  type MediaRelay,
  type PeerEvents,
  type PlayerPeer,
  type PublisherPeer,
  type StreamMediaInfo,
} from './types.js';

export interface WeriftRelayOptions {
  /**
   * Extra addresses to advertise as host candidates (e.g. a LAN or public address) besides
   * 127.0.0.1. Without it the relay binds to 127.0.0.1 only and never leaves loopback.
   */
  announcedHosts?: string[];
}

/** Largest data channel message either side may send (werift's default, 65,536, is too small). */
const MAX_MESSAGE_SIZE = 262_144;
/** Video bitrate hints put in the publisher's answer (kbit/s). */
const BITRATE_HINTS = { start: 1500, min: 300, max: 2500 };
/** Chrome ignores keyframe requests closer than 300 ms to the previous one. */
const MIN_PLI_INTERVAL_MS = 300;
/** A player still waiting for a keyframe gets another request this long after the last one. */
const KEYFRAME_RETRY_MS = 350;
/** Safety net: a fresh keyframe this often while players watch. */
const PERIODIC_PLI_MS = 2500;
const TICK_MS = 100;
/** A player that got no keyframe after this long starts on whatever arrives. */
const KEYFRAME_GATE_MS = 1500;
/** Data channel messages kept for a player whose channel is not open yet. */
const MAX_PENDING_MESSAGES = 256;

export const RTCP_PSFB = 206;
export const PSFB_PLI = 1;
export const PSFB_FIR = 4;

interface NetworkPolicy {
  config: ConstructorParameters<typeof RTCPeerConnection>[0];
  allowLocal(candidate: string): boolean;
  allowRemote(candidate: string): boolean;
}

const isLoopback = (address: string): boolean => address.startsWith('127.') || address === '::1';

function localAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) out.add(info.address.toLowerCase());
  }
  return out;
}

function networkPolicy(announcedHosts: string[] | undefined): NetworkPolicy {
  const base = {
    iceServers: [],
    bundlePolicy: 'max-bundle' as const,
    // Only the listed host addresses are gathered (werift skips loopback otherwise, and would
    // gather every interface address without these two flags).
    iceUseIpv4: false,
    iceUseIpv6: false,
    maxMessageSize: MAX_MESSAGE_SIZE,
  };
  if (announcedHosts && announcedHosts.length > 0) {
    const hosts = ['127.0.0.1', ...announcedHosts.filter((h) => h !== '127.0.0.1')];
    const allowed = new Set(hosts.map((h) => h.toLowerCase()));
    return {
      config: { ...base, iceAdditionalHostAddresses: hosts },
      allowLocal: (c) => allowed.has(parseCandidate(c)?.address ?? ''),
      allowRemote: (c) => parseCandidate(c)?.protocol === 'udp',
    };
  }
  return {
    // Sockets bound to 127.0.0.1: nothing can be sent off this machine.
    config: { ...base, iceAdditionalHostAddresses: ['127.0.0.1'], iceInterfaceAddresses: { udp4: '127.0.0.1' } },
    allowLocal: (c) => parseCandidate(c)?.address === '127.0.0.1',
    allowRemote: (c) => {
      const parsed = parseCandidate(c);
      if (!parsed || parsed.protocol !== 'udp') return false;
      return isLoopback(parsed.address) || localAddresses().has(parsed.address);
    },
  };
}

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Runs a callback of the signaling handler without letting it throw into werift. */
export function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    /* the handler's problem, not the relay's */
  }
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

export type DataMessage = string | Buffer;

export const isEmpty = (m: DataMessage): boolean => m.length === 0;

export function sendData(channel: RTCDataChannel | undefined, message: DataMessage): boolean {
  if (!channel || channel.readyState !== 'open') return false;
  try {
    channel.send(message);
    return true;
  } catch {
    return false;
  }
}

/**
 * A player's data channel towards the browser: messages sent before it opens wait (up to
 * `MAX_PENDING_MESSAGES`) and go out when it does; a closed channel drops them.
 */
export class ChannelOutbox {
  private channel: RTCDataChannel | undefined;
  private pending: DataMessage[] = [];

  /** Uses `channel` from now on, flushing the queue when it opens. */
  attach(channel: RTCDataChannel): void {
    this.channel = channel;
    channel.stateChanged.subscribe((state) => {
      if (state === 'open') this.flush();
    });
  }

  send(message: DataMessage): void {
    if (sendData(this.channel, message)) return;
    if (this.channel?.readyState === 'closed' || this.channel?.readyState === 'closing') return;
    if (this.pending.length < MAX_PENDING_MESSAGES) this.pending.push(message);
  }

  clear(): void {
    this.pending = [];
  }

  private flush(): void {
    const queued = this.pending;
    this.pending = [];
    for (const m of queued) sendData(this.channel, m);
  }
}

/** Things publisher and player share: the werift connection, its lifecycle and candidates. */
export abstract class Peer {
  protected pc: RTCPeerConnection | undefined;
  protected closed = false;
  private mediaStarted = false;
  private candidatesSent = false;
  /** Settles when the werift connection has finished closing. */
  closing: Promise<void> = Promise.resolve();

  constructor(
    protected readonly relay: WeriftRelay,
    protected readonly events: PeerEvents,
  ) {}

  /** Applies a player's answer (its candidates filtered by the network policy). Rejects with `SdpError`. */
  protected async applyAnswer(sdp: string): Promise<void> {
    if (!isUsableSdp(sdp)) throw new SdpError('not a usable answer');
    try {
      const answer = filterCandidates(sdp, (c) => this.relay.policy.allowRemote(c));
      await this.pc!.setRemoteDescription({ type: 'answer', sdp: answer });
    } catch (e) {
      throw new SdpError(errorMessage(e));
    }
  }

  protected createPc(codecs: { audio: RTCRtpCodecParameters[]; video: RTCRtpCodecParameters[] }): RTCPeerConnection {
    const pc = new RTCPeerConnection({ ...this.relay.policy.config, codecs });
    pc.connectionStateChange.subscribe((state) => {
      if (this.closed) return;
      if (state === 'connected') {
        // werift leaves connectionState alone when the browser closes (DTLS close_notify);
        // watch the DTLS transport so a closed browser peer is noticed at once, not after
        // the 30 s consent timeout.
        for (const dtls of pc.dtlsTransports) {
          dtls.onStateChange.subscribe((s) => {
            if (s === 'closed' || s === 'failed') this.closedRemotely();
          });
        }
        this.onConnected();
      } else if (state === 'failed' || state === 'closed') {
        this.closedRemotely();
      }
    });
    this.pc = pc;
    return pc;
  }

  private closedRemotely(): void {
    if (this.closed) return;
    this.shutdown();
    safely(() => this.events.onClosed());
  }

  protected abstract onConnected(): void;

  protected startMedia(): void {
    if (this.mediaStarted || this.closed) return;
    this.mediaStarted = true;
    safely(() => this.events.onMediaStarted());
  }

  /** Trickles the local candidates once the description carrying them has been handed out. */
  protected trickle(sdp: string): void {
    if (this.candidatesSent) return;
    this.candidatesSent = true;
    const candidates = bundleCandidates(sdp);
    setImmediate(() => {
      for (const c of candidates) {
        if (this.closed) return;
        safely(() => this.events.onCandidate(c));
      }
    });
  }

  async addCandidate(candidate: IceCandidateInit): Promise<void> {
    if (this.closed || !this.pc || !candidate.candidate) return;
    if (!this.relay.policy.allowRemote(candidate.candidate)) return;
    try {
      await this.pc.addIceCandidate({
        candidate: candidate.candidate,
        sdpMid: candidate.sdpMid,
        sdpMLineIndex: candidate.sdpMLineIndex,
      });
    } catch {
      /* a candidate werift cannot use is simply not used */
    }
  }

  /** Releases everything without telling the handler. */
  protected shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
    const pc = this.pc;
    if (!pc) return;
    const alerts = pc.dtlsTransports.map(sendCloseNotify);
    // Let the alerts leave before werift closes the socket under them.
    this.closing = Promise.race([Promise.all(alerts), delay(100)])
      .then(() => pc.close())
      .catch(() => undefined);
  }

  protected abstract release(): void;

  close(): void {
    this.shutdown();
  }
}

/** What a publisher forwards to: a player, or one source slot of a room player. */
export interface RtpSink {
  forward(kind: MediaKind, rtp: RtpPacket, keyframe: boolean): void;
  sendToPlayer(message: DataMessage): void;
  /** Connected, forwarding video, and no keyframe sent yet. */
  readonly waitingForKeyframe: boolean;
  /** The publisher is going away. */
  close(): void;
}

export class WeriftPublisher extends Peer implements PublisherPeer {
  readonly kinds = new Set<MediaKind>();
  readonly players = new Set<RtpSink>();
  videoCodec: RTCRtpCodecParameters | undefined;
  audioCodec: RTCRtpCodecParameters | undefined;
  private videoName: VideoCodecName | undefined;
  private videoSsrc: number | undefined;
  private videoTransceiver: RTCRtpTransceiver | undefined;
  private width = 0;
  private height = 0;
  private readonly videoMeter = new BitrateMeter();
  private readonly audioMeter = new BitrateMeter();
  private readonly channels: RTCDataChannel[] = [];
  private lastPli = -Infinity;
  private lastPeriodicPli = -Infinity;
  private pliWanted = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    relay: WeriftRelay,
    readonly streamId: string,
    events: PeerEvents,
  ) {
    super(relay, events);
    const pc = this.createPc({ video: [useVP8(), useH264()], audio: [useOPUS()] });
    pc.onTrack.subscribe((track) => {
      const kind = track.kind as MediaKind;
      track.onReceiveRtp.subscribe((rtp) => {
        try {
          this.onRtp(kind, rtp);
        } catch {
          /* never let a bad packet reach werift's event loop */
        }
      });
    });
    pc.onDataChannel.subscribe((channel) => {
      this.channels.push(channel);
      channel.onMessage.subscribe((message) => {
        if (isEmpty(message)) return;
        for (const player of this.players) player.sendToPlayer(message);
      });
    });
  }

  async acceptOffer(sdp: string): Promise<string> {
    if (this.closed || !this.pc) throw new SdpError('publisher is closed');
    const pc = this.pc;
    let answer: string;
    if (!isUsableSdp(sdp)) throw new SdpError('not a usable offer');
    try {
      const offer = filterCandidates(restrictPublisherOffer(sdp), (c) => this.relay.policy.allowRemote(c));
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      await pc.setLocalDescription(await pc.createAnswer());
      answer = pc.localDescription?.sdp ?? '';
      if (!answer) throw new Error('no local description');
    } catch (e) {
      if (this.closed) throw new SdpError('publisher is closed');
      throw new SdpError(errorMessage(e));
    }
    this.kinds.clear();
    for (const t of pc.getTransceivers()) {
      const receiving = t.currentDirection === 'recvonly' || t.currentDirection === 'sendrecv';
      if (!receiving || t.codecs.length === 0) continue;
      const kind = t.kind as MediaKind;
      this.kinds.add(kind);
      if (kind === 'video') {
        this.videoTransceiver = t;
        this.videoCodec = t.codecs[0];
        this.videoName = this.videoCodec?.name.toLowerCase() === 'h264' ? 'h264' : 'vp8';
      } else {
        this.audioCodec = t.codecs[0];
      }
    }
    answer = filterCandidates(answer, (c) => this.relay.policy.allowLocal(c));
    answer = addVideoBitrateHints(answer, BITRATE_HINTS);
    this.trickle(answer);
    return answer;
  }

  protected onConnected(): void {
    if (this.kinds.size === 0) this.startMedia();
  }

  private onRtp(kind: MediaKind, rtp: RtpPacket): void {
    if (this.closed) return;
    this.startMedia();
    const size = rtp.payload.length + 12;
    let keyframe = false;
    if (kind === 'video') {
      this.videoMeter.add(size);
      this.videoSsrc = rtp.header.ssrc;
      if (rtp.payload.length > 0 && this.videoName) {
        const info = inspectVideo(this.videoName, rtp.payload);
        keyframe = info.keyframe;
        if (info.width && info.height) {
          this.width = info.width;
          this.height = info.height;
        }
      }
    } else {
      this.audioMeter.add(size);
    }
    for (const player of this.players) player.forward(kind, rtp, keyframe);
  }

  info(): StreamMediaInfo {
    return {
      width: this.width,
      height: this.height,
      videoCodec: this.videoName ?? '',
      videoBitrate: this.videoMeter.bitsPerSecond(),
      audioBitrate: this.audioMeter.bitsPerSecond(),
    };
  }

  /** A message from one player to the publisher. */
  sendToPublisher(message: DataMessage): void {
    const channel = this.channels.find((c) => c.label === this.streamId && c.readyState === 'open') ?? this.channels.find((c) => c.readyState === 'open');
    sendData(channel, message);
  }

  attach(player: RtpSink): void {
    if (this.closed) return;
    this.players.add(player);
    this.timer ??= setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  detach(player: RtpSink): void {
    this.players.delete(player);
    if (this.players.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Asks the publisher for a keyframe now, or as soon as Chrome would honour it. */
  requestKeyframe(): void {
    if (!this.sendPli()) this.pliWanted = true;
  }

  private sendPli(): boolean {
    const now = performance.now();
    if (now - this.lastPli < MIN_PLI_INTERVAL_MS) return false;
    const t = this.videoTransceiver;
    if (!t || this.videoSsrc === undefined || this.closed) return false;
    this.lastPli = now;
    this.pliWanted = false;
    void t.receiver.sendRtcpPLI(this.videoSsrc).catch(() => undefined);
    return true;
  }

  private tick(): void {
    if (this.closed || this.players.size === 0 || !this.kinds.has('video')) return;
    const now = performance.now();
    let waiting = false;
    for (const p of this.players) if (p.waitingForKeyframe) waiting = true;
    if (this.pliWanted || (waiting && now - this.lastPli >= KEYFRAME_RETRY_MS)) {
      this.sendPli();
    } else if (now - Math.max(this.lastPli, this.lastPeriodicPli) >= PERIODIC_PLI_MS) {
      if (this.sendPli()) this.lastPeriodicPli = now;
    }
  }

  protected release(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const player of [...this.players]) player.close();
    this.players.clear();
    this.relay.forget(this);
  }
}

interface Forwarder {
  kind: MediaKind;
  sender: RTCRtpSender;
  /** Video: nothing forwarded until a keyframe (or the gate times out). */
  started: boolean;
}

class WeriftPlayer extends Peer implements PlayerPeer, RtpSink {
  private readonly forwarders = new Map<MediaKind, Forwarder>();
  private readonly outbox = new ChannelOutbox();
  private connected = false;
  private connectedAt = 0;
  /** Connected, forwarding video, and no keyframe sent yet. */
  waitingForKeyframe = false;

  constructor(
    relay: WeriftRelay,
    private readonly source: WeriftPublisher,
    events: PeerEvents,
  ) {
    super(relay, events);
  }

  async createOffer(): Promise<{ sdp: string; idMapping: IdMapping }> {
    if (this.closed) throw new Error('player is closed');
    const streamId = this.source.streamId;
    let pc = this.pc;
    if (!pc) {
      pc = this.createPc(this.codecs());
      const stream = new MediaStream({ id: streamId });
      for (const kind of (['video', 'audio'] as const).filter((k) => this.source.kinds.has(k))) {
        const t = pc.addTransceiver(kind, { direction: 'sendonly', streams: [stream] });
        // The track id the browser sees (msid), as AMS names it.
        (t.sender as { trackId: string }).trackId = trackIdFor(kind, streamId);
        t.sender.onRtcp.subscribe((packet) => {
          const p = packet as { type?: number; feedback?: { count?: number } };
          if (p.type === RTCP_PSFB && (p.feedback?.count === PSFB_PLI || p.feedback?.count === PSFB_FIR)) {
            this.source.requestKeyframe();
          }
        });
        this.forwarders.set(kind, { kind, sender: t.sender, started: kind === 'audio' });
      }
      const channel = pc.createDataChannel(streamId, { ordered: true });
      this.outbox.attach(channel);
      channel.onMessage.subscribe((message) => {
        if (!isEmpty(message)) this.source.sendToPublisher(message);
      });
      this.source.attach(this);
    }
    await pc.setLocalDescription(await pc.createOffer());
    if (this.closed) throw new Error('player is closed');
    const sdp = filterCandidates(pc.localDescription?.sdp ?? '', (c) => this.relay.policy.allowLocal(c));
    const idMapping: IdMapping = {};
    for (const t of pc.getTransceivers()) {
      if (t.mid !== null) idMapping[t.mid] = trackIdFor(t.kind as MediaKind, streamId);
    }
    this.trickle(sdp);
    return { sdp, idMapping };
  }

  private codecs(): { audio: RTCRtpCodecParameters[]; video: RTCRtpCodecParameters[] } {
    const feedback = [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }];
    const v = this.source.videoCodec;
    const a = this.source.audioCodec;
    return {
      video: v
        ? [new RTCRtpCodecParameters({ mimeType: v.mimeType, clockRate: v.clockRate, rtcpFeedback: feedback, parameters: v.parameters })]
        : [],
      audio: [
        a
          ? new RTCRtpCodecParameters({ mimeType: a.mimeType, clockRate: a.clockRate, channels: a.channels ?? 2, parameters: a.parameters })
          : useOPUS(),
      ],
    };
  }

  async acceptAnswer(sdp: string): Promise<void> {
    if (this.closed || !this.pc) throw new SdpError(this.closed ? 'player is closed' : 'no offer was made');
    await this.applyAnswer(sdp);
  }

  protected onConnected(): void {
    if (this.connected) return;
    this.connected = true;
    this.connectedAt = performance.now();
    if (this.forwarders.has('video')) {
      this.waitingForKeyframe = true;
      this.source.requestKeyframe();
    }
    this.startMedia();
  }

  forward(kind: MediaKind, rtp: RtpPacket, keyframe: boolean): void {
    if (!this.connected || this.closed) return;
    const f = this.forwarders.get(kind);
    if (!f) return;
    if (kind === 'video') {
      if (!f.started) {
        if (!keyframe && performance.now() - this.connectedAt < KEYFRAME_GATE_MS) return;
        f.started = true;
      }
      if (keyframe) this.waitingForKeyframe = false;
    }
    // werift's sendRtp rewrites ssrc, payload type and sequence in place, and keeps header
    // extensions it does not know: every player gets its own header, without extensions.
    const header = new RtpHeader({ ...rtp.header, extension: false, extensions: [] });
    void f.sender.sendRtp(new RtpPacket(header, rtp.payload)).catch(() => undefined);
  }

  sendToPlayer(message: DataMessage): void {
    if (!this.closed) this.outbox.send(message);
  }

  protected release(): void {
    this.outbox.clear();
    this.waitingForKeyframe = false;
    this.source.detach(this);
    this.relay.forget(this);
  }
}

export class WeriftRelay implements Omit<MediaRelay, 'createRoomPlayer'> {
  readonly policy: NetworkPolicy;
  protected readonly peers = new Set<Peer>();

  constructor(options: WeriftRelayOptions = {}) {
    this.policy = networkPolicy(options.announcedHosts);
  }

  createPublisher(streamId: string, events: PeerEvents): PublisherPeer {
    const peer = new WeriftPublisher(this, streamId, events);
    this.peers.add(peer);
    return peer;
  }

  createPlayer(source: PublisherPeer, events: PeerEvents): PlayerPeer {
    if (!(source instanceof WeriftPublisher)) throw new TypeError('source was not created by this relay');
    const peer = new WeriftPlayer(this, source, events);
    this.peers.add(peer);
    return peer;
  }

  forget(peer: Peer): void {
    this.peers.delete(peer);
  }

  async close(): Promise<void> {
    const peers = [...this.peers];
    this.peers.clear();
    for (const peer of peers) peer.close();
    await Promise.all(peers.map((p) => p.closing));
  }
}

export function createWeriftRelay(options?: WeriftRelayOptions): WeriftRelay {
  return new WeriftRelay(options);
}
