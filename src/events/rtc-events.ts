/**
 * The DOM events of every element (`<rtc-publisher>`, `<rtc-player>`, `<rtc-room>`,
 * `<rtc-error-overlay>`), typed in `GlobalEventHandlersEventMap` (STYLE.md convention 3), so
 * `el.addEventListener('rtc-error', (e) => e.detail.code)` is typed. All bubble and are composed;
 * only `rtc-error` is cancelable.
 */
import type { ErrorCategory, RtcError } from '../core/errors.js';
import type { SessionState } from '../core/session/types.js';
import type { RtcStats } from '../core/stats.js';
import type { RtcRetryEvent } from '../elements/rtc-error-overlay/rtc-error-overlay.js';
import type { AmsCallbackName, RtcEventName } from './names.js';

/** What every callback event carries besides the AMS payload. */
export interface RtcCallbackDetailBase {
  /** The stream the callback is about. */
  streamId: string;
  /** The AMS callback name, e.g. `publish_started`. */
  definition: string;
}

/** The detail of a callback event: the AMS payload, `streamId` and `definition`. */
export type RtcCallbackDetail<P extends object = Record<string, unknown>> = P & RtcCallbackDetailBase;

/** The payloads whose shape the elements guarantee; any other callback carries the server's fields. */
export interface RtcCallbackPayloads {
  available_devices: { devices: MediaDeviceInfo[] };
  audio_only_fallback: { reason: string };
  browser_screen_share_supported: object;
  screen_share_stopped: object;
  speaking_but_muted: object;
  autoplay_muted: object;
  waiting: object;
  data_received: { data: string | ArrayBuffer };
  data_channel_opened: object;
  data_channel_closed: object;
  ice_connection_state_changed: { state: RTCIceConnectionState };
  newTrackAvailable: { track: MediaStreamTrack; stream: MediaStream; trackId: string };
  newStreamAvailable: { track: MediaStreamTrack; stream: MediaStream; trackId: string };
  updated_stats: RtcStats;
  closed: { code: number; reason: string };
  /** `<rtc-room>`, every 400 ms while joined: the audio level (0–1) of each participant by stream id, own included. */
  gotSoundList: { soundList: Record<string, number> };
}

type PayloadOf<N extends string> = N extends keyof RtcCallbackPayloads ? RtcCallbackPayloads[N] : Record<string, unknown>;

/** One AMS callback as a DOM event. */
export type RtcCallbackEvent<N extends string = string> = CustomEvent<RtcCallbackDetail<PayloadOf<N>>>;

/** `rtc-<kebab AMS name>` → its event type, for every name of `AMS_CALLBACKS`. */
export type RtcCallbackEventMap = { [N in AmsCallbackName as RtcEventName<N>]: RtcCallbackEvent<N> };

/** `rtc-error`: one per error. */
export interface RtcErrorDetail {
  /** The documented AMS name, e.g. `NotAllowedError`, `unauthorized_access`. */
  code: string;
  message: string;
  category: ErrorCategory;
  /** Whether trying again can help. */
  recoverable: boolean;
  streamId: string | undefined;
  /** The error itself. */
  error: RtcError;
}
export type RtcErrorEvent = CustomEvent<RtcErrorDetail>;

/** `rtc-state-change`. */
export interface RtcStateChangeDetail {
  state: SessionState;
  previous: SessionState;
}
export type RtcStateChangeEvent = CustomEvent<RtcStateChangeDetail>;

/** `rtc-participant-joined` / `rtc-participant-left` (`<rtc-room>`). */
export interface RtcParticipantDetail {
  streamId: string;
  name: string;
}
export type RtcParticipantEvent = CustomEvent<RtcParticipantDetail>;

/** Every event the elements dispatch. */
export interface RtcEventMap extends RtcCallbackEventMap {
  'rtc-error': RtcErrorEvent;
  'rtc-state-change': RtcStateChangeEvent;
  'rtc-participant-joined': RtcParticipantEvent;
  'rtc-participant-left': RtcParticipantEvent;
  /** `<rtc-error-overlay>`: the viewer pressed retry. */
  'rtc-retry': RtcRetryEvent;
}

declare global {
  // HTMLElementEventMap, DocumentEventMap and WindowEventMap all extend this one (an empty
  // interface is how a global map is augmented).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends RtcEventMap {}
}
