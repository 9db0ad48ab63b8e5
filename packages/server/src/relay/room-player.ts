/**
 * Multitrack conference play: one werift connection from the server to a browser carrying every
 * participant of a room (main track), plus a data channel labelled with the room id. Each participant gets
 * a `sendonly` audio and video transceiver with the stream id = participant id and the AMS track
 * ids; a participant joining or leaving makes a new server offer on the same connection
 * (changes wait while an offer is outstanding). Freed transceivers go `inactive` and are reused
 * for later participants, so the SDP does not grow forever.
 */
import { MediaStream, useH264, useOPUS, type RTCRtpCodecParameters, type RTCRtpTransceiver, type RtpPacket } from 'werift';
import { trackIdFor } from '../../../../src/core/protocol/ams.js';
import type { IdMapping } from '../../../../src/core/protocol/messages.js';
import { ChannelOutbox, isEmpty, type DataMessage } from './channel-outbox.js';
import { forwardedVideoCodec, holdEarly, KeyframeGate, onKeyframeRequest, sendForwarded, Vp8Numbering, type RtpSink } from './forwarding.js';
import { LayerSwitch, rembBitrate, reportedLoss } from './layers.js';
import { Peer, safely, type PeerHost } from './peer.js';
import { WeriftPublisher } from './publisher-peer.js';
import { filterCandidates } from './sdp.js';
import { SdpError, type MediaKind, type PublisherPeer, type RoomPlayerEvents, type RoomPlayerPeer } from './types.js';
import { continueSequence, reviveInactiveSections, setTrackId } from './werift-workarounds.js';

interface Lane {
  transceiver: RTCRtpTransceiver;
  /** Video: nothing forwarded until a keyframe (or the gate times out); audio: always open. */
  gate: KeyframeGate;
  /** A reused transceiver: the next packet restarts its sequence and timestamp. */
  rebase: boolean;
  /** Video before the connection is up: from the latest keyframe on, sent once it is (as a player's: `holdEarly`). */
  early?: RtpPacket[];
}

/** A video m-line of its own (`videoTrack0`…) that carries whichever participant fills it. */
interface VideoSlot extends Lane {
  label: string;
  owner?: Slot;
}

/** One participant on the room connection: its m-lines (lanes) by kind; the sink its publisher forwards to. */
class Slot implements RtpSink {
  readonly lanes = new Map<MediaKind, Lane>();
  removed = false;
  /** The simulcast layer of its video this room connection gets (as a player's), whichever m-line carries it. */
  readonly layers: LayerSwitch;

  constructor(
    readonly owner: WeriftRoomPlayer,
    readonly source: WeriftPublisher,
    public media: boolean,
  ) {
    this.layers = new LayerSwitch(source);
  }

  get id(): string {
    return this.source.streamId;
  }

  /** Whether this slot has video the room connection can carry (VP8 or H.264). */
  get hasVideo(): boolean {
    return this.source.kinds.has('video') && this.owner.videoCodecFor(this.source) !== undefined;
  }

  /** Kinds this slot should have m-lines for now; `video` false when over the player's video limit. */
  wantedKinds(video = true): MediaKind[] {
    if (this.removed || !this.media) return [];
    const kinds: MediaKind[] = [];
    if (video && this.hasVideo) kinds.push('video');
    if (this.source.kinds.has('audio')) kinds.push('audio');
    return kinds;
  }

  get waitingForKeyframe(): boolean {
    const lane = this.lanes.get('video');
    // (Or a switch of layer waits for its layer's keyframe: asked for again until it comes.)
    return this.owner.isConnected && lane !== undefined && (!lane.gate.open || this.layers.switching);
  }

  forward(kind: MediaKind, rtp: RtpPacket, keyframe: boolean, layer: string): void {
    this.owner.forward(this, kind, rtp, keyframe, layer);
  }

  /** A participant's data channel message, on the room channel. */
  sendToPlayer(message: DataMessage): void {
    this.owner.sendToPlayer(message);
  }

