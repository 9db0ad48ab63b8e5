/**
 * The drop-in entry (`dist/rtc-elements.js`, and `rtc-elements` for bundlers): everything
 * `index.ts` exports, plus the four elements registered as `<rtc-publisher>`, `<rtc-player>`,
 * `<rtc-room>` and `<rtc-error-overlay>`. The room's code is fetched the first time a
 * `<rtc-room>` connects. A tag already registered (say, by another copy of the bundle) is left
 * as it is; without a DOM (server-side rendering) nothing is registered.
 */
import { RtcErrorOverlay } from './elements/rtc-error-overlay/rtc-error-overlay.js';
import { RtcPlayer } from './elements/rtc-player/rtc-player.js';
import { RtcPublisher } from './elements/rtc-publisher/rtc-publisher.js';
import { RtcRoom } from './elements/rtc-room/rtc-room.js';

export * from './index.js';

RtcErrorOverlay.define('rtc-error-overlay');
RtcPublisher.define('rtc-publisher');
RtcPlayer.define('rtc-player');
RtcRoom.define('rtc-room');
