/**
 * A publisher's connection: the browser offers, the relay answers with one video codec and Opus,
 * reads each packet (keyframe, picture size, bitrate) and hands it to every attached sink (players
 * and room player slots); keyframe requests to the browser are paced by `PliPacer`.
 */
import {
  useH264,
  useOPUS,
  useRepairedRtpStreamId,
  useSdesMid,
  useSdesRTPStreamId,
  useVP8,
  type MediaStreamTrack,
  type RTCDataChannel,
  type RTCPeerConnection,
  type RTCRtpCodecParameters,
  type RTCRtpTransceiver,
  type RtpPacket,
} from 'werift';
import { isEmpty, sendData, type DataMessage } from './channel-outbox.js';
import { RembEstimator, REMB_SEND_INTERVAL_MS, sendRemb, seqDiff } from './congestion.js';
import { PliPacer, type PlayerSource, type RtpSink } from './forwarding.js';
import { LayerBook } from './layers.js';
import { BitrateMeter, inspectVideo, type VideoCodecName } from './media-info.js';
import { errorMessage, Peer, type PeerHost } from './peer.js';
import { addVideoBitrateHints, filterCandidates, isUsableSdp, restrictPublisherOffer, setAudioPacketTime } from './sdp.js';
import { answerAsDtlsServer } from './werift-workarounds.js';
import { SdpError, type MediaKind, type PeerEvents, type PublisherOptions, type PublisherPeer, type StreamMediaInfo, type VideoLayer } from './types.js';

/** Video bitrate hints put in the publisher's answer (kbit/s). */
const BITRATE_HINTS = { start: 1500, min: 300, max: 2500 };
const TICK_MS = 100;
/** The audio packet length a browser sends unasked (ms); the answer names a length only when asked for another. */
const DEFAULT_PTIME_MS = 20;
/** A video packet still missing this long after a later one arrived is lost for good (werift's NACKs gave up). */
const LOST_FOR_GOOD_MS = 150;
/** At most one keyframe request for such losses this often (on a congested uplink every keyframe costs). */
const LOST_KEYFRAME_INTERVAL_MS = 1000;

/** A publisher's werift connection and the sinks it forwards to. */
export class WeriftPublisher extends Peer implements PublisherPeer, PlayerSource {
  readonly kinds = new Set<MediaKind>();
  readonly simulcast: boolean;
  /** Where the packets and data channel messages go. */
  readonly players = new Set<RtpSink>();
  /** The negotiated codecs (after `acceptOffer`), which the players offer in turn. */
  videoCodec: RTCRtpCodecParameters | undefined;
  audioCodec: RTCRtpCodecParameters | undefined;
  private videoName: VideoCodecName | undefined;
  private videoSsrc: number | undefined;
  private videoTransceiver: RTCRtpTransceiver | undefined;
  /** The video's layers by rid (`''` without simulcast), in the order the offer lists them (highest first). */
  readonly videoLayers = new LayerBook();
  /** The layer whose losses are watched (the first of the offer's: the highest). */
  private lossLayer = '';
  private readonly subscribed = new WeakSet<MediaStreamTrack>();
  private readonly videoMeter = new BitrateMeter();
  private readonly audioMeter = new BitrateMeter();
  private readonly channels: RTCDataChannel[] = [];
  private readonly pli = new PliPacer(() => this.sendPli());
  private timer: NodeJS.Timeout | undefined;
  /** The bandwidth estimate sent to the browser as REMB (werift sends none). */
  private readonly remb = new RembEstimator(BITRATE_HINTS.min * 1000, BITRATE_HINTS.max * 1000);
  private readonly ssrcs = new Set<number>();
  private rembTimer: NodeJS.Timeout | undefined;
  /** REMB timer ticks so far, and the estimate last computed (sent again on the ticks between updates). */
  private rembTicks = 0;
  private rembBps: number | undefined;
  /** Video sequence numbers missing (gaps before the highest seen), with when the gap was seen. */
  private readonly missing = new Map<number, number>();
  private highestVideoSeq: number | undefined;
  private lastLostKeyframe = -Infinity;
  /** The sequence number the latest keyframe began at (a loss before it no longer matters once it is whole). */
  private keyframeSeq: number | undefined;
  /** A loss after the latest keyframe whose keyframe request waits out `LOST_KEYFRAME_INTERVAL_MS` (the lost packet's number). */
  private pendingLoss: number | undefined;

