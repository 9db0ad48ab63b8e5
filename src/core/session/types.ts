/**
 * The contract between the DOM-free sessions (publish, play) and the elements' controllers.
 * Sessions speak AMS names (`publish_started`, `newTrackAvailable`, …); only controllers turn
 * them into `rtc-*` DOM events.
 */
import type { RtcError } from '../errors.js';
import type { ReconnectPolicy } from '../signaling/reconnect-policy.js';
import type { CreateSignaling } from '../signaling/signaling.js';
import type { CreateTransport } from '../signaling/transport.js';
import type { RtcStats } from '../stats.js';

export const SessionState = {
  IDLE: 'idle',
  CONNECTING: 'connecting',
  NEGOTIATING: 'negotiating',
  LIVE: 'live',
  RECONNECTING: 'reconnecting',
  STOPPED: 'stopped',
  FAILED: 'failed',
} as const;
export type SessionState = (typeof SessionState)[keyof typeof SessionState];

/** Legal moves; `transition()` refuses (and ignores) any other. */
export const TRANSITIONS: Record<SessionState, readonly SessionState[]> = {
  idle: ['connecting', 'stopped'],
  connecting: ['negotiating', 'live', 'reconnecting', 'stopped', 'failed'],
  negotiating: ['live', 'connecting', 'reconnecting', 'stopped', 'failed'],
  live: ['reconnecting', 'connecting', 'stopped', 'failed'],
  reconnecting: ['connecting', 'negotiating', 'live', 'stopped', 'failed'],
  stopped: ['connecting', 'idle'],
  failed: ['connecting', 'stopped', 'idle'],
};

export const canTransition = (from: SessionState, to: SessionState): boolean => TRANSITIONS[from].includes(to);

/**
 * One AMS callback, by its AMS name: server notifications (`publish_started`, `play_finished`,
 * `bitrateMeasurement`, `streaming_started`, …), server info frames (`streamInformation`,
 * `roomInformation`, `trackList`, `peerMessageCommand`, `iceServerConfig`) and the SDK's own info
 * events (`initialized`, `closed`, `pong`, `ice_connection_state_changed`,
 * `reconnection_attempt_for_publisher`, `reconnection_attempt_for_player`, `newTrackAvailable`,
 * `newStreamAvailable`, `data_channel_opened`, `data_channel_closed`, `data_received`,
 * `updated_stats`, `session_restored`).
 */
export interface AmsCallback {
  definition: string;
  /** The AMS payload: the server frame, or the SDK's `obj` as an object. */
  payload: Record<string, unknown>;
  streamId?: string;
}

export interface RemoteTrack {
  track: MediaStreamTrack;
  stream: MediaStream;
  /** `idMapping[mid]`, e.g. `ARDAMSvcam1`; `''` when the server sent none. */
  trackId: string;
}

export interface SessionEvents {
  stateChange: { state: SessionState; previous: SessionState };
  callback: AmsCallback;
  /** Emitted once per failure; the session may still recover (see `error.recoverable`). */
  error: RtcError;
  /** Remote media (players): also reported as the `newTrackAvailable` callback. */
  track: RemoteTrack;
  stats: RtcStats;
}

/** A token, or a function called on every (re)connect for a fresh one (tokens are one-time). */
export type TokenSource = string | (() => Promise<string> | string);

export interface SessionDeps {
  /** `wss://host:5443/App/websocket`. */
  url: string;
  /**
   * Makes the session's signaling for `url`. Default: the AMS WebSocket client
   * (`SignalingClient`), built with `createTransport`, `reconnectPolicy` and `online` below.
   */
  createSignaling?: CreateSignaling;
  /** The default signaling's socket (tests inject a scripted one). */
  createTransport?: CreateTransport;
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
  /** The default signaling's reconnect policy. */
  reconnectPolicy?: ReconnectPolicy;
  /** `online` events (window in browsers) for an immediate retry of the default signaling. */
  online?: { addEventListener(t: 'online', f: () => void): void; removeEventListener(t: 'online', f: () => void): void };
}

export interface CommonOptions {
  streamId: string;
  token?: TokenSource;
  /** When absent: the server's `iceServerConfig` if it names one, else none. */
  iceServers?: RTCIceServer[];
}

export interface PublishOptions extends CommonOptions {
  stream: MediaStream;
  streamName?: string;
  metaData?: string;
  /** Video `maxBitrate` in kbps; 0 or absent: no cap. */
  maxBitrateKbps?: number;
  /** Conference room (multitrack main track) to publish into. */
  mainTrack?: string;
}

export interface PlayOptions extends CommonOptions {
  /** Own stream id when playing a conference room: the server leaves our tracks out. */
  userPublishId?: string;
  room?: string;
}