  close(): void {
    this.owner.removeSource(this.id);
  }
}

/** The room player: the participants' slots, the transceivers they use, and the renegotiation when they change. */
export class WeriftRoomPlayer extends Peer implements RoomPlayerPeer {
  private readonly slots = new Map<string, Slot>();
  private readonly videoCodecs: RTCRtpCodecParameters[];
  private readonly owners = new Map<RTCRtpTransceiver, Slot>();
  /** Each VP8 m-line's picture numbering. */
  private readonly numbering = new Map<RTCRtpTransceiver, Vp8Numbering>();
  private readonly free: RTCRtpTransceiver[] = [];
  /** Transceivers made inactive in the outstanding offer: reusable once it is answered. */
  private freedInOffer: RTCRtpTransceiver[] = [];
  private readonly outbox = new ChannelOutbox();
  private connected = false;
  private answered = false;
  private offerOutstanding = false;
  private dirty = false;
  /** Slots that got m-lines in the outstanding offer: they need a keyframe once it is answered. */
  private fresh = new Set<Slot>();
  /**
   * `setMaxVideoTrackCountCommand`: -1 (the default) gives every participant video m-lines of
   * their own; N >= 0 gives N video slots (`videoTrack0`…) that the participants who came first
   * fill, as AMS does, with `VIDEO_TRACK_ASSIGNMENT_LIST` on the data channel saying who is where.
   */
  private maxVideo = -1;
  private readonly videoSlots: VideoSlot[] = [];
  /** The last assignment list sent (JSON), so an unchanged one is not sent again. */
  private assignments = '';

  constructor(
    host: PeerHost,
    private readonly roomId: string,
    private readonly roomEvents: RoomPlayerEvents,
  ) {
    super(host, roomEvents);
    // Each video m-line offers its participant's codec only (see sync()); werift numbers these once.
    // With goog-remb: the browser's bandwidth estimate picks each simulcast participant's layer.
    this.videoCodecs = [forwardedVideoCodec({ mimeType: 'video/VP8', clockRate: 90000 }, true), forwardedVideoCodec(useH264(), true)];
    const pc = this.createPc({ video: this.videoCodecs, audio: [useOPUS()] }, this.roomId);
    // werift places the data channel after the first offer's media m-lines; inactive m-lines are
    // rewritten from port 0 to port 9 in every offer (see offer()), which keeps the BUNDLE group valid.
    const channel = pc.createDataChannel(roomId, { ordered: true });
    this.outbox.attach(channel);
    // Messages a room player sends on the room channel are not relayed (see the README).
    channel.onMessage.subscribe(() => undefined);
  }

  /** The connection is up and not closed. */
  get isConnected(): boolean {
    return this.connected && !this.closed;
  }

  /** The room connection's codec for `source`'s video; undefined when it has none it can carry. */
  videoCodecFor(source: WeriftPublisher): RTCRtpCodecParameters | undefined {
    const mime = source.videoCodec?.mimeType.toLowerCase();
    return this.videoCodecs.find((c) => c.mimeType.toLowerCase() === mime);
  }

  // ---------------------------------------------------------------- sources

  addSource(source: PublisherPeer, media: boolean): void {
    if (this.closed || !(source instanceof WeriftPublisher)) return;
    const existing = this.slots.get(source.streamId);
    if (existing && existing.source === source) return this.setMedia(source.streamId, media);
    if (existing) this.removeSource(source.streamId);
    const slot = new Slot(this, source, media);
    this.slots.set(source.streamId, slot);
    source.attach(slot);
    this.changed();
  }

  removeSource(streamId: string): void {
    const slot = this.slots.get(streamId);
    if (!slot) return;
    this.slots.delete(streamId);
    slot.removed = true;
    slot.source.detach(slot);
    if (this.closed) return;
    this.changed();
  }

  setMedia(streamId: string, media: boolean): void {
    const slot = this.slots.get(streamId);
    if (!slot || slot.media === media) return;
    slot.media = media;
    this.changed();
  }

