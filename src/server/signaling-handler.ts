/**
 * One WebSocket session of the AMS protocol: publish, play, SDP and candidate exchange,
 * stream info, broadcast objects, keepalive, and the AMS error answers. The media itself is
 * the relay's business (`relay/types.ts`).
 */
import {
  MAX_FRAME_BYTES,
  STREAM_ID_PATTERN,
  type ProtocolErrorDefinition,
  type ServerErrorDefinition,
  type NotificationDefinition,
} from '../core/protocol/ams.js';
import type { ServerFrame } from '../core/protocol/messages.js';
import type { AppSettings } from './config.js';
import type { FaultTable } from './faults.js';
import type { P2PPeer, P2PRelay } from './p2p.js';
import type { IceCandidateInit, MediaRelay, PeerEvents, PlayerPeer, PublisherPeer, RoomPlayerPeer } from './relay/types.js';
import type { RoomRegistry } from './rooms.js';
import type { AppStore, StreamRecord } from './streams.js';

/** What all sessions of one application share. */
export interface AppContext {
  readonly name: string;
  readonly settings: AppSettings;
  readonly store: AppStore;
  /** Streams being published now, by id. */
  readonly live: Map<string, PublishSession>;
  /** Multitrack rooms (main tracks) with live subtracks or room players, by main track id. */
  readonly mainTracks: Map<string, MainTrack>;
  /** Legacy conference rooms (`joinRoom`). */
  readonly rooms: RoomRegistry;
  /** Peer-to-peer sessions (`join`). */
  readonly p2p: P2PRelay;
}

/** The socket as the handler needs it. */
export interface FrameSink {
  send(text: string): void;
  close(): void;
  readonly open: boolean;
}

type Phase = 'awaiting-offer' | 'negotiating' | 'connecting' | 'live' | 'stopped';

interface PeerSession {
  streamId: string;
  phase: Phase;
  /** Candidates that arrived before the remote description was applied. */
  pending: IceCandidateInit[] | null;
}

export interface PublishSession extends PeerSession {
  kind: 'publish';
  owner: SignalingHandler;
  record: StreamRecord;
  peer?: PublisherPeer;
  players: Set<PlaySession>;
  /** The room (main track) this publish is a subtrack of. */
  mainTrack?: string;
}

/** A multitrack room: its live subtracks and the sessions playing it. */
export interface MainTrack {
  readonly id: string;
  readonly subtracks: Map<string, PublishSession>;
  readonly players: Set<RoomPlaySession>;
}

interface RoomPlaySession extends PeerSession {
  kind: 'roomPlay';
  owner: SignalingHandler;
  room: MainTrack;
  peer: RoomPlayerPeer;
  /** Participants whose media this player takes (trackList, userPublishId, enableTrack). */
  wants(id: string): boolean;
  /** Participants switched off with `enableTrack`. */
  disabled: Set<string>;
  /** This player's own publish id: never sent back, not even its data. */
  own: string;
}

interface PlaySession extends PeerSession {
  kind: 'play';
  owner: SignalingHandler;
  source: PublishSession;
  peer: PlayerPeer;
}

type Json = Record<string, unknown>;