  constructor(
    host: PeerHost,
    readonly streamId: string,
    events: PeerEvents,
    private readonly options: PublisherOptions = {},
  ) {
    super(host, events);
    this.simulcast = options.simulcast === true;
    // Simulcast layers are told apart by their RTP stream id (rid), a header extension.
    const extensions = options.simulcast ? [useSdesMid(), useSdesRTPStreamId(), useRepairedRtpStreamId()] : undefined;
    const pc = this.createPc({ video: [useVP8(), useH264()], audio: [useOPUS()] }, streamId, extensions);
    pc.onTrack.subscribe((track) => {
      const kind = track.kind as MediaKind;
      // With simulcast, one track per layer (rid) on the one video transceiver.
      const receiver = pc.getTransceivers().find((t) => t.receiver.tracks.includes(track))?.receiver;
      const tracks = receiver && receiver.tracks.length > 1 ? receiver.tracks : [track];
      if (kind === 'video') this.lossLayer = tracks[0]?.rid ?? '';
      for (const t of tracks) {
        if (this.subscribed.has(t)) continue;
        this.subscribed.add(t);
        const layer = t.rid ?? '';
        t.onReceiveRtp.subscribe((rtp) => {
          try {
            this.onRtp(kind, rtp, layer);
          } catch {
            /* never let a bad packet reach werift's event loop */
          }
        });
      }
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
      const offer = filterCandidates(restrictPublisherOffer(sdp, this.options.simulcast === true), (c) => this.host.policy.allowRemote(c));
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      answerAsDtlsServer(pc);
      if (this.options.audioDtx) askForOpusDtx(pc);
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
    answer = filterCandidates(answer, (c) => this.host.policy.allowLocal(c));
    answer = addVideoBitrateHints(answer, BITRATE_HINTS);
    const ptime = this.options.audioPacketMs;
    if (ptime !== undefined && ptime !== DEFAULT_PTIME_MS) answer = setAudioPacketTime(answer, ptime);
    this.trickle(answer);
    return answer;
  }

  protected onConnected(): void {
    if (this.kinds.size === 0) this.startMedia();
  }

  private onRtp(kind: MediaKind, rtp: RtpPacket, layer: string): void {
    if (this.closed) return;
    this.startMedia();
    const size = rtp.payload.length + 12;
    this.remb.add(rtp.header.ssrc, rtp.header.sequenceNumber, size);
    this.ssrcs.add(rtp.header.ssrc);
    if (!this.rembTimer) {
      this.rembTimer = setInterval(() => this.sendEstimate(), REMB_SEND_INTERVAL_MS);
      this.rembTimer.unref();
    }
    let keyframe = false;
    if (kind === 'video') {
      // Losses are watched on one layer (a keyframe request reaches every layer).
      const watched = layer === this.lossLayer;
      if (watched) {
        this.videoMeter.add(size);
        if (this.videoSsrc !== rtp.header.ssrc) this.highestVideoSeq = undefined;
        this.videoSsrc = rtp.header.ssrc;
        this.noteSequence(rtp.header.sequenceNumber);
      }
      let width = 0;
      let height = 0;
      if (rtp.payload.length > 0 && this.videoName) {
        const info = inspectVideo(this.videoName, rtp.payload);
        keyframe = info.keyframe;
        if (keyframe && watched) this.keyframeBegan(rtp.header.sequenceNumber);
        width = info.width ?? 0;
        height = info.height ?? 0;
      }
      this.videoLayers.note(layer, rtp.header.ssrc, size, width, height);
    } else {
      this.audioMeter.add(size);
    }
    for (const player of this.players) player.forward(kind, rtp, keyframe, layer);
  }

  layers(): VideoLayer[] {
    return this.videoLayers.list();
  }

  info(): StreamMediaInfo {
    // The highest layer sending (or the only video).
    const top = this.layers()[0];
    return {
      width: top?.width ?? 0,
      height: top?.height ?? 0,
      videoCodec: this.videoName ?? '',
      videoBitrate: top?.bitrate ?? this.videoMeter.bitsPerSecond(),
      audioBitrate: this.audioMeter.bitsPerSecond(),
    };
  }

  /** A message from one player to the publisher. */
  sendToPublisher(message: DataMessage): void {
    const channel = this.channels.find((c) => c.label === this.streamId && c.readyState === 'open') ?? this.channels.find((c) => c.readyState === 'open');
    sendData(channel, message);
  }

  /** Starts forwarding to `player` (and the keyframe timer with the first one). */
  attach(player: RtpSink): void {
    if (this.closed) return;
    this.players.add(player);
    this.timer ??= setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  /** Stops forwarding to `player` (and the timer with the last one). */
  detach(player: RtpSink): void {
    this.players.delete(player);
    if (this.players.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Asks the publisher for a keyframe now, or as soon as Chrome would honour it. */
  requestKeyframe(): void {
    this.pli.request();
  }

  /** A keyframe request to every layer of the video (a player may be about to switch to any of them). */
  private sendPli(): boolean {
    const t = this.videoTransceiver;
    if (!t || this.videoLayers.size === 0 || this.closed) return false;
    // A request lost on the way (test faults): counted as sent, as a lost PLI is.
    if (this.host.dropKeyframeRequest?.(this.streamId)) return true;
    for (const ssrc of this.videoLayers.ssrcs()) void t.receiver.sendRtcpPLI(ssrc).catch(() => undefined);
    return true;
  }

  /** Tracks the gaps in the video's sequence numbers (filled by retransmissions, or lost for good). */
  private noteSequence(seq: number): void {
    if (this.highestVideoSeq === undefined) {
      this.highestVideoSeq = seq;
      return;
    }
    const step = seqDiff(seq, this.highestVideoSeq);
    if (step <= 0) {
      this.missing.delete(seq);
      return;
    }
    const now = performance.now();
    // Without players nobody misses a gap (and the tick that clears `missing` does not run).
    if (this.players.size > 0) {
      // A gap too large to be retransmitted (the path came back after a cut: the packets between
      // never reached the relay) leaves every player without a decodable picture: a keyframe now,
      // not when each player's own NACKs have given up (about a second later).
      if (step >= 100) this.keyframeForLoss(now, (seq - 1) & 0xffff);
      else for (let s = 1; s < step; s++) this.missing.set((this.highestVideoSeq + s) & 0xffff, now);
    }
    this.highestVideoSeq = seq;
  }

  /** A keyframe began at `seq`: a request sent until answered is answered, and losses before it are superseded. */
  private keyframeBegan(seq: number): void {
    this.pli.keyframeArrived();
    // (A retransmitted first packet of an older keyframe does not move it back.)
    if (this.keyframeSeq === undefined || seqDiff(seq, this.keyframeSeq) > 0) this.keyframeSeq = seq;
    if (this.pendingLoss !== undefined && seqDiff(this.pendingLoss, seq) < 0) this.pendingLoss = undefined;
  }

  /**
   * Asks for a keyframe (until answered) for video the players lost for good at `seq`, at most
   * once a `LOST_KEYFRAME_INTERVAL_MS`: a loss within that interval is asked for once it has
   * passed (unless a keyframe began after it meanwhile), never dropped. (It was dropped: on a
   * 20 % lossy path, a keyframe asked for after one loss and then lost in part itself left the
   * players waiting for their own requests, some of them lost too: a 6 s freeze.)
   */
  private keyframeForLoss(now: number, seq: number): void {
    if (now - this.lastLostKeyframe < LOST_KEYFRAME_INTERVAL_MS) {
      if (this.pendingLoss === undefined || seqDiff(seq, this.pendingLoss) > 0) this.pendingLoss = seq;
      return;
    }
    this.pendingLoss = undefined;
    this.lastLostKeyframe = now;
    this.pli.request(true);
  }

  /**
   * Video lost for good upstream never reaches the players, whose NACKs the relay cannot answer:
   * ask the publisher for a keyframe at once instead of letting each player find out by itself.
   */
  private checkLostForGood(): void {
    if (this.missing.size === 0) return;
    const now = performance.now();
    let newest: number | undefined;
    for (const [seq, since] of this.missing) {
      if (now - since < LOST_FOR_GOOD_MS) continue;
      this.missing.delete(seq);
      // A loss before the latest keyframe no longer matters: that keyframe starts the pictures anew.
      if (this.keyframeSeq !== undefined && seqDiff(seq, this.keyframeSeq) < 0) continue;
      if (newest === undefined || seqDiff(seq, newest) > 0) newest = seq;
    }
    if (newest !== undefined) this.keyframeForLoss(now, newest);
  }

  /** Every `REMB_SEND_INTERVAL_MS`: the estimate updated every other time (its interval is `REMB_INTERVAL_MS`), sent every time. */
  private sendEstimate(): void {
    const receiver = this.videoTransceiver?.receiver;
    this.rembTicks++;
    if (this.rembTicks % 2 === 1 || this.rembBps === undefined) this.rembBps = this.remb.update().bps;
    if (receiver && !this.closed) sendRemb(receiver, this.rembBps, [...this.ssrcs]);
  }

  private tick(): void {
    if (this.closed || this.players.size === 0 || !this.kinds.has('video')) return;
    this.checkLostForGood();
    if (this.pendingLoss !== undefined) this.keyframeForLoss(performance.now(), this.pendingLoss);
    let waiting = false;
    for (const p of this.players) if (p.waitingForKeyframe) waiting = true;
    this.pli.tick(waiting);
  }

  protected release(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.rembTimer) clearInterval(this.rembTimer);
    this.rembTimer = undefined;
    for (const player of [...this.players]) player.close();
    this.players.clear();
    this.host.forget(this);
  }
}

/**
 * Between the offer and the answer: the answer's Opus parameters (werift echoes the offer's) get
 * `usedtx=1`. A browser sends with the parameters of the answer it gets (the receiver's wishes),
 * so its encoder then stops sending while the microphone is silent or muted, one packet every
 * 400 ms (comfort noise) instead of 50 a second, and every player of it costs the server that
 * little too.
 */
function askForOpusDtx(pc: RTCPeerConnection): void {
  for (const t of pc.getTransceivers()) {
    for (const c of t.codecs) {
      if (c.name.toLowerCase() !== 'opus' || /(^|;)\s*usedtx=/.test(c.parameters ?? '')) continue;
      c.parameters = c.parameters ? `${c.parameters};usedtx=1` : 'usedtx=1';
    }
  }
}
