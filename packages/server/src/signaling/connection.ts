/**
 * What the command handlers work on: the registries one application shares (`AppContext`) and
 * the state of one socket (`Connection`) with its sessions. A session of another socket is
 * reached only through the callbacks it registered (`StreamViewer`, `RoomListener`, `P2PPeer`).
 */
import type { AppSettings } from '../config.js';
import { nextConnectionId, type ConnectionId } from '../registries/connection-id.js';
import { LiveStreams, type LiveStream, type StreamViewer } from '../registries/live-streams.js';
import { MainTracks, type MainTrack, type RoomListener } from '../registries/main-tracks.js';
import { P2PRelay, type P2PPeer } from '../registries/p2p.js';
import type { IceCandidateInit, MediaRelay, PlayerPeer, PublisherPeer, RoomPlayerPeer } from '../relay/types.js';
import { RoomRegistry } from '../registries/rooms.js';
import { AppStore } from '../registries/streams.js';
import type { Outbox } from './outbox.js';
import type { Phased } from './phase.js';

/** What all sessions of one application share: its data store and its registries. */
export interface AppContext {
  readonly name: string;
  readonly settings: AppSettings;
  readonly store: AppStore;
  /** Streams being published now, by id. */
  readonly live: LiveStreams;
  /** Multitrack rooms (main tracks) with live subtracks or room players. */
  readonly mainTracks: MainTracks;
  /** Legacy conference rooms (`joinRoom`). */
  readonly rooms: RoomRegistry;
  /** Peer-to-peer sessions (`join`). */
  readonly p2p: P2PRelay;
}

/** A fresh application: its store (with the streams its settings name) and empty registries. */
export function createAppContext(name: string, settings: AppSettings): AppContext {
  const store = new AppStore(name, settings);
  const live = new LiveStreams();
  return { name, settings, store, live, mainTracks: new MainTracks(store, live), rooms: new RoomRegistry(), p2p: new P2PRelay() };
}

/** What the three peer session kinds have in common. */
interface PeerSession extends Phased {
  readonly streamId: string;
  /** Candidates that arrived before the remote description was applied; null once applied. */
  pending: IceCandidateInit[] | null;
}

/** A publish of this socket; the other sessions see it as a `LiveStream`. */
export interface PublishSession extends PeerSession, LiveStream {
  readonly kind: 'publish';
  peer?: PublisherPeer;
  /** The server asked this publisher for simulcast layers (the app's `simulcast`). */
  simulcast?: boolean;
}

/** A play of one live stream. */
export interface PlaySession extends PeerSession, StreamViewer {
  readonly kind: 'play';
  readonly source: LiveStream;
  peer: PlayerPeer;
}

/** A play of a multitrack room (main track). */
export interface RoomPlaySession extends PeerSession, RoomListener {
  readonly kind: 'roomPlay';
  readonly room: MainTrack;
  peer: RoomPlayerPeer;
  /** Participants whose media this player takes (trackList, userPublishId, enableTrack). */
  wants(id: string): boolean;
  /** Participants switched off with `enableTrack`. */
  readonly disabled: Set<string>;
  /** This player's own publish id: never sent back, not even its data. */
  readonly own: string;
}

export type AnySession = PublishSession | PlaySession | RoomPlaySession;

/** One socket: its sessions by stream id, and how its frames go out. */
export class Connection {
  readonly id: ConnectionId = nextConnectionId();
  readonly publishes = new Map<string, PublishSession>();
  readonly plays = new Map<string, PlaySession>();
  readonly roomPlays = new Map<string, RoomPlaySession>();
  /** This socket as a P2P peer (its identity keys its P2P sessions). */
  readonly p2pPeer: P2PPeer;

  constructor(
    readonly app: AppContext,
    readonly relay: MediaRelay,
    readonly out: Outbox,
    /** Publishes and plays this socket may hold at once (`maxStreamsPerSocket`; 0: no limit). */
    private readonly maxStreams = 0,
    private readonly onStreamLimit: () => void = () => undefined,
  ) {
    this.p2pPeer = { send: (frame) => out.relay(frame) };
  }

  /**
   * Whether this socket may open one more publish or play; if not, the client is told
   * (`highResourceUsage` for `streamId`) and false is returned.
   */
  mayOpenStream(streamId: string): boolean {
    const open = this.publishes.size + this.plays.size + this.roomPlays.size;
    if (this.maxStreams <= 0 || open < this.maxStreams) return true;
    this.out.error('highResourceUsage', { streamId, reason: `this socket has ${open} streams open, the server's limit` });
    this.onStreamLimit();
    return false;
  }
}
