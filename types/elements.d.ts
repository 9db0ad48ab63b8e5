// Generated from custom-elements.json by scripts/gen-types.mjs (`npm run docs`): edit the JSDoc of src/elements/, not this file.
// The tags of rtc-elements as the framework typings beside this file see them: attributes as written in
// markup (kebab-case), writable properties (camelCase) and the events each tag fires, with their types.
import type {
  RtcErrorEvent,
  RtcErrorOverlay,
  RtcEventMap,
  RtcParticipantEvent,
  RtcPlayer,
  RtcPublisher,
  RtcRetryEvent,
  RtcRoom,
  RtcStateChangeEvent,
} from 'rtc-elements';

/** Attributes of `<rtc-error-overlay>`, as written in markup. */
export interface RtcErrorOverlayAttributes {
  /**
   * Offers a retry button for recoverable errors.
   *
   * Default: `false`.
   */
  retryable?: boolean;
}

/** Writable properties of `<rtc-error-overlay>` (frameworks that set properties use these names). */
export interface RtcErrorOverlayProperties {
  /** The error to show; `null` (the default) shows nothing. */
  error?: RtcErrorOverlay['error'];
  /** Offers a retry button for recoverable errors. */
  retryable?: RtcErrorOverlay['retryable'];
}

/** The events `<rtc-error-overlay>` fires, by name. */
export interface RtcErrorOverlayEvents {
  /** The viewer pressed the retry button; `detail.code` is the error's code. Bubbles, composed. */
  'rtc-retry': RtcRetryEvent;
}

/** Attributes of `<rtc-player>`, as written in markup. */
export interface RtcPlayerAttributes {
  /**
   * AMS WebSocket URL, e.g. `wss://host:5443/LiveApp/websocket`; or over WHEP, an `http(s)://` AMS application URL with `stream-id` (`https://host:5443/LiveApp` → `/LiveApp/whep/<stream-id>`), or any server's full WHEP endpoint without `stream-id`.
   *
   * Default: `''`.
   */
  'server-url'?: string;
  /** `ams`, `whip` or `whep` (plays over WHEP for both of the last two); unset: `ws(s)://` is AMS, `http(s)://` WHEP. A bad value is `invalid_protocol`. */
  protocol?: string;
  /**
   * Stream id to play (`A-Z a-z 0-9 _ . -`); optional over WHEP (then `server-url` is the endpoint).
   *
   * Default: `''`.
   */
  'stream-id'?: string;
  /** Play token; read once and removed from the DOM (never reflected). */
  token?: string;
  /**
   * Starts playing when the element is on the page.
   *
   * Default: `false`.
   */
  autoplay?: boolean;
  /**
   * Plays without sound; reflected, so the mute button and the attribute stay in step.
   *
   * Default: `false`.
   */
  muted?: boolean;
  /**
   * Shows the stats panel over the video (the last 60 s of bitrate, fps, loss, round trip, jitter); reflected, so the Statistics button and the attribute stay in step.
   *
   * Default: `false`.
   */
  stats?: boolean;
  /**
   * Hide the built-in controls (and their keyboard shortcuts).
   *
   * Default: `false`.
   */
  'no-controls'?: boolean;
  /**
   * Never show the error overlay.
   *
   * Default: `false`.
   */
  'no-error-overlay'?: boolean;
}

