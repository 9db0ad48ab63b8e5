/**
 * rtc-elements: drop-in Web Components for live WebRTC video through Ant Media Server.
 * This entry re-exports the public API; it never registers elements by itself.
 */
export * from './core/protocol/ams.js';
export type * from './core/protocol/messages.js';
export const VERSION = '0.1.0';
