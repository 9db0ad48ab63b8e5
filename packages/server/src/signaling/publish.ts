/**
 * `publish`: who may publish what (ids in use, registered streams, tokens, main tracks), the
 * client's offer and later offers (ICE restart, renegotiation), and the end of a publish.
 */
import { STREAM_ID_PATTERN } from '../../../../src/core/protocol/ams.js';
import type { PublishFrame } from '../../../../src/core/protocol/messages.js';
import { acceptStreamToken } from '../registries/stream-tokens.js';
import type { PublisherPeer } from '../relay/types.js';
import type { Connection, PublishSession } from './connection.js';
import { flushCandidates, peerEvents } from './peer-session.js';
import { isStopped, transition } from './phase.js';

/**
 * The simulcast layers asked for (ours, in `start`): the encodings the browser sends (its
 * `sendEncodings`), full, half and a quarter size. Chrome leaves out the ones a small camera
 * cannot make (640x480 makes two).
 */
export const SIMULCAST_LAYERS = [
  { rid: 'h', scaleResolutionDownBy: 1 },
  { rid: 'm', scaleResolutionDownBy: 2 },
  { rid: 'l', scaleResolutionDownBy: 4 },
];

/** `publish`: refused (id in use, unregistered, bad token or main track) or answered with `start`; the client offers next. */
export function publish(conn: Connection, frame: PublishFrame): void {
  const { streamId } = frame;
  const { store, settings, live } = conn.app;
  if (conn.publishes.has(streamId)) return conn.out.error('already_publishing', { streamId });
  if (live.has(streamId)) return conn.out.error('streamIdInUse', { streamId });
  if (settings.acceptOnlyStreamsInDataStore && !store.isRegistered(streamId)) {
    return conn.out.error('not_allowed_unregistered_streams', { streamId });
  }
  if (!acceptStreamToken(settings, store, frame.token, streamId, 'publish')) return conn.out.error('unauthorized_access', { streamId });
  const mainTrack = frame.mainTrack || undefined;
  if (mainTrack !== undefined) {
    if (!STREAM_ID_PATTERN.test(mainTrack) || mainTrack === streamId) {
      return conn.out.error('invalidStreamName', { streamId: mainTrack.slice(0, 256) });
    }
    // The main track is made on the first subtrack, unless only registered streams may exist.
    if (settings.acceptOnlyStreamsInDataStore && !store.isRegistered(mainTrack)) {
      return conn.out.error('not_allowed_unregistered_streams', { streamId: mainTrack });
    }
  }
  if (!conn.mayOpenStream(streamId)) return;
  const record = store.forPublish(streamId, frame.streamName);
  if (frame.metaData) record.broadcast.metaData = frame.metaData;
  const session: PublishSession = {
    kind: 'publish',
    owner: conn.id,
    streamId,
    phase: 'awaiting-offer',
    pending: [],
    record,
    viewers: new Set(),
    ...(mainTrack ? { mainTrack } : {}),
  };
  if (mainTrack) {
    record.broadcast.mainTrackStreamId = mainTrack;
    store.forPublish(mainTrack);
    // The room can be played from now on (an SDK publishes, then plays the room at once).
    conn.app.mainTracks.open(mainTrack);
  }
  // Simulcast layers asked for (ours: AMS sends no such field), a room's participant's too.
  if (settings.simulcast) session.simulcast = true;
  conn.publishes.set(streamId, session);
  live.add(session);
  conn.out.send({ command: 'start', streamId, subscriberId: frame.subscriberId ?? '', ...(session.simulcast ? { simulcast: SIMULCAST_LAYERS } : {}) });
}

/** The client's first offer: the publisher peer is made, the answer goes out. */
export async function acceptPublishOffer(conn: Connection, session: PublishSession, sdp: string): Promise<void> {
  transition(session, 'negotiating');
  const peer = conn.relay.createPublisher(
    session.streamId,
    peerEvents(
      conn,
      session,
      () => publishStarted(conn, session),
      () => endPublish(conn, session, true),
    ),
    { simulcast: session.simulcast === true, audioDtx: conn.app.settings.audioDtx, audioPacketMs: conn.app.settings.audioPacketMs },
  );
  session.peer = peer;
  let answer: string;
  try {
    answer = await peer.acceptOffer(sdp);
  } catch {
    if (isStopped(session)) return;
    conn.out.error('notSetRemoteDescription', { streamId: session.streamId, subscriberId: '' });
    return endPublish(conn, session, false);
  }
  if (isStopped(session)) return;
  transition(session, 'connecting');
  conn.out.send({ command: 'takeConfiguration', streamId: session.streamId, type: 'answer', sdp: answer, linkSession: '', subscriberId: '' });
  flushCandidates(session, peer);
}

/** A new offer on a running publish: an ICE restart or a renegotiation. */
export async function renegotiatePublish(conn: Connection, session: PublishSession, peer: PublisherPeer, sdp: string): Promise<void> {
  let answer: string;
  try {
    answer = await peer.acceptOffer(sdp);
  } catch {
    if (isStopped(session)) return;
    // The running connection is left as it was; the client decides what to do next.
    return conn.out.error('notSetRemoteDescription', { streamId: session.streamId, subscriberId: '' });
  }
  if (isStopped(session)) return;
  conn.out.send({ command: 'takeConfiguration', streamId: session.streamId, type: 'answer', sdp: answer, linkSession: '', subscriberId: '' });
}

function publishStarted(conn: Connection, session: PublishSession): void {
  if (!transition(session, 'live')) return;
  const b = session.record.broadcast;
  b.status = 'broadcasting';
  b.startTime = Date.now();
  // A legacy room member's publish names its room, as AMS does.
  const room = conn.app.rooms.roomOf(conn.id, session.streamId);
  conn.out.notify('publish_started', { streamId: session.streamId, subscriberId: '', ...(room ? { ATTR_ROOM_NAME: room, room } : {}) });
  if (session.mainTrack) conn.app.mainTracks.subtrackStarted(session, session.mainTrack);
}

/** Ends a publish: its plays end, its room hears of it; `notify` sends `publish_finished`. */
export function endPublish(conn: Connection, session: PublishSession, notify: boolean): void {
  if (!transition(session, 'stopped')) return;
  conn.publishes.delete(session.streamId);
  conn.app.live.end(session);
  if (session.mainTrack) conn.app.mainTracks.subtrackEnded(session, session.mainTrack);
  session.peer?.close();
  conn.app.store.finish(session.streamId);
  if (notify) conn.out.notify('publish_finished', { streamId: session.streamId, subscriberId: '' });
}
