/**
 * A player's connection: one `sendonly` m-line per kind its publisher sends (the publisher's
 * codec, AMS track ids), offered by the server with a data channel labelled with the stream id
 * (the AMS WebSocket) or answered to the client's offer (WHEP); video waits behind a keyframe
 * gate, keyframe requests go to the publisher.
 */
import { MediaStream, useVP8, type RTCPeerConnection, type RtpPacket, type RTCRtpSender } from 'werift';
import { trackIdFor } from '../../../../src/core/protocol/ams.js';
import type { IdMapping } from '../../../../src/core/protocol/messages.js';
import { ChannelOutbox, isEmpty, type DataMessage } from './channel-outbox.js';
import {
  forwardedAudioCodec,
  forwardedVideoCodec,
  holdEarly,
  KeyframeGate,
  onKeyframeRequest,
  sendForwarded,
  Vp8Numbering,
  type PlayerSource,
  type RtpSink,
} from './forwarding.js';
import { errorMessage, Peer, type PeerCodecs, type PeerHost } from './peer.js';
import { filterCandidates, isUsableSdp } from './sdp.js';
import { SdpError, type MediaKind, type PeerEvents, type PlayerPeer } from './types.js';
import { LayerSwitch, rembBitrate, reportedLoss } from './layers.js';
import { answerAsDtlsServer, continueSequence, setTrackId } from './werift-workarounds.js';

interface Forwarder {
  sender: RTCRtpSender;
  /** Video: nothing forwarded until a keyframe (or the gate times out); audio: always open. */
  gate: KeyframeGate;
  /** VP8 video: its picture numbering, kept going across a switch of simulcast layer. */
  numbering?: Vp8Numbering;
}

/** A player's werift connection, fed by one publisher (on this thread, or through a media worker's stand-in). */
export class WeriftPlayer extends Peer implements PlayerPeer, RtpSink {
  private readonly forwarders = new Map<MediaKind, Forwarder>();
  private readonly outbox = new ChannelOutbox();
  private connected = false;
  /** Who offers, fixed by the first call: the server (`createOffer`) or the client (`acceptOffer`). */
  private mode: 'offer' | 'answer' | undefined;
  /** Connected, forwarding video, and no keyframe sent yet. */
  private noKeyframeYet = false;
  /** Before the connection is up: the video from the latest keyframe on (`holdEarly`). */
  private early: RtpPacket[] | undefined;
  /** The simulcast layer sent, and the one to switch to. */
  private readonly layers: LayerSwitch;

  constructor(
    host: PeerHost,
    private readonly source: PlayerSource,
    events: PeerEvents,
  ) {
    super(host, events);
    this.layers = new LayerSwitch(source);
  }

  /** The connection with one `sendonly` m-line per kind the publisher sends (and, for the server's offer, the data channel). */
  private setup(withChannel: boolean): RTCPeerConnection {
    const streamId = this.source.streamId;
    const pc = this.createPc(this.codecs(), streamId);
    const stream = new MediaStream({ id: streamId });
    for (const kind of (['video', 'audio'] as const).filter((k) => this.source.kinds.has(k))) {
      const t = pc.addTransceiver(kind, { direction: 'sendonly', streams: [stream] });
      // The track id the browser sees (msid), as AMS names it.
      setTrackId(t.sender, trackIdFor(kind, streamId));
      onKeyframeRequest(t.sender, () => this.source.requestKeyframe());
      if (kind === 'video' && this.source.simulcast) {
        // The browser's bandwidth estimate (REMB, which the offer's goog-remb asks for) and its
        // reported losses pick the layer.
        const sender = t.sender;
        sender.onRtcp.subscribe((packet) => {
          const bps = rembBitrate(packet);
          const loss = bps === undefined ? reportedLoss(packet, sender.ssrc) : undefined;
          if (bps !== undefined) this.layers.selector.setEstimate(bps);
          else if (loss !== undefined) this.layers.selector.setLoss(loss);
          else return;
          this.layers.choose();
        });
      }
      const numbering = kind === 'video' ? Vp8Numbering.forCodec(this.source.videoCodec) : undefined;
      this.forwarders.set(kind, { sender: t.sender, gate: new KeyframeGate(kind === 'audio'), numbering });
    }
    if (withChannel) {
      const channel = pc.createDataChannel(streamId, { ordered: true });
      this.outbox.attach(channel);
      channel.onMessage.subscribe((message) => {
        if (!isEmpty(message)) this.source.sendToPublisher(message);
      });
    }
    this.source.attach(this);
    // The keyframe is asked for now, not once the connection is up: the publisher's encoder takes
    // 35-50 ms to send one, about the time ICE and DTLS take; it is held until then.
    if (this.forwarders.has('video')) this.source.requestKeyframe();
    return pc;
  }

