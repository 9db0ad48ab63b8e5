// The bench's results, collected by scripts/bench.mjs as it goes, and what it makes of them: one
// summary table (ours against the official AMS SDK, with the ratio) for the terminal, and the same
// as a self-contained HTML report (`bench-report.html`, or `--report <path>`) with its plots as
// inline SVG: no scripts, no external resources, every string escaped.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { FanoutPoint } from './fanout.js';

export type Unit = 'ms' | 'kB' | '%';

/** One compared figure: the samples of each side (one sample for a size); a side not measured is left out. */
export interface Measure {
  metric: string;
  unit: Unit;
  ours?: number[];
  sdk?: number[];
}

export interface BenchResults {
  /** When the run started (ISO 8601). */
  date: string;
  /** The machine, e.g. "2 × Intel Xeon, Node 20.19". */
  machine?: string;
  /** The command line the run was started with. */
  command?: string;
  /** Times to the first decoded frame (distributions, plotted as dots). */
  firstFrame: Measure[];
  /** Publish to live and to a viewer's first frame (distributions, plotted as dots). */
  publish: Measure[];
  /** Recovery after outages, one measure an outage (bars of the medians). */
  recovery: Measure[];
  /** Bundle sizes, gzip level 9 (kB). */
  sizes: Measure[];
  /** The 4-person room (server CPU, the late joiner's times). */
  room: Measure[];
  /** The server's fan-out curve. */
  fanout: FanoutPoint[];
  /** Parts that failed, each a line. */
  errors: string[];
}

export const emptyResults = (date = new Date().toISOString()): BenchResults => ({
  date,
  firstFrame: [],
  publish: [],
  recovery: [],
  sizes: [],
  room: [],
  fanout: [],
  errors: [],
});

export const MISSING = '—';

/** The median as the bench has always taken it: the middle of the sorted samples (the upper one of an even count). */
export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * How far the ratio of two medians (`median(ours) / median(sdk)`) could move from run to run: the
 * central `level` share (0.9: from the 5th to the 95th percentile) of that ratio over `resamples`
 * bootstrap resamples, each side drawn again from its own samples with replacement. The draws
 * come from a fixed seed, so the same samples always give the same interval. Undefined with no
 * samples on a side.
 */
export function ratioInterval(
  ours: readonly number[],
  sdk: readonly number[],
  level = 0.9,
  resamples = 2000,
  seed = 1,
): { low: number; high: number } | undefined {
  if (ours.length === 0 || sdk.length === 0) return undefined;
  // mulberry32: a small deterministic generator, uniform in [0, 1).
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const draw = (xs: readonly number[]): number[] => xs.map(() => xs[Math.floor(random() * xs.length)]!);
  const ratios: number[] = [];
  for (let i = 0; i < resamples; i++) {
    const d = median(draw(sdk));
    const n = median(draw(ours));
    if (d > 0) ratios.push(n / d);
  }
  if (ratios.length === 0) return undefined;
  ratios.sort((a, b) => a - b);
  const at = (q: number): number => ratios[Math.min(ratios.length - 1, Math.max(0, Math.floor(q * ratios.length)))]!;
  return { low: at((1 - level) / 2), high: at(1 - (1 - level) / 2) };
}

const has = (xs: readonly number[] | undefined): xs is number[] => xs !== undefined && xs.length > 0;

function format(value: number, unit: Unit): string {
  if (unit === 'ms') return `${value.toFixed(0)} ms`;
  if (unit === 'kB') return `${value.toFixed(1)} kB`;
  return `${value.toFixed(value < 10 ? 2 : 1)} %`;
}

/** A side's cell: the median (and the count, for more than one sample), or "—". */
function cell(xs: readonly number[] | undefined, unit: Unit): string {
  if (!has(xs)) return MISSING;
  return xs.length > 1 ? `${format(median(xs), unit)} (n=${xs.length})` : format(xs[0]!, unit);
}

export interface Row {
  metric: string;
  ours: string;
  sdk: string;
  ratio: string;
}

