import { css } from 'lit';
import { tokenStyles } from '../../styles/tokens.styles.js';

/**
 * Styles of `<rtc-publisher>`. A local camera reads naturally mirrored; a shared screen does not.
 * The stats give the live badge room (they wrap instead). The device check and the live bar's
 * device menus come with their code (`publisherStyles` of `../device-check/device-check.ts`).
 */
export default [
  tokenStyles,
  css`
.base{aspect-ratio:var(--rtc-publisher-aspect-ratio,16/9)}
.mirror{transform:scaleX(-1)}
.status{max-width:calc(100% - 6em);text-align:right}
`,
];
