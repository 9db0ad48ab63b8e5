// Generated from custom-elements.json by scripts/gen-types.mjs (`npm run docs`): edit the JSDoc of src/elements/, not this file.
// Solid JSX for the tags: `import 'rtc-elements/solid'`. Solid listens to `rtc-play-started` for
// `on:rtc-play-started={…}` and sets the props of a custom element as properties.
import type { JSX } from 'solid-js';
import type { RtcElementProps, RtcElements } from './elements.js';

type EventProps<E> = { [K in keyof E & string as `on:${K}`]?: (event: E[K]) => void };
type OwnProps<T extends keyof RtcElements> = RtcElementProps<T> & EventProps<RtcElements[T]['events']>;
type ElementOf<T extends keyof RtcElements> = RtcElements[T]['element'];
type Props<T extends keyof RtcElements> = Omit<JSX.HTMLAttributes<ElementOf<T>>, keyof OwnProps<T>> & OwnProps<T>;

declare module 'solid-js' {
  namespace JSX {
    interface IntrinsicElements {
      /** Shows an error as a readable title and message, with an optional retry button. */
      'rtc-error-overlay': Props<'rtc-error-overlay'>;
      /** Plays a live Ant Media Server stream over WebRTC. */
      'rtc-player': Props<'rtc-player'>;
      /** Publishes camera and microphone (or a screen) to Ant Media Server. */
      'rtc-publisher': Props<'rtc-publisher'>;
      /** Joins an Ant Media Server conference room: local tile, remote tiles, chat. */
      'rtc-room': Props<'rtc-room'>;
    }
  }
}

// The helper types above stay private to this file.
export {};
