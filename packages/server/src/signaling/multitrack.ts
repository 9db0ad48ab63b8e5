/**
 * Multitrack rooms, the player's side: a play of a main track (one connection carrying every
 * participant), its renegotiations as subtracks come and go, and the player's own switches
 * (`enableTrack`, `setMaxVideoTrackCountCommand`). The room registry is `main-tracks.ts`.
 */
import type { EnableTrackFrame, PlayFrame, SetMaxVideoTrackCountFrame } from '../../../../src/core/protocol/messages.js';
import type { LiveStream } from '../registries/live-streams.js';
import type { MainTrack } from '../registries/main-tracks.js';
import type { Connection, RoomPlaySession } from './connection.js';
import { flushCandidates, peerEvents, sendOffer } from './peer-session.js';
import { isStopped, transition } from './phase.js';

/** Plays the room `mt`: `trackList` picks participants (`!id` leaves one out), `userPublishId` is the player's own. */
export function playRoom(conn: Connection, mt: MainTrack, frame: PlayFrame): void {
  const room = mt.id;
  const own = frame.userPublishId ?? '';
  const include = new Set<string>();
  const exclude = new Set<string>();
  for (const t of frame.trackList ?? []) {
    if (t === '') continue;
    if (t.startsWith('!')) exclude.add(t.slice(1));
    else include.add(t);
  }
  const disabled = new Set<string>();
  const session = {
    kind: 'roomPlay',
    streamId: room,
    phase: 'negotiating',
    pending: [],
    room: mt,
    own,
    disabled,
    wants: (id: string) => id !== own && !exclude.has(id) && (include.size === 0 || include.has(id)) && !disabled.has(id),
    onSubtrackAdded: (sub: LiveStream) => subtrackAdded(conn, session, sub),
    onSubtrackRemoved: (id: string) => subtrackRemoved(conn, session, id),
  } as Omit<RoomPlaySession, 'peer'> as RoomPlaySession;
  session.peer = conn.relay.createRoomPlayer(room, {
    ...peerEvents(
      conn,
      session,
      () => roomPlayStarted(conn, session),
      () => endRoomPlay(conn, session, true),
    ),
    onRenegotiate: (offer) => {
      if (isStopped(session)) return;
      conn.out.send({
        command: 'takeConfiguration',
        streamId: room,
        type: 'offer',
        sdp: offer.sdp,
        idMapping: offer.idMapping,
        linkSession: '',
        subscriberId: '',
      });
    },
  });
  conn.roomPlays.set(room, session);
  conn.app.mainTracks.addPlayer(room, session);
  for (const sub of mt.subtracks.values()) {
    if (sub.streamId !== own && sub.owner !== conn.id && sub.peer && sub.phase === 'live') session.peer.addSource(sub.peer, session.wants(sub.streamId));
  }
  void sendOffer(conn, session, session.peer, () => endRoomPlay(conn, session, false));
}

/** The client's answer to the first offer, or to a renegotiation offer after a participant change. */
export async function acceptRoomAnswer(conn: Connection, session: RoomPlaySession, sdp: string): Promise<void> {
  try {
    await session.peer.acceptAnswer(sdp);
  } catch {
    if (isStopped(session)) return;
    conn.out.error('notSetRemoteDescription', { streamId: session.streamId, subscriberId: '' });
    return endRoomPlay(conn, session, false);
  }
  // Only the first answer moves the play on (a renegotiation answer finds it connecting or live).
  if (isStopped(session) || !transition(session, 'connecting')) return;
  flushCandidates(session, session.peer);
}

function roomPlayStarted(conn: Connection, session: RoomPlaySession): void {
  if (!transition(session, 'live')) return;
  conn.out.notify('play_started', { streamId: session.streamId, subscriberId: '' });
}

/** Ends a room play; `notify` sends `play_finished`. */
export function endRoomPlay(conn: Connection, session: RoomPlaySession, notify: boolean): void {
  if (!transition(session, 'stopped')) return;
  conn.roomPlays.delete(session.streamId);
  conn.app.mainTracks.removePlayer(session.room.id, session);
  session.peer.close();
  if (notify) conn.out.notify('play_finished', { streamId: session.streamId, subscriberId: '' });
}

/** A participant went live in the room: announced, and its media added (a player's own publishes are not). */
function subtrackAdded(conn: Connection, player: RoomPlaySession, sub: LiveStream): void {
  if (isStopped(player) || sub.streamId === player.own || sub.owner === conn.id) return;
  conn.out.notify('subtrackAdded', { trackId: sub.streamId, mainTrack: player.room.id, streamId: player.room.id });
  if (sub.peer) player.peer.addSource(sub.peer, player.wants(sub.streamId));
}

function subtrackRemoved(conn: Connection, player: RoomPlaySession, id: string): void {
  if (isStopped(player) || id === player.own) return;
  conn.out.notify('subtrackRemoved', { trackId: id, mainTrack: player.room.id, streamId: player.room.id });
  player.peer.removeSource(id);
}

/** Switches a participant's media on or off for this socket's play of the room. */
export function enableTrack(conn: Connection, frame: EnableTrackFrame): void {
  const player = conn.roomPlays.get(frame.streamId);
  const { trackId } = frame;
  if (!player || !trackId) return;
  // The SDK's track ids may come with the ARDAMSv / ARDAMSa prefix.
  const id = /^ARDAMS[av]/.test(trackId) && !player.room.subtracks.has(trackId) ? trackId.slice(7) : trackId;
  if (frame.enabled) player.disabled.delete(id);
  else player.disabled.add(id);
  if (player.room.subtracks.has(id)) player.peer.setMedia(id, player.wants(id));
}

/** Forwards the video of at most `maxTrackCount` participants (-1: all). */
export function setMaxVideoTrackCount(conn: Connection, frame: SetMaxVideoTrackCountFrame): void {
  conn.roomPlays.get(frame.streamId)?.peer.setMaxVideoTracks(frame.maxTrackCount);
}
