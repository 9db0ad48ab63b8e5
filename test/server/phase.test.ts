// The phase table of the server's peer sessions: one transition function, illegal moves refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canTransition, isStopped, transition, TRANSITIONS, type Phase } from '../../packages/server/src/signaling/phase.js';

const session = (phase: Phase): { readonly phase: Phase } => ({ phase });

describe('session phases', () => {
  it('walks a publish from awaiting-offer to stopped', () => {
    const s = session('awaiting-offer');
    for (const to of ['negotiating', 'connecting', 'live', 'stopped'] as const) {
      assert.equal(transition(s, to), true, `-> ${to}`);
      assert.equal(s.phase, to);
    }
    assert.equal(isStopped(s), true);
  });

  it('refuses an illegal transition and leaves the phase as it was', () => {
    const live = session('live');
    assert.equal(transition(live, 'connecting'), false);
    assert.equal(transition(live, 'live'), false);
    assert.equal(live.phase, 'live');
    const waiting = session('awaiting-offer');
    assert.equal(transition(waiting, 'live'), false);
    assert.equal(waiting.phase, 'awaiting-offer');
  });

  it('makes stopped final: a second stop is refused, so a session ends once', () => {
    const s = session('connecting');
    assert.equal(transition(s, 'stopped'), true);
    for (const to of Object.keys(TRANSITIONS) as Phase[]) assert.equal(transition(s, to), false, `stopped -> ${to}`);
    assert.equal(s.phase, 'stopped');
  });

  it('lets every phase but stopped stop', () => {
    for (const from of Object.keys(TRANSITIONS) as Phase[]) assert.equal(canTransition(from, 'stopped'), from !== 'stopped', from);
  });
});
