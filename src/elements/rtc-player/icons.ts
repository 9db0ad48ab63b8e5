/** The player's icon: a tiny inline SVG (24×24), hidden from assistive technology. */
import { svg, type SVGTemplateResult } from 'lit';

const SPEAKER = 'M3 9v6h4l5 5V4L7 9zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4z';

/** A speaker, struck through when `muted`. */
export const speakerIcon = (muted: boolean): SVGTemplateResult =>
  svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${SPEAKER} />${muted ? svg`<path d="M3.5 2 2 3.5 20.5 22l1.5-1.5z" />` : null}</svg>`;
