/**
 * The room modes `<rtc-room mode>` accepts, each to its adapter: the mode is chosen here, once
 * per join, and nowhere else.
 * @internal
 */
import { RtcError } from '../errors.js';
import { STREAM_ID_PATTERN } from '../protocol/ams.js';
import type { RoomAdapter, RoomContext } from './adapter.js';
import { LegacyConference } from './legacy-conference.js';
import { MultitrackRoom } from './multitrack-room.js';
import { P2PRoom } from './p2p-room.js';

/** The room id the multitrack and p2p modes need; a missing one is `no_room_specified` without asking the server. */
function withRoomId(ctx: RoomContext): RoomContext {
  if (!ctx.room) throw RtcError.of('no_room_specified', { message: 'room-id is missing.' });
  if (!STREAM_ID_PATTERN.test(ctx.room)) throw RtcError.of('invalid_stream_id', { message: 'room-id has characters other than A-Z a-z 0-9 _ . -' });
  return ctx;
}

const MODES: ReadonlyMap<string, (ctx: RoomContext) => RoomAdapter> = new Map<string, (ctx: RoomContext) => RoomAdapter>([
  ['multitrack', (ctx: RoomContext) => new MultitrackRoom(withRoomId(ctx))],
  // The server checks the legacy room (a missing one is its `no_room_specified`).
  ['legacy', (ctx: RoomContext) => new LegacyConference(ctx)],
  ['p2p', (ctx: RoomContext) => new P2PRoom(withRoomId(ctx))],
]);

/** The adapter of `mode` for one join; `invalid_mode` for any other mode, `no_room_specified` / `invalid_stream_id` for a bad room id. */
export function createRoom(mode: unknown, ctx: RoomContext): RoomAdapter {
  const create = MODES.get(mode as string);
  if (!create) throw RtcError.of('invalid_mode', { message: `mode is not multitrack, legacy or p2p: "${String(mode).slice(0, 32)}".` });
  return create(ctx);
}
