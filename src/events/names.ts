/**
 * The one mapping from AMS callback names to DOM event types (STYLE.md convention 1): `rtc-` plus
 * the lowercase kebab-case of the AMS name, so `publish_started` → `rtc-publish-started`,
 * `newTrackAvailable` → `rtc-new-track-available`. The detail of each event keeps the raw AMS
 * name as `definition` for people porting AMS code.
 */

import { NOTIFICATIONS } from '../core/protocol/ams.js';

/**
 * Every AMS callback name the elements can fire, for docs and tests. A callback a server sends
 * that is not listed here still becomes an event, under the same naming rule.
 */
export const AMS_CALLBACKS = [
  // Server notifications (reference 3.2), from the one protocol table.
  ...NOTIFICATIONS,
  // Server frames reported as callbacks (reference 3.1 and 4).
  'streamInformation',
  'roomInformation',
  'trackList',
  'peerMessageCommand',
  'iceServerConfig',
  'stop',
  // The SDK's own info events (reference 4).
  'initialized',
  'closed',
  'pong',
  'ice_connection_state_changed',
  'reconnection_attempt_for_publisher',
  'reconnection_attempt_for_player',
  'newTrackAvailable',
  'newStreamAvailable',
  'data_channel_opened',
  'data_channel_closed',
  'data_received',
  'updated_stats',
  'available_devices',
  'browser_screen_share_supported',
  'screen_share_stopped',
  'speaking_but_muted',
  'gotSoundList',
  'audio_only_fallback',
  // Ours: the player waits for a stream that is not live yet; autoplay with sound was refused.
  'waiting',
  'autoplay_muted',
] as const;

/** An AMS callback name the elements fire. */
export type AmsCallbackName = (typeof AMS_CALLBACKS)[number];

type KebabChar<C extends string> = C extends '_' ? '-' : C extends Lowercase<C> ? C : `-${Lowercase<C>}`;
/** Type-level twin of `rtcEventName` for the names above (letters and underscores only). */
type Kebab<S extends string> = S extends `${infer H}${infer T}` ? `${KebabChar<H>}${Kebab<T>}` : S;

/** The DOM event type of an AMS callback name, e.g. `'rtc-publish-started'`. */
export type RtcEventName<N extends string> = `rtc-${Kebab<N>}`;

/** The DOM event type of any AMS callback name: `rtc-` + kebab-case (`newTrackAvailable` → `rtc-new-track-available`). */
export const rtcEventName = <N extends string>(definition: N): RtcEventName<N> =>
  `rtc-${definition
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()}` as RtcEventName<N>;

/** The table, AMS name → DOM event type: `{publish_started: 'rtc-publish-started', …}`. */
export const RTC_EVENTS = Object.freeze(Object.fromEntries(AMS_CALLBACKS.map((n) => [n, rtcEventName(n)]))) as {
  readonly [N in AmsCallbackName]: RtcEventName<N>;
};

/** Every error, once: cancelable, `preventDefault()` hides the overlay. */
export const RTC_ERROR = 'rtc-error';
/** The element's `state` changed. */
export const RTC_STATE_CHANGE = 'rtc-state-change';
