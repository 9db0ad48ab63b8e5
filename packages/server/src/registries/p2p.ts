/**
 * Peer-to-peer signaling relay (reference 2.3): two sockets `join` one stream id; the server
 * tells the first to `start` when the second arrives, then passes their offer, answer,
 * candidates and `peerMessageCommand` frames to each other unchanged. No media touches the
 * server.
 */
import type { StartFrame, StopFrame } from '../../../../src/core/protocol/messages.js';

/** A client's frame passed on to the other peer as it arrived (the JSON object, re-serialised). */
export type RelayedFrame = Readonly<Record<string, unknown>>;

/** One socket taking part in P2P sessions: its identity, and how frames reach it. */
export interface P2PPeer {
  send(frame: StartFrame | StopFrame | RelayedFrame): void;
}

export type P2PJoinResult =
  /** Joined; `second` when this peer made the pair (the first was told to `start`). */
  | { ok: true; second: boolean }
  /** Two peers are already joined to this id. */
  | { ok: false; reason: 'full' };

export class P2PRelay {
  /** stream id → its peers, first joiner first (at most two). */
  private readonly sessions = new Map<string, P2PPeer[]>();

  /** Joins `peer` to `streamId`; the first peer is told to `start` when a second one comes. */
  join(peer: P2PPeer, streamId: string): P2PJoinResult {
    const peers = this.sessions.get(streamId) ?? [];
    // Joining again from the same socket changes nothing (the caller acknowledges it again).
    if (peers.includes(peer)) return { ok: true, second: false };
    if (peers.length >= 2) return { ok: false, reason: 'full' };
    peers.push(peer);
    this.sessions.set(streamId, peers);
    if (peers.length === 2) {
      peers[0]!.send({ command: 'start', streamId });
      return { ok: true, second: true };
    }
    return { ok: true, second: false };
  }

  /** Whether `peer` is joined to `streamId`. */
  isJoined(peer: P2PPeer, streamId: string): boolean {
    return this.sessions.get(streamId)?.includes(peer) ?? false;
  }

  /** Passes `frame` to the other peer of `streamId`; false when there is none. */
  relay(peer: P2PPeer, streamId: string, frame: RelayedFrame): boolean {
    const other = this.other(peer, streamId);
    if (!other) return false;
    other.send(frame);
    return true;
  }

  /** Takes `peer` out of `streamId`; the other peer (if any) gets `stop`. False if it was not joined. */
  leave(peer: P2PPeer, streamId: string): boolean {
    const peers = this.sessions.get(streamId);
    if (!peers || !peers.includes(peer)) return false;
    const rest = peers.filter((p) => p !== peer);
    if (rest.length === 0) this.sessions.delete(streamId);
    else this.sessions.set(streamId, rest);
    for (const p of rest) p.send({ command: 'stop', streamId });
    return true;
  }

  /** Leaves every session of `peer` (its socket closed). */
  leaveAll(peer: P2PPeer): void {
    for (const [streamId, peers] of [...this.sessions]) if (peers.includes(peer)) this.leave(peer, streamId);
  }

  /** How many peers are joined to `streamId`. */
  size(streamId: string): number {
    return this.sessions.get(streamId)?.length ?? 0;
  }

  private other(peer: P2PPeer, streamId: string): P2PPeer | undefined {
    const peers = this.sessions.get(streamId);
    if (!peers || !peers.includes(peer)) return undefined;
    return peers.find((p) => p !== peer);
  }
}
