// The bench's report (scripts/bench/node/report.ts): a sample results object rendered as the
// summary table and the HTML report, and the file `npm run bench -- --report <path>` writes.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { SequenceCounter } from '../../scripts/bench/node/fanout.js';
import {
  emptyResults,
  escapeHtml,
  renderReport,
  reportPath,
  summaryTable,
  tableRows,
  writeReport,
  linePlot,
  median,
  ratioInterval,
  type BenchResults,
} from '../../scripts/bench/node/report.js';

const HOSTILE = `<script>alert("x")</script>&'`;

const sample = (): BenchResults => ({
  ...emptyResults('2026-12-03T08:00:00.000Z'),
  machine: 'test machine',
  firstFrame: [
    { metric: 'first frame, new player (socket included)', unit: 'ms', ours: [300, 310, 290, 305, 320], sdk: [600, 640, 610, 590, 700] },
    { metric: 'first frame over WHEP, new player', unit: 'ms', ours: [350, 360, 340] },
  ],
  publish: [{ metric: 'publish → publish_started', unit: 'ms', ours: [800, 820, 790], sdk: [400, 410, 420] }],
  recovery: [
    { metric: 'server down 2 s', unit: 'ms', ours: [600, 650, 700], sdk: [3700, 3800, 3600] },
    { metric: 'UDP cut 5 s', unit: 'ms', ours: [1300, 1200, 1400], sdk: [1400, 1500, 1350] },
  ],
  sizes: [{ metric: 'bundle gzip: entry', unit: 'kB', ours: [24.6], sdk: [34.7] }],
  room: [{ metric: HOSTILE, unit: '%', ours: [30] }],
  fanout: [
    { n: 25, connected: 25, cpuPercent: 12.5, lossPercent: 0, expected: 6000, received: 6000 },
    { n: 50, connected: 50, cpuPercent: 24, lossPercent: 0.5, expected: 12000, received: 11940 },
    { n: 100, connected: 90, cpuPercent: 61, lossPercent: 3.25, expected: 21600, received: 20898, error: '10 of 100 receivers did not start' },
    { n: 150, connected: 0, error: 'the server process exited' },
  ],
  errors: [`recovery: ${HOSTILE}`],
});

/** The <svg> elements of `html` of one kind. */
const plots = (html: string, kind: string): string[] =>
  [...html.matchAll(new RegExp(`<svg [^>]*data-plot="${kind}"[^>]*>[\\s\\S]*?</svg>`, 'g'))].map((m) => m[0]);
/** The data-value attributes of the `shape`s of class `side` in `svg`, in document order. */
const values = (svg: string, shape: string, side: string): number[] =>
  [...svg.matchAll(new RegExp(`<${shape} class="${side}"[^>]*data-value="([^"]+)"`, 'g'))].map((m) => Number(m[1]));
/** The cx attributes of the circles of class `side` in `svg`. */
const cxs = (svg: string, side: string): number[] => [...svg.matchAll(new RegExp(`<circle class="${side}" cx="([^"]+)"`, 'g'))].map((m) => Number(m[1]));

