/**
 * Pieces the publish, play and room play sessions share: the relay's peer events turned into
 * frames, the server's first offer, and the candidates queued until the remote description.
 */
import type { IdMapping } from '../../../../src/core/protocol/messages.js';
import type { IceCandidateInit, PeerEvents } from '../relay/types.js';
import type { AnySession, Connection } from './connection.js';
import { isStopped } from './phase.js';

/** The relay's events of `session`'s peer: candidates go out as `takeCandidate`. */
export function peerEvents(conn: Connection, session: AnySession, started: () => void, closed: () => void): PeerEvents {
  return {
    onCandidate: (c) => {
      if (isStopped(session)) return;
      conn.out.send({
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
    onClosed: closed,
  };
}

/** Sends the server's first offer of a play; a failure ends the play (`end`) with `notSetLocalDescription`. */
export async function sendOffer(
  conn: Connection,
  session: AnySession,
  peer: { createOffer(): Promise<{ sdp: string; idMapping: IdMapping }> },
  end: () => void,
): Promise<void> {
  let offer: { sdp: string; idMapping: IdMapping };
  try {
    offer = await peer.createOffer();
  } catch {
    if (isStopped(session)) return;
    conn.out.error('notSetLocalDescription', { streamId: session.streamId, subscriberId: '' });
    return end();
  }
  if (isStopped(session)) return;
  conn.out.send({
    command: 'takeConfiguration',
    streamId: session.streamId,
    type: 'offer',
    sdp: offer.sdp,
    idMapping: offer.idMapping,
    linkSession: '',
    subscriberId: '',
  });
}

/** The remote description is applied: the queued candidates go to the peer, later ones at once. */
export function flushCandidates(session: AnySession, peer: { addCandidate(c: IceCandidateInit): Promise<void> }): void {
  const queued = session.pending ?? [];
  session.pending = null;
  for (const c of queued) void peer.addCandidate(c).catch(() => undefined);
}
