/**
 * Headless Debian Chromium for the tests that drive it with puppeteer (test/consumer/, test/wordpress/):
 * the flags of the browser tests (web-test-runner.config.mjs): fake camera and microphone, loopback
 * WebRTC, no throttling.
 */
export const executablePath = process.env['CHROME_PATH'] || '/usr/bin/chromium';

export const FLAGS = [
  ...['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  ...['--autoplay-policy=no-user-gesture-required', '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'],
  ...['--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'],
  ...['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
];
