// Mistakes the package's typings must catch: `tsc -b` fails when a `@ts-expect-error` line stops
// being an error. Not imported by the app; type-checked only.
import type { RtcPlayer } from 'rtc-elements';
import { useRef } from 'react';

export function Mistakes() {
  const player = useRef<RtcPlayer>(null);
  return (
    <>
      <rtc-player
        ref={player}
        // @ts-expect-error: `rtc-error`'s detail has `code`, not `cod`
        onrtc-error={(e) => e.detail.cod}
      />
      <rtc-player
        // @ts-expect-error: misspelt attribute (`autoplay`)
        autoplya
      />
      {/* @ts-expect-error: `stream-id` is text */}
      <rtc-publisher stream-id={42} />
    </>
  );
}

// Outside JSX: the tag map and the typed events.
export function listen(): void {
  const el = document.querySelector('rtc-player');
  el?.addEventListener('rtc-play-started', (e) => e.detail.streamId.toUpperCase());
  // @ts-expect-error: `RtcPlayer` has no `streamID` (it is `streamId`)
  if (el) el.streamID = 'x';
}
