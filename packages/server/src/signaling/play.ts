/**
 * `play` of one live stream: the token check, the server's offer, the client's answer, the
 * viewer count, and the end of a play (on `stop`, or when the publish it watches ends). A play
 * of a multitrack room goes to `multitrack.ts`.
 */
import type { ForceStreamQualityFrame, PlayFrame } from '../../../../src/core/protocol/messages.js';
import type { AppSettings } from '../config.js';
import type { LiveStream } from '../registries/live-streams.js';
import { acceptStreamToken } from '../registries/stream-tokens.js';
import type { Connection, PlaySession } from './connection.js';
import { playRoom } from './multitrack.js';
import { flushCandidates, peerEvents, sendOffer } from './peer-session.js';
import { isStopped, transition } from './phase.js';

/** `play`: a live stream gets the server's offer; a multitrack room goes to `playRoom`; anything else is `no_stream_exist`. */
export function play(conn: Connection, frame: PlayFrame): void {
  const { streamId } = frame;
  const { store, settings } = conn.app;
  if (conn.plays.has(streamId) || conn.roomPlays.has(streamId)) return conn.out.error('already_playing', { streamId });
  if (!acceptStreamToken(settings, store, frame.token, streamId, 'play')) return conn.out.error('unauthorized_access', { streamId });
  const source = conn.app.live.get(streamId);
  // A room (main track) that has, or had while being played, subtracks.
  const mt = conn.app.mainTracks.get(streamId);
  if (!source && mt) return conn.mayOpenStream(streamId) ? playRoom(conn, mt, frame) : undefined;
  if (!source || source.phase !== 'live' || !source.peer) {
    return conn.out.error('no_stream_exist', { streamId, error_code: '404', information: 'stream is not live' });
  }
  if (viewerLimitReached(settings, source)) return conn.out.error('viewerLimitReached', { streamId });
  if (!conn.mayOpenStream(streamId)) return;
  const session = {
    kind: 'play',
    streamId,
    phase: 'negotiating',
    pending: [],
    source,
    onSourceEnded: () => endPlay(conn, session, true),
  } as Omit<PlaySession, 'peer'> as PlaySession;
  session.peer = conn.relay.createPlayer(
    source.peer,
    peerEvents(
      conn,
      session,
      () => playStarted(conn, session),
      () => endPlay(conn, session, true),
    ),
  );
  conn.plays.set(streamId, session);
  source.viewers.add(session);
  void sendOffer(conn, session, session.peer, () => endPlay(conn, session, false));
}

/**
 * Whether `source` has as many viewers (WebSocket and WHEP plays, counted from the play request
 * on) as its limit: its Broadcast's `webRTCViewerLimit`, else the app's (-1: none).
 */
export function viewerLimitReached(settings: AppSettings, source: LiveStream): boolean {
  const own = source.record.broadcast.webRTCViewerLimit;
  const limit = own >= 0 ? own : settings.webRTCViewerLimit;
  return limit >= 0 && source.viewers.size >= limit;
}

/** The client's answer to the server's offer. */
export async function acceptPlayAnswer(conn: Connection, session: PlaySession, sdp: string): Promise<void> {
  try {
    await session.peer.acceptAnswer(sdp);
  } catch {
    if (isStopped(session)) return;
    conn.out.error('notSetRemoteDescription', { streamId: session.streamId, subscriberId: '' });
    return endPlay(conn, session, false);
  }
  if (isStopped(session)) return;
  transition(session, 'connecting');
  flushCandidates(session, session.peer);
}

function playStarted(conn: Connection, session: PlaySession): void {
  if (!transition(session, 'live')) return;
  session.source.record.broadcast.webRTCViewerCount++;
  conn.out.notify('play_started', { streamId: session.streamId, subscriberId: '' });
}

/** Ends a play; `notify` sends `play_finished` (on `stop`, or when the publisher went away). */
export function endPlay(conn: Connection, session: PlaySession, notify: boolean): void {
  const wasLive = session.phase === 'live';
  if (!transition(session, 'stopped')) return;
  conn.plays.delete(session.streamId);
  session.source.viewers.delete(session);
  if (wasLive) {
    const b = session.source.record.broadcast;
    b.webRTCViewerCount = Math.max(0, b.webRTCViewerCount - 1);
  }
  session.peer.close();
  if (notify) conn.out.notify('play_finished', { streamId: session.streamId, subscriberId: '' });
}

/**
 * `forceStreamQuality`: the play of `streamId` on this socket pins the simulcast layer closest to
 * `streamHeight` (0: the one its bandwidth allows) and `resolutionChangeInfo` says so, as AMS
 * answers it. Without a play of that stream on this socket, nothing happens.
 */
export function forceStreamQuality(conn: Connection, { streamId, streamHeight }: ForceStreamQualityFrame): void {
  const session = conn.plays.get(streamId);
  if (!session || isStopped(session)) return;
  session.peer.setQuality(streamHeight);
  conn.out.notify('resolutionChangeInfo', { streamId, streamHeight });
}
