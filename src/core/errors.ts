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
  NotAllowedError: e('media', true, 'Camera or microphone access was refused.'),
  NotFoundError: e('media', true, 'No matching camera or microphone.'),
  NotReadableError: e('media', true, 'The device is busy or failed.'),
  OverconstrainedError: e('media', true, 'No device meets the constraints.'),
  AbortError: e('media', true, 'The device could not be used.'),
  SecurityError: e('media', false, 'Capture is disabled for this document.'),
  NotSupportedError: e('media', false, 'Capture needs https.'),
  TypeError: e('media', false, 'Empty or invalid constraints.'),
  UnsecureContext: e('media', false, 'Not a secure context: no media devices.'),
  getUserMediaIsNotAllowed: e('media', false, 'getUserMedia is unavailable.'),
  TrackStartError: e('media', true, 'Old name of NotReadableError.'),
  ConstraintNotSatisfiedError: e('media', true, 'Old name of OverconstrainedError.'),
  PermissionDeniedError: e('media', true, 'Old name of NotAllowedError.'),
  [DEVICE_IN_USE_TEXT]: e('media', true, 'Documented text for NotReadableError.'),
  AudioAlreadyActive: e('media', false, 'That microphone is already in use here.'),
  VideoAlreadyActive: e('media', false, 'That camera is already in use here.'),
  NoActiveConnection: e('media', false, 'No local stream or connection.'),
  ScreenSharePermissionDenied: e('media', true, 'Screen sharing refused or cancelled.'),
  screen_share_permission_denied: e('media', true, 'Doc spelling of ScreenSharePermissionDenied.'),
  media_constraint_video_not_defined: e('media', false, 'Legacy: no video constraint.'),
  // --- signaling (WebSocket)
  WebSocketNotSupported: e('signaling', false, 'No WebSocket here.'),
  WebSocketNotConnected: e('signaling', true, 'The server connection failed or was lost.'),
  protocol: e('signaling', true, 'ours: an invalid frame from the server.'),
  timeout: e('signaling', true, 'ours: the server did not answer in time.'),
  invalid_message: e('signaling', true, 'ours: a frame was not JSON.'),
  message_too_large: e('signaling', false, 'ours: a frame was over 81,920 bytes.'),
  unknown_command: e('signaling', false, 'ours: an unknown command.'),
  // --- peer (RTCPeerConnection, ICE, data channel)
  notSetLocalDescription: e('peer', true, 'The local description could not be set.'),
  notSetRemoteDescription: e('peer', true, 'The remote description could not be set.'),
  ice_failed: e('peer', true, 'ours: the media path failed.'),
  protocol_not_supported: e('peer', false, 'A candidate protocol is not allowed.'),
  data_channel_error: e('peer', true, 'The data channel failed.'),
  data_channel_not_open: e('peer', true, 'ours: no open data channel.'),
  // --- server error definitions (reference 3.3)
  noStreamNameSpecified: e('server', false, 'No stream id in the message.'),
  invalidStreamName: e('server', false, 'The stream id has invalid characters.'),
  streamIdInUse: e('server', true, 'The stream id is in use.'),
  already_publishing: e('server', false, 'Already publishing this id.'),
  already_playing: e('server', false, 'Already playing this id.'),
  no_stream_exist: e('server', true, 'The stream is not live.'),
  stream_not_exist_or_not_streaming: e('server', true, 'The stream is not streaming.'),
  webrtc_not_enabled: e('server', false, 'No WebRTC output for this stream.'),
  not_allowed_unregistered_streams: e('server', false, 'Only pre-created streams are allowed.'),
  unauthorized_access: e('server', false, 'The token was refused.'),
  user_blocked: e('server', false, 'This subscriber is blocked.'),
  authenticationTokenNotValid: e('server', false, 'Invalid push notification token.'),
  missingParameter: e('server', false, 'A push notification parameter is missing.'),
  no_room_specified: e('server', false, 'No room given.'),
  no_active_streams_in_room: e('server', true, 'The room has no active streams.'),
  room_not_active_or_expired: e('server', false, 'The room is not active now.'),
  stream_not_active_or_expired: e('server', false, 'The stream is not active now.'),
  main_track_has_max_subtrack_count__not_allowed_to_add_more_subtracks: e('server', false, 'The room is full.'),
  mainTrackDBOperationFailed: e('server', true, 'The room could not be stored.'),
  highResourceUsage: e('server', true, 'The server is overloaded.'),
  viewerLimitReached: e('server', true, 'The viewer limit is reached.'),
  license_suspended_please_renew_license: e('server', false, 'The server licence is suspended.'),
  not_initialized_yet: e('server', true, 'The server app is starting.'),
  data_store_not_available: e('server', true, 'The server database is unavailable.'),
  server_error_check_logs: e('server', true, 'The server could not start the stream.'),
  no_codec_enabled_in_the_server: e('server', false, 'No codec enabled on the server.'),
  encoderNotOpened: e('server', true, 'The server encoder did not open.'),
  encoderBlocked: e('server', true, 'The server encoder is blocked.'),
  publishTimeoutError: e('server', true, 'Publishing did not start in time.'),
  noPacketReceivedForTimeoutDuration: e('server', true, 'The server stopped receiving media.'),
  no_peer_associated_before: e('server', false, 'No peer for this id (peer-to-peer).'),
  no_encoder_settings: e('server', false, 'No encoder settings for publishing.'),
  // --- config (element attributes and properties)
  invalid_server_url: e('config', false, 'ours: server-url is not a ws(s) URL.'),
  invalid_stream_id: e('config', false, 'ours: stream-id is missing or invalid.'),
} as const satisfies Record<string, CatalogEntry>;

export type RtcErrorCode = keyof typeof ERROR_CATALOG;

const UNKNOWN: CatalogEntry = e('server', true, 'Unknown error.');

/** The catalog entry of any code, known or not. */
export const catalogEntry = (code: string): CatalogEntry =>
  isCatalogCode(code) ? ERROR_CATALOG[code] : UNKNOWN;

/** Whether `code` is a documented name (or one of ours). */
export const isCatalogCode = (code: string): code is RtcErrorCode => Object.prototype.hasOwnProperty.call(ERROR_CATALOG, code);

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
    const code = isCatalogCode(name) && catalogEntry(name).category === 'media' ? name : 'AbortError';
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