describe('the bench report', () => {
  it('has a table row per metric with both sides, their medians and the ratio', () => {
    const html = renderReport(sample());
    const row = (metric: string) => new RegExp(`<tr><td>${metric}</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>`).exec(html)?.slice(1);
    assert.deepEqual(row('first frame, new player \\(socket included\\)'), ['305 ms (n=5)', '610 ms (n=5)', '0.50']);
    assert.deepEqual(row('publish → publish_started'), ['800 ms (n=3)', '410 ms (n=3)', '1.95']);
    assert.deepEqual(row('server down 2 s'), ['650 ms (n=3)', '3700 ms (n=3)', '0.18']);
    assert.deepEqual(row('bundle gzip: entry'), ['24.6 kB', '34.7 kB', '0.71']);
    assert.deepEqual(row('fan-out, 50 receivers: server CPU \\(of one core, all threads\\)'), ['24.0 %', '—', '—']);
    assert.deepEqual(row('fan-out, 100 receivers, 90 up: video packet loss'), ['3.25 %', '—', '—']);
    assert.equal((html.match(/<tr><td>/g) ?? []).length, tableRows(sample()).length);
    assert.equal(tableRows(sample()).length, 7 + 4 * 2);
  });

  it('prints what was not measured as "—", in the HTML and in the text table', () => {
    const html = renderReport(sample());
    assert.match(html, /<tr><td>first frame over WHEP, new player<\/td><td>350 ms \(n=3\)<\/td><td>—<\/td><td>—<\/td><\/tr>/);
    assert.match(html, /<tr><td>fan-out, 150 receivers, 0 up: server CPU \(of one core, all threads\)<\/td><td>—<\/td><td>—<\/td><td>—<\/td><\/tr>/);
    const text = summaryTable(sample()).split('\n');
    assert.match(text[0]!, /^metric +ours +official SDK +ratio$/);
    const whep = text.find((l) => l.startsWith('first frame over WHEP'));
    assert.match(whep ?? '', /350 ms \(n=3\) +— +—$/);
    assert.match(text.at(-1)!, /^! recovery: <script>/, 'the failed parts follow the table');
    const widths = new Set(text.slice(0, -1).map((l) => l.length));
    assert.equal(widths.size, 1, 'the columns line up');
  });

  it('plots each first-frame and publish distribution as dots, one a sample, placed by value', () => {
    const html = renderReport(sample());
    const dots = plots(html, 'dots');
    assert.equal(dots.length, 3);
    const [first, whep, publish] = dots as [string, string, string];
    assert.deepEqual(values(first, 'circle', 'ours'), [300, 310, 290, 305, 320]);
    assert.deepEqual(values(first, 'circle', 'sdk'), [600, 640, 610, 590, 700]);
    const ours = cxs(first, 'ours');
    assert.ok(ours[2]! < ours[0]! && ours[0]! < ours[3]! && ours[3]! < ours[1]! && ours[1]! < ours[4]!, `dots in the order of their values: ${ours}`);
    assert.ok(Math.max(...ours) < Math.min(...cxs(first, 'sdk')), 'every one of ours left of every SDK dot');
    assert.deepEqual(values(whep, 'circle', 'sdk'), [], 'no SDK lane where the SDK was not measured');
    assert.deepEqual(values(publish, 'circle', 'sdk'), [400, 410, 420]);
  });

  it('plots recovery as bars of the medians, ours and the SDK per outage', () => {
    const [svg, ...more] = plots(renderReport(sample()), 'recovery');
    assert.equal(more.length, 0);
    assert.deepEqual(values(svg!, 'rect', 'ours'), [650, 1300]);
    assert.deepEqual(values(svg!, 'rect', 'sdk'), [3700, 1400]);
    const heights = [...svg!.matchAll(/<rect class="(ours|sdk)"[^>]*height="([^"]+)"/g)].map((m) => Number(m[2]));
    assert.ok(heights[1]! > 5 * heights[0]!, `the SDK's 3.7 s bar over five times ours of 0.65 s: ${heights}`);
  });

  it('plots the fan-out curve: receivers against CPU and against loss, the points measured', () => {
    const html = renderReport(sample());
    const [cpu] = plots(html, 'fanout-cpu');
    const [loss] = plots(html, 'fanout-loss');
    assert.deepEqual(values(cpu!, 'circle', 'ours'), [12.5, 24, 61]);
    assert.deepEqual(values(loss!, 'circle', 'ours'), [0, 0.5, 3.25]);
    assert.deepEqual(
      [...cpu!.matchAll(/data-x="(\d+)"/g)].map((m) => Number(m[1])),
      [25, 50, 100],
      'the N without a reading left out',
    );
    const points = /<polyline [^>]*points="([^"]+)"/
      .exec(cpu!)![1]!
      .split(' ')
      .map((p) => p.split(',').map(Number));
    assert.equal(points.length, 3);
    assert.ok(points[0]![1]! > points[1]![1]! && points[1]![1]! > points[2]![1]!, 'higher CPU drawn higher (smaller y)');
    const ticks = (svg: string) => [...svg.matchAll(/class="tick end">([^<]+)</g)].map((m) => m[1]);
    assert.deepEqual(ticks(loss!), ['0', '1', '2', '3'], 'the loss axis up to the highest point');
    assert.deepEqual(ticks(linePlot('fanout-loss', 'small', [{ x: 10, y: 0.3 }])), ['0', '0.1', '0.2', '0.3'], 'round labels, not 0.30000000000000004');
  });

  it('escapes every string it is given', () => {
    assert.equal(escapeHtml(HOSTILE), '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    const html = renderReport({ ...sample(), machine: HOSTILE, command: `node bench.mjs --report "${HOSTILE}"` });
    assert.ok(!html.includes('<script'), 'no script element, from any of the strings');
    assert.ok(!html.includes(`alert("x")`));
    assert.ok(html.includes(`<tr><td>${escapeHtml(HOSTILE)}</td><td>30.0 %</td>`));
    assert.ok(html.includes(`<li>recovery: ${escapeHtml(HOSTILE)}</li>`));
    assert.ok(!/\b(src|href)=/.test(html), 'no external resource');
  });

  it('is written where --report says, or to bench-report.html at the root', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    try {
      assert.equal(reportPath(['node', 'bench.mjs'], dir), join(dir, 'bench-report.html'));
      assert.equal(reportPath(['node', 'bench.mjs', '--report', '--fanout'], dir), join(dir, 'bench-report.html'));
      const path = reportPath(['node', 'bench.mjs', '--fanout', '--report', join(dir, 'out/r.html')], '/nowhere');
      assert.equal(path, resolve(dir, 'out/r.html'));
      assert.equal(writeReport(sample(), path), path);
      const written = readFileSync(path, 'utf8');
      assert.equal(written, renderReport(sample()));
      assert.match(written, /^<!doctype html>/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the fan-out receivers' loss count", () => {
  it('counts a window only, across the 16-bit wrap, distinct packets against the span', () => {
    const c = new SequenceCounter();
    c.add(65530);
    c.start();
    for (const s of [65533, 65534, 65535, 0, 2, 2, 1, 5]) c.add(s);
    c.stop();
    c.add(6);
    // 65533 … 65541 (5 after the wrap): 9 expected, 7 distinct received (65536+3 and +4 lost).
    assert.equal(c.expected, 9);
    assert.equal(c.received, 7);
  });
});

describe("the first-frame ratio's bootstrap interval", () => {
  const ours = [64, 47, 121, 60, 58, 70, 66, 61, 80, 55, 63, 90, 59, 62, 68, 71, 57, 65, 75, 52, 67];
  const sdk = [50, 37, 63, 45, 48, 52, 49, 51, 44, 55, 47, 60, 46, 53, 50, 41, 58, 49, 54, 43, 52];

  it('holds the ratio of the medians, is the same for the same samples, and narrows as the samples agree', () => {
    const point = median(ours) / median(sdk);
    const a = ratioInterval(ours, sdk)!;
    assert.ok(a.low < point && point < a.high, `${a.low} < ${point} < ${a.high}`);
    assert.deepEqual(ratioInterval(ours, sdk), a);
    // A wider level is at least as wide; samples that all agree leave nothing to move.
    const wide = ratioInterval(ours, sdk, 0.99)!;
    assert.ok(wide.low <= a.low && wide.high >= a.high);
    assert.deepEqual(ratioInterval([60, 60, 60], [50, 50, 50]), { low: 1.2, high: 1.2 });
  });

  it('is undefined with no samples on a side', () => {
    assert.equal(ratioInterval([], sdk), undefined);
    assert.equal(ratioInterval(ours, []), undefined);
  });
});
