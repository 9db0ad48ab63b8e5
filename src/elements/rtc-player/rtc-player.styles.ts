import { css } from 'lit';
import { tokenStyles } from '../../styles/tokens.styles.js';

/** Styles of `<rtc-player>`. */
export default [
  tokenStyles,
  css`
.base{aspect-ratio:var(--rtc-player-aspect-ratio,16/9)}
.unmute{position:absolute;top:50%;left:50%;z-index:1;transform:translate(-50%,-50%);font-weight:600;background:var(--rtc-accent-color,#2563eb)}
`,
];
