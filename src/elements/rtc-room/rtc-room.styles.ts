import { css } from 'lit';
import { tokenStyles } from '../../styles/tokens.styles.js';

/** Styles of `<rtc-room>`: a grid that fits 1–16 tiles, a chat panel beside it. */
export default [
  tokenStyles,
  css`
    :host { display: block; position: relative; container-type: inline-size; }
    .base { display: flex; flex-direction: column; gap: 8px; background: var(--rtc-background, #000); color: var(--rtc-color, #fff); font-family: var(--rtc-font-family, system-ui, sans-serif); border-radius: var(--rtc-radius, 8px); padding: 8px; }
    .grid { display: grid; gap: 6px; grid-template-columns: repeat(var(--rtc-room-columns, 1), minmax(0, 1fr)); }
    @container (max-width: 480px) { .grid { grid-template-columns: repeat(var(--rtc-room-columns-narrow, 1), minmax(0, 1fr)); } }
    .tile.speaking { outline: 3px solid var(--rtc-accent-color, #2563eb); outline-offset: -3px; }
    .screen { display: inline-flex; }
    .tile { position: relative; aspect-ratio: 16 / 9; background: #222; border-radius: 6px; overflow: hidden; }
    video { width: 100%; height: 100%; object-fit: cover; display: block; }
    .mirror { transform: scaleX(-1); }
    .placeholder { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; font-size: 2rem; background: #333; }
    .name { position: absolute; left: 4px; bottom: 4px; display: flex; gap: 4px; align-items: center; background: rgb(0 0 0 / 0.55); padding: 2px 6px; border-radius: 4px; font-size: 0.8rem; }
    svg { width: 14px; height: 14px; }
    .controls { display: flex; gap: 6px; flex-wrap: wrap; }
    button { font: inherit; padding: 4px 10px; border-radius: 6px; border: 0; cursor: pointer; }
    button:focus-visible { outline: 2px solid var(--rtc-accent-color, #2563eb); }
    .chat { display: flex; flex-direction: column; gap: 4px; max-height: 160px; }
    .log { overflow: auto; margin: 0; padding: 0; list-style: none; font-size: 0.85rem; }
    form { display: flex; gap: 4px; }
    input { flex: 1; font: inherit; }
  `,
];