  setMaxVideoTracks(count: number): void {
    const n = Number.isInteger(count) && count >= 0 ? count : -1;
    if (n === this.maxVideo) return;
    this.maxVideo = n;
    this.changed();
  }

  // ---------------------------------------------------------------- negotiation

  private changed(): void {
    if (this.closed) return;
    if (!this.answered || this.offerOutstanding) {
      this.dirty = true;
      return;
    }
    void this.renegotiate();
  }

  /** Brings the transceivers in line with the slots (only while signaling is stable). */
  private sync(): void {
    // Video slots first: they move between participants, who then get (or keep) the rest.
    this.syncVideoSlots();
    const all = [...this.slots.values(), ...new Set(this.owners.values())].filter((s, i, a) => a.indexOf(s) === i);
    // With video slots, nobody has video m-lines of their own.
    const ownVideo = this.maxVideo < 0;
    for (const slot of all) {
      const wanted = slot.wantedKinds(ownVideo);
      for (const [kind, lane] of [...slot.lanes]) {
        // A video slot is its owner's for now (syncVideoSlots() decides).
        if (wanted.includes(kind) || this.videoSlots.includes(lane as VideoSlot)) continue;
        this.freeLane(slot, kind, lane);
      }
      for (const kind of wanted) {
        if (slot.lanes.has(kind)) continue;
        const codec = kind === 'video' ? this.videoCodecFor(slot.source) : undefined;
        const { transceiver, reused } = this.transceiver(kind, codec, new MediaStream({ id: slot.id }), slot.id);
        slot.lanes.set(kind, { transceiver, gate: new KeyframeGate(kind === 'audio'), rebase: reused });
        this.owners.set(transceiver, slot);
        this.fresh.add(slot);
      }
    }
  }

  /** Takes `slot`'s m-line of `kind` away: inactive in the next offer, reusable once answered. */
  private freeLane(slot: Slot, kind: MediaKind, lane: Lane): void {
    slot.lanes.delete(kind);
    this.owners.delete(lane.transceiver);
    lane.transceiver.setDirection('inactive');
    this.freedInOffer.push(lane.transceiver);
  }

  /** A sendonly transceiver for `id`'s media: a freed one of that kind and codec, or a new one. */
  private transceiver(
    kind: MediaKind,
    codec: RTCRtpCodecParameters | undefined,
    stream: MediaStream,
    id: string,
  ): { transceiver: RTCRtpTransceiver; reused: boolean } {
    // A freed video m-line is reused only for the same codec: its payload type stays right.
    const reuse = this.free.findIndex((t) => t.kind === kind && (!codec || t.codecs[0]?.mimeType.toLowerCase() === codec.mimeType.toLowerCase()));
    let transceiver: RTCRtpTransceiver;
    if (reuse >= 0) {
      transceiver = this.free.splice(reuse, 1)[0]!;
      transceiver.setDirection('sendonly');
      transceiver.sender.setStreams([stream]);
    } else {
      transceiver = this.pc!.addTransceiver(kind, { direction: 'sendonly', streams: [stream] });
      if (codec) transceiver.codecs = [codec];
      // (Whoever it carries later: the numbers go on across them.)
      const numbering = Vp8Numbering.forCodec(codec);
      if (numbering) this.numbering.set(transceiver, numbering);
      onKeyframeRequest(transceiver.sender, () => this.owners.get(transceiver)?.source.requestKeyframe());
      if (kind === 'video') this.watchEstimate(transceiver);
    }
    // The track id the browser sees (msid), as AMS names it.
    setTrackId(transceiver.sender, trackIdFor(kind, id));
    return { transceiver, reused: reuse >= 0 };
  }