/** Writable properties of `<rtc-player>` (frameworks that set properties use these names). */
export interface RtcPlayerProperties {
  /** Starts playing when the element is on the page. */
  autoplay?: RtcPlayer['autoplay'];
  /** Plays without sound; reflected, so the mute button and the attribute stay in step. */
  muted?: RtcPlayer['muted'];
  /** Shows the stats panel over the video (the last 60 s of bitrate, fps, loss, round trip, jitter); reflected, so the Statistics button and the attribute stay in step. */
  stats?: RtcPlayer['stats'];
  /**
   * The AMS WebSocket URL, e.g. `wss://media.example.com:5443/LiveApp/websocket`; or, over WHIP
   * (publisher) / WHEP (player), an `http(s)://` AMS application URL
   * (`https://media.example.com:5443/LiveApp`, with `stream-id`) or any server's full endpoint
   * (without `stream-id`).
   */
  serverUrl?: RtcPlayer['serverUrl'];
  /**
   * `ams`, `whip` or `whep` (the last two are the same: the publisher speaks WHIP, the player
   * WHEP). Unset: guessed from `server-url` (`ws(s)://` AMS, `http(s)://` WHIP/WHEP). Set, it wins:
   * `ams` with an `http(s)://` URL connects to its `ws(s)://` twin, `whip` with a `ws(s)://` AMS URL to its `http(s)://` application.
   */
  protocol?: RtcPlayer['protocol'];
  /** The stream id (`A-Z a-z 0-9 _ . -`). */
  streamId?: RtcPlayer['streamId'];
  /**
   * A one-time or JWT token sent with publish/play. The `token` attribute is accepted and removed
   * from the DOM as soon as it is read; the token is never reflected, logged or shown.
   */
  token?: RtcPlayer['token'];
  /** Called on every (re)connect for a fresh token; wins over `token`. */
  tokenProvider?: RtcPlayer['tokenProvider'];
  /** ICE servers for the peer connection; default: what the server's `iceServerConfig` names. */
  iceServers?: RtcPlayer['iceServers'];
  /** Hides the built-in controls. */
  noControls?: RtcPlayer['noControls'];
  /** Never shows the error overlay (errors are still dispatched as `rtc-error`). */
  noErrorOverlay?: RtcPlayer['noErrorOverlay'];
}

/** The events `<rtc-player>` fires, by name. */
export interface RtcPlayerEvents {
  /** Every error, once: `{code, message, category, recoverable, streamId, error}`. Cancelable: `preventDefault()` hides the overlay. A server too busy to admit the play (`highResourceUsage`) is shown, and the player asks again every 2-5 s by itself until it plays. */
  'rtc-error': RtcErrorEvent;
  /** `state` changed: `{state, previous}`. */
  'rtc-state-change': RtcStateChangeEvent;
  /** AMS `play_started`: media is flowing. */
  'rtc-play-started': RtcEventMap['rtc-play-started'];
  /** AMS `play_finished`: the publisher stopped (the player waits for it). */
  'rtc-play-finished': RtcEventMap['rtc-play-finished'];
  /** The stream is not live (yet, or any more): the waiting notice shows, without the error overlay, and the player retries by itself. */
  'rtc-waiting': RtcEventMap['rtc-waiting'];
  /** Autoplay with sound was refused; playing muted with a tap-to-unmute button. */
  'rtc-autoplay-muted': RtcEventMap['rtc-autoplay-muted'];
  /** AMS `newTrackAvailable`: `{track, stream, trackId}`. */
  'rtc-new-track-available': RtcEventMap['rtc-new-track-available'];
  /** AMS `newStreamAvailable` (deprecated twin of the above). */
  'rtc-new-stream-available': RtcEventMap['rtc-new-stream-available'];
  /** AMS `initialized`: the signaling socket opened. */
  'rtc-initialized': RtcEventMap['rtc-initialized'];
  /** AMS `closed`: the signaling socket closed. */
  'rtc-closed': RtcEventMap['rtc-closed'];
  /** AMS `pong`. */
  'rtc-pong': RtcEventMap['rtc-pong'];
  /** AMS `ice_connection_state_changed`: `{state}`. */
  'rtc-ice-connection-state-changed': RtcEventMap['rtc-ice-connection-state-changed'];
  /** AMS `reconnection_attempt_for_player`. */
  'rtc-reconnection-attempt-for-player': RtcEventMap['rtc-reconnection-attempt-for-player'];
  /** AMS `data_channel_opened`. */
  'rtc-data-channel-opened': RtcEventMap['rtc-data-channel-opened'];
  /** AMS `data_channel_closed`. */
  'rtc-data-channel-closed': RtcEventMap['rtc-data-channel-closed'];
  /** AMS `data_received`: `{data}` (string or ArrayBuffer). */
  'rtc-data-received': RtcEventMap['rtc-data-received'];
  /** AMS `updated_stats`: an `RtcStats` snapshot every second while playing. */
  'rtc-updated-stats': RtcEventMap['rtc-updated-stats'];
  /** AMS `resolutionChangeInfo` after `setQuality()`. */
  'rtc-resolution-change-info': RtcEventMap['rtc-resolution-change-info'];
  /** AMS `bitrateMeasurement` (and any other server notification, as `rtc-<kebab name>`). */
  'rtc-bitrate-measurement': RtcEventMap['rtc-bitrate-measurement'];
  /** AMS `streamInformation`. */
  'rtc-stream-information': RtcEventMap['rtc-stream-information'];
  /** AMS `iceServerConfig`. */
  'rtc-ice-server-config': RtcEventMap['rtc-ice-server-config'];
}