/** The measures of the table, in its order. */
const measures = (r: BenchResults): Measure[] => [...r.firstFrame, ...r.publish, ...r.recovery, ...r.sizes, ...r.room];

/** The fan-out curve as measures of ours alone (two an N: the server's CPU, the receivers' loss). */
const fanoutMeasures = (points: readonly FanoutPoint[]): Measure[] =>
  points.flatMap((p) => {
    const up = p.connected < p.n ? `, ${p.connected} up` : '';
    return [
      {
        metric: `fan-out, ${p.n} receivers${up}: server CPU (of one core, all threads)`,
        unit: '%' as const,
        ours: p.cpuPercent === undefined ? [] : [p.cpuPercent],
      },
      { metric: `fan-out, ${p.n} receivers${up}: video packet loss`, unit: '%' as const, ours: p.lossPercent === undefined ? [] : [p.lossPercent] },
    ];
  });

/** The summary table's rows: metric, ours, official SDK, ours / SDK (of the medians; below 1 is ours the less). */
export function tableRows(r: BenchResults): Row[] {
  return [...measures(r), ...fanoutMeasures(r.fanout)].map((m) => {
    const ratio = has(m.ours) && has(m.sdk) && median(m.sdk) !== 0 ? (median(m.ours) / median(m.sdk)).toFixed(2) : MISSING;
    return { metric: m.metric, ours: cell(m.ours, m.unit), sdk: cell(m.sdk, m.unit), ratio };
  });
}

/** The summary table as text, columns aligned, for the end of the terminal's output. */
export function summaryTable(r: BenchResults): string {
  const header: Row = { metric: 'metric', ours: 'ours', sdk: 'official SDK', ratio: 'ratio' };
  const rows = [header, ...tableRows(r)];
  const width = (k: keyof Row) => Math.max(...rows.map((row) => row[k].length));
  const line = (row: Row) =>
    `${row.metric.padEnd(width('metric'))}  ${row.ours.padStart(width('ours'))}  ${row.sdk.padStart(width('sdk'))}  ${row.ratio.padStart(width('ratio'))}`;
  const rule = '-'.repeat(line(header).length);
  return [line(header), rule, ...rows.slice(1).map(line), ...r.errors.map((e) => `! ${e}`)].join('\n');
}

/** Escapes text for HTML (element content and quoted attribute values alike). */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const num = (n: number): string => String(Math.round(n * 10) / 10);
const W = 640;

/** A round step for about 5 ticks from 0 to `max`. */
function ticks(max: number): number[] {
  const raw = max / 5 || 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * p).find((s) => s >= raw)!;
  // toPrecision: 3 × 0.1 is 0.30000000000000004.
  return Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

/** The x axis along `y` from `x0` to `x1` for values 0 to `max`. */
function xAxis(y: number, x0: number, x1: number, max: number, unit: string): string {
  const x = (v: number) => x0 + (v / max) * (x1 - x0);
  const marks = ticks(max).map(
    (v) => `<line x1="${num(x(v))}" y1="${y}" x2="${num(x(v))}" y2="${y + 4}" class="axis"/><text x="${num(x(v))}" y="${y + 16}" class="tick">${v}</text>`,
  );
  return `<line x1="${x0}" y1="${y}" x2="${x1}" y2="${y}" class="axis"/>${marks.join('')}<text x="${x1}" y="${y + 30}" class="label end">${escapeHtml(unit)}</text>`;
}

/** A measure's samples as dots, ours on one lane and the SDK's on another, the medians marked. */
export function dotPlot(m: Measure): string {
  const lanes = (['ours', 'sdk'] as const).filter((k) => has(m[k]));
  const max = Math.max(...lanes.flatMap((k) => m[k]!)) * 1.05 || 1;
  const [x0, x1] = [70, W - 20];
  const x = (v: number) => x0 + (v / max) * (x1 - x0);
  const h = 30 + lanes.length * 28 + 36;
  const body = lanes.map((k, i) => {
    const y = 30 + i * 28;
    const dots = m[k]!.map(
      (v) => `<circle class="${k}" cx="${num(x(v))}" cy="${y}" r="4" data-value="${v}"><title>${escapeHtml(format(v, m.unit))}</title></circle>`,
    );
    const mid = x(median(m[k]!));
    return `<text x="8" y="${y + 4}" class="label">${k === 'ours' ? 'ours' : 'SDK'}</text><line x1="${num(mid)}" y1="${y - 10}" x2="${num(mid)}" y2="${y + 10}" class="median ${k}"/>${dots.join('')}`;
  });
  return svg('dots', m.metric, h, `<text x="8" y="14" class="title">${escapeHtml(m.metric)}</text>${body.join('')}${xAxis(h - 36, x0, x1, max, m.unit)}`);
}