/** Read through a function so TypeScript does not narrow `phase` across an `await`. */
const stopped = (s: { phase: Phase }): boolean => s.phase === 'stopped';
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export class SignalingHandler {
  private readonly publishes = new Map<string, PublishSession>();
  private readonly plays = new Map<string, PlaySession>();
  private readonly roomPlays = new Map<string, RoomPlaySession>();
  private closed = false;
  /** This socket as a P2P peer (its identity keys its P2P sessions). */
  private readonly p2pPeer: P2PPeer = { send: (frame) => this.send(frame) };

  constructor(
    private readonly socket: FrameSink,
    private readonly app: AppContext,
    private readonly relay: MediaRelay,
    private readonly faults: FaultTable,
  ) {}

  // ------------------------------------------------------------------ inbound

  /** Handles one frame. Never throws: anything unusable is answered with an error frame. */
  handleFrame(data: string | Buffer, isBinary: boolean): void {
    if (this.closed) return;
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (size > MAX_FRAME_BYTES) return this.protocolError('message_too_large', { maxBytes: MAX_FRAME_BYTES });
    if (isBinary) return this.protocolError('invalid_message', { reason: 'frames must be JSON text' });
    let frame: unknown;
    try {
      frame = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
    } catch {
      return this.protocolError('invalid_message', { reason: 'not JSON' });
    }
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame) || typeof (frame as Json).command !== 'string') {
      return this.protocolError('invalid_message', { reason: 'a frame is a JSON object with a command' });
    }
    try {
      this.dispatch(frame as Json);
    } catch {
      // A bug of ours must not take the server down; the session goes on.
      this.protocolError('invalid_message', { reason: 'the frame could not be handled' });
    }
  }

  private dispatch(frame: Json): void {
    const command = frame.command as string;
    if (command === 'ping') return this.send({ command: 'pong' });
    const streamId = str(frame.streamId);

    const fault = this.faults.take(this.app.name, command, streamId);
    if (fault) {
      const reply = fault.reply ? ({ ...fault.reply, streamId: streamId ?? '' } as unknown as ServerFrame) : undefined;
      switch (fault.action) {
        case 'ignore':
          return;
        case 'close':
          return this.socket.close();
        case 'raw':
          if (this.socket.open) this.socket.send(fault.text!);
          return;
        case 'replace':
          return this.send(reply!);
        case 'after':
          this.route(command, streamId, frame);
          return this.send(reply!);
      }
    }
    this.route(command, streamId, frame);
  }

  private route(command: string, streamId: string | undefined, frame: Json): void {
    if (command === 'getIceServerConfig') {
      return this.send({
        command: 'iceServerConfig',
        stunServerUri: this.app.settings.stunServerUri,
        turnServerUsername: '',
        turnServerCredential: '',
      });
    }
    if (!KNOWN.has(command)) return this.protocolError('unknown_command', { unknownCommand: command.slice(0, 64) });
    // Room commands name a room; their streamId is optional (joinRoom makes one when absent).
    if (ROOM_COMMANDS.has(command)) return this.roomCommand(command, streamId, frame);
    if (!streamId) return this.error('noStreamNameSpecified');
    if (!STREAM_ID_PATTERN.test(streamId)) return this.error('invalidStreamName', { streamId: streamId.slice(0, 256) });

    // SDP and candidates go to the P2P relay only for an id this socket joined as a peer;
    // for publish and play ids they stay with the sessions below.
    const isP2P =
      command === 'join' ||
      command === 'leave' ||
      command === 'peerMessageCommand' ||
      ((command === 'takeConfiguration' || command === 'takeCandidate') && this.app.p2p.isJoined(this.p2pPeer, streamId));
    if (isP2P) return this.p2pCommand(command, streamId, frame);
    switch (command) {
      case 'publish':
        return this.publish(streamId, frame);
      case 'play':
        return this.play(streamId, frame);
      case 'stop':
        return this.stop(streamId);
      case 'takeConfiguration':
        return void this.takeConfiguration(streamId, frame);
      case 'takeCandidate':
        return this.takeCandidate(streamId, frame);
      case 'getStreamInfo':
        return this.streamInfo(streamId);
      case 'getBroadcastObject':
        return this.broadcastObject(streamId);
      case 'getSubtracks':
        return this.subtracks(streamId, frame);
      case 'getSubtracksCount':
        return this.notify('subtrackCount', { streamId, count: this.liveSubtracks(streamId).length });
      case 'updateStreamMetaData':
        return this.updateMetaData(streamId, frame);
      case 'enableTrack':
        return this.enableTrack(streamId, frame);
      case 'setMaxVideoTrackCountCommand':
        return this.roomPlays.get(streamId)?.peer.setMaxVideoTracks(Number(frame.maxTrackCount ?? -1));
    }
  }

  /** The socket closed: stop everything it published or played, without writing to it. */
  handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.app.p2p.leaveAll(this.p2pPeer);
    this.app.rooms.leaveAll(this);
    for (const p of [...this.plays.values()]) this.endPlay(p, false);
    for (const p of [...this.roomPlays.values()]) this.endRoomPlay(p, false);
    for (const p of [...this.publishes.values()]) this.endPublish(p, false);
  }

  // ------------------------------------------------------------------ publish

  private publish(streamId: string, frame: Json): void {
    if (this.publishes.has(streamId)) return this.error('already_publishing', { streamId });
    if (this.app.live.has(streamId)) return this.error('streamIdInUse', { streamId });
    const { store, settings } = this.app;
    if (settings.acceptOnlyStreamsInDataStore && !store.isRegistered(streamId)) {
      return this.error('not_allowed_unregistered_streams', { streamId });
    }
    if (settings.publishTokenControlEnabled && !store.consumeToken(frame.token, streamId, 'publish')) {
      return this.error('unauthorized_access', { streamId });
    }
    const mainTrack = str(frame.mainTrack) || undefined;
    if (mainTrack !== undefined) {
      if (!STREAM_ID_PATTERN.test(mainTrack) || mainTrack === streamId) {
        return this.error('invalidStreamName', { streamId: mainTrack.slice(0, 256) });
      }
      // The main track is made on the first subtrack, unless only registered streams may exist.
      if (settings.acceptOnlyStreamsInDataStore && !store.isRegistered(mainTrack)) {
        return this.error('not_allowed_unregistered_streams', { streamId: mainTrack });
      }
    }
    const record = store.forPublish(streamId, str(frame.streamName));
    const metaData = str(frame.metaData);
    if (metaData) record.broadcast.metaData = metaData;
    const session: PublishSession = {
      kind: 'publish',
      owner: this,
      streamId,
      phase: 'awaiting-offer',
      pending: [],
      record,
      players: new Set(),
      ...(mainTrack ? { mainTrack } : {}),
    };
    if (mainTrack) {
      record.broadcast.mainTrackStreamId = mainTrack;
      store.forPublish(mainTrack);
      // The room can be played from now on (an SDK publishes, then plays the room at once).
      this.mainTrackOf(mainTrack);
    }
    this.publishes.set(streamId, session);
    this.app.live.set(streamId, session);
    this.send({ command: 'start', streamId, subscriberId: str(frame.subscriberId) ?? '' });
  }

  private async acceptPublishOffer(session: PublishSession, sdp: string): Promise<void> {
    session.phase = 'negotiating';
    const peer = this.relay.createPublisher(session.streamId, this.peerEvents(session, () => this.publishStarted(session)));
    session.peer = peer;
    let answer: string;
    try {
      answer = await peer.acceptOffer(sdp);
    } catch {
      if (stopped(session)) return;
      this.error('notSetRemoteDescription', { streamId: session.streamId, subscriberId: '' });
      return this.endPublish(session, false);
    }
    if (stopped(session)) return;
    session.phase = 'connecting';
    this.send({ command: 'takeConfiguration', streamId: session.streamId, type: 'answer', sdp: answer, linkSession: '', subscriberId: '' });
    this.flushCandidates(session, peer);
  }

  private async renegotiatePublish(session: PublishSession, peer: PublisherPeer, sdp: string): Promise<void> {
    let answer: string;
    try {
      answer = await peer.acceptOffer(sdp);
    } catch {
      if (stopped(session)) return;
      // The running connection is left as it was; the client decides what to do next.
      return this.error('notSetRemoteDescription', { streamId: session.streamId, subscriberId: '' });
    }
    if (stopped(session)) return;
    this.send({ command: 'takeConfiguration', streamId: session.streamId, type: 'answer', sdp: answer, linkSession: '', subscriberId: '' });
  }

  private publishStarted(session: PublishSession): void {
    if (stopped(session)) return;
    session.phase = 'live';
    const b = session.record.broadcast;
    b.status = 'broadcasting';
    b.startTime = Date.now();
    // A legacy room member's publish names its room, as AMS does.
    const room = this.app.rooms.roomOf(this, session.streamId);
    this.notify('publish_started', { streamId: session.streamId, subscriberId: '', ...(room ? { ATTR_ROOM_NAME: room, room } : {}) });
    if (session.mainTrack) this.subtrackStarted(session, session.mainTrack);
  }

  private endPublish(session: PublishSession, notify: boolean): void {
    if (stopped(session)) return;
    session.phase = 'stopped';
    this.publishes.delete(session.streamId);
    if (this.app.live.get(session.streamId) === session) this.app.live.delete(session.streamId);
    for (const player of [...session.players]) player.owner.endPlay(player, true);
    if (session.mainTrack) this.subtrackEnded(session, session.mainTrack);
    session.peer?.close();
    this.app.store.finish(session.streamId);
    if (notify) this.notify('publish_finished', { streamId: session.streamId, subscriberId: '' });
  }

  // ------------------------------------------------------------------ multitrack rooms

  private mainTrackOf(room: string): MainTrack {
    let mt = this.app.mainTracks.get(room);
    if (!mt) {
      mt = { id: room, subtracks: new Map(), players: new Set() };
      this.app.mainTracks.set(room, mt);
    }
    return mt;
  }

  private subtrackStarted(session: PublishSession, room: string): void {
    const mt = this.mainTrackOf(room);
    mt.subtracks.set(session.streamId, session);
    const main = this.app.store.forPublish(room).broadcast;
    if (!main.subTrackStreamIds.includes(session.streamId)) main.subTrackStreamIds.push(session.streamId);
    if (main.status !== 'broadcasting') {
      main.status = 'broadcasting';
      main.startTime = Date.now();
    }
    for (const player of [...mt.players]) player.owner.subtrackAdded(player, session);
  }

  private subtrackEnded(session: PublishSession, room: string): void {
    const mt = this.app.mainTracks.get(room);
    const record = this.app.store.get(room);
    if (record && record.broadcast.subTrackStreamIds.includes(session.streamId)) {
      const b = record.broadcast;
      b.subTrackStreamIds = b.subTrackStreamIds.filter((id) => id !== session.streamId);
      // The main track broadcasts while it has a live subtrack (unless it is a live stream itself).
      if (b.subTrackStreamIds.length === 0 && !this.app.live.has(room)) b.status = record.registered ? 'finished' : 'created';
    }
    if (mt && mt.subtracks.get(session.streamId) === session) {
      mt.subtracks.delete(session.streamId);
      for (const player of [...mt.players]) player.owner.subtrackRemoved(player, session.streamId);
    }
    this.dropRoomIfIdle(room);
  }

  /** Forgets a room with no live subtrack and no player (and its main track, unless registered). */
  private dropRoomIfIdle(room: string): void {
    const mt = this.app.mainTracks.get(room);
    if (mt && (mt.subtracks.size > 0 || mt.players.size > 0)) return;
    for (const s of this.app.live.values()) if (s.mainTrack === room && !stopped(s)) return;
    this.app.mainTracks.delete(room);
    const record = this.app.store.get(room);
    if (record && !record.registered && record.broadcast.subTrackStreamIds.length === 0 && !this.app.live.has(room)) {
      this.app.store.finish(room);
    }
  }

  subtrackAdded(player: RoomPlaySession, sub: PublishSession): void {
    if (stopped(player) || sub.streamId === player.own || sub.owner === this) return;
    this.notify('subtrackAdded', { trackId: sub.streamId, mainTrack: player.room.id, streamId: player.room.id });
    if (sub.peer) player.peer.addSource(sub.peer, player.wants(sub.streamId));
  }

  subtrackRemoved(player: RoomPlaySession, id: string): void {
    if (stopped(player) || id === player.own) return;
    this.notify('subtrackRemoved', { trackId: id, mainTrack: player.room.id, streamId: player.room.id });
    player.peer.removeSource(id);
  }

  private liveSubtracks(room: string): PublishSession[] {
    const mt = this.app.mainTracks.get(room);
    return mt ? [...mt.subtracks.values()].filter((s) => s.phase === 'live') : [];
  }

  private subtracks(room: string, frame: Json): void {
    const offset = typeof frame.offset === 'number' && frame.offset >= 0 ? Math.floor(frame.offset) : 0;
    const size = typeof frame.size === 'number' && frame.size >= 0 ? Math.floor(frame.size) : 50;
    const list = this.liveSubtracks(room)
      .slice(offset, offset + size)
      .map((s) => JSON.stringify(s.record.broadcast));
    this.notify('subtrackList', { streamId: room, subtrackList: list });
  }

  private updateMetaData(streamId: string, frame: Json): void {
    const record = this.app.store.get(streamId);
    if (!record) return this.error('no_stream_exist', { streamId, error_code: '404' });
    const m = frame.metaData;
    record.broadcast.metaData = m === undefined || m === null ? null : typeof m === 'string' ? m : JSON.stringify(m);
  }

  private enableTrack(room: string, frame: Json): void {
    const player = this.roomPlays.get(room);
    const trackId = str(frame.trackId);
    if (!player || !trackId) return;
    // The SDK's track ids may come with the ARDAMSv / ARDAMSa prefix.
    const id = /^ARDAMS[av]/.test(trackId) && !player.room.subtracks.has(trackId) ? trackId.slice(7) : trackId;
    const enabled = frame.enabled !== false && frame.enabled !== 'false';
    if (enabled) player.disabled.delete(id);
    else player.disabled.add(id);
    if (player.room.subtracks.has(id)) player.peer.setMedia(id, player.wants(id));
  }

  private playRoom(mt: MainTrack, frame: Json): void {
    const room = mt.id;
    const own = str(frame.userPublishId) ?? '';
    const include = new Set<string>();
    const exclude = new Set<string>();
    if (Array.isArray(frame.trackList)) {
      for (const t of frame.trackList) {
        if (typeof t !== 'string' || t === '') continue;
        if (t.startsWith('!')) exclude.add(t.slice(1));
        else include.add(t);
      }
    }
    const disabled = new Set<string>();
    const session = {
      kind: 'roomPlay',
      owner: this,
      streamId: room,
      phase: 'negotiating',
      pending: [],
      room: mt,
      own,
      disabled,
      wants: (id: string) => id !== own && !exclude.has(id) && (include.size === 0 || include.has(id)) && !disabled.has(id),
    } as Omit<RoomPlaySession, 'peer'> as RoomPlaySession;
    session.peer = this.relay.createRoomPlayer(room, {
      ...this.peerEvents(session, () => this.roomPlayStarted(session)),
      onRenegotiate: (offer) => {
        if (stopped(session)) return;
        this.send({ command: 'takeConfiguration', streamId: room, type: 'offer', sdp: offer.sdp, idMapping: offer.idMapping, linkSession: '', subscriberId: '' });
      },
    });
    this.roomPlays.set(room, session);
    mt.players.add(session);
    for (const sub of mt.subtracks.values()) {
      if (sub.streamId !== own && sub.owner !== this && sub.peer && sub.phase === 'live') session.peer.addSource(sub.peer, session.wants(sub.streamId));
    }
    void this.sendOffer(session, session.peer, () => this.endRoomPlay(session, false));
  }



  private async acceptRoomAnswer(session: RoomPlaySession, sdp: string): Promise<void> {
    try {
      await session.peer.acceptAnswer(sdp);
    } catch {
      if (stopped(session)) return;
      this.error('notSetRemoteDescription', { streamId: session.streamId, subscriberId: '' });
      return this.endRoomPlay(session, false);
    }
    if (stopped(session) || session.phase !== 'negotiating') return;
    session.phase = 'connecting';
    this.flushCandidates(session, session.peer);
  }

  private roomPlayStarted(session: RoomPlaySession): void {
    if (stopped(session)) return;
    session.phase = 'live';
    this.notify('play_started', { streamId: session.streamId, subscriberId: '' });
  }

  endRoomPlay(session: RoomPlaySession, notify: boolean): void {
    if (stopped(session)) return;
    session.phase = 'stopped';
    this.roomPlays.delete(session.streamId);
    session.room.players.delete(session);
    session.peer.close();
    this.dropRoomIfIdle(session.room.id);
    if (notify) this.notify('play_finished', { streamId: session.streamId, subscriberId: '' });
  }

  // ------------------------------------------------------------------ play

  private play(streamId: string, frame: Json): void {
    if (this.plays.has(streamId) || this.roomPlays.has(streamId)) return this.error('already_playing', { streamId });
    const { store, settings } = this.app;
    if (settings.playTokenControlEnabled && !store.consumeToken(frame.token, streamId, 'play')) {
      return this.error('unauthorized_access', { streamId });
    }
    const source = this.app.live.get(streamId);
    // A room (main track) that has, or had while being played, subtracks.
    const mt = this.app.mainTracks.get(streamId);
    if (!source && mt) return this.playRoom(mt, frame);
    if (!source || source.phase !== 'live' || !source.peer) {
      return this.error('no_stream_exist', { streamId, error_code: '404', information: 'stream is not live' });
    }
    const session = {
      kind: 'play',
      owner: this,
      streamId,
      phase: 'negotiating',
      pending: [],
      source,
    } as Omit<PlaySession, 'peer'> as PlaySession;
    session.peer = this.relay.createPlayer(source.peer, this.peerEvents(session, () => this.playStarted(session)));
    this.plays.set(streamId, session);
    source.players.add(session);
    void this.sendOffer(session, session.peer, () => this.endPlay(session, false));
  }

  /** Sends the server's first offer of a play; a failure ends the play with `notSetLocalDescription`. */
  private async sendOffer(session: PeerSession, peer: { createOffer(): Promise<{ sdp: string; idMapping: Record<string, string> }> }, end: () => void): Promise<void> {
    let offer: { sdp: string; idMapping: Record<string, string> };
    try {
      offer = await peer.createOffer();
    } catch {
      if (stopped(session)) return;
      this.error('notSetLocalDescription', { streamId: session.streamId, subscriberId: '' });
      return end();
    }
    if (stopped(session)) return;
    this.send({ command: 'takeConfiguration', streamId: session.streamId, type: 'offer', sdp: offer.sdp, idMapping: offer.idMapping, linkSession: '', subscriberId: '' });
  }


  private async acceptPlayAnswer(session: PlaySession, sdp: string): Promise<void> {
    try {
      await session.peer.acceptAnswer(sdp);
    } catch {
      if (stopped(session)) return;
      this.error('notSetRemoteDescription', { streamId: session.streamId, subscriberId: '' });
      return this.endPlay(session, false);
    }
    if (stopped(session)) return;
    session.phase = 'connecting';
    this.flushCandidates(session, session.peer);
  }

  private playStarted(session: PlaySession): void {
    if (stopped(session)) return;
    session.phase = 'live';
    session.source.record.broadcast.webRTCViewerCount++;
    this.notify('play_started', { streamId: session.streamId, subscriberId: '' });
  }

  /** Ends a play; `notify` sends `play_finished` (on `stop`, or when the publisher went away). */
  endPlay(session: PlaySession, notify: boolean): void {
    if (stopped(session)) return;
    const wasLive = session.phase === 'live';
    session.phase = 'stopped';
    this.plays.delete(session.streamId);
    session.source.players.delete(session);
    if (wasLive) {
      const b = session.source.record.broadcast;
      b.webRTCViewerCount = Math.max(0, b.webRTCViewerCount - 1);
    }
    session.peer.close();
    if (notify) this.notify('play_finished', { streamId: session.streamId, subscriberId: '' });
  }

  // ------------------------------------------------------------------ shared

  private stop(streamId: string): void {
    const play = this.plays.get(streamId);
    if (play) this.endPlay(play, true);
    const roomPlay = this.roomPlays.get(streamId);
    if (roomPlay) this.endRoomPlay(roomPlay, true);
    const pub = this.publishes.get(streamId);
    if (pub) this.endPublish(pub, true);
  }

  private async takeConfiguration(streamId: string, frame: Json): Promise<void> {
    const type = frame.type;
    const sdp = str(frame.sdp);
    const pub = this.publishes.get(streamId);
    const play = this.plays.get(streamId);
    if (type === 'offer' && pub && pub.phase === 'awaiting-offer') {
      if (!sdp) {
        this.error('notSetRemoteDescription', { streamId, subscriberId: '' });
        return this.endPublish(pub, false);
      }
      return this.acceptPublishOffer(pub, sdp);
    }
    if (type === 'offer' && pub?.peer && (pub.phase === 'connecting' || pub.phase === 'live')) {
      // A new offer on a running publish: an ICE restart or a renegotiation.
      return this.renegotiatePublish(pub, pub.peer, sdp ?? '');
    }
    if (type === 'answer' && play && play.phase === 'negotiating') {
      if (!sdp) {
        this.error('notSetRemoteDescription', { streamId, subscriberId: '' });
        return this.endPlay(play, false);
      }
      return this.acceptPlayAnswer(play, sdp);
    }
    const roomPlay = this.roomPlays.get(streamId);
    if (type === 'answer' && roomPlay && !stopped(roomPlay)) {
      // The answer to the first offer, or to a renegotiation offer after a participant change.
      return this.acceptRoomAnswer(roomPlay, sdp ?? '');
    }
    // An SDP for no session of this socket, or of the wrong type: AMS ignores it; so do we.
  }

  private takeCandidate(streamId: string, frame: Json): void {
    const session: PublishSession | PlaySession | RoomPlaySession | undefined =
      this.publishes.get(streamId) ?? this.plays.get(streamId) ?? this.roomPlays.get(streamId);
    const candidate = str(frame.candidate);
    if (!session || candidate === undefined || candidate === '') return;
    const label = typeof frame.label === 'number' ? frame.label : Number(frame.label);
    const c: IceCandidateInit = {
      candidate,
      sdpMLineIndex: Number.isInteger(label) && label >= 0 ? label : 0,
      sdpMid: str(frame.id) ?? String(Number.isInteger(label) ? label : 0),
    };
    if (session.pending) session.pending.push(c);
    else void session.peer?.addCandidate(c).catch(() => undefined);
  }

  private flushCandidates(session: PeerSession, peer: PublisherPeer | PlayerPeer | RoomPlayerPeer): void {
    const queued = session.pending ?? [];
    session.pending = null;
    for (const c of queued) void peer.addCandidate(c).catch(() => undefined);
  }

  private peerEvents(session: PublishSession | PlaySession | RoomPlaySession, started: () => void): PeerEvents {
    return {
      onCandidate: (c) => {
        if (stopped(session)) return;
        this.send({
          command: 'takeCandidate',
          streamId: session.streamId,
          label: c.sdpMLineIndex,
          id: c.sdpMid,
          candidate: c.candidate,
          linkSession: '',
          subscriberId: '',
        });
      },
      onMediaStarted: started,
      onClosed: () => {
        if (session.kind === 'publish') this.endPublish(session, true);
        else if (session.kind === 'roomPlay') this.endRoomPlay(session, true);
        else this.endPlay(session, true);
      },
    };
  }

  private streamInfo(streamId: string): void {
    const live = this.app.live.get(streamId);
    if (!live || live.phase !== 'live' || !live.peer) {
      return this.error('no_stream_exist', { streamId, error_code: '404' });
    }
    const info = live.peer.info();
    this.send({
      command: 'streamInformation',
      streamId,
      streamInfo: [
        {
          streamWidth: info.width,
          streamHeight: info.height,
          videoBitrate: info.videoBitrate,
          audioBitrate: info.audioBitrate,
          videoCodec: info.videoCodec,
        },
      ],
    });
  }

  private broadcastObject(streamId: string): void {
    const record = this.app.store.get(streamId);
    if (!record) return this.error('no_stream_exist', { streamId, error_code: '404' });
    this.notify('broadcastObject', { streamId, broadcast: JSON.stringify(record.broadcast) });
  }

  // ------------------------------------------------------------------ legacy rooms

  private roomCommand(command: string, streamId: string | undefined, frame: Json): void {
    const room = str(frame.room);
    if (!room) return this.error('no_room_specified');
    if (!STREAM_ID_PATTERN.test(room)) return this.error('invalidStreamName', { room: room.slice(0, 256) });
    if (streamId !== undefined && streamId !== '' && !STREAM_ID_PATTERN.test(streamId)) {
      return this.error('invalidStreamName', { streamId: streamId.slice(0, 256) });
    }
    const own = streamId || undefined;
    const rooms = this.app.rooms;
    switch (command) {
      case 'joinRoom': {
        // `mode` (legacy / mcu / amcu / multitrack) and `role` are accepted and not acted on:
        // every mode is a legacy room here (no server-side mixing).
        const joined = rooms.join(room, this, own, str(frame.streamName), str(frame.metadata), (id) =>
          this.app.live.has(id) || this.app.store.get(id) !== undefined,
        );
        if (!joined.ok) return this.error('streamIdInUse', { streamId: own ?? '' });
        const list = rooms.liveStreams(room, joined.member.streamId, this.liveView);
        return this.notify('joinedTheRoom', {
          streamId: joined.member.streamId,
          streams: list.map((e) => e.streamId),
          streamList: list,
          ATTR_ROOM_NAME: room,
          room,
          maxTrackCount: -1,
        });
      }
      case 'getRoomInfo': {
        const list = rooms.liveStreams(room, own, this.liveView);
        if (list.length === 0) return this.error('no_active_streams_in_room', { room });
        return this.send({
          command: 'roomInformation',
          streams: list.map((e) => e.streamId),
          streamList: list,
          ATTR_ROOM_NAME: room,
          room,
        });
      }
      case 'leaveFromRoom':
        // Leaving a room this socket is not in is answered the same way (nothing to drop).
        rooms.leave(room, this, own);
        return this.notify('leavedFromRoom', { ATTR_ROOM_NAME: room, room });
    }
  }

  /** Name and metaData of a stream that is being published and live. */
  private readonly liveView = (id: string): { name: string; metaData: string | null } | undefined => {
    const s = this.app.live.get(id);
    if (!s || s.phase !== 'live') return undefined;
    return { name: s.record.broadcast.name, metaData: s.record.broadcast.metaData };
  };

  // ------------------------------------------------------------------ peer-to-peer

  private p2pCommand(command: string, streamId: string, frame: Json): void {
    const p2p = this.app.p2p;
    switch (command) {
      case 'join': {
        // `multiPeer` and `mode` are accepted; a session is always one pair of peers.
        const joined = p2p.join(this.p2pPeer, streamId);
        // A third peer is refused (the reference does not say what AMS answers): the pair is busy.
        if (!joined.ok) return this.error('streamIdInUse', { streamId });
        return this.notify('joined', { streamId });
      }
      case 'leave':
        // Leaving an id this socket never joined: there is no peer for it, so AMS's P2P error
        // `no_peer_associated_before` (the reference does not spell this case out).
        if (!p2p.leave(this.p2pPeer, streamId)) return this.error('no_peer_associated_before');
        return this.notify('leaved', { streamId });
      default:
        // takeConfiguration / takeCandidate of a joined id, or peerMessageCommand: passed on
        // unchanged; with no other peer AMS answers `no_peer_associated_before` (no streamId).
        if (!p2p.relay(this.p2pPeer, streamId, frame)) return this.error('no_peer_associated_before');
    }
  }

  private send(frame: ServerFrame | Json): void {
    if (this.closed || !this.socket.open) return;
    this.socket.send(JSON.stringify(frame));
  }

  private notify(definition: NotificationDefinition, fields: Json): void {
    this.send({ command: 'notification', definition, ...fields });
  }

  private error(definition: ServerErrorDefinition, fields: Json = {}): void {
    this.send({ command: 'error', definition, ...fields });
  }

  private protocolError(definition: ProtocolErrorDefinition, fields: Json): void {
    this.send({ command: 'error', definition, ...fields });
  }
}

/** Commands this server answers (besides `ping` and `getIceServerConfig`). */
const KNOWN = new Set([
  'publish',
  'play',
  'stop',
  'takeConfiguration',
  'takeCandidate',
  'getStreamInfo',
  'getBroadcastObject',
  'getSubtracks',
  'getSubtracksCount',
  'updateStreamMetaData',
  'enableTrack',
  'setMaxVideoTrackCountCommand',
  'joinRoom',
  'getRoomInfo',
  'leaveFromRoom',
  'join',
  'leave',
  'peerMessageCommand',
]);

/** Legacy room commands: routed before the streamId check. */
const ROOM_COMMANDS = new Set(['joinRoom', 'getRoomInfo', 'leaveFromRoom']);