/** Attributes of `<rtc-publisher>`, as written in markup. */
export interface RtcPublisherAttributes {
  /**
   * AMS WebSocket URL, e.g. `wss://host:5443/LiveApp/websocket`; or over WHIP, an `http(s)://` AMS application URL with `stream-id` (`https://host:5443/LiveApp` → `/LiveApp/whip/<stream-id>`), or any server's full WHIP endpoint without `stream-id`.
   *
   * Default: `''`.
   */
  'server-url'?: string;
  /** `ams`, `whip` or `whep` (publishes over WHIP for both of the last two); unset: `ws(s)://` is AMS, `http(s)://` WHIP. A bad value is `invalid_protocol`. */
  protocol?: string;
  /**
   * Stream id to publish (`A-Z a-z 0-9 _ . -`); optional over WHIP (then `server-url` is the endpoint).
   *
   * Default: `''`.
   */
  'stream-id'?: string;
  /** Publish token; read once and removed from the DOM (never reflected). */
  token?: string;
  /**
   * Stream name sent with `publish`.
   *
   * Default: `''`.
   */
  'stream-name'?: string;
  /**
   * Starts publishing as soon as the element is on the page (without the device check).
   *
   * Default: `false`.
   */
  'auto-publish'?: boolean;
  /**
   * Publishes without the camera.
   *
   * Default: `false`.
   */
  'no-video'?: boolean;
  /**
   * Publishes without the microphone.
   *
   * Default: `false`.
   */
  'no-audio'?: boolean;
  /**
   * Hide the built-in controls and the device check (no preview before `start()`).
   *
   * Default: `false`.
   */
  'no-controls'?: boolean;
  /**
   * Never show the error overlay.
   *
   * Default: `false`.
   */
  'no-error-overlay'?: boolean;
  /**
   * Shows the stats panel over the video while live (the last 60 s, one sample a second); reflected, so the Statistics button and the attribute stay in step.
   *
   * Default: `false`.
   */
  stats?: boolean;
  /**
   * Video bitrate cap in kbps; 0 = none. Changes apply while live.
   *
   * Default: `0`.
   */
  'max-bitrate'?: number | string;
}

