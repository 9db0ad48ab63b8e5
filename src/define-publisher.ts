/** `rtc-elements/publisher`: registers `<rtc-publisher>` and `<rtc-error-overlay>` only. */
import { RtcErrorOverlay } from './elements/rtc-error-overlay/rtc-error-overlay.js';
import { RtcPublisher } from './elements/rtc-publisher/rtc-publisher.js';

export { RtcPublisher };

RtcErrorOverlay.define('rtc-error-overlay');
RtcPublisher.define('rtc-publisher');
