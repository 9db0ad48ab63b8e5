/**
 * The Ant Media Server WebSocket vocabulary: every command, notification definition and
 * error definition, spelled exactly as AMS puts them on the wire. Shared by the elements
 * (browser) and the embedded server (Node); DOM-free and dependency-free.
 * @internal
 */

/** Top-level `command` values a client sends. */
export const ClientCommand = {
  publish: 'publish',
  play: 'play',
  stop: 'stop',
  takeConfiguration: 'takeConfiguration',
  takeCandidate: 'takeCandidate',
  ping: 'ping',
  getIceServerConfig: 'getIceServerConfig',
  join: 'join',
  leave: 'leave',
  joinRoom: 'joinRoom',
  leaveFromRoom: 'leaveFromRoom',
  getRoomInfo: 'getRoomInfo',
  getStreamInfo: 'getStreamInfo',
  getTrackList: 'getTrackList',
  enableTrack: 'enableTrack',
  toggleVideo: 'toggleVideo',
  toggleAudio: 'toggleAudio',
  forceStreamQuality: 'forceStreamQuality',
  getBroadcastObject: 'getBroadcastObject',
  updateStreamMetaData: 'updateStreamMetaData',
  getSubtracks: 'getSubtracks',
  getSubtracksCount: 'getSubtracksCount',
  getSubscriberCount: 'getSubscriberCount',
  getSubscribers: 'getSubscribers',
  peerMessageCommand: 'peerMessageCommand',
  getDebugInfo: 'getDebugInfo',
  getVideoTrackAssignmentsCommand: 'getVideoTrackAssignmentsCommand',
  assignVideoTrackCommand: 'assignVideoTrackCommand',
  updateVideoTrackAssignmentsCommand: 'updateVideoTrackAssignmentsCommand',
  setMaxVideoTrackCountCommand: 'setMaxVideoTrackCountCommand',
} as const;
export type ClientCommand = (typeof ClientCommand)[keyof typeof ClientCommand];

/** Top-level `command` values the server sends. */
export const ServerCommand = {
  start: 'start',
  takeConfiguration: 'takeConfiguration',
  takeCandidate: 'takeCandidate',
  stop: 'stop',
  pong: 'pong',
  iceServerConfig: 'iceServerConfig',
  streamInformation: 'streamInformation',
  roomInformation: 'roomInformation',
  trackList: 'trackList',
  peerMessageCommand: 'peerMessageCommand',
  connectWithNewId: 'connectWithNewId',
  notification: 'notification',
  error: 'error',
} as const;
export type ServerCommand = (typeof ServerCommand)[keyof typeof ServerCommand];

/** `definition` values of `{"command":"notification"}` frames (reference section 3.2). */
export const NOTIFICATIONS = [
  'publish_started',
  'publish_finished',
  'play_started',
  'play_finished',
  'session_restored',
  'joined',
  'leaved',
  'joinedTheRoom',
  'leavedFromRoom',
  'bitrateMeasurement',
  'resolutionChangeInfo',
  'server_will_stop',
  'streaming_started',
  'streaming_starts_soon',
  'subtrackAdded',
  'subtrackRemoved',
  'subtrackList',
  'subtrackCount',
  'subscriberCount',
  'subscriberList',
  'broadcastObject',
  'videoTrackAssignmentList',
  'debugInfo',
] as const;
export type NotificationDefinition = (typeof NOTIFICATIONS)[number];

/** `definition` values of `{"command":"error"}` frames (reference section 3.3). */
export const SERVER_ERRORS = [
  'noStreamNameSpecified',
  'invalidStreamName',
  'streamIdInUse',
  'already_publishing',
  'already_playing',
  'no_stream_exist',
  'stream_not_exist_or_not_streaming',
  'webrtc_not_enabled',
  'not_allowed_unregistered_streams',
  'unauthorized_access',
  'user_blocked',
  'authenticationTokenNotValid',
  'missingParameter',
  'no_room_specified',
  'no_active_streams_in_room',
  'room_not_active_or_expired',
  'stream_not_active_or_expired',
  'main_track_has_max_subtrack_count__not_allowed_to_add_more_subtracks',
  'mainTrackDBOperationFailed',
  'highResourceUsage',
  'viewerLimitReached',
  'license_suspended_please_renew_license',
  'not_initialized_yet',
  'data_store_not_available',
  'server_error_check_logs',
  'no_codec_enabled_in_the_server',
  'encoderNotOpened',
  'encoderBlocked',
  'publishTimeoutError',
  'noPacketReceivedForTimeoutDuration',
  'notSetLocalDescription',
  'notSetRemoteDescription',
  'no_peer_associated_before',
  'no_encoder_settings',
] as const;
export type ServerErrorDefinition = (typeof SERVER_ERRORS)[number];

/** Extra error definition this server sends for frames it cannot read (not JSON, too large, unknown command). */
export const PROTOCOL_ERRORS = ['invalid_message', 'message_too_large', 'unknown_command'] as const;
export type ProtocolErrorDefinition = (typeof PROTOCOL_ERRORS)[number];

/** AMS refuses text frames larger than 8192 × 10 bytes. */
export const MAX_FRAME_BYTES = 81_920;

/** Stream ids AMS accepts (`StreamIdValidator`). */
export const STREAM_ID_PATTERN = /^[A-Za-z0-9_.-]+$/;

/** `idMapping` track ids: `ARDAMSv<streamId>` / `ARDAMSa<streamId>`. */
export const trackIdFor = (kind: 'audio' | 'video', streamId: string): string => `ARDAMS${kind === 'video' ? 'v' : 'a'}${streamId}`;

export const isNotificationDefinition = (s: string): s is NotificationDefinition => (NOTIFICATIONS as readonly string[]).includes(s);
export const isServerErrorDefinition = (s: string): s is ServerErrorDefinition => (SERVER_ERRORS as readonly string[]).includes(s);