/** Writable properties of `<rtc-publisher>` (frameworks that set properties use these names). */
export interface RtcPublisherProperties {
  /** Stream name sent with `publish`. */
  streamName?: RtcPublisher['streamName'];
  /** Starts publishing as soon as the element is on the page (without the device check). */
  autoPublish?: RtcPublisher['autoPublish'];
  /** Publishes without the camera. */
  noVideo?: RtcPublisher['noVideo'];
  /** Publishes without the microphone. */
  noAudio?: RtcPublisher['noAudio'];
  /** Video bitrate cap in kbps; 0 = none. Changes apply while live. */
  maxBitrate?: RtcPublisher['maxBitrate'];
  /** getUserMedia constraints (`{video, audio}`); `no-video` / `no-audio` still win. */
  mediaConstraints?: RtcPublisher['mediaConstraints'];
  /** Shows the stats panel over the video while live (the last 60 s, one sample a second); reflected, so the Statistics button and the attribute stay in step. */
  stats?: RtcPublisher['stats'];
  /**
   * The AMS WebSocket URL, e.g. `wss://media.example.com:5443/LiveApp/websocket`; or, over WHIP
   * (publisher) / WHEP (player), an `http(s)://` AMS application URL
   * (`https://media.example.com:5443/LiveApp`, with `stream-id`) or any server's full endpoint
   * (without `stream-id`).
   */
  serverUrl?: RtcPublisher['serverUrl'];
  /**
   * `ams`, `whip` or `whep` (the last two are the same: the publisher speaks WHIP, the player
   * WHEP). Unset: guessed from `server-url` (`ws(s)://` AMS, `http(s)://` WHIP/WHEP). Set, it wins:
   * `ams` with an `http(s)://` URL connects to its `ws(s)://` twin, `whip` with a `ws(s)://` AMS URL to its `http(s)://` application.
   */
  protocol?: RtcPublisher['protocol'];
  /** The stream id (`A-Z a-z 0-9 _ . -`). */
  streamId?: RtcPublisher['streamId'];
  /**
   * A one-time or JWT token sent with publish/play. The `token` attribute is accepted and removed
   * from the DOM as soon as it is read; the token is never reflected, logged or shown.
   */
  token?: RtcPublisher['token'];
  /** Called on every (re)connect for a fresh token; wins over `token`. */
  tokenProvider?: RtcPublisher['tokenProvider'];
  /** ICE servers for the peer connection; default: what the server's `iceServerConfig` names. */
  iceServers?: RtcPublisher['iceServers'];
  /** Hides the built-in controls. */
  noControls?: RtcPublisher['noControls'];
  /** Never shows the error overlay (errors are still dispatched as `rtc-error`). */
  noErrorOverlay?: RtcPublisher['noErrorOverlay'];
}

/** The events `<rtc-publisher>` fires, by name. */
export interface RtcPublisherEvents {
  /** Every error, once: `{code, message, category, recoverable, streamId, error}`. Cancelable: `preventDefault()` hides the overlay. A server too busy to admit the publish (`highResourceUsage`) is shown, and the publisher asks again every 2-5 s by itself until it is live. */
  'rtc-error': RtcErrorEvent;
  /** `state` changed: `{state, previous}`. */
  'rtc-state-change': RtcStateChangeEvent;
  /** AMS `publish_started`: the stream is live. */
  'rtc-publish-started': RtcEventMap['rtc-publish-started'];
  /** AMS `publish_finished`. */
  'rtc-publish-finished': RtcEventMap['rtc-publish-finished'];
  /** AMS `session_restored`. */
  'rtc-session-restored': RtcEventMap['rtc-session-restored'];
  /** AMS `initialized`: the signaling socket opened. */
  'rtc-initialized': RtcEventMap['rtc-initialized'];
  /** AMS `closed`: the signaling socket closed. */
  'rtc-closed': RtcEventMap['rtc-closed'];
  /** AMS `pong`. */
  'rtc-pong': RtcEventMap['rtc-pong'];
  /** AMS `ice_connection_state_changed`: `{state}`. */
  'rtc-ice-connection-state-changed': RtcEventMap['rtc-ice-connection-state-changed'];
  /** AMS `reconnection_attempt_for_publisher`. */
  'rtc-reconnection-attempt-for-publisher': RtcEventMap['rtc-reconnection-attempt-for-publisher'];
  /** AMS `data_channel_opened`. */
  'rtc-data-channel-opened': RtcEventMap['rtc-data-channel-opened'];
  /** AMS `data_channel_closed`. */
  'rtc-data-channel-closed': RtcEventMap['rtc-data-channel-closed'];
  /** AMS `data_received`: `{data}` (string or ArrayBuffer). */
  'rtc-data-received': RtcEventMap['rtc-data-received'];
  /** AMS `updated_stats`: an `RtcStats` snapshot, every second while publishing. */
  'rtc-updated-stats': RtcEventMap['rtc-updated-stats'];
  /** AMS `available_devices`: `{devices}` after capture and on every device change. */
  'rtc-available-devices': RtcEventMap['rtc-available-devices'];
  /** AMS `browser_screen_share_supported`, on connect. */
  'rtc-browser-screen-share-supported': RtcEventMap['rtc-browser-screen-share-supported'];
  /** AMS `screen_share_stopped`: sharing ended; back to the camera. */
  'rtc-screen-share-stopped': RtcEventMap['rtc-screen-share-stopped'];
  /** AMS `audio_only_fallback`: `{reason}`, the camera failed, the microphone alone is published. */
  'rtc-audio-only-fallback': RtcEventMap['rtc-audio-only-fallback'];
  /** AMS `bitrateMeasurement` (and any other server notification, as `rtc-<kebab name>`). */
  'rtc-bitrate-measurement': RtcEventMap['rtc-bitrate-measurement'];
  /** AMS `iceServerConfig`. */
  'rtc-ice-server-config': RtcEventMap['rtc-ice-server-config'];
}

