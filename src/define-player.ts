/** `rtc-elements/player`: registers `<rtc-player>` and `<rtc-error-overlay>` only. */
import { RtcErrorOverlay } from './elements/rtc-error-overlay/rtc-error-overlay.js';
import { RtcPlayer } from './elements/rtc-player/rtc-player.js';

export { RtcPlayer };

RtcErrorOverlay.define('rtc-error-overlay');
RtcPlayer.define('rtc-player');
