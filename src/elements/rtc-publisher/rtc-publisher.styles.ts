import { css } from 'lit';
import { tokenStyles } from '../../styles/tokens.styles.js';

/** Styles of `<rtc-publisher>`. A local camera reads naturally mirrored; a shared screen does not. */
export default [
  tokenStyles,
  css`
.base{aspect-ratio:var(--rtc-publisher-aspect-ratio,16/9)}
.mirror{transform:scaleX(-1)}
`,
];
