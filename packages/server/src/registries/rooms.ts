/**
 * Legacy conference rooms (`joinRoom`, `getRoomInfo`, `leaveFromRoom`; reference 8.4): a room is
 * only a membership list of one application. A member publishes its own stream id through the
 * ordinary publish path; the room lists the members whose publish is live.
 */
import { randomBytes } from 'node:crypto';
import type { ConnectionId } from './connection-id.js';

/** One member of a room: a stream id, owned by one socket. */
export interface RoomMember {
  readonly streamId: string;
  /** The socket that joined with this id. */
  readonly owner: ConnectionId;
  streamName: string | null;
  metaData: string | null;
}

/** A stream's name and metaData when it is being published and live, else undefined. */
export type LiveStreamView = (streamId: string) => { name: string; metaData: string | null } | undefined;

/** An entry of `streamList` in `joinedTheRoom` / `roomInformation`. */
export interface RoomStreamEntry {
  streamId: string;
  streamName: string;
  metaData: string | null;
}

export type JoinResult =
  | { ok: true; member: RoomMember }
  /** The id is already a member of this room through another socket. */
  | { ok: false; reason: 'streamIdInUse' };

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random 12-character alphanumeric id (AMS makes ids of that shape); matches STREAM_ID_PATTERN. */
export function makeStreamId(): string {
  const bytes = randomBytes(12);
  let id = '';
  for (const b of bytes) id += ALPHANUMERIC[b % ALPHANUMERIC.length];
  return id;
}

export class RoomRegistry {
  /** room name → stream id → member */
  private readonly rooms = new Map<string, Map<string, RoomMember>>();

  /**
   * Adds `streamId` (or a fresh id when none) to `room` for `owner`. Joining again with an id the
   * same socket already holds updates its name and metaData.
   */
  join(
    room: string,
    owner: ConnectionId,
    streamId: string | undefined,
    streamName: string | undefined,
    metaData: string | undefined,
    taken: (id: string) => boolean,
  ): JoinResult {
    let members = this.rooms.get(room);
    if (!members) {
      members = new Map();
      this.rooms.set(room, members);
    }
    let id = streamId;
    if (id === undefined) {
      do id = makeStreamId();
      while (members.has(id) || taken(id));
    }
    const existing = members.get(id);
    if (existing && existing.owner !== owner) return { ok: false, reason: 'streamIdInUse' };
    const member: RoomMember = existing ?? { streamId: id, owner, streamName: null, metaData: null };
    if (streamName) member.streamName = streamName;
    if (metaData) member.metaData = metaData;
    members.set(id, member);
    return { ok: true, member };
  }

  /**
   * The live streams of `room`'s members other than `exceptStreamId`, in join order.
   * A member without a live publish is not listed.
   */
  liveStreams(room: string, exceptStreamId: string | undefined, live: LiveStreamView): RoomStreamEntry[] {
    const members = this.rooms.get(room);
    if (!members) return [];
    const list: RoomStreamEntry[] = [];
    for (const m of members.values()) {
      if (m.streamId === exceptStreamId) continue;
      const stream = live(m.streamId);
      if (!stream) continue;
      list.push({
        streamId: m.streamId,
        streamName: m.streamName ?? stream.name,
        metaData: stream.metaData ?? m.metaData,
      });
    }
    return list;
  }

  /** Removes `owner`'s membership of `room` (only `streamId` when given); returns how many left. */
  leave(room: string, owner: ConnectionId, streamId?: string): number {
    const members = this.rooms.get(room);
    if (!members) return 0;
    let n = 0;
    for (const m of [...members.values()]) {
      if (m.owner !== owner || (streamId !== undefined && m.streamId !== streamId)) continue;
      members.delete(m.streamId);
      n++;
    }
    if (members.size === 0) this.rooms.delete(room);
    return n;
  }

  /** Removes every membership of `owner` (its socket closed). */
  leaveAll(owner: ConnectionId): void {
    for (const room of [...this.rooms.keys()]) this.leave(room, owner);
  }

  /** The room in which `owner` holds `streamId`, if any (the first one joined). */
  roomOf(owner: ConnectionId, streamId: string): string | undefined {
    for (const [room, members] of this.rooms) if (members.get(streamId)?.owner === owner) return room;
    return undefined;
  }

  /** The member ids of `room` (for tests and diagnostics). */
  members(room: string): string[] {
    return [...(this.rooms.get(room)?.keys() ?? [])];
  }
}
