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
  /** A short title for viewers (the overlay's heading). */
  readonly title: string;
  /** One plain sentence, readable by viewers and developers alike (the overlay's message). */
  readonly description: string;
}

// Viewer wording: a title and one plain sentence per code, shared through these constants so
// the table stays small (25 kB gzip budget for the whole bundle). The sentence is the catalog's
// description and the overlay's message: developers get the code beside it.
const DEVICES = 'Camera or mic unavailable';
const BLOCKED = 'Camera or mic blocked';
const SCREEN = 'Screen sharing blocked';
const CONNECTION = 'Connection problem';
const STREAM = 'Stream unavailable';
const SERVER = 'Server problem';
const ACCESS = 'Access denied';
const ROOM = 'Room unavailable';
const SETUP = 'Setup problem';
const ALLOW = 'Allow camera and microphone access in your browser.';
const NO_DEVICE = 'No camera or microphone was found.';
const IN_USE = 'Another app is using your camera or microphone.';
const NOT_SUITABLE = 'Your camera does not support the requested settings.';
const NO_START = 'Your camera or microphone could not start.';
const HTTPS = 'The camera needs a secure (https) page.';
const DISABLED = 'The camera is disabled on this page.';
const ALREADY_ON = 'Your camera or microphone is already on.';
const NOTHING_ON = 'Nothing is connected yet.';
const SCREEN_DENIED = 'Screen sharing was not allowed.';
const UNREACHABLE = 'Could not reach the video server.';
const LOST = 'The connection was interrupted.';
const NO_PATH = 'Your network blocks video. Check your firewall.';
const BROWSER = 'This browser cannot play live video.';
const FAILED = 'The video connection could not be set up.';
const OWNER = 'The server refused. Contact the site owner.';
const BAD_SETUP = 'This page is set up wrong. Contact the site owner.';
const BUSY = 'The server is busy. Try again soon.';
const BUSY_RETRYING = 'The server is busy. Trying again in a few seconds.';
const SERVER_FAILED = 'The server had a problem.';
const NOT_LIVE = 'This stream is not live yet.';
const NOT_NOW = 'This stream is not available now.';
const NOT_ALLOWED = 'You are not allowed to open this stream.';
const TAKEN = 'Someone else is already broadcasting here.';
const ALREADY = 'This stream is already open here.';
const CHANNEL = 'Messages could not be sent.';

const e = (category: ErrorCategory, recoverable: boolean, title: string, description: string): CatalogEntry => ({ category, recoverable, title, description });

/** The literal error text the AMS documentation lists for a busy device. */
export const DEVICE_IN_USE_TEXT = 'Camera or Mic is being used by some other process that does not let read the devices';

/**
 * Every documented error name: the documented-callbacks file, the server's error definitions
 * (reference 3.3), the SDK's errors (reference 5, legacy names included), and our own additions
 * (marked "ours").
 */
