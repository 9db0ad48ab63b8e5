// Plain TypeScript against the package's typings: the tag map and the typed events of the DOM. Each
// `@ts-expect-error` line is a mistake the typings must catch (`tsc` fails when one stops being an error).
import type { RtcErrorEvent, RtcPlayer, RtcRoom } from 'rtc-elements';

const player: RtcPlayer | null = document.querySelector('rtc-player');
const room: RtcRoom = document.createElement('rtc-room');
player?.addEventListener('rtc-play-started', (e) => e.detail.streamId.toUpperCase());
player?.addEventListener('rtc-error', (e: RtcErrorEvent) => (e.detail.recoverable ? e.preventDefault() : undefined));
room.addEventListener('rtc-participant-joined', (e) => e.detail.name.trim());

// @ts-expect-error: `rtc-error`'s detail has `code`, not `cod`
player?.addEventListener('rtc-error', (e) => e.detail.cod);
// @ts-expect-error: `RtcPlayer` has no `streamID` (it is `streamId`)
if (player) player.streamID = 'x';
// @ts-expect-error: `rtc-participant-joined` is not an `RtcErrorEvent`
room.addEventListener('rtc-participant-joined', (e: RtcErrorEvent) => e.detail.code);

export {};