/** Attributes of `<rtc-room>`, as written in markup. */
export interface RtcRoomAttributes {
  /**
   * AMS WebSocket URL, e.g. `wss://host:5443/LiveApp/websocket`.
   *
   * Default: `''`.
   */
  'server-url'?: string;
  /**
   * The room to join: the multitrack main track, the legacy room, or the p2p stream id. Missing: `no_room_specified`.
   *
   * Default: `''`.
   */
  'room-id'?: string;
  /**
   * `multitrack` (default: one connection for the whole room), `legacy` (`joinRoom`, one
   * connection per participant) or `p2p` (two peers, no media server); read at join, any other
   * value fails with `invalid_mode`.
   *
   * Default: `'multitrack'`.
   */
  mode?: 'multitrack' | 'legacy' | 'p2p';
  /**
   * Own stream id; generated when absent.
   *
   * Default: `''`.
   */
  'stream-id'?: string;
  /**
   * Own name shown to the others.
   *
   * Default: `''`.
   */
  'stream-name'?: string;
  /** Publish/play token; read once and removed from the DOM. */
  token?: string;
  /**
   * Joins as soon as the element is on the page.
   *
   * Default: `false`.
   */
  'auto-join'?: boolean;
  /**
   * Joins without the camera.
   *
   * Default: `false`.
   */
  'no-video'?: boolean;
  /**
   * Joins without the microphone.
   *
   * Default: `false`.
   */
  'no-audio'?: boolean;
  /**
   * `grid` (every tile the same size) or `speaker` (the pinned tile, else a shared screen, else the active speaker, large; the others in a strip).
   *
   * Default: `'grid'`.
   */
  layout?: 'grid' | 'speaker';
  /**
   * Hide the built-in controls, the device check and the chat input.
   *
   * Default: `false`.
   */
  'no-controls'?: boolean;
  /**
   * Never show the error overlay.
   *
   * Default: `false`.
   */
  'no-error-overlay'?: boolean;
  /**
   * How many remote videos to show at most (those who came first); the others show their
   * initials and are still heard. 0: all. Also asks the server for that many video slots
   * (`setMaxVideoTrackCountCommand`), which saves the bandwidth; each slot's video goes to the
   * tile `VIDEO_TRACK_ASSIGNMENT_LIST` names.
   *
   * Default: `0`.
   */
  'max-video-tracks'?: number | string;
  /**
   * `ams`, `whip` or `whep` (the last two are the same: the publisher speaks WHIP, the player
   * WHEP). Unset: guessed from `server-url` (`ws(s)://` AMS, `http(s)://` WHIP/WHEP). Set, it wins:
   * `ams` with an `http(s)://` URL connects to its `ws(s)://` twin, `whip` with a `ws(s)://` AMS URL to its `http(s)://` application.
   */
  protocol?: string;
}