export const ERROR_CATALOG = {
  // --- media (getUserMedia / getDisplayMedia DOMException names and SDK media errors)
  NotAllowedError: e('media', true, BLOCKED, ALLOW),
  NotFoundError: e('media', true, DEVICES, NO_DEVICE),
  NotReadableError: e('media', true, DEVICES, IN_USE),
  OverconstrainedError: e('media', true, DEVICES, NOT_SUITABLE),
  AbortError: e('media', true, DEVICES, NO_START),
  SecurityError: e('media', false, BLOCKED, DISABLED),
  NotSupportedError: e('media', false, BLOCKED, HTTPS),
  TypeError: e('media', false, SETUP, BAD_SETUP),
  UnsecureContext: e('media', false, BLOCKED, HTTPS),
  getUserMediaIsNotAllowed: e('media', false, BLOCKED, DISABLED),
  TrackStartError: e('media', true, DEVICES, IN_USE),
  ConstraintNotSatisfiedError: e('media', true, DEVICES, NOT_SUITABLE),
  PermissionDeniedError: e('media', true, BLOCKED, ALLOW),
  [DEVICE_IN_USE_TEXT]: e('media', true, DEVICES, IN_USE),
  AudioAlreadyActive: e('media', false, DEVICES, ALREADY_ON),
  VideoAlreadyActive: e('media', false, DEVICES, ALREADY_ON),
  NoActiveConnection: e('media', false, CONNECTION, NOTHING_ON),
  ScreenSharePermissionDenied: e('media', true, SCREEN, SCREEN_DENIED),
  screen_share_permission_denied: e('media', true, SCREEN, SCREEN_DENIED),
  media_constraint_video_not_defined: e('media', false, SETUP, BAD_SETUP),
  // --- signaling (WebSocket)
  WebSocketNotSupported: e('signaling', false, CONNECTION, BROWSER),
  WebSocketNotConnected: e('signaling', true, CONNECTION, UNREACHABLE),
  protocol: e('signaling', true, CONNECTION, LOST),
  timeout: e('signaling', true, CONNECTION, UNREACHABLE),
  invalid_message: e('signaling', true, CONNECTION, LOST),
  message_too_large: e('signaling', false, CONNECTION, OWNER),
  unknown_command: e('signaling', false, CONNECTION, OWNER),
  // --- peer (RTCPeerConnection, ICE, data channel)
  notSetLocalDescription: e('peer', true, CONNECTION, FAILED),
  notSetRemoteDescription: e('peer', true, CONNECTION, FAILED),
  ice_failed: e('peer', true, CONNECTION, NO_PATH),
  protocol_not_supported: e('peer', false, CONNECTION, NO_PATH),
  data_channel_error: e('peer', true, CONNECTION, CHANNEL),
  data_channel_not_open: e('peer', true, CONNECTION, CHANNEL),
  // --- server error definitions (reference 3.3)
  noStreamNameSpecified: e('server', false, SETUP, BAD_SETUP),
  invalidStreamName: e('server', false, SETUP, BAD_SETUP),
  streamIdInUse: e('server', true, STREAM, TAKEN),
  already_publishing: e('server', false, STREAM, ALREADY),
  already_playing: e('server', false, STREAM, ALREADY),
  no_stream_exist: e('server', true, STREAM, NOT_LIVE),
  stream_not_exist_or_not_streaming: e('server', true, STREAM, NOT_LIVE),
  webrtc_not_enabled: e('server', false, STREAM, OWNER),
  not_allowed_unregistered_streams: e('server', false, STREAM, OWNER),
  unauthorized_access: e('server', false, ACCESS, NOT_ALLOWED),
  user_blocked: e('server', false, ACCESS, NOT_ALLOWED),
  authenticationTokenNotValid: e('server', false, ACCESS, NOT_ALLOWED),
  missingParameter: e('server', false, SERVER, OWNER),
  no_room_specified: e('server', false, ROOM, OWNER),
  no_active_streams_in_room: e('server', true, ROOM, 'Nobody is broadcasting here yet.'),
  room_not_active_or_expired: e('server', false, ROOM, 'This room is not open now.'),
  stream_not_active_or_expired: e('server', false, STREAM, NOT_NOW),
  main_track_has_max_subtrack_count__not_allowed_to_add_more_subtracks: e('server', false, ROOM, 'This room is full.'),
  mainTrackDBOperationFailed: e('server', true, ROOM, SERVER_FAILED),
  highResourceUsage: e('server', true, SERVER, BUSY_RETRYING),
  viewerLimitReached: e('server', true, STREAM, 'Too many viewers. Try again later.'),
  license_suspended_please_renew_license: e('server', false, SERVER, OWNER),
  not_initialized_yet: e('server', true, SERVER, BUSY),
  data_store_not_available: e('server', true, SERVER, SERVER_FAILED),
  server_error_check_logs: e('server', true, SERVER, SERVER_FAILED),
  no_codec_enabled_in_the_server: e('server', false, SERVER, OWNER),
  encoderNotOpened: e('server', true, SERVER, SERVER_FAILED),
  encoderBlocked: e('server', true, SERVER, SERVER_FAILED),
  publishTimeoutError: e('server', true, STREAM, 'The broadcast did not start in time.'),
  noPacketReceivedForTimeoutDuration: e('server', true, STREAM, 'The server stopped receiving video.'),
  no_peer_associated_before: e('server', true, CONNECTION, 'Nobody else is connected yet.'),
  no_encoder_settings: e('server', false, SERVER, OWNER),
  // --- config (element attributes and properties)
  invalid_server_url: e('config', false, SETUP, BAD_SETUP),
  invalid_stream_id: e('config', false, SETUP, BAD_SETUP),
  invalid_mode: e('config', false, SETUP, BAD_SETUP),
  invalid_protocol: e('config', false, SETUP, BAD_SETUP),
  not_supported_over_whip: e('config', false, SETUP, BAD_SETUP),
  // --- WHIP / WHEP (HTTP answers without an AMS code of their own; see whip-signaling.ts)
  whip_not_found: e('server', true, STREAM, NOT_NOW),
  whip_unreachable: e('signaling', true, CONNECTION, UNREACHABLE),
  // --- loading (the elements' own code)
  module_load_failed: e('signaling', true, CONNECTION, 'Part of this page could not load. Check your connection.'),
} as const satisfies Record<string, CatalogEntry>;

export type RtcErrorCode = keyof typeof ERROR_CATALOG;

/** Codes this project adds to AMS's own names (docs and tests read this list). */
export const OUR_CODES: readonly RtcErrorCode[] = [
  'protocol',
  'timeout',
  'invalid_message',
  'message_too_large',
  'unknown_command',
  'ice_failed',
  'data_channel_not_open',
  'invalid_server_url',
  'invalid_stream_id',
  'invalid_mode',
  'invalid_protocol',
  'not_supported_over_whip',
  'whip_not_found',
  'whip_unreachable',
  'module_load_failed',
];

const UNKNOWN: CatalogEntry = e('server', true, 'Something went wrong', 'The video could not start.');

/** The catalog entry of any code, known or not. */
export const catalogEntry = (code: string): CatalogEntry => (isCatalogCode(code) ? ERROR_CATALOG[code] : UNKNOWN);

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

  /** The server did not answer `what` in time. */
  static timeout(what: string, streamId?: string): RtcError {
    return new RtcError('timeout', { streamId, message: `The server did not answer ${what} in time.` });
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, category: this.category, recoverable: this.recoverable, streamId: this.streamId };
  }
}

/** Any rejection as an `RtcError` (sessions and capture already reject with one); anything else becomes `AbortError` with its message. */
export const toRtcError = (e: unknown): RtcError =>
  e instanceof RtcError ? e : RtcError.of('AbortError', { message: e instanceof Error ? e.message : String(e), cause: e });
