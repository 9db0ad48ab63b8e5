/**
 * One error type and one catalog. `RtcError.code` is exactly the name a user finds in the AMS
 * documentation (`NotAllowedError`, `unauthorized_access`, `no_stream_exist`, …), so code ported
 * from AMS keeps matching the same strings. DOM-free.
 */

export type ErrorCategory = 'media' | 'signaling' | 'peer' | 'server' | 'config';

export interface CatalogEntry {
  readonly category: ErrorCategory;
  /** Whether trying again (retry button, reconnect) can help. */
  readonly recoverable: boolean;
  /** One line, for developers. Viewer-facing wording lives in the overlay's messages. */
  readonly description: string;
}

const e = (category: ErrorCategory, recoverable: boolean, description: string): CatalogEntry => ({ category, recoverable, description });

/** The literal error text the AMS documentation lists for a busy device. */
export const DEVICE_IN_USE_TEXT = 'Camera or Mic is being used by some other process that does not let read the devices';

/**
 * Every documented error name: the documented-callbacks file, the server's error definitions
 * (reference 3.3), the SDK's errors (reference 5, legacy names included), and our own additions
 * (marked "ours").
 */
export const ERROR_CATALOG = {
  // --- media (getUserMedia / getDisplayMedia DOMException names and SDK media errors)
  NotAllowedError: e('media', true, 'The user or the browser refused access to the camera or microphone.'),
  NotFoundError: e('media', true, 'No camera or microphone matches the request.'),
  NotReadableError: e('media', true, 'The camera or microphone is in use by another program or failed.'),
  OverconstrainedError: e('media', true, 'No device satisfies the requested constraints.'),
  AbortError: e('media', true, 'The device could not be used although access was granted.'),
  SecurityError: e('media', false, 'Media capture is disabled for this document.'),
  NotSupportedError: e('media', false, 'Capture needs a secure (https) page.'),
  TypeError: e('media', false, 'The media constraints are empty or invalid.'),
  UnsecureContext: e('media', false, 'The page is not a secure context, so media devices are unavailable.'),
  getUserMediaIsNotAllowed: e('media', false, 'getUserMedia is unavailable on this page.'),
  TrackStartError: e('media', true, 'Old Chrome name of NotReadableError: the device could not start.'),
  ConstraintNotSatisfiedError: e('media', true, 'Old Chrome name of OverconstrainedError.'),
  PermissionDeniedError: e('media', true, 'Old Chrome name of NotAllowedError.'),
  [DEVICE_IN_USE_TEXT]: e('media', true, 'Documented text for a device held by another program (NotReadableError).'),
  AudioAlreadyActive: e('media', false, 'Legacy SDK: the microphone is already active.'),
  VideoAlreadyActive: e('media', false, 'Legacy SDK: the camera is already active.'),
  NoActiveConnection: e('media', false, 'There is no local stream or connection to act on.'),
  ScreenSharePermissionDenied: e('media', true, 'The user refused or cancelled screen sharing.'),
  screen_share_permission_denied: e('media', true, 'Documented spelling of ScreenSharePermissionDenied.'),
  media_constraint_video_not_defined: e('media', false, 'Legacy SDK: no video constraint was given.'),
  // --- signaling (WebSocket)
  WebSocketNotSupported: e('signaling', false, 'This environment has no WebSocket.'),
  WebSocketNotConnected: e('signaling', true, 'The WebSocket to the server failed or was lost.'),
  protocol: e('signaling', true, 'ours: the server sent a frame that is not valid AMS protocol.'),
  timeout: e('signaling', true, 'ours: the server did not answer in time.'),
  invalid_message: e('signaling', true, 'ours (embedded server): a frame was not valid JSON.'),
  message_too_large: e('signaling', false, 'ours (embedded server): a frame was over 81,920 bytes.'),
  unknown_command: e('signaling', false, 'ours (embedded server): the server does not know that command.'),
  // --- peer (RTCPeerConnection, ICE, data channel)
  notSetLocalDescription: e('peer', true, 'The local session description could not be set.'),
  notSetRemoteDescription: e('peer', true, 'The remote session description could not be set (codec mismatch?).'),
  ice_failed: e('peer', true, 'ours: no network path to the media server could be found or kept.'),
  protocol_not_supported: e('peer', false, 'An ICE candidate used a protocol not in candidateTypes.'),
  data_channel_error: e('peer', true, 'The data channel reported an error.'),
  data_channel_not_open: e('peer', true, 'ours: sendData was called with no open data channel.'),
  // --- server error definitions (reference 3.3)
  noStreamNameSpecified: e('server', false, 'The message carried no stream id.'),
  invalidStreamName: e('server', false, 'The stream id has characters outside A-Z a-z 0-9 _ . -.'),
  streamIdInUse: e('server', true, 'Another publisher is using this stream id.'),
  already_publishing: e('server', false, 'This connection already publishes this stream id.'),
  already_playing: e('server', false, 'This connection already plays this stream id.'),
  no_stream_exist: e('server', true, 'The stream is not live (yet).'),
  stream_not_exist_or_not_streaming: e('server', true, 'The stream does not exist or is not streaming.'),
  webrtc_not_enabled: e('server', false, 'The stream exists but has no WebRTC output.'),
  not_allowed_unregistered_streams: e('server', false, 'The server only accepts streams created beforehand.'),
  unauthorized_access: e('server', false, 'The token (or TOTP code) was not accepted.'),
  user_blocked: e('server', false, 'This subscriber is blocked.'),
  authenticationTokenNotValid: e('server', false, 'The push notification token is not valid.'),
  missingParameter: e('server', false, 'A push notification parameter is missing.'),
  no_room_specified: e('server', false, 'A conference command carried no room.'),
  no_active_streams_in_room: e('server', true, 'The room has no active streams.'),
  room_not_active_or_expired: e('server', false, 'The room is outside its planned start and end.'),
  stream_not_active_or_expired: e('server', false, 'The stream is outside its planned start and end.'),
  main_track_has_max_subtrack_count__not_allowed_to_add_more_subtracks: e('server', false, 'The room is full.'),
  mainTrackDBOperationFailed: e('server', true, 'The server could not create or update the room.'),
  highResourceUsage: e('server', true, 'The server is overloaded (CPU or memory).'),
  viewerLimitReached: e('server', true, 'The stream has as many viewers as it allows.'),
  license_suspended_please_renew_license: e('server', false, 'The server licence is suspended.'),
  not_initialized_yet: e('server', true, 'The server application is still starting.'),
  data_store_not_available: e('server', true, 'The server database is not available.'),
  server_error_check_logs: e('server', true, 'The server could not start the stream.'),
  no_codec_enabled_in_the_server: e('server', false, 'The server has no codec enabled.'),
  encoderNotOpened: e('server', true, 'The server encoder could not open.'),
  encoderBlocked: e('server', true, 'The server encoder is blocked.'),
  publishTimeoutError: e('server', true, 'Publishing did not start within the server timeout.'),
  noPacketReceivedForTimeoutDuration: e('server', true, 'The server stopped receiving media.'),
  no_peer_associated_before: e('server', false, 'Peer-to-peer: no peer is associated with this id.'),
  no_encoder_settings: e('server', false, 'The server has no encoder settings for publishing.'),
  // --- config (element attributes and properties)
  invalid_server_url: e('config', false, 'ours: server-url is missing or not a ws:// or wss:// URL.'),
  invalid_stream_id: e('config', false, 'ours: stream-id is missing or has characters AMS refuses.'),
} as const satisfies Record<string, CatalogEntry>;

