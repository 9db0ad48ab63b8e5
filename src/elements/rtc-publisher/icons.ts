/** The publisher's icons: tiny inline SVG paths (24×24), hidden from assistive technology. */
import { svg, type SVGTemplateResult } from 'lit';

const icon = (d: string, slash: boolean): SVGTemplateResult =>
  svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${d} />${slash ? svg`<path d="M3.5 2 2 3.5 20.5 22l1.5-1.5z" />` : null}</svg>`;

const MIC = 'M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1a7 7 0 0 0 6-6.9z';
const CAMERA = 'M17 10.5V7a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-3.5l4 4v-11z';
const SCREEN = 'M20 18a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2H4a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2H1v2h22v-2zM4 6h16v10H4z';

export const micIcon = (muted: boolean): SVGTemplateResult => icon(MIC, muted);
export const cameraIcon = (off: boolean): SVGTemplateResult => icon(CAMERA, off);
export const screenIcon = (): SVGTemplateResult => icon(SCREEN, false);