/** The medians of each recovery measure as a pair of bars, ours and the SDK's. */
export function recoveryPlot(ms: readonly Measure[]): string {
  const groups = ms.filter((m) => has(m.ours) || has(m.sdk));
  const max = Math.max(...groups.flatMap((m) => [m.ours, m.sdk].filter(has).map(median))) * 1.1 || 1;
  const [top, bottom, x0] = [24, 190, 50];
  const gw = (W - x0 - 10) / Math.max(1, groups.length);
  const y = (v: number) => bottom - (v / max) * (bottom - top);
  const bars = groups.map((m, i) => {
    const gx = x0 + i * gw;
    const pair = (['ours', 'sdk'] as const).map((k, j) => {
      if (!has(m[k])) return '';
      const v = median(m[k]!);
      return `<rect class="${k}" x="${num(gx + 10 + j * (gw / 2 - 10))}" y="${num(y(v))}" width="${num(gw / 2 - 14)}" height="${num(bottom - y(v))}" data-value="${v}"><title>${escapeHtml(`${k === 'ours' ? 'ours' : 'SDK'}: ${format(v, m.unit)}`)}</title></rect>`;
    });
    return `${pair.join('')}<text x="${num(gx + gw / 2)}" y="${bottom + 16}" class="tick">${escapeHtml(m.metric.replace(/^recovery: /, ''))}</text>`;
  });
  const grid = ticks(max).map(
    (v) =>
      `<line x1="${x0}" y1="${num(y(v))}" x2="${W - 10}" y2="${num(y(v))}" class="grid"/><text x="${x0 - 6}" y="${num(y(v) + 4)}" class="tick end">${v}</text>`,
  );
  return svg(
    'recovery',
    'recovery, medians (ms)',
    230,
    `${grid.join('')}${bars.join('')}<text x="8" y="14" class="title">recovery, medians (ms): ours against the SDK</text>`,
  );
}

/** Points (x receivers, y a percentage) as a line with dots. */
export function linePlot(kind: string, title: string, points: readonly { x: number; y: number }[]): string {
  const maxX = Math.max(...points.map((p) => p.x)) * 1.05 || 1;
  const maxY = Math.max(...points.map((p) => p.y)) * 1.1 || 1;
  const [top, bottom, x0, x1] = [24, 170, 50, W - 20];
  const x = (v: number) => x0 + (v / maxX) * (x1 - x0);
  const y = (v: number) => bottom - (v / maxY) * (bottom - top);
  const grid = ticks(maxY).map(
    (v) =>
      `<line x1="${x0}" y1="${num(y(v))}" x2="${x1}" y2="${num(y(v))}" class="grid"/><text x="${x0 - 6}" y="${num(y(v) + 4)}" class="tick end">${v}</text>`,
  );
  const line = `<polyline class="ours" fill="none" points="${points.map((p) => `${num(x(p.x))},${num(y(p.y))}`).join(' ')}"/>`;
  const dots = points.map(
    (p) =>
      `<circle class="ours" cx="${num(x(p.x))}" cy="${num(y(p.y))}" r="4" data-x="${p.x}" data-value="${p.y}"><title>${escapeHtml(`${p.x} receivers: ${format(p.y, '%')}`)}</title></circle>`,
  );
  return svg(
    kind,
    title,
    215,
    `<text x="8" y="14" class="title">${escapeHtml(title)}</text>${grid.join('')}${line}${dots.join('')}${xAxis(bottom, x0, x1, maxX, 'receivers')}`,
  );
}