export type RtcErrorCode = keyof typeof ERROR_CATALOG;

const UNKNOWN: CatalogEntry = e('server', true, 'An error the catalog does not know.');

/** The catalog entry of any code, known or not. */
export const catalogEntry = (code: string): CatalogEntry =>
  Object.prototype.hasOwnProperty.call(ERROR_CATALOG, code) ? ERROR_CATALOG[code as RtcErrorCode] : UNKNOWN;

export interface RtcErrorOptions {
  message?: string;
  streamId?: string;
  cause?: unknown;
}

/** The one error type. Build it with the static factories. */
export class RtcError extends Error {
  override readonly name = 'RtcError';
  readonly code: string;
  readonly category: ErrorCategory;
  readonly recoverable: boolean;
  readonly streamId?: string;
  override readonly cause?: unknown;

  private constructor(code: string, options: RtcErrorOptions = {}) {
    const entry = catalogEntry(code);
    super(options.message ?? entry.description);
    this.code = code;
    this.category = entry.category;
    this.recoverable = entry.recoverable;
    if (options.streamId !== undefined) this.streamId = options.streamId;
    if (options.cause !== undefined) this.cause = options.cause;
  }

  /** An error of a catalog code (or an unknown code the server sent). */
  static of(code: RtcErrorCode | (string & {}), options?: RtcErrorOptions): RtcError {
    return new RtcError(code, options);
  }

  /** From a server `{"command":"error","definition":…}` frame. */
  static fromServer(frame: { definition: string; streamId?: unknown }): RtcError {
    const streamId = typeof frame.streamId === 'string' && frame.streamId !== '' ? frame.streamId : undefined;
    return new RtcError(frame.definition, { streamId, cause: frame });
  }

  /** From a getUserMedia / getDisplayMedia rejection: the DOMException name is the code. */
  static fromMediaError(error: unknown, streamId?: string): RtcError {
    const name = typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string' ? (error as { name: string }).name : 'AbortError';
    const code = Object.prototype.hasOwnProperty.call(ERROR_CATALOG, name) && catalogEntry(name).category === 'media' ? name : 'AbortError';
    const detail = typeof (error as { message?: unknown })?.message === 'string' ? (error as { message: string }).message : '';
    return new RtcError(code, { streamId, cause: error, message: detail ? `${catalogEntry(code).description} (${detail})` : undefined });
  }

  /** The server did not answer `what` in time. */
  static timeout(what: string, streamId?: string): RtcError {
    return new RtcError('timeout', { streamId, message: `The server did not answer ${what} in time.` });
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, category: this.category, recoverable: this.recoverable, streamId: this.streamId };
  }
}
