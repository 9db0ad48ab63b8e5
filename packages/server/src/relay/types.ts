/**
 * The media side of the embedded server, as the signaling handler sees it. The signaling
 * handler owns the AMS protocol (who may publish or play what, which frames go out); the
 * relay owns the peer connections, RTP forwarding, keyframe requests and data channels.
 */
import type { IdMapping } from '../../../../src/core/protocol/messages.js';

export type MediaKind = 'audio' | 'video';

/** A trickled ICE candidate, as `takeCandidate` carries it (`label` = sdpMLineIndex, `id` = sdpMid). */
export interface IceCandidateInit {
  candidate: string;
  sdpMid: string;
  sdpMLineIndex: number;
}

/** The relay rejects an SDP it cannot use with this; the handler answers `notSetRemoteDescription`. */
export class SdpError extends Error {
  override readonly name = 'SdpError';
}

export interface PeerEvents {
  /** A local (server-side) candidate to send to the client as `takeCandidate`. */
  onCandidate(candidate: IceCandidateInit): void;
  /**
   * Media is flowing: for a publisher, the first RTP packet arrived (or, for a data-only
   * publish, the connection is up); for a player, its connection is up and forwarding.
   * Called at most once.
   */
  onMediaStarted(): void;
  /** The peer connection failed or closed by itself (not through `close()`). Called at most once. */
  onClosed(): void;
}

/** What `streamInformation` reports; zeros where not yet known. */
export interface StreamMediaInfo {
  width: number;
  height: number;
  videoCodec: string;
  videoBitrate: number;
  audioBitrate: number;
}

/** One simulcast layer of a publisher's video (by its `rid`; `''` for a video without layers). */
export interface VideoLayer {
  rid: string;
  width: number;
  height: number;
  /** Bits a second over the last second or so. */
  bitrate: number;
}

export interface PublisherOptions {
  /** The publisher was asked for simulcast layers: their RTP stream ids are read (header extensions). */
  simulcast?: boolean;
  /** The answer asks for Opus DTX (`usedtx=1`): a silent or muted microphone sends a packet every 400 ms, not 50 a second. */
  audioDtx?: boolean;
  /** The answer asks for audio packets this long (`a=ptime`, milliseconds); the browser's own (20) when absent. */
  audioPacketMs?: number;
}

export interface PublisherPeer {
  readonly streamId: string;
  /** Applies the client's offer and resolves with the answer SDP. Rejects with `SdpError`. */
  acceptOffer(sdp: string): Promise<string>;
  addCandidate(candidate: IceCandidateInit): Promise<void>;
  /** Kinds the publisher sends (known after `acceptOffer`). */
  readonly kinds: ReadonlySet<MediaKind>;
  info(): StreamMediaInfo;
  /**
   * The video's layers sending now, highest first (one, `rid` `''`, without simulcast; none
   * before the first video packet), as `streamInformation` lists them.
   */
  layers(): VideoLayer[];
  /** Stops the peer connection and detaches every player (their tracks end). Idempotent. */
  close(): void;
}

/**
 * A player's connection, in one of two modes chosen by the first call: the server offers
 * (`createOffer`, then `acceptAnswer`: the AMS WebSocket) or the client offers (`acceptOffer`:
 * WHEP, where a later offer is an ICE restart).
 */
export interface PlayerPeer {
  /** Creates the server offer: one `sendonly` m-line per kind the publisher sends, plus a data channel. */
  createOffer(): Promise<{ sdp: string; idMapping: IdMapping }>;
  /** Applies the client's answer. Rejects with `SdpError`. */
  acceptAnswer(sdp: string): Promise<void>;
  /**
   * Applies a client's offer of `recvonly` m-lines and resolves with the answer (`sendonly` for
   * each kind the publisher sends that the offer takes, with the publisher's codec; no data
   * channel). Rejects with `SdpError`, also when the offer takes none of the stream's media.
   */
  acceptOffer(sdp: string): Promise<string>;
  addCandidate(candidate: IceCandidateInit): Promise<void>;
  /**
   * Pins the simulcast layer closest to `height` pixels (AMS's `forceStreamQuality`); 0: the
   * layer the player's bandwidth estimate allows. A stream without layers is not changed.
   */
  setQuality(height: number): void;
  /** Idempotent. */
  close(): void;
}

export interface RoomPlayerEvents extends PeerEvents {
  /**
   * The room's participants changed after the first answer: a new server offer on the same
   * stream id, to send as `takeConfiguration` (the client answers it through `acceptAnswer`).
   */
  onRenegotiate(offer: { sdp: string; idMapping: IdMapping }): void;
}

/**
 * A player of a multitrack room (main track): one connection carrying every added source's
 * audio and video (`ARDAMSv<id>` / `ARDAMSa<id>`) and a data channel that carries the sources'
 * data channel messages. Source changes after the first answer renegotiate (`onRenegotiate`).
 */
export interface RoomPlayerPeer {
  /** The first offer: the data channel, then the m-lines of the sources added so far. */
  createOffer(): Promise<{ sdp: string; idMapping: IdMapping }>;
  /** Applies the client's answer to the first offer or to a renegotiation offer. Rejects with `SdpError`. */
  acceptAnswer(sdp: string): Promise<void>;
  addCandidate(candidate: IceCandidateInit): Promise<void>;
  /** Adds a participant: its data always, its audio and video when `media`. */
  addSource(source: PublisherPeer, media: boolean): void;
  /** Drops a participant (its m-lines go inactive). */
  removeSource(streamId: string): void;
  /** Starts or stops forwarding a participant's audio and video (`enableTrack`). */
  setMedia(streamId: string, media: boolean): void;
  /** Forwards the video of at most `count` participants (the first to come); -1: all. */
  setMaxVideoTracks(count: number): void;
  /** Idempotent. */
  close(): void;
}

export interface MediaRelay {
  createPublisher(streamId: string, events: PeerEvents, options?: PublisherOptions): PublisherPeer;
  createPlayer(source: PublisherPeer, events: PeerEvents): PlayerPeer;
  createRoomPlayer(roomId: string, events: RoomPlayerEvents): RoomPlayerPeer;
  /** Closes every peer connection. */
  close(): Promise<void>;
}