  /** As many video slots as `maxVideo` asks for (none without a limit), then who fills them. */
  private syncVideoSlots(): void {
    const n = Math.max(0, this.maxVideo);
    while (this.videoSlots.length > n) {
      const lane = this.videoSlots.pop()!;
      this.giveVideoSlot(lane, undefined);
      lane.transceiver.setDirection('inactive');
      this.freedInOffer.push(lane.transceiver);
    }
    // Slots are VP8 (AMS's conference codec); an H.264 participant is heard there, not seen.
    const vp8 = this.videoCodecs[0]!;
    while (this.videoSlots.length < n) {
      const label = `videoTrack${this.videoSlots.length}`;
      const { transceiver, reused } = this.transceiver('video', vp8, new MediaStream({ id: label }), label);
      this.videoSlots.push({ label, transceiver, gate: new KeyframeGate(false), rebase: reused });
    }
    const takers = [...this.slots.values()].filter((s) => s.media && s.hasVideo && this.videoCodecFor(s.source) === vp8);
    this.videoSlots.forEach((lane, i) => this.giveVideoSlot(lane, takers[i]));
    if (n === 0 && this.assignments === '') return;
    const payload = this.videoSlots.map((l) => ({ videoLabel: l.label, trackId: l.owner?.id ?? '', reserved: false }));
    const list = JSON.stringify({ streamId: this.roomId, eventType: 'VIDEO_TRACK_ASSIGNMENT_LIST', payload });
    if (list !== this.assignments) {
      this.assignments = list;
      this.sendToPlayer(list);
    }
  }

  /** Switches a video slot to `slot`'s video (or to nobody): a keyframe before anything is shown. */
  private giveVideoSlot(lane: VideoSlot, slot: Slot | undefined): void {
    if (lane.owner === slot) return;
    if (lane.owner?.lanes.get('video') === lane) lane.owner.lanes.delete('video');
    lane.owner = slot;
    lane.gate.shut();
    lane.rebase = true;
    lane.early = undefined;
    if (!slot) {
      this.owners.delete(lane.transceiver);
      return;
    }
    // Its own video m-line, from before the limit, goes.
    const own = slot.lanes.get('video');
    if (own && !this.videoSlots.includes(own as VideoSlot)) this.freeLane(slot, 'video', own);
    slot.lanes.set('video', lane);
    this.owners.set(lane.transceiver, slot);
    this.fresh.add(slot);
    if (this.connected && this.answered) slot.source.requestKeyframe();
  }

  private async offer(): Promise<{ sdp: string; idMapping: IdMapping }> {
    const pc = this.pc!;
    this.dirty = false;
    this.sync();
    this.offerOutstanding = true;
    // Before the connection is up, each participant's keyframe is asked for now and held until it
    // is (as for a player): the encoders take about as long to send one as ICE and DTLS take.
    if (!this.connected) for (const slot of this.slots.values()) if (slot.lanes.has('video')) slot.source.requestKeyframe();
    await pc.setLocalDescription(await pc.createOffer());
    if (this.closed) throw new Error('player is closed');
    const sdp = reviveInactiveSections(filterCandidates(pc.localDescription?.sdp ?? '', (c) => this.host.policy.allowLocal(c)));
    const idMapping: IdMapping = {};
    for (const [t, slot] of this.owners) {
      if (t.mid !== null) idMapping[t.mid] = trackIdFor(t.kind as MediaKind, slot.id);
    }
    for (const lane of this.videoSlots) if (lane.transceiver.mid !== null) idMapping[lane.transceiver.mid] = trackIdFor('video', lane.label);
    return { sdp, idMapping };
  }

  async createOffer(): Promise<{ sdp: string; idMapping: IdMapping }> {
    if (this.closed) throw new Error('player is closed');
    const result = await this.offer();
    this.trickle(result.sdp);
    return result;
  }

  private async renegotiate(): Promise<void> {
    let result: { sdp: string; idMapping: IdMapping };
    try {
      result = await this.offer();
    } catch {
      return;
    }
    if (this.closed) return;
    safely(() => this.roomEvents.onRenegotiate(result));
  }

