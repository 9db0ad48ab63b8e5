/**
 * Legacy conference rooms (`joinRoom`, `getRoomInfo`, `leaveFromRoom`): membership in the room
 * registry (`rooms.ts`); each member publishes and plays through the ordinary commands.
 */
import type { GetRoomInfoFrame, JoinRoomFrame, LeaveFromRoomFrame } from '../../../../src/core/protocol/messages.js';
import type { Connection } from './connection.js';

/** Joins a room with the given id (or a fresh one) and lists the other members' live streams (`joinedTheRoom`). */
export function joinRoom(conn: Connection, frame: JoinRoomFrame): void {
  const { room } = frame;
  const { live, store, rooms } = conn.app;
  // `mode` (legacy / mcu / amcu / multitrack) and `role` are accepted and not acted on:
  // every mode is a legacy room here (no server-side mixing).
  const joined = rooms.join(room, conn.id, frame.streamId, frame.streamName, frame.metadata, (id) => live.has(id) || store.get(id) !== undefined);
  if (!joined.ok) return conn.out.error('streamIdInUse', { streamId: frame.streamId ?? '' });
  const list = rooms.liveStreams(room, joined.member.streamId, live.view);
  conn.out.notify('joinedTheRoom', {
    streamId: joined.member.streamId,
    streams: list.map((e) => e.streamId),
    streamList: list,
    ATTR_ROOM_NAME: room,
    room,
    maxTrackCount: -1,
  });
}

/** The live streams of a room's members but the asking one (`roomInformation`). */
export function getRoomInfo(conn: Connection, { room, streamId }: GetRoomInfoFrame): void {
  const list = conn.app.rooms.liveStreams(room, streamId, conn.app.live.view);
  if (list.length === 0) return conn.out.error('no_active_streams_in_room', { room });
  conn.out.send({
    command: 'roomInformation',
    streams: list.map((e) => e.streamId),
    streamList: list,
    ATTR_ROOM_NAME: room,
    room,
  });
}

/** Leaves a room (`leavedFromRoom`). */
export function leaveFromRoom(conn: Connection, { room, streamId }: LeaveFromRoomFrame): void {
  // Leaving a room this socket is not in is answered the same way (nothing to drop).
  conn.app.rooms.leave(room, conn.id, streamId);
  conn.out.notify('leavedFromRoom', { ATTR_ROOM_NAME: room, room });
}
