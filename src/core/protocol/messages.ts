/**
 * Typed frames of the AMS WebSocket protocol (reference sections 2 and 3). Field names and
 * value types are the wire's: `label` is a number, `video`/`audio` are booleans, `broadcast`
 * in `broadcastObject` is a JSON string.
 * @internal
 */
import type { NotificationDefinition, ProtocolErrorDefinition, ServerErrorDefinition } from './ams.js';

export type SdpType = 'offer' | 'answer';
/** `{ "<mid>": "<trackId>" }` sent with a server offer. */
export type IdMapping = Record<string, string>;

// ---------------------------------------------------------------- client → server

export interface PublishFrame {
  command: 'publish';
  streamId: string;
  token?: string;
  subscriberId?: string;
  subscriberCode?: string;
  streamName?: string;
  mainTrack?: string;
  video?: boolean;
  audio?: boolean;
  metaData?: string;
  role?: string;
}
export interface PlayFrame {
  command: 'play';
  streamId: string;
  token?: string;
  room?: string;
  trackList?: string[];
  subscriberId?: string;
  subscriberCode?: string;
  subscriberName?: string;
  viewerInfo?: string;
  role?: string;
  userPublishId?: string;
  disableTracksByDefault?: boolean;
}
export interface StopFrame {
  command: 'stop';
  streamId: string;
}
export interface TakeConfigurationFrame {
  command: 'takeConfiguration';
  streamId: string;
  type: SdpType;
  sdp: string;
  idMapping?: IdMapping;
  linkSession?: string;
  subscriberId?: string;
}
export interface TakeCandidateFrame {
  command: 'takeCandidate';
  streamId: string;
  /** sdpMLineIndex: a JSON number. */
  label: number;
  /** sdpMid. */
  id: string;
  candidate: string;
  linkSession?: string;
  subscriberId?: string;
}
export interface PingFrame {
  command: 'ping';
}
export interface GetIceServerConfigFrame {
  command: 'getIceServerConfig';
}
export interface StreamIdFrame<C extends string> {
  command: C;
  streamId: string;
}
export type GetStreamInfoFrame = StreamIdFrame<'getStreamInfo'>;
export type GetBroadcastObjectFrame = StreamIdFrame<'getBroadcastObject'>;
export interface ForceStreamQualityFrame {
  command: 'forceStreamQuality';
  streamId: string;
  streamHeight: number;
}

export type ClientFrame =
  | PublishFrame
  | PlayFrame
  | StopFrame
  | TakeConfigurationFrame
  | TakeCandidateFrame
  | PingFrame
  | GetIceServerConfigFrame
  | GetStreamInfoFrame
  | GetBroadcastObjectFrame
  | ForceStreamQualityFrame;

// ---------------------------------------------------------------- server → client
//
// What `parseFrame` (codec.ts) hands the sessions. It checks only a few fields (`streamId` of
// `start`/`stop`/`takeConfiguration`/`takeCandidate`, `sdp`, `type`, `idMapping`, `candidate`,
// `label`, `definition`); the others are typed as AMS sends them, and readers still guard them,
// since another server may not. Server frames carry more fields than listed (`[extra]`).

export interface StartFrame {
  command: 'start';
  streamId: string;
  subscriberId?: string;
  [extra: string]: unknown;
}
export interface PongFrame {
  command: 'pong';
}
export interface IceServerConfigFrame {
  command: 'iceServerConfig';
  stunServerUri: string;
  turnServerUsername: string;
  turnServerCredential: string;
  [extra: string]: unknown;
}
export interface StreamInfoEntry {
  streamWidth: number;
  streamHeight: number;
  videoBitrate: number;
  audioBitrate: number;
  videoCodec: string;
}
export interface StreamInformationFrame {
  command: 'streamInformation';
  streamId: string;
  streamInfo: StreamInfoEntry[];
  [extra: string]: unknown;
}
/** An entry of `streamList` in `joinedTheRoom` / `roomInformation`: a live member of a legacy room. */
export interface RoomStreamListEntry {
  streamId: string;
  streamName: string;
  metaData: string | null;
}
/** The answer to `getRoomInfo` (legacy rooms): who is live. `joinedTheRoom` notifications carry the same fields. */
export interface RoomInformationFrame {
  command: 'roomInformation';
  room: string;
  streams: string[];
  streamList: RoomStreamListEntry[];
  [extra: string]: unknown;
}
/** The tracks of a multitrack stream (answer to `getTrackList`). */
export interface TrackListFrame {
  command: 'trackList';
  streamId: string;
  trackList: string[];
  [extra: string]: unknown;
}
/** A peer's message relayed by the server (p2p). */
export interface PeerMessageRelayFrame {
  command: 'peerMessageCommand';
  streamId: string;
  definition: string;
  data: string;
  [extra: string]: unknown;
}
export interface NotificationFrame {
  command: 'notification';
  definition: NotificationDefinition;
  streamId?: string;
  [extra: string]: unknown;
}
export interface ErrorFrame {
  command: 'error';
  definition: ServerErrorDefinition | ProtocolErrorDefinition;
  streamId?: string;
  [extra: string]: unknown;
}

export type ServerFrame =
  | StartFrame
  | TakeConfigurationFrame
  | TakeCandidateFrame
  | StopFrame
  | PongFrame
  | IceServerConfigFrame
  | StreamInformationFrame
  | RoomInformationFrame
  | TrackListFrame
  | PeerMessageRelayFrame
  | NotificationFrame
  | ErrorFrame;

/** The Broadcast object AMS keeps per stream (the subset this project uses). */
export interface Broadcast {
  streamId: string;
  name: string;
  status: 'created' | 'broadcasting' | 'finished';
  type: 'liveStream';
  publishType: 'WebRTC';
  date: number;
  startTime: number;
  metaData: string | null;
  mainTrackStreamId: string | null;
  subTrackStreamIds: string[];
  webRTCViewerCount: number;
}
