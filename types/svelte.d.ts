// Generated from custom-elements.json by scripts/gen-types.mjs (`npm run docs`): edit the JSDoc of src/elements/, not this file.
// Svelte 5 element types for the tags: `import 'rtc-elements/svelte'`. Svelte 5 sets a prop as a property when the
// element has one, else as an attribute, and listens to `rtc-play-started` for `onrtc-play-started={…}`.
import type { HTMLAttributes } from 'svelte/elements';
import type { RtcElementProps, RtcElements } from './elements.js';

type EventProps<E> = { [K in keyof E & string as `on${K}`]?: (event: E[K]) => void };
type OwnProps<T extends keyof RtcElements> = RtcElementProps<T> & EventProps<RtcElements[T]['events']>;
type ElementOf<T extends keyof RtcElements> = RtcElements[T]['element'];
type Props<T extends keyof RtcElements> = Omit<HTMLAttributes<ElementOf<T>>, keyof OwnProps<T>> & OwnProps<T>;

declare global {
  namespace svelteHTML {
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
