import { css } from 'lit';

/**
 * Styles of `<rtc-room>`, its own (the shared publisher/player rules place controls over the
 * video, which a room must not). The host is a size container by width: below 600 px the stage
 * is portrait, from 640 px the device check sits beside the preview, from 720 px the chat is a
 * side panel (a sheet under the controls below that). The stage keeps its aspect ratio while
 * the page leaves the height to the room, and fills the height it is given otherwise (and in
 * full screen); the view places the tiles inside it (`layout.ts`).
 */
export default [
  css`
  :host {
    display: block;
    position: relative;
    overflow: hidden;
    container: rtc-room / inline-size;
    font: 0.875rem/1.4 var(--rtc-font-family, system-ui, sans-serif);
    color: var(--rtc-color, #fff);
    background: var(--rtc-background, #111);
    border-radius: var(--rtc-radius, 8px);
  }
  :host([hidden]),
  [hidden] {
    display: none !important;
  }
  :host(:fullscreen) {
    border-radius: 0;
  }
  .base {
    box-sizing: border-box;
    height: 100%;
    display: grid;
    grid-template: 'stage' minmax(0, 1fr) 'bar' auto 'chat' auto / minmax(0, 1fr);
    gap: 8px;
    padding: 8px;
  }
  .pre {
    grid-template: 'stage' minmax(0, 1fr) 'check' auto / minmax(0, 1fr);
  }
  .grid {
    grid-area: stage;
    place-self: stretch;
    position: relative;
    display: grid;
    gap: 6px;
    place-content: center;
    min-width: 0;
    min-height: 0;
    overflow: hidden;
    aspect-ratio: 16 / 9;
  }
  @container rtc-room (max-width: 599px) {
    .grid {
      aspect-ratio: 3 / 4;
    }
    .pre .grid {
      aspect-ratio: 4 / 3;
    }
  }
  @container rtc-room (min-width: 640px) {
    .pre {
      grid-template: 'stage check' minmax(0, 1fr) / minmax(0, 1fr) minmax(15rem, 20rem);
    }
  }
  @container rtc-room (min-width: 720px) {
    .live.chat-open {
      grid-template: 'stage chat' minmax(0, 1fr) 'bar bar' auto / minmax(0, 1fr) minmax(16rem, 22rem);
    }
    .live.chat-open .chat {
      height: auto;
    }
  }

  /* Tiles */
  .tile {
    position: relative;
    min-width: 0;
    min-height: 0;
    border-radius: 10px;
    background: #2a2b30;
    container: tile / size;
  }
  .tile:is(:hover, :focus-within) {
    z-index: 1;
  }
  video,
  .placeholder {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    border-radius: inherit;
  }
  video {
    display: block;
    object-fit: cover;
    background: #000;
  }
  .sharing video {
    object-fit: contain;
  }
  .mirror {
    transform: scaleX(-1);
  }
  .placeholder {
    display: flex;
    align-items: center;
    justify-content: center;
    background: #2a2b30;
  }
  .placeholder span {
    display: grid;
    place-items: center;
    width: min(5rem, 40cqw);
    aspect-ratio: 1;
    border-radius: 50%;
    background: #5b5fc7;
    font-size: min(2rem, 16cqw);
    font-weight: 600;
  }
  .tile.speaking::after {
    content: '';
    position: absolute;
    inset: 0;
    border-radius: inherit;
    box-shadow: inset 0 0 0 3px var(--rtc-accent-color, #2563eb);
    pointer-events: none;
  }
  .name {
    position: absolute;
    left: 4px;
    bottom: 4px;
    max-width: calc(100% - 8px);
    box-sizing: border-box;
    display: flex;
    gap: 4px;
    align-items: center;
    padding: 2px 6px;
    border-radius: 6px;
    background: rgb(0 0 0 / 0.62);
    font-size: 0.75rem;
    line-height: 1.25rem;
  }
  .label {
    min-width: 0;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .name svg {
    flex: none;
    width: 14px;
    height: 14px;
  }
  .name span[role='img'] {
    display: inline-flex;
    color: #ff8a80;
  }
  .name .screen {
    color: #8ab4f8;
  }
  /* Only what is off shows: a muted microphone, a camera off. */
  .name span[data-off='false'] {
    display: none;
  }

  /* Buttons */
  button,
  select,
  input {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
  }
  button:disabled {
    cursor: default;
    opacity: 0.45;
  }
  :is(button, select, input):focus-visible {
    outline: 3px solid var(--rtc-focus-color, #fff);
    outline-offset: 2px;
    box-shadow: 0 0 0 2px #000;
  }
  .btn {
    position: relative;
    flex: none;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    box-sizing: border-box;
    inline-size: 2.75rem;
    block-size: 2.75rem;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: #3c4043;
  }
  .btn svg {
    width: 1.25rem;
    height: 1.25rem;
  }
  .btn:not(:disabled):hover {
    background: #50545a;
  }
  .off-red[aria-pressed='true'] {
    background: #d93025;
  }
  .off-red[aria-pressed='true']:not(:disabled):hover {
    background: #e8503f;
  }
  .on-accent[aria-pressed='true'] {
    background: var(--rtc-accent-color, #2563eb);
  }
  .on-accent[aria-pressed='true']:not(:disabled):hover {
    background: color-mix(in srgb, var(--rtc-accent-color, #2563eb) 82%, #fff);
  }
  .leave {
    inline-size: auto;
    padding-inline: 1rem;
    border-radius: 999px;
    background: #d93025;
    font-weight: 600;
  }
  .leave:not(:disabled):hover {
    background: #e8503f;
  }
  .leave-text {
    display: none;
  }
  @container rtc-room (min-width: 480px) {
    .leave-text {
      display: inline;
    }
  }
  /* Tooltips: the button's action, on hover and keyboard focus; above the bar, below a pin. */
  [data-tip]:is(:hover, :focus-visible)::after {
    content: attr(data-tip);
    position: absolute;
    bottom: calc(100% + 8px);
    left: 50%;
    translate: -50%;
    z-index: 3;
    padding: 4px 8px;
    border-radius: 4px;
    background: #e8eaed;
    color: #202124;
    font-size: 0.75rem;
    font-weight: 400;
    white-space: nowrap;
    pointer-events: none;
  }
  .tip-start[data-tip]::after {
    left: 0;
    translate: none;
  }
  .tip-end[data-tip]::after {
    left: auto;
    right: 0;
    translate: none;
  }
  .pin[data-tip]::after {
    top: calc(100% + 6px);
    bottom: auto;
  }
  .badge {
    position: absolute;
    top: -2px;
    right: -2px;
    min-width: 1.125rem;
    height: 1.125rem;
    padding: 0 3px;
    box-sizing: border-box;
    border-radius: 999px;
    background: #d93025;
    font-size: 0.6875rem;
    line-height: 1.125rem;
    font-weight: 700;
  }

  /* The pin button of a tile: top right, shown on hover and focus, always while pinned. */
  .pin {
    position: absolute;
    top: 6px;
    right: 6px;
    inline-size: 2rem;
    block-size: 2rem;
    background: rgb(32 33 36 / 0.75);
    opacity: 0;
  }
  .pin svg {
    width: 1rem;
    height: 1rem;
  }
  .tile:is(:hover, :focus-within) .pin,
  .pin[aria-pressed='true'] {
    opacity: 1;
  }
  @media (hover: none) {
    .pin {
      opacity: 1;
    }
  }
  /* A short tile: the pin beside the name, on its row. */
  @container tile (max-height: 71px) {
    .pin {
      top: auto;
      bottom: 4px;
      right: 4px;
      inline-size: 1.5rem;
      block-size: 1.5rem;
    }
    .name {
      left: 2px;
      bottom: 2px;
      max-width: calc(100% - 32px);
      padding: 0 4px;
      font-size: 0.6875rem;
    }
  }

  /* The control bar */
  .bar {
    grid-area: bar;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: 8px;
    min-width: 0;
  }
  .status {
    flex-basis: 100%;
    text-align: center;
    color: #e8eaed;
  }
  @container rtc-room (max-width: 359px) {
    .bar {
      gap: 4px;
    }
    .bar .btn {
      inline-size: 2.25rem;
      block-size: 2.25rem;
    }
    .bar .leave {
      inline-size: auto;
      padding-inline: 0.625rem;
    }
  }
  @container rtc-room (max-width: 279px) {
    .bar .btn {
      inline-size: 2rem;
      block-size: 2rem;
    }
    .bar .leave {
      inline-size: auto;
      padding-inline: 0.5rem;
    }
  }

  /* The device check */
  .check {
    grid-area: check;
    align-self: center;
    display: flex;
    flex-direction: column;
    gap: 6px;
    min-width: 0;
    padding: 12px;
    border-radius: 10px;
    background: #1f2024;
  }
  @container rtc-room (max-width: 359px) {
    .check {
      padding: 8px;
    }
  }
  @container rtc-room (max-width: 279px) {
    .base,
    .check {
      padding: 6px;
    }
  }
  .title {
    margin: 0 0 4px;
    font-size: 1.125rem;
    font-weight: 600;
  }
  .note {
    margin: 0;
    color: #ffb4a9;
  }
  .field {
    margin-top: 4px;
    color: #c4c7c5;
    font-size: 0.8125rem;
  }
  .row {
    display: flex;
    gap: 8px;
    align-items: center;
    min-width: 0;
    margin-top: 10px;
  }
  .input,
  select {
    box-sizing: border-box;
    min-width: 0;
    width: 100%;
    height: 2.5rem;
    padding: 0 8px;
    border: 1px solid #5f6368;
    border-radius: 8px;
    background: #2a2b30;
  }
  option {
    color: #000;
    background: #fff;
  }
  .row .btn:first-child[data-tip]::after {
    left: 0;
    translate: none;
  }
  .join {
    flex: 1;
    height: 2.75rem;
    border: 0;
    border-radius: 999px;
    background: var(--rtc-accent-color, #2563eb);
    font-weight: 600;
  }
  .join:hover {
    background: color-mix(in srgb, var(--rtc-accent-color, #2563eb) 82%, #fff);
  }

  /* The chat: a side panel, or a sheet under the controls */
  .chat {
    grid-area: chat;
    contain: size;
    height: 15rem;
    display: flex;
    flex-direction: column;
    gap: 6px;
    min-width: 0;
    padding: 10px;
    box-sizing: border-box;
    border-radius: 10px;
    background: #1f2024;
  }
  .chat-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
  }
  .chat-head h2 {
    margin: 0;
    font-size: 1rem;
    font-weight: 600;
  }
  .flat {
    inline-size: 2.25rem;
    block-size: 2.25rem;
    background: transparent;
  }
  .flat[data-tip]::after {
    top: calc(100% + 4px);
    bottom: auto;
  }
  .log {
    flex: 1;
    min-height: 0;
    overflow: auto;
    margin: 0;
    padding: 0;
    list-style: none;
    overflow-wrap: anywhere;
  }
  .log li {
    margin-bottom: 8px;
  }
  .log b {
    display: block;
    font-size: 0.75rem;
    color: #c4c7c5;
  }
  form {
    display: flex;
    gap: 6px;
  }
  form input {
    flex: 1;
    min-width: 0;
    height: 2.5rem;
    padding: 0 12px;
    border: 1px solid #5f6368;
    border-radius: 999px;
    background: #2a2b30;
  }
  .send {
    flex: none;
    height: 2.5rem;
    padding: 0 14px;
    border: 0;
    border-radius: 999px;
    background: var(--rtc-accent-color, #2563eb);
    font-weight: 600;
  }
  rtc-error-overlay {
    position: absolute;
    inset: 0;
    z-index: 4;
  }
`,
];
