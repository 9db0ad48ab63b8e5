// Generated from custom-elements.json by scripts/gen-types.mjs (`npm run docs`): edit the JSDoc of src/elements/, not this file.
// Vue 3 template types for the tags: `import 'rtc-elements/vue'`, with `compilerOptions.isCustomElement`
// (tag) => tag.startsWith('rtc-') in the Vue compiler options. Vue's guide types a custom element for vue-tsc as a
// component whose instance has `$props` (what the template may pass) and `$emit` (what `@event` may listen to).
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { RtcElementProps, RtcElements } from './elements.js';

type Emits<E> = EmitFn<{ [K in keyof E]: (event: E[K]) => void }>;
type VueElement<T extends keyof RtcElements> = new () => RtcElements[T]['element'] & {
  /** @deprecated For template type checking only: the element has no `$props`. */
  $props: HTMLAttributes & RtcElementProps<T> & PublicProps;
  /** @deprecated For template type checking only: the element has no `$emit`. */
  $emit: Emits<RtcElements[T]['events']>;
};

declare module 'vue' {
  interface GlobalComponents {
    /** Shows an error as a readable title and message, with an optional retry button. */
    'rtc-error-overlay': VueElement<'rtc-error-overlay'>;
    /** Plays a live Ant Media Server stream over WebRTC. */
    'rtc-player': VueElement<'rtc-player'>;
    /** Publishes camera and microphone (or a screen) to Ant Media Server. */
    'rtc-publisher': VueElement<'rtc-publisher'>;
    /** Joins an Ant Media Server conference room: local tile, remote tiles, chat. */
    'rtc-room': VueElement<'rtc-room'>;
  }
}

// The helper types above stay private to this file.
export {};
