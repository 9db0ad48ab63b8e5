// The flags headless Chromium runs with wherever this project drives it (web-test-runner.config.mjs,
// scripts/bench.mjs, scripts/fault-lab.mjs, scripts/soak.mjs): autoplay, WebRTC over loopback, no
// background work and no throttling of a page nobody looks at; then a fake camera and microphone
// allowed without a prompt (the test runner's permission groups leave those out).
export const BASE_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];
export const FAKE_MEDIA_FLAGS = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];
export const CHROMIUM_FLAGS = [...BASE_FLAGS, ...FAKE_MEDIA_FLAGS];
