// The stats panel's rendering (pure: history in, SVG out); the elements' toggle has its own tests.
import { expect } from '@open-wc/testing';
import { render } from 'lit';
import { niceMax, plotRuns, statsPanel, WINDOW } from '../../../src/elements/stats-panel/stats-panel.js';
import type { RtcStats } from '../../../src/core/stats.js';

const sample = (over: Partial<RtcStats>): RtcStats => ({
  timestamp: 0,
  bitrateInKbps: 0,
  bitrateOutKbps: 0,
  packetsLost: 0,
  fractionLost: 0,
  bytesReceived: 0,
  bytesSent: 0,
  ...over,
});

describe('stats panel', () => {
  it('rounds the y axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, -3, Number.NaN, 0.3, 1, 7, 12, 480, 501, 2400].map(niceMax)).to.deep.equal([1, 1, 1, 0.5, 1, 10, 20, 500, 1000, 5000]);
  });

  it('plots the newest 60 samples at the right edge, with gaps where a value is unknown', () => {
    expect(plotRuns([0, 50, 100], 100)).to.deep.equal([`${WINDOW - 2},100 ${WINDOW - 1},50 ${WINDOW},0`]);
    const runs = plotRuns([10, 10, undefined, 10, 10], 20);
    expect(runs).to.have.length(2);
    expect(runs[0]).to.equal(`${WINDOW - 4},50 ${WINDOW - 3},50`);
    // Values over the top are drawn at the top, never outside the box.
    expect(plotRuns([5, 500], 100)[0]).to.equal(`${WINDOW - 1},95 ${WINDOW},0`);
    const long = plotRuns(
      Array.from({ length: 90 }, () => 1),
      1,
    )[0]!.split(' ');
    expect(long).to.have.length(WINDOW);
    expect(long[0]).to.equal('1,0');
  });

  it('renders one row per figure, the newest value with its unit, and a dash for a figure the connection does not give', () => {
    const host = document.createElement('div');
    const history = [
      sample({ bitrateInKbps: 400, framesPerSecond: 30, fractionLost: 0.01, roundTripTimeMs: 12 }),
      sample({ bitrateInKbps: 480, framesPerSecond: 29, fractionLost: 0.02, roundTripTimeMs: 14 }),
    ];
    render(
      statsPanel(history, (s) => `«${s}»`),
      host,
    );
    const rows = [...host.querySelectorAll('.stats-row')];
    expect(rows.map((r) => r.querySelector('.stats-label')!.textContent)).to.deep.equal([
      '«Bitrate»',
      '«Frames per second»',
      '«Packet loss»',
      '«Round trip»',
      '«Jitter»',
    ]);
    expect(rows.map((r) => r.querySelector('.stats-value')!.textContent)).to.deep.equal(['480 kbps', '29 fps', '2.0 %', '14 ms', '–']);
    expect(rows[0]!.querySelector('.stats-top')!.textContent).to.equal('500 kbps');
    expect(rows[0]!.querySelectorAll('polyline')).to.have.length(1);
    expect(rows[4]!.querySelectorAll('polyline')).to.have.length(0);
    expect(host.querySelector('[part="stats-panel"]')!.getAttribute('aria-label')).to.equal('«Statistics»');
  });
});