  async acceptAnswer(sdp: string): Promise<void> {
    if (this.closed || !this.pc) throw new SdpError('player is closed');
    if (!this.offerOutstanding) throw new SdpError('no offer is outstanding');
    await this.applyAnswer(sdp);
    this.offerOutstanding = false;
    this.answered = true;
    this.free.push(...this.freedInOffer);
    this.freedInOffer = [];
    const fresh = [...this.fresh];
    this.fresh.clear();
    // A keyframe for every participant that just got m-lines, once the browser can use it.
    if (this.connected) for (const slot of fresh) if (slot.lanes.has('video')) slot.source.requestKeyframe();
    if (this.dirty) void this.renegotiate();
  }

  protected onConnected(): void {
    if (this.connected) return;
    this.connected = true;
    const now = performance.now();
    for (const slot of this.slots.values()) {
      const video = slot.lanes.get('video');
      const early = video?.early;
      if (video && early) {
        video.early = undefined;
        video.gate.pass(true);
        for (const rtp of early) this.send(video, 'video', rtp);
      } else if (video) {
        video.gate.restartClock(now);
        slot.source.requestKeyframe();
      }
    }
    this.startMedia();
  }

  // ---------------------------------------------------------------- simulcast layers

  /**
   * The browser's bandwidth estimate (REMB, sent on one of the video m-lines) shared evenly
   * among the participants seen, and its reported losses of each m-line, pick each simulcast
   * participant's layer, as a player's (`LayerSwitch`).
   */
  private watchEstimate(transceiver: RTCRtpTransceiver): void {
    const sender = transceiver.sender;
    sender.onRtcp.subscribe((packet) => {
      const bps = rembBitrate(packet);
      if (bps !== undefined) {
        const seen = [...this.slots.values()].filter((s) => s.lanes.has('video'));
        for (const slot of seen) {
          if (!slot.source.simulcast) continue;
          slot.layers.selector.setEstimate(bps / seen.length);
          slot.layers.choose();
        }
        return;
      }
      const slot = this.owners.get(transceiver);
      const loss = slot?.source.simulcast ? reportedLoss(packet, sender.ssrc) : undefined;
      if (!slot || loss === undefined) return;
      slot.layers.selector.setLoss(loss);
      slot.layers.choose();
    });
  }

  // ---------------------------------------------------------------- forwarding

  /** Sends a packet of `slot`'s source on its lane of `kind`, once the lane's gate (and, for video, the slot's layer) lets it through. */
  forward(slot: Slot, kind: MediaKind, rtp: RtpPacket, keyframe: boolean, layer = ''): void {
    if (this.closed || slot.removed) return;
    const lane = slot.lanes.get(kind);
    if (!lane) return;
    if (kind === 'video') {
      const take = slot.layers.take(keyframe, layer);
      if (take === 'drop') return;
      // Another layer of the same participant: the m-line's sequence goes on from the last packet sent.
      if (take === 'switch') lane.rebase = true;
    }
    if (!this.connected) {
      if (kind === 'video') lane.early = holdEarly(lane.early, rtp, keyframe);
      return;
    }
    if (lane.gate.pass(keyframe)) this.send(lane, kind, rtp);
  }

  /** Sends a packet on `lane` (a reused m-line's first packet goes on from the last one sent there). */
  private send(lane: Lane, kind: MediaKind, rtp: RtpPacket): void {
    const sender = lane.transceiver.sender;
    const numbering = this.numbering.get(lane.transceiver);
    if (lane.rebase) {
      // Another source on this m-line (another layer, another participant): it goes on from the
      // last packet sent, its VP8 picture numbers too.
      lane.rebase = false;
      continueSequence(sender, rtp.header, kind);
      numbering?.restart();
    }
    sendForwarded(sender, rtp, numbering);
  }

  sendToPlayer(message: DataMessage): void {
    if (!this.closed && !isEmpty(message)) this.outbox.send(message);
  }

  protected release(): void {
    this.outbox.clear();
    for (const slot of this.slots.values()) {
      slot.removed = true;
      slot.source.detach(slot);
    }
    this.slots.clear();
    this.host.forget(this);
  }
}
