/**
 * The conference entry (`dist/rtc-room.js`): registers `<rtc-room>` and `<rtc-error-overlay>`.
 * Kept out of `define.ts` so the drop-in bundle stays within its budget.
 */
import { RtcErrorOverlay } from './elements/rtc-error-overlay/rtc-error-overlay.js';
import { RtcRoom } from './elements/rtc-room/rtc-room.js';

export { RtcRoom };

RtcErrorOverlay.define('rtc-error-overlay');
RtcRoom.define('rtc-room');
