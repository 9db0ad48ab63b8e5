import { css } from 'lit';

/**
 * Styles of `<rtc-error-overlay>`, with the shared `--rtc-*` tokens' defaults. One rule per line:
 * the bundle does not minify CSS inside templates, and the whole bundle has a 25 kB gzip budget.
 */
export default css`
  :host { display: block; box-sizing: border-box; font-family: var(--rtc-font-family, system-ui, sans-serif); }
  /* No room and no clicks taken while there is no error. */
  :host(:not([error-code])), :host([hidden]) { display: none !important; }
  .overlay { box-sizing: border-box; height: 100%; overflow: auto; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: .5em; padding: 1em 1.25em; text-align: center; font-size: .9375rem; line-height: 1.4; color: var(--rtc-overlay-color, #fff); background: var(--rtc-overlay-background, rgb(17 17 20 / .92)); border-radius: var(--rtc-radius, 8px); }
  .overlay__title { font-size: 1.0625em; font-weight: 600; }
  .overlay__message, .overlay__detail { max-width: 36em; overflow-wrap: anywhere; }
  .overlay__detail { font-size: .8125em; }
  .overlay__retry { margin-top: .5em; min-height: 2.75rem; padding: .5em 1.25em; font: inherit; font-weight: 600; color: var(--rtc-accent-text-color, #fff); background: var(--rtc-accent-color, #2563eb); border: 0; border-radius: var(--rtc-radius, 8px); cursor: pointer; }
  .overlay__retry:hover { filter: brightness(1.1); }
  .overlay__retry:focus-visible { outline: 2px solid var(--rtc-overlay-color, #fff); outline-offset: 2px; }
`;
