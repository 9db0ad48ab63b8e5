/**
 * Peer-to-peer sessions (`join`, `leave`, `peerMessageCommand`, and the SDP and candidates of a
 * joined id): the P2P relay (`p2p.ts`) passes the peers' frames to each other unchanged.
 */
import type { JoinFrame, LeaveFrame } from '../../../../src/core/protocol/messages.js';
import type { RelayedFrame } from '../registries/p2p.js';
import type { Connection } from './connection.js';

/** Whether this socket joined `streamId` as a P2P peer: its SDP and candidates then go to the other peer. */
export const isP2PPeerOf = (conn: Connection, streamId: string): boolean => conn.app.p2p.isJoined(conn.p2pPeer, streamId);

/** Joins a P2P session (`joined`); the first peer gets `start` when the second joins. */
export function join(conn: Connection, { streamId }: JoinFrame): void {
  // `multiPeer` and `mode` are accepted; a session is always one pair of peers.
  const joined = conn.app.p2p.join(conn.p2pPeer, streamId);
  // A third peer is refused (the reference does not say what AMS answers): the pair is busy.
  if (!joined.ok) return conn.out.error('streamIdInUse', { streamId });
  conn.out.notify('joined', { streamId });
}

/** Leaves a P2P session (`leaved`); the other peer gets `stop`. */
export function leave(conn: Connection, { streamId }: LeaveFrame): void {
  // Leaving an id this socket never joined: there is no peer for it, so AMS's P2P error
  // `no_peer_associated_before` (the reference does not spell this case out).
  if (!conn.app.p2p.leave(conn.p2pPeer, streamId)) return conn.out.error('no_peer_associated_before');
  conn.out.notify('leaved', { streamId });
}

/**
 * Passes `json` (a takeConfiguration / takeCandidate of a joined id, or a peerMessageCommand) on
 * unchanged; with no other peer AMS answers `no_peer_associated_before` (no streamId).
 */
export function relayToPeer(conn: Connection, streamId: string, json: RelayedFrame): void {
  if (!conn.app.p2p.relay(conn.p2pPeer, streamId, json)) conn.out.error('no_peer_associated_before');
}
