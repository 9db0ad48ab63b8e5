/**
 * Multitrack rooms of one application: a main track, the subtracks published into it (`publish`
 * with `mainTrack`) and the sessions playing it. Players register callbacks to hear of
 * subtracks coming and going; the main track's Broadcast record follows its live subtracks.
 */
import type { LiveStream, LiveStreams } from './live-streams.js';
import type { AppStore } from './streams.js';

/** A session playing a room, told when a subtrack starts or ends. */
export interface RoomListener {
  /** `sub`'s media started (it is live). */
  onSubtrackAdded(sub: LiveStream): void;
  /** The subtrack `streamId` ended. */
  onSubtrackRemoved(streamId: string): void;
}

/** A multitrack room: its live subtracks and the sessions playing it. */
export interface MainTrack {
  readonly id: string;
  /** Live subtracks, by stream id, in the order they started. */
  readonly subtracks: ReadonlyMap<string, LiveStream>;
  readonly players: ReadonlySet<RoomListener>;
}

interface Room extends MainTrack {
  readonly subtracks: Map<string, LiveStream>;
  readonly players: Set<RoomListener>;
}

export class MainTracks {
  /** Rooms with live subtracks or players (or a subtrack on its way), by main track id. */
  private readonly rooms = new Map<string, Room>();

  constructor(
    private readonly store: AppStore,
    private readonly live: LiveStreams,
  ) {}

  /** The players of every room. */
  playerCount(): number {
    let n = 0;
    for (const r of this.rooms.values()) n += r.players.size;
    return n;
  }

  get(room: string): MainTrack | undefined {
    return this.rooms.get(room);
  }

  /** The room `room`, made when it does not exist yet (it can be played from then on). */
  open(room: string): MainTrack {
    return this.room(room);
  }

  /** The subtracks of `room` whose media flows. */
  liveSubtracks(room: string): LiveStream[] {
    const mt = this.rooms.get(room);
    return mt ? [...mt.subtracks.values()].filter((s) => s.phase === 'live') : [];
  }

  /** `sub` (a publish into `room`) went live: listed in the main track, announced to the players. */
  subtrackStarted(sub: LiveStream, room: string): void {
    const mt = this.room(room);
    mt.subtracks.set(sub.streamId, sub);
    const main = this.store.forPublish(room).broadcast;
    if (!main.subTrackStreamIds.includes(sub.streamId)) main.subTrackStreamIds.push(sub.streamId);
    if (main.status !== 'broadcasting') {
      main.status = 'broadcasting';
      main.startTime = Date.now();
    }
    for (const player of [...mt.players]) player.onSubtrackAdded(sub);
  }

  /** `sub` (a publish into `room`) ended: taken off the main track, the players told. */
  subtrackEnded(sub: LiveStream, room: string): void {
    const mt = this.rooms.get(room);
    const record = this.store.get(room);
    if (record && record.broadcast.subTrackStreamIds.includes(sub.streamId)) {
      const b = record.broadcast;
      b.subTrackStreamIds = b.subTrackStreamIds.filter((id) => id !== sub.streamId);
      // The main track broadcasts while it has a live subtrack (unless it is a live stream itself).
      if (b.subTrackStreamIds.length === 0 && !this.live.has(room)) b.status = record.registered ? 'finished' : 'created';
    }
    if (mt && mt.subtracks.get(sub.streamId) === sub) {
      mt.subtracks.delete(sub.streamId);
      for (const player of [...mt.players]) player.onSubtrackRemoved(sub.streamId);
    }
    this.dropIfIdle(room);
  }

  /** Registers a player of `room`. */
  addPlayer(room: string, player: RoomListener): void {
    this.room(room).players.add(player);
  }

  /** Unregisters a player of `room`; the room goes when nothing is left in it. */
  removePlayer(room: string, player: RoomListener): void {
    this.rooms.get(room)?.players.delete(player);
    this.dropIfIdle(room);
  }

  /** Forgets a room with no live subtrack and no player (and its main track, unless registered). */
  private dropIfIdle(room: string): void {
    const mt = this.rooms.get(room);
    if (mt && (mt.subtracks.size > 0 || mt.players.size > 0)) return;
    if (this.live.publishingInto(room)) return;
    this.rooms.delete(room);
    const record = this.store.get(room);
    if (record && !record.registered && record.broadcast.subTrackStreamIds.length === 0 && !this.live.has(room)) {
      this.store.finish(room);
    }
  }

  private room(id: string): Room {
    let mt = this.rooms.get(id);
    if (!mt) {
      mt = { id, subtracks: new Map(), players: new Set() };
      this.rooms.set(id, mt);
    }
    return mt;
  }
}
