// Mistakes the package's typings must catch: `ng build` fails when a `@ts-expect-error` line stops
// being an error. Not imported by the app; type-checked only (tsconfig.json includes src/**).
// Angular's templates do not type custom elements (CUSTOM_ELEMENTS_SCHEMA), so the checks are in code.
import type { RtcPlayer } from 'rtc-elements';

export function mistakes(player: RtcPlayer): void {
  player.addEventListener('rtc-play-started', (e) => e.detail.streamId.toUpperCase());
  // @ts-expect-error: `rtc-error`'s detail has `code`, not `cod`
  player.addEventListener('rtc-error', (e) => e.detail.cod);
  // @ts-expect-error: `RtcPlayer` has no `streamID` (it is `streamId`)
  player.streamID = 'x';
  // @ts-expect-error: `autoplay` is a boolean
  player.autoplay = 'yes';
}
