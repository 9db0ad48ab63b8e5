// Plain TypeScript, no framework: the tag map and the typed events a page's code gets from `import 'rtc-elements'`.
import type { RtcCallbackEvent, RtcErrorEvent, RtcErrorOverlay, RtcEventMap, RtcPlayer, RtcPublisher, RtcRetryEvent, RtcRoom } from 'rtc-elements';
import type { RtcElements } from '../../types/elements.js';

/** `true` only when `A` and `B` are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const check = <T extends true>(): T | undefined => undefined;

// Every tag is its class in `HTMLElementTagNameMap`.
check<Equal<HTMLElementTagNameMap['rtc-publisher'], RtcPublisher>>();
check<Equal<HTMLElementTagNameMap['rtc-room'], RtcRoom>>();
check<Equal<HTMLElementTagNameMap['rtc-error-overlay'], RtcErrorOverlay>>();
const player = document.querySelector('rtc-player');
check<Equal<typeof player, RtcPlayer | null>>();
// @ts-expect-error: a player is not a publisher
check<Equal<typeof player, RtcPublisher | null>>();
const made: RtcRoom = document.createElement('rtc-room');

// Every event any tag fires (the manifest's `@fires`, in types/elements.d.ts) is in
// `GlobalEventHandlersEventMap`, with the same type.
type Fired = {
  [T in keyof RtcElements]: { [K in keyof RtcElements[T]['events']]: [K, RtcElements[T]['events'][K]] }[keyof RtcElements[T]['events']];
}[keyof RtcElements];
type NotInMap<F> = F extends [infer K, infer E]
  ? K extends keyof GlobalEventHandlersEventMap
    ? Equal<GlobalEventHandlersEventMap[K], E> extends true
      ? never
      : K
    : K
  : never;
check<Equal<NotInMap<Fired>, never>>();
check<Equal<Fired[0] extends `rtc-${string}` ? true : false, true>>();
// The rule catches an event that is missing.
// @ts-expect-error: `rtc-not-fired` is in no map
check<Equal<NotInMap<Fired | ['rtc-not-fired', CustomEvent]>, never>>();

// Typed details.
player?.addEventListener('rtc-error', (e) => {
  check<Equal<typeof e, RtcErrorEvent>>();
  const code: string = e.detail.code;
  const recoverable: boolean = e.detail.recoverable;
  // @ts-expect-error: `rtc-error` has `code`, not `cod`
  console.log(code, recoverable, e.detail.cod);
  // @ts-expect-error: `code` is a string
  const wrong: number = e.detail.code;
  e.preventDefault();
  return wrong;
});
player?.addEventListener('rtc-state-change', (e) => {
  const next: 'idle' | 'connecting' | 'negotiating' | 'live' | 'reconnecting' | 'stopped' | 'failed' = e.detail.state;
  // @ts-expect-error: no such state
  const bad: typeof e.detail.previous = 'playing';
  console.log(next, bad);
});
player?.addEventListener('rtc-play-started', (e) => {
  check<Equal<typeof e, RtcCallbackEvent<'play_started'>>>();
  const id: string = e.detail.streamId;
  const definition: string = e.detail.definition;
  // @ts-expect-error: `streamId` is a string
  e.detail.streamId.toFixed();
  console.log(id, definition);
});
player?.addEventListener('rtc-new-track-available', (e) => {
  const track: MediaStreamTrack = e.detail.track;
  console.log(track.kind, e.detail.stream.id);
});
document.addEventListener('rtc-participant-joined', (e) => {
  const who: { streamId: string; name: string } = e.detail;
  // @ts-expect-error: a participant has `name`, not `displayName`
  console.log(who, e.detail.displayName);
});
made.addEventListener('rtc-participant-left', (e) => console.log(e.detail.streamId, e.detail.name));
made.addEventListener('rtc-got-sound-list', (e) => {
  const levels: Record<string, number> = e.detail.soundList;
  // @ts-expect-error: levels are numbers
  const name: string = e.detail.soundList['someone'];
  console.log(levels, name);
});
window.addEventListener('rtc-retry', (e) => {
  check<Equal<typeof e, RtcRetryEvent>>();
  const code: string = e.detail.code;
  console.log(code);
});
document.querySelector('rtc-error-overlay')?.addEventListener('rtc-retry', (e) => e.detail.code.toUpperCase());
check<Equal<RtcEventMap['rtc-retry'], RtcRetryEvent>>();