/** Writable properties of `<rtc-room>` (frameworks that set properties use these names). */
export interface RtcRoomProperties {
  /** The room to join: the multitrack main track, the legacy room, or the p2p stream id. Missing: `no_room_specified`. */
  roomId?: RtcRoom['roomId'];
  /** Own name shown to the others. */
  streamName?: RtcRoom['streamName'];
  /**
   * `multitrack` (default: one connection for the whole room), `legacy` (`joinRoom`, one
   * connection per participant) or `p2p` (two peers, no media server); read at join, any other
   * value fails with `invalid_mode`.
   */
  mode?: RtcRoom['mode'];
  /** Joins as soon as the element is on the page. */
  autoJoin?: RtcRoom['autoJoin'];
  /** Joins without the camera. */
  noVideo?: RtcRoom['noVideo'];
  /** Joins without the microphone. */
  noAudio?: RtcRoom['noAudio'];
  /**
   * How many remote videos to show at most (those who came first); the others show their
   * initials and are still heard. 0: all. Also asks the server for that many video slots
   * (`setMaxVideoTrackCountCommand`), which saves the bandwidth; each slot's video goes to the
   * tile `VIDEO_TRACK_ASSIGNMENT_LIST` names.
   */
  maxVideoTracks?: RtcRoom['maxVideoTracks'];
  /** `grid` (every tile the same size) or `speaker` (the pinned tile, else a shared screen, else the active speaker, large; the others in a strip). */
  layout?: RtcRoom['layout'];
  /**
   * The AMS WebSocket URL, e.g. `wss://media.example.com:5443/LiveApp/websocket`; or, over WHIP
   * (publisher) / WHEP (player), an `http(s)://` AMS application URL
   * (`https://media.example.com:5443/LiveApp`, with `stream-id`) or any server's full endpoint
   * (without `stream-id`).
   */
  serverUrl?: RtcRoom['serverUrl'];
  /**
   * `ams`, `whip` or `whep` (the last two are the same: the publisher speaks WHIP, the player
   * WHEP). Unset: guessed from `server-url` (`ws(s)://` AMS, `http(s)://` WHIP/WHEP). Set, it wins:
   * `ams` with an `http(s)://` URL connects to its `ws(s)://` twin, `whip` with a `ws(s)://` AMS URL to its `http(s)://` application.
   */
  protocol?: RtcRoom['protocol'];
  /** The stream id (`A-Z a-z 0-9 _ . -`). */
  streamId?: RtcRoom['streamId'];
  /**
   * A one-time or JWT token sent with publish/play. The `token` attribute is accepted and removed
   * from the DOM as soon as it is read; the token is never reflected, logged or shown.
   */
  token?: RtcRoom['token'];
  /** Called on every (re)connect for a fresh token; wins over `token`. */
  tokenProvider?: RtcRoom['tokenProvider'];
  /** ICE servers for the peer connection; default: what the server's `iceServerConfig` names. */
  iceServers?: RtcRoom['iceServers'];
  /** Hides the built-in controls. */
  noControls?: RtcRoom['noControls'];
  /** Never shows the error overlay (errors are still dispatched as `rtc-error`). */
  noErrorOverlay?: RtcRoom['noErrorOverlay'];
}

