/**
 * The drop-in entry (`dist/rtc-elements.js`): everything `index.ts` exports, plus the elements
 * registered as `<rtc-publisher>`, `<rtc-player>` and `<rtc-error-overlay>`. A tag already
 * registered (say, by another copy of the bundle) is left as it is.
 */
import { RtcErrorOverlay } from './elements/rtc-error-overlay/rtc-error-overlay.js';
import { RtcPlayer } from './elements/rtc-player/rtc-player.js';
import { RtcPublisher } from './elements/rtc-publisher/rtc-publisher.js';

export * from './index.js';

RtcErrorOverlay.define('rtc-error-overlay');
RtcPublisher.define('rtc-publisher');
RtcPlayer.define('rtc-player');
