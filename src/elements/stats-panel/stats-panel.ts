/**
 * The stats panel the publisher and the player show over their video when asked: the last 60 s of
 * bitrate, frames per second, packet loss, round-trip time and jitter, each a line drawn as inline
 * SVG (attributes only: nothing a strict CSP or Trusted Types refuses). Its own chunk, fetched the
 * first time a panel opens. Pure rendering: the element keeps the history and passes its
 * translator.
 * @internal
 */
import { css, html, svg, type TemplateResult } from 'lit';
import type { RtcStats } from '../../core/stats.js';

/** Seconds of history a plot spans (one sample a second). */
export const WINDOW = 60;

/** One plotted figure: its label (English, translated by the caller), unit and how to read it from a sample. */
interface Series {
  readonly label: string;
  readonly unit: string;
  readonly read: (s: RtcStats) => number | undefined;
  /** Decimals of the value shown. */
  readonly digits: number;
}

const SERIES: readonly Series[] = [
  { label: 'Bitrate', unit: 'kbps', digits: 0, read: (s) => (s.bitrateInKbps ?? 0) + (s.bitrateOutKbps ?? 0) },
  { label: 'Frames per second', unit: 'fps', digits: 0, read: (s) => s.framesPerSecond },
  { label: 'Packet loss', unit: '%', digits: 1, read: (s) => (s.fractionLost === undefined ? undefined : s.fractionLost * 100) },
  { label: 'Round trip', unit: 'ms', digits: 0, read: (s) => s.roundTripTimeMs },
  { label: 'Jitter', unit: 'ms', digits: 0, read: (s) => s.jitterMs },
];

const finite = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** A round top for the y axis: 1, 2 or 5 times a power of ten, at least `max`. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * p).find((n) => n >= max)!;
}

/**
 * The polylines of one series over the newest `WINDOW` samples, in a 0..WINDOW × 0..100 box (y
 * down): one run of points per stretch of known values, so a gap stays a gap.
 */
export function plotRuns(values: readonly (number | undefined)[], top: number): string[] {
  const recent = values.slice(-WINDOW);
  const offset = WINDOW - recent.length;
  const runs: string[] = [];
  let run: string[] = [];
  recent.forEach((v, i) => {
    if (!finite(v)) {
      if (run.length) runs.push(run.join(' '));
      run = [];
      return;
    }
    const y = 100 - (Math.min(Math.max(v, 0), top) / top) * 100;
    run.push(`${offset + i + 1},${+y.toFixed(1)}`);
  });
  if (run.length) runs.push(run.join(' '));
  // A single point draws nothing as a line: make it a short flat stroke.
  return runs.map((r) => (r.includes(' ') ? r : `${r} ${r.replace(/^([\d.]+)/, (x) => String(+x - 0.5))}`));
}

/** The panel for `history` (oldest first), labels through `t`. */
export function statsPanel(history: readonly RtcStats[], t: (english: string) => string): TemplateResult {
  return html`<div part="stats-panel" class="stats-panel" role="group" aria-label=${t('Statistics')}>
    ${SERIES.map((s) => {
      const values = history.map(s.read);
      const known = values.filter(finite);
      const now = values.at(-1);
      const top = niceMax(Math.max(0, ...known));
      return html`<div class="stats-row">
        <span class="stats-label">${t(s.label)}</span>
        <span class="stats-value">${finite(now) ? `${now.toFixed(s.digits)} ${s.unit}` : '–'}</span>
        <svg class="stats-plot" viewBox="0 0 ${WINDOW} 100" preserveAspectRatio="none" aria-hidden="true">
          ${plotRuns(values, top).map((points) => svg`<polyline points=${points}></polyline>`)}
        </svg>
        <span class="stats-top">${top} ${s.unit}</span>
      </div>`;
    })}
  </div>`;
}

/**
 * The panel's styles, adopted by the element when the chunk arrives. One line per figure (label,
 * plot, value), so the five fit over a 390 px wide 16:9 video; each plot has a faint ground, so a
 * history that has just begun (drawn from the right) reads as part of a chart, with its scale in
 * its corner.
 */
export const statsPanelStyles = css`
  .stats-panel{position:absolute;inset:.5em .5em auto auto;z-index:1;box-sizing:border-box;display:grid;grid-template-columns:minmax(0,max-content) minmax(2em,1fr) auto;gap:.25em .5em;width:min(24em,calc(100% - 1em));max-height:calc(100% - 4.5em);overflow:auto;padding:.5em .625em;font-size:.75rem;line-height:1.3;background:#000c;border-radius:var(--rtc-radius,8px)}
  .stats-row{grid-column:1/-1;display:grid;grid-template-columns:subgrid;grid-template-areas:'label plot value';align-items:center}
  .stats-label{grid-area:label;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;opacity:.8}
  .stats-value{grid-area:value;min-width:4.25em;text-align:right;font-variant-numeric:tabular-nums;font-weight:600;white-space:nowrap}
  .stats-plot{grid-area:plot;width:100%;height:1.75em;overflow:visible;background:#ffffff14;border-radius:2px}
  .stats-plot polyline{fill:none;stroke:var(--rtc-accent-color,#60a5fa);stroke-width:1.5;vector-effect:non-scaling-stroke;stroke-linejoin:round}
  .stats-top{grid-area:plot;align-self:start;justify-self:start;padding:0 .25em;font-size:.5625rem;line-height:1.4;opacity:.6;pointer-events:none}
`;