const svg = (kind: string, label: string, h: number, body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" class="plot" data-plot="${escapeHtml(kind)}" role="img" aria-label="${escapeHtml(label)}" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}">${body}</svg>`;

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}th,td{padding:.25rem .7rem;border-bottom:1px solid #ddd;text-align:right}th:first-child,td:first-child{text-align:left}
.err{color:#a00}svg{display:block;margin:.5rem 0 1.2rem;max-width:100%;height:auto}
.axis{stroke:#555}.grid{stroke:#e4e4e4}.tick{font-size:11px;fill:#555;text-anchor:middle}.end{text-anchor:end}.label{font-size:12px;fill:#333}.title{font-size:13px;font-weight:600}
circle.ours,rect.ours{fill:#1f6feb}circle.sdk,rect.sdk{fill:#d97706}polyline.ours{stroke:#1f6feb;stroke-width:2}.median{stroke-width:2}.median.ours{stroke:#1f6feb}.median.sdk{stroke:#d97706}
.key span{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 1em;vertical-align:-.05em}`;

/** The report: one HTML document, viewable as it is (inline style and SVG, no scripts). */
export function renderReport(r: BenchResults): string {
  const rows = tableRows(r)
    .map((row) => `<tr><td>${escapeHtml(row.metric)}</td><td>${escapeHtml(row.ours)}</td><td>${escapeHtml(row.sdk)}</td><td>${escapeHtml(row.ratio)}</td></tr>`)
    .join('\n');
  const about = [r.date, r.machine, r.command]
    .filter((s): s is string => Boolean(s))
    .map(escapeHtml)
    .join(' · ');
  const errors = r.errors.length ? `<h2>Failed parts</h2><ul class="err">${r.errors.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul>` : '';
  const dots = [...r.firstFrame, ...r.publish].filter((m) => has(m.ours) || has(m.sdk)).map(dotPlot);
  const recovery = r.recovery.some((m) => has(m.ours) || has(m.sdk)) ? recoveryPlot(r.recovery) : '';
  const cpu = r.fanout.filter((p) => p.cpuPercent !== undefined).map((p) => ({ x: p.n, y: p.cpuPercent! }));
  const loss = r.fanout.filter((p) => p.lossPercent !== undefined).map((p) => ({ x: p.n, y: p.lossPercent! }));
  const fanout = [
    cpu.length ? linePlot('fanout-cpu', 'fan-out: server CPU (% of one core, all threads) against receivers', cpu) : '',
    loss.length ? linePlot('fanout-loss', 'fan-out: video packet loss (%) against receivers', loss) : '',
  ].join('');
  const section = (title: string, body: string) => (body ? `<h2>${escapeHtml(title)}</h2>${body}` : '');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>rtc-elements bench</title><style>${STYLE}</style></head><body>
<h1>rtc-elements bench: ours against the official AMS SDK</h1>
<p>${about}</p>
<p class="key">Medians; ratio = ours / SDK (below 1: ours is the lower). ${MISSING} = not measured.<span style="background:#1f6feb"></span>ours<span style="background:#d97706"></span>official SDK</p>
<table><thead><tr><th>metric</th><th>ours</th><th>official SDK</th><th>ratio</th></tr></thead><tbody>
${rows}
</tbody></table>
${errors}${section('First frame and publish to live (each run a dot, the line the median)', dots.join(''))}${section('Recovery after outages', recovery)}${section('Fan-out: one publisher at 0.5 Mbit/s, N receivers', fanout)}
</body></html>
`;
}

/** The report's path: `--report <path>` (from the working directory), else bench-report.html in `root`. */
export function reportPath(argv: readonly string[], root: string): string {
  const at = argv.indexOf('--report');
  const given = at >= 0 ? argv[at + 1] : undefined;
  return given && !given.startsWith('--') ? resolve(given) : join(root, 'bench-report.html');
}

/** Writes the report to `path` (its folder made if missing); returns the path. */
export function writeReport(r: BenchResults, path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderReport(r));
  return path;
}