/** The events `<rtc-room>` fires, by name. */
export interface RtcRoomEvents {
  /** A remote participant appeared: `{streamId, name}`, its stream id and the name its tile shows; dispatched once the name is known (its record, or in p2p its first message), at most 3 s after its tile appeared (then the best name known: its stream id). */
  'rtc-participant-joined': RtcParticipantEvent;
  /** A participant announced by `rtc-participant-joined` left: the same `{streamId, name}` (the name its tile showed last). */
  'rtc-participant-left': RtcParticipantEvent;
  /** AMS `data_received`: `{data}` from the room data channel. */
  'rtc-data-received': RtcEventMap['rtc-data-received'];
  /** AMS `subtrackAdded`. */
  'rtc-subtrack-added': RtcEventMap['rtc-subtrack-added'];
  /** AMS `subtrackRemoved`. */
  'rtc-subtrack-removed': RtcEventMap['rtc-subtrack-removed'];
  /** AMS `newTrackAvailable`. */
  'rtc-new-track-available': RtcEventMap['rtc-new-track-available'];
  /** AMS `gotSoundList`, every 400 ms while joined: `{soundList}`, the audio level (0–1) of each participant by stream id, own included. */
  'rtc-got-sound-list': RtcEventMap['rtc-got-sound-list'];
  /** AMS `joinedTheRoom` (legacy mode): own `streamId`, `streams`. */
  'rtc-joined-the-room': RtcEventMap['rtc-joined-the-room'];
  /** AMS `roomInformation` (legacy mode, every 2 s): `streams`, `streamList`. */
  'rtc-room-information': RtcEventMap['rtc-room-information'];
  /** AMS `leavedFromRoom` (legacy mode). */
  'rtc-leaved-from-room': RtcEventMap['rtc-leaved-from-room'];
  /** AMS `joined` (p2p mode): waiting for the other peer. */
  'rtc-joined': RtcEventMap['rtc-joined'];
  /** AMS `leaved` (p2p mode). */
  'rtc-leaved': RtcEventMap['rtc-leaved'];
  /** AMS `stop` (p2p mode): the other peer left. */
  'rtc-stop': RtcEventMap['rtc-stop'];
  /** AMS `peerMessageCommand` (p2p mode): `{peerDefinition, data}` from the other peer. */
  'rtc-peer-message-command': RtcEventMap['rtc-peer-message-command'];
  /** AMS `publish_started` (and every other publisher and player callback, as `rtc-<kebab name>`). */
  'rtc-publish-started': RtcEventMap['rtc-publish-started'];
  /** Every error, once. A server too busy to admit the join, a publish or a play (`highResourceUsage`) is shown, and the room asks again every 2-5 s by itself. */
  'rtc-error': RtcErrorEvent;
  /** `state` changed. */
  'rtc-state-change': RtcStateChangeEvent;
}

/** Every tag: its element class, attributes, writable properties and events. */
export interface RtcElements {
  /** Shows an error as a readable title and message, with an optional retry button. */
  'rtc-error-overlay': {
    element: RtcErrorOverlay;
    attributes: RtcErrorOverlayAttributes;
    properties: RtcErrorOverlayProperties;
    events: RtcErrorOverlayEvents;
  };
  /** Plays a live Ant Media Server stream over WebRTC. */
  'rtc-player': { element: RtcPlayer; attributes: RtcPlayerAttributes; properties: RtcPlayerProperties; events: RtcPlayerEvents };
  /** Publishes camera and microphone (or a screen) to Ant Media Server. */
  'rtc-publisher': { element: RtcPublisher; attributes: RtcPublisherAttributes; properties: RtcPublisherProperties; events: RtcPublisherEvents };
  /** Joins an Ant Media Server conference room: local tile, remote tiles, chat. */
  'rtc-room': { element: RtcRoom; attributes: RtcRoomAttributes; properties: RtcRoomProperties; events: RtcRoomEvents };
}

/** What every tag takes: its attributes, and its properties not already named as an attribute. */
export type RtcElementProps<T extends keyof RtcElements> = RtcElements[T]['attributes'] &
  Omit<RtcElements[T]['properties'], keyof RtcElements[T]['attributes']>;
