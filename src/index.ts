/**
 * rtc-elements: drop-in Web Components for live WebRTC video through Ant Media Server.
 * This entry re-exports the public API; it never registers elements by itself (`define.ts` does).
 */
export type { NotificationDefinition, ServerErrorDefinition } from './core/protocol/ams.js';
export type * from './core/protocol/messages.js';
export { ERROR_CATALOG, RtcError, catalogEntry, isCatalogCode, type CatalogEntry, type ErrorCategory, type RtcErrorCode } from './core/errors.js';
export { SessionState, type TokenSource } from './core/session/types.js';
export type { RtcStats } from './core/stats.js';
export { RtcPublisher } from './elements/rtc-publisher/rtc-publisher.js';
export { RtcPlayer } from './elements/rtc-player/rtc-player.js';
export { RtcRoom } from './elements/rtc-room/rtc-room.js';
export { RtcErrorOverlay, type OverlayError, type RtcRetryEvent } from './elements/rtc-error-overlay/rtc-error-overlay.js';
export { AMS_CALLBACKS, RTC_ERROR, RTC_EVENTS, RTC_STATE_CHANGE, rtcEventName, type AmsCallbackName, type RtcEventName } from './events/names.js';
export type * from './events/rtc-events.js';
export { LANGUAGES, Localizer, langOf, resolveLanguage, setTranslations, type Translations } from './i18n/i18n.js';
export const VERSION = '0.1.0';