  async createOffer(): Promise<{ sdp: string; idMapping: IdMapping }> {
    if (this.closed) throw new Error('player is closed');
    if (this.mode === 'answer') throw new Error('this player answers offers');
    this.mode = 'offer';
    const streamId = this.source.streamId;
    const pc = this.pc ?? this.setup(true);
    await pc.setLocalDescription(await pc.createOffer());
    if (this.closed) throw new Error('player is closed');
    const sdp = filterCandidates(pc.localDescription?.sdp ?? '', (c) => this.host.policy.allowLocal(c));
    const idMapping: IdMapping = {};
    for (const t of pc.getTransceivers()) {
      if (t.mid !== null) idMapping[t.mid] = trackIdFor(t.kind as MediaKind, streamId);
    }
    this.trickle(sdp);
    return { sdp, idMapping };
  }

  async acceptOffer(sdp: string): Promise<string> {
    if (this.closed) throw new SdpError('player is closed');
    if (this.mode === 'offer') throw new SdpError('this player makes the offers');
    if (!isUsableSdp(sdp)) throw new SdpError('not a usable offer');
    this.mode = 'answer';
    const pc = this.pc ?? this.setup(false);
    try {
      // The offer's m-lines of a kind the publisher sends take the sendonly transceivers made above.
      await pc.setRemoteDescription({ type: 'offer', sdp: filterCandidates(sdp, (c) => this.host.policy.allowRemote(c)) });
      answerAsDtlsServer(pc);
      await pc.setLocalDescription(await pc.createAnswer());
    } catch (e) {
      if (this.closed) throw new SdpError('player is closed');
      throw new SdpError(errorMessage(e));
    }
    if (this.closed) throw new SdpError('player is closed');
    const sending = pc.getTransceivers().some((t) => t.currentDirection === 'sendonly' || t.currentDirection === 'sendrecv');
    if (!sending) throw new SdpError(`the offer receives none of the media of ${this.source.streamId}`);
    return filterCandidates(pc.localDescription?.sdp ?? '', (c) => this.host.policy.allowLocal(c));
  }

  /** The publisher's codecs, with the feedback a forwarded m-line offers (VP8 and Opus for a kind it does not send: such an m-line of a client's offer is answered inactive). */
  private codecs(): PeerCodecs {
    const v = this.source.videoCodec;
    return { video: [v ? forwardedVideoCodec(v, this.source.simulcast) : useVP8()], audio: [forwardedAudioCodec(this.source.audioCodec)] };
  }

  async acceptAnswer(sdp: string): Promise<void> {
    if (this.closed || !this.pc) throw new SdpError(this.closed ? 'player is closed' : 'no offer was made');
    await this.applyAnswer(sdp);
  }

  protected onConnected(): void {
    if (this.connected) return;
    this.connected = true;
    const video = this.forwarders.get('video');
    const early = this.early;
    this.early = undefined;
    if (video && early) {
      // A keyframe came while the connection came up: it and what followed it go out now.
      video.gate.pass(true);
      for (const rtp of early) sendForwarded(video.sender, rtp, video.numbering);
    } else if (video) {
      // The gate times out counting from now.
      video.gate.shut();
      this.noKeyframeYet = true;
      this.source.requestKeyframe();
    }
    this.startMedia();
  }

  /** No keyframe sent yet since the connection came up, or a switch of layer waits for its layer's. */
  get waitingForKeyframe(): boolean {
    return !this.closed && (this.noKeyframeYet || (this.connected && this.layers.switching));
  }

  /**
   * Pins the layer closest to `height` (0: automatic); the switch happens at that layer's next
   * keyframe, asked for now.
   */
  setQuality(height: number): void {
    this.layers.selector.pinned = Math.max(0, Math.floor(height) || 0);
    this.layers.choose();
  }

  /**
   * Whether a video packet of `layer` is sent: its layer's, or the target's from its keyframe on
   * (a switch: the sequence and the VP8 picture numbers go on).
   */
  private takeLayer(f: Forwarder, rtp: RtpPacket, keyframe: boolean, layer: string): boolean {
    const take = this.layers.take(keyframe, layer);
    if (take === 'switch') {
      if (this.connected) continueSequence(f.sender, rtp.header, 'video');
      f.numbering?.restart();
    }
    return take !== 'drop';
  }

  /** Sends a publisher packet on the m-line of `kind`, once its gate (and, for video, its layer) lets it through. */
  forward(kind: MediaKind, rtp: RtpPacket, keyframe: boolean, layer = ''): void {
    if (this.closed) return;
    const f = this.forwarders.get(kind);
    if (!f) return;
    if (kind === 'video' && !this.takeLayer(f, rtp, keyframe, layer)) return;
    if (!this.connected) {
      if (kind === 'video') this.early = holdEarly(this.early, rtp, keyframe);
      return;
    }
    if (!f.gate.pass(keyframe)) return;
    if (kind === 'video' && keyframe) this.noKeyframeYet = false;
    sendForwarded(f.sender, rtp, f.numbering);
  }

  /** A publisher's data channel message, to the browser (queued until the channel opens). */
  sendToPlayer(message: DataMessage): void {
    if (!this.closed) this.outbox.send(message);
  }

  protected release(): void {
    this.outbox.clear();
    this.noKeyframeYet = false;
    this.early = undefined;
    this.source.detach(this);
    this.host.forget(this);
  }
}
