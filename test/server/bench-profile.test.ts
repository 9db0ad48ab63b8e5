// The bench's profile summary (scripts/bench/node/profile.ts): a small made-up CPU profile split
// by kind of work, the profiler's own work and idle time left out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatProfileShares, profileShares, type CpuProfile } from '../../scripts/bench/node/profile.js';

const frame = (functionName: string, url = ''): { functionName: string; url: string } => ({ functionName, url });

/** One second: 500 ms idle, 100 ms under the profiler, 400 ms of work of every kind. */
const sample = (): CpuProfile => ({
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 3, 4, 5, 6, 7, 8, 9, 11] },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('(garbage collector)') },
    { id: 4, callFrame: frame('send') },
    { id: 5, callFrame: frame('initiv') },
    { id: 6, callFrame: frame('onRtp', 'file:///app/packages/server/dist/chunks/chunk-1.js') },
    { id: 7, callFrame: frame('handleRTP', 'file:///app/node_modules/werift/lib/index.mjs') },
    { id: 8, callFrame: frame('Socket.send', 'node:dgram') },
    { id: 9, callFrame: frame('post', 'node:inspector'), children: [10] },
    { id: 10, callFrame: frame('dispatch') },
    { id: 11, callFrame: frame('(program)') },
  ],
  //        idle      gc       send     initiv   ours     werift   dgram    profiler  program
  samples: [2, 2, 2, 2, 2, 3, 4, 4, 5, 6, 7, 7, 8, 10, 11],
  timeDeltas: [100_000, 100_000, 100_000, 100_000, 100_000, 20_000, 60_000, 60_000, 40_000, 40_000, 50_000, 50_000, 30_000, 100_000, 50_000],
});

describe('bench profile summary', () => {
  it('splits the busy time by kind of work, leaving out idle samples and the profiler', () => {
    const s = profileShares(sample());
    assert.equal(s.wallMs, 1000);
    assert.equal(s.busyMsPerS, 400);
    assert.equal(s.profilerMsPerS, 100);
    const ms = Object.fromEntries(s.kinds.map((k) => [k.kind, k.msPerS]));
    assert.deepEqual(ms, {
      'UDP send (native)': 120,
      'crypto (native)': 40,
      'other native': 0,
      'garbage collection': 20,
      '(program)': 50,
      "Node's own JavaScript": 30,
      "werift's JavaScript": 100,
      'our JavaScript': 40,
    });
    const share = s.kinds.find((k) => k.kind === 'UDP send (native)')!.share;
    assert.equal(share, 0.3);
    assert.ok(Math.abs(s.kinds.reduce((a, k) => a + k.share, 0) - 1) < 1e-9);
  });

  it('prints each kind and the sum of the JavaScript', () => {
    const lines = formatProfileShares(profileShares(sample()));
    assert.match(lines[0]!, /400\.0 ms busy a second \(the profiler's own 100\.0 ms left out\)/);
    assert.ok(lines.some((l) => /werift's JavaScript\s+25\.0 %\s+100\.0 ms\/s/.test(l)));
    assert.match(lines.at(-1)!, /all JavaScript: 170\.0 ms\/s, 17\.0 % of one core/);
  });

  it('gives zeros, not NaN, for an empty profile', () => {
    const s = profileShares({ nodes: [], samples: [], timeDeltas: [] });
    assert.equal(s.busyMsPerS, 0);
    assert.ok(s.kinds.every((k) => k.msPerS === 0 && k.share === 0));
  });
});
