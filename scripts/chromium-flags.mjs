// The flags headless Chromium runs with in the scripts that drive it with puppeteer (scripts/bench.mjs,
// scripts/fault-lab.mjs): a fake camera and microphone allowed without a prompt, autoplay, WebRTC over
// loopback, no background work and no throttling of a page nobody looks at.
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];
