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

/**
 * Every command a client may send that the embedded server answers. `ClientFrame` has one member
 * per name (`ClientFrames`), and the server's known-command set is made from this list.
 */
export const CLIENT_FRAME_COMMANDS = [
  'ping',
  'getIceServerConfig',
  'publish',
  'play',
  'stop',
  'takeConfiguration',
  'takeCandidate',
  'getStreamInfo',
  'getBroadcastObject',
  'getSubtracks',
  'getSubtracksCount',
  'updateStreamMetaData',
  'enableTrack',
  'setMaxVideoTrackCountCommand',
  'joinRoom',
  'getRoomInfo',
  'leaveFromRoom',
  'join',
  'leave',
  'peerMessageCommand',
  'forceStreamQuality',
] as const;
export type ClientFrameCommand = (typeof CLIENT_FRAME_COMMANDS)[number];

// The optional fields below are the ones a server reads; a server that parses a frame
// (`parseClientFrame`) keeps a field only when it has the type written here.

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
/**
 * `takeConfiguration` as a server reads it: `type` is absent when the frame's is neither `offer`
 * nor `answer` (the server ignores such an SDP), `sdp` is `''` when absent. A client sends a
 * `TakeConfigurationFrame`, which is one of these.
 */
export interface ClientTakeConfigurationFrame extends Omit<TakeConfigurationFrame, 'type'> {
  type?: SdpType;
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
export type GetSubtracksCountFrame = StreamIdFrame<'getSubtracksCount'>;
/** The live subtracks of a main track, a page at a time (`subtrackList`). */
export interface GetSubtracksFrame {
  command: 'getSubtracks';
  streamId: string;
  /** Non-negative; 0 when absent. */
  offset?: number;
  /** Non-negative; 50 when absent. */
  size?: number;
}
export interface UpdateStreamMetaDataFrame {
  command: 'updateStreamMetaData';
  streamId: string;
  /** A string; a server stores any other JSON value as its JSON text, and `null` when absent. */
  metaData: string | null;
}
/** Turns a participant's media on or off for this room player. */
export interface EnableTrackFrame {
  command: 'enableTrack';
  /** The room (main track) being played. */
  streamId: string;
  /** The participant's stream id, or its `ARDAMSv` / `ARDAMSa` track id. */
  trackId: string;
  enabled: boolean;
}
export interface SetMaxVideoTrackCountFrame {
  command: 'setMaxVideoTrackCountCommand';
  /** The room (main track) being played. */
  streamId: string;
  /** -1: every participant's video. */
  maxTrackCount: number;
}
/** Legacy conference room commands name a room; their `streamId` is the member's own, optional. */
export interface RoomFrame<C extends string> {
  command: C;
  room: string;
  streamId?: string;
}
export interface JoinRoomFrame extends RoomFrame<'joinRoom'> {
  mainTrack?: string;
  /** `legacy`, `mcu`, `amcu` or `multitrack`: accepted, every mode is a legacy room here. */
  mode?: string;
  role?: string;
  streamName?: string;
  /** Spelled with a lower-case d, as AMS's SDK sends it. */
  metadata?: string;
}
export type GetRoomInfoFrame = RoomFrame<'getRoomInfo'>;
export type LeaveFromRoomFrame = RoomFrame<'leaveFromRoom'>;
/** Joins a peer-to-peer session. */
export interface JoinFrame {
  command: 'join';
  streamId: string;
  multiPeer?: boolean;
  mode?: string;
}
export type LeaveFrame = StreamIdFrame<'leave'>;
/** A message for the other peer of a P2P session, passed on unchanged. */
export interface PeerMessageFrame {
  command: 'peerMessageCommand';
  streamId: string;
  definition?: string;
  data?: unknown;
}
export interface ForceStreamQualityFrame {
  command: 'forceStreamQuality';
  streamId: string;
  streamHeight: number;
}

/** The frame of each command in `CLIENT_FRAME_COMMANDS`. */
export interface ClientFrames {
  forceStreamQuality: ForceStreamQualityFrame;
  ping: PingFrame;
  getIceServerConfig: GetIceServerConfigFrame;
  publish: PublishFrame;
  play: PlayFrame;
  stop: StopFrame;
  takeConfiguration: ClientTakeConfigurationFrame;
  takeCandidate: TakeCandidateFrame;
  getStreamInfo: GetStreamInfoFrame;
  getBroadcastObject: GetBroadcastObjectFrame;
  getSubtracks: GetSubtracksFrame;
  getSubtracksCount: GetSubtracksCountFrame;
  updateStreamMetaData: UpdateStreamMetaDataFrame;
  enableTrack: EnableTrackFrame;
  setMaxVideoTrackCountCommand: SetMaxVideoTrackCountFrame;
  joinRoom: JoinRoomFrame;
  getRoomInfo: GetRoomInfoFrame;
  leaveFromRoom: LeaveFromRoomFrame;
  join: JoinFrame;
  leave: LeaveFrame;
  peerMessageCommand: PeerMessageFrame;
}

/** A client → server frame the embedded server knows: one member per `CLIENT_FRAME_COMMANDS` name. */
export type ClientFrame = ClientFrames[ClientFrameCommand];

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
/** A legacy room's live streams, the answer to `getRoomInfo` (not parsed by the client: read as a callback). */
export interface RoomInformationFrame {
  command: 'roomInformation';
  streams: string[];
  streamList: { streamId: string; streamName: string; metaData: string | null }[];
  ATTR_ROOM_NAME: string;
  room: string;
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
  /** At most this many WebRTC viewers; -1: the app's `webRTCViewerLimit` (AMS: no limit). */
  webRTCViewerLimit: number;
}
