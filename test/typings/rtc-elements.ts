// What `import 'rtc-elements'` declares for a consumer: the exports of src/index.ts, plus `RtcRoom`
// (the package entry registers and exports all four elements). Once src/index.ts exports `RtcRoom`
// itself, the explicit export below simply names the same class.
export * from '../../src/index.js';
export { RtcRoom } from '../../src/elements/rtc-room/rtc-room.js';
