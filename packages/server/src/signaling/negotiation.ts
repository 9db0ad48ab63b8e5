/**
 * The commands every session kind shares: `takeConfiguration` and `takeCandidate` go to this
 * socket's publish, play or room play of that stream id, `stop` ends them.
 */
import type { ClientTakeConfigurationFrame, StopFrame, TakeCandidateFrame } from '../../../../src/core/protocol/messages.js';
import type { IceCandidateInit } from '../relay/types.js';
import type { Connection } from './connection.js';
import { endRoomPlay, acceptRoomAnswer } from './multitrack.js';
import { isStopped } from './phase.js';
import { acceptPlayAnswer, endPlay } from './play.js';
import { acceptPublishOffer, endPublish, renegotiatePublish } from './publish.js';

/** Ends this socket's play, room play and publish of the id, each with its `_finished` notification. */
export function stop(conn: Connection, { streamId }: StopFrame): void {
  const play = conn.plays.get(streamId);
  if (play) endPlay(conn, play, true);
  const roomPlay = conn.roomPlays.get(streamId);
  if (roomPlay) endRoomPlay(conn, roomPlay, true);
  const pub = conn.publishes.get(streamId);
  if (pub) endPublish(conn, pub, true);
}

/** A client's offer (publish) or answer (play, room play). Nothing else is answered, as AMS. */
export function takeConfiguration(conn: Connection, { streamId, type, sdp }: ClientTakeConfigurationFrame): void {
  const pub = conn.publishes.get(streamId);
  const play = conn.plays.get(streamId);
  if (type === 'offer' && pub && pub.phase === 'awaiting-offer') {
    if (!sdp) {
      conn.out.error('notSetRemoteDescription', { streamId, subscriberId: '' });
      return endPublish(conn, pub, false);
    }
    return void acceptPublishOffer(conn, pub, sdp);
  }
  if (type === 'offer' && pub?.peer && (pub.phase === 'connecting' || pub.phase === 'live')) {
    // A new offer on a running publish: an ICE restart or a renegotiation.
    return void renegotiatePublish(conn, pub, pub.peer, sdp);
  }
  if (type === 'answer' && play && play.phase === 'negotiating') {
    if (!sdp) {
      conn.out.error('notSetRemoteDescription', { streamId, subscriberId: '' });
      return endPlay(conn, play, false);
    }
    return void acceptPlayAnswer(conn, play, sdp);
  }
  const roomPlay = conn.roomPlays.get(streamId);
  if (type === 'answer' && roomPlay && !isStopped(roomPlay)) {
    // The answer to the first offer, or to a renegotiation offer after a participant change.
    return void acceptRoomAnswer(conn, roomPlay, sdp);
  }
  // An SDP for no session of this socket, or of the wrong type: AMS ignores it; so do we.
}

/** A client's candidate: queued until the remote description is applied, then given to the peer. */
export function takeCandidate(conn: Connection, frame: TakeCandidateFrame): void {
  const { streamId } = frame;
  const session = conn.publishes.get(streamId) ?? conn.plays.get(streamId) ?? conn.roomPlays.get(streamId);
  if (!session || frame.candidate === '') return;
  const c: IceCandidateInit = { candidate: frame.candidate, sdpMLineIndex: frame.label, sdpMid: frame.id };
  if (session.pending) session.pending.push(c);
  else void session.peer?.addCandidate(c).catch(() => undefined);
}
