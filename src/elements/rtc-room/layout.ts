/**
 * Where `<rtc-room>`'s tiles go in a stage of `width` × `height` px: the grid's tracks and each
 * tile's cell, in whole pixels, so that every tile stays inside the stage whatever the count.
 * Pure; the view applies it through the CSSOM (a strict CSP allows that, not style attributes).
 * @internal
 */

/** Space between tiles, px. */
export const GAP = 6;

export interface Placement {
  columns: string;
  rows: string;
  /**
   * Per tile, in the order given: its `grid-area`, a sideways shift (px) that centres a short
   * last row, and for the large tile its size (centred in its area: 16:9 to 3:4).
   */
  cells: Array<{ area: string; shift: number; size?: [number, number] }>;
}

const floor = Math.floor;

/**
 * `n` tiles of one size, as large as they fit: 16:9 down to 4:3 (down to 1:1 on a portrait
 * stage), columns × rows chosen for the largest tile.
 */
export function fitGrid(n: number, width: number, height: number): { c: number; r: number; w: number; h: number } {
  const squarest = height > width ? 1 : 4 / 3;
  let best = { c: 1, r: n, w: 0, h: 0 };
  for (let c = 1; c <= n; c++) {
    const r = Math.ceil(n / c);
    const cw = (width - GAP * (c - 1)) / c;
    const ch = (height - GAP * (r - 1)) / r;
    const w = floor(Math.min(cw, (ch * 16) / 9));
    const h = floor(Math.min(ch, w / squarest));
    if (w > 0 && h > 0 && w * h > best.w * best.h) best = { c, r, w, h };
  }
  return best;
}

/** The grid layout: every tile the same size, a short last row centred. */
export function gridPlacement(n: number, width: number, height: number): Placement {
  const { c, r, w, h } = fitGrid(n, width, height);
  const rest = n % c;
  return {
    columns: `repeat(${c}, ${w}px)`,
    rows: `repeat(${r}, ${h}px)`,
    cells: Array.from({ length: n }, (_, i) => ({
      area: `${floor(i / c) + 1} / ${(i % c) + 1}`,
      shift: rest && i >= n - rest ? ((c - rest) * (w + GAP)) / 2 : 0,
    })),
  };
}

/** `k` 16:9 tiles in a strip of `width` × `height`: columns, rows, tile size; `maxCols` at most. */
function fitStrip(k: number, width: number, height: number, maxCols: number): { c: number; r: number; w: number; h: number } {
  let best = { c: 1, r: k, w: 0, h: 0 };
  for (let c = 1; c <= Math.min(k, maxCols); c++) {
    const r = Math.ceil(k / c);
    const w = floor(Math.min((width - GAP * (c - 1)) / c, (((height - GAP * (r - 1)) / r) * 16) / 9));
    if (w > best.w) best = { c, r, w, h: floor((w * 9) / 16) };
  }
  return best;
}

/** The largest box of an aspect ratio from 3:4 to 16:9 in `w` × `h`. */
const bounded = (w: number, h: number): [number, number] => [floor(Math.min(w, (h * 16) / 9)), floor(Math.min(h, (w * 4) / 3))];

/** The narrowest tile of a speaker strip, px: below it the stage is too small for a strip, and shows the grid. */
export const MIN_STRIP_TILE = 72;

/**
 * The speaker layout: the first tile large, the others in a strip, on the right of a landscape
 * stage and below a portrait one. One tile alone, or a stage too small for the strip, is the grid.
 */
export function speakerPlacement(n: number, width: number, height: number): Placement {
  const k = n - 1;
  if (k < 1) return gridPlacement(n, width, height);
  const cells: Placement['cells'] = [];
  const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));
  if (width >= height) {
    // Strip on the right, centred top to bottom between two flexible rows.
    const s = fitStrip(k, clamp(width * 0.25, 96, 360), height - 2 * GAP, 4);
    if (s.w < MIN_STRIP_TILE) return gridPlacement(n, width, height);
    const main = floor(width - GAP - (s.c * s.w + GAP * (s.c - 1)));
    cells.push({ area: '1 / 1 / -1 / 2', shift: 0, size: bounded(main, height) });
    for (let j = 0; j < k; j++) cells.push({ area: `${floor(j / s.c) + 2} / ${(j % s.c) + 2}`, shift: 0 });
    return { columns: `${main}px repeat(${s.c}, ${s.w}px)`, rows: `minmax(0, 1fr) repeat(${s.r}, ${s.h}px) minmax(0, 1fr)`, cells };
  }
  // Strip below, centred between two flexible columns.
  const s = fitStrip(k, width - 2 * GAP, clamp(height * 0.3, 56, 300), 8);
  if (s.w < MIN_STRIP_TILE) return gridPlacement(n, width, height);
  const main = floor(height - GAP - (s.r * s.h + GAP * (s.r - 1)));
  cells.push({ area: '1 / 1 / 2 / -1', shift: 0, size: bounded(width, main) });
  for (let j = 0; j < k; j++) cells.push({ area: `${floor(j / s.c) + 2} / ${(j % s.c) + 2}`, shift: 0 });
  return { columns: `minmax(0, 1fr) repeat(${s.c}, ${s.w}px) minmax(0, 1fr)`, rows: `${main}px repeat(${s.r}, ${s.h}px)`, cells };
}
