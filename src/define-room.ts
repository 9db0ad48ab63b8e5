/**
 * `rtc-elements/room`: registers `<rtc-room>` and `<rtc-error-overlay>` only, for bundler users
 * who want just the conference element.
 */
import { RtcErrorOverlay } from './elements/rtc-error-overlay/rtc-error-overlay.js';
import { RtcRoom } from './elements/rtc-room/rtc-room.js';

export { RtcRoom };

RtcErrorOverlay.define('rtc-error-overlay');
RtcRoom.define('rtc-room');
