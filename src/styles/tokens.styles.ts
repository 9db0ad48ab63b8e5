import { css } from 'lit';

/**
 * Shared `:host` rules and the `--rtc-*` tokens with their defaults (STYLE.md convention 9):
 * `--rtc-accent-color`, `--rtc-font-family`, `--rtc-radius`, `--rtc-background`, `--rtc-color`,
 * `--rtc-focus-color`. Hover lightens a button's own colour (a layer over it, so the accent and a
 * pressed button keep theirs: red for a mute, white for a view toggle such as Statistics); the focus ring is light with a dark edge, visible on the accent and
 * over any video; `data-tip` is a button's tooltip (hover and keyboard focus), above the bar.
 * Written compactly: it ships in the bundle as is.
 */
export const tokenStyles = css`
:host{display:block;position:relative;overflow:hidden;font:0.875rem var(--rtc-font-family,system-ui,sans-serif);color:var(--rtc-color,#fff);background:var(--rtc-background,#000);border-radius:var(--rtc-radius,8px)}
:host([hidden]){display:none}
.base{position:relative;width:100%;height:100%}
video{display:block;width:100%;height:100%;object-fit:contain}
.badge,.status{position:absolute;top:.5em;padding:.125em .5em;border-radius:.25em;font-size:.75rem}
.badge{left:.5em;font-weight:700;text-transform:uppercase;background:#dc2626}
.status{right:.5em;background:#0009}
.controls{position:absolute;inset:auto 0 0;display:flex;flex-wrap:wrap;align-items:center;gap:.5em;padding:.5em;background:linear-gradient(#0000,#000b)}
button,select{min-height:2.5rem;padding:0 .75em;font:inherit;color:inherit;background:#fff3;border:0;border-radius:var(--rtc-radius,8px);cursor:pointer}
button{position:relative;display:inline-flex;align-items:center;gap:.5em}
select{max-width:11em;padding:0 .5em}
option{color:#000}
:is(button,select):hover{background-image:linear-gradient(#fff3,#fff3)}
:is(button,select):focus-visible{outline:3px solid var(--rtc-focus-color,#fff);outline-offset:2px;box-shadow:0 0 0 2px #000}
[data-tip]:is(:hover,:focus-visible)::after{content:attr(data-tip);position:absolute;bottom:calc(100% + 8px);left:50%;translate:-50%;z-index:3;padding:4px 8px;border-radius:4px;background:#e8eaed;color:#202124;font-size:.75rem;font-weight:400;white-space:nowrap;pointer-events:none}
[aria-pressed=true]{background:#dc2626}
.toggle[aria-pressed=true]{background:#fff;color:#111}
.primary{font-weight:600;background:var(--rtc-accent-color,#2563eb)}
svg{width:1.25em;height:1.25em;fill:currentColor}
rtc-error-overlay{position:absolute;inset:0;z-index:2}
`;
