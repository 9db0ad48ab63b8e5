/**
 * The embedded media relay: a small SFU on werift. One peer connection per publisher (the
 * browser offers), per player and per multitrack room player (the server offers); RTP is copied
 * from the publisher to every player, keyframes are requested when players need them, and data
 * channel messages go from the publisher to every player and from each player to the publisher.
 *
 * This file only composes: `network-policy.ts` (addresses and candidates), `peer.ts` (the shared
 * connection lifecycle), `publisher-peer.ts`, `player-peer.ts`, `room-player.ts`, with
 * `forwarding.ts`, `channel-outbox.ts` and `werift-workarounds.ts` below them.
 */
import { networkPolicy, type NetworkPolicy } from './network-policy.js';
import type { Peer, PeerHost } from './peer.js';
import { WeriftPlayer } from './player-peer.js';
import { WeriftPublisher } from './publisher-peer.js';
import { WeriftRoomPlayer } from './room-player.js';
import type { MediaRelay, PeerEvents, PlayerPeer, PublisherOptions, PublisherPeer, RoomPlayerEvents, RoomPlayerPeer } from './types.js';

export interface WeriftRelayOptions {
  /**
   * Extra addresses to advertise as host candidates (e.g. a LAN or public address) besides
   * 127.0.0.1. Without it the relay binds to 127.0.0.1 only and never leaves loopback.
   */
  announcedHosts?: string[];
  /** Test faults: whether the media path of the connection for a stream (or room) id is cut now. */
  mediaCut?: (key: string) => boolean;
  /** Test faults: whether this keyframe request to the publisher of a stream is lost (not sent). */
  dropKeyframeRequest?: (streamId: string) => boolean;
}

/** The werift relay: publishers, players and multitrack room players. */
export class WeriftRelay implements MediaRelay, PeerHost {
  readonly policy: NetworkPolicy;
  private readonly peers = new Set<Peer>();

  readonly mediaCut: ((key: string) => boolean) | undefined;
  readonly dropKeyframeRequest: ((streamId: string) => boolean) | undefined;

  constructor(options: WeriftRelayOptions = {}) {
    this.policy = networkPolicy(options.announcedHosts);
    this.mediaCut = options.mediaCut;
    this.dropKeyframeRequest = options.dropKeyframeRequest;
  }

  createPublisher(streamId: string, events: PeerEvents, options?: PublisherOptions): PublisherPeer {
    return this.track(new WeriftPublisher(this, streamId, events, options));
  }

  createPlayer(source: PublisherPeer, events: PeerEvents): PlayerPeer {
    if (!(source instanceof WeriftPublisher)) throw new TypeError('source was not created by this relay');
    return this.track(new WeriftPlayer(this, source, events));
  }

  createRoomPlayer(roomId: string, events: RoomPlayerEvents): RoomPlayerPeer {
    return this.track(new WeriftRoomPlayer(this, roomId, events));
  }

  forget(peer: Peer): void {
    this.peers.delete(peer);
  }

  async close(): Promise<void> {
    const peers = [...this.peers];
    this.peers.clear();
    for (const peer of peers) peer.close();
    await Promise.all(peers.map((p) => p.closing));
  }

  private track<T extends Peer>(peer: T): T {
    this.peers.add(peer);
    return peer;
  }
}

/** The werift relay, bound to 127.0.0.1 unless `announcedHosts` names other addresses. */
export function createWeriftRelay(options?: WeriftRelayOptions): WeriftRelay {
  return new WeriftRelay(options);
}
