// Which simulcast layer a player gets (packages/server/src/relay/layers.ts): pinned by height,
// else by the browser's bandwidth estimate, stepping down at once and trying a layer up after a
// quiet spell (twice as long after each failed try); how a forwarded m-line switches to it (at its
// keyframe, the other layers dropped); lost keyframe requests (a fault rule); and who is asked for layers at all.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestLayer, LAYER_PROBE_MS, LAYER_RAMP_MS, LAYER_TRY_MS, LayerBook, LayerSelector, LayerSwitch } from '../../packages/server/src/relay/layers.js';
import type { VideoLayer } from '../../packages/server/src/relay/types.js';
import { checkKeyframeRequestDropRule, FaultRuleError, FaultTable } from '../../packages/server/src/faults.js';
import { AmsClient, http, startServer, wsUrl } from '../helpers/server.js';

const LAYERS: VideoLayer[] = [
  { rid: 'h', width: 1280, height: 720, bitrate: 1_500_000 },
  { rid: 'm', width: 640, height: 360, bitrate: 500_000 },
  { rid: 'l', width: 320, height: 180, bitrate: 150_000 },
];

describe('simulcast layer choice', () => {
  it('pins the layer closest in height (the lower of two as close)', () => {
    assert.equal(closestLayer(LAYERS, 200)?.rid, 'l');
    assert.equal(closestLayer(LAYERS, 270)?.rid, 'l');
    assert.equal(closestLayer(LAYERS, 480)?.rid, 'm');
    assert.equal(closestLayer(LAYERS, 4000)?.rid, 'h');
    assert.equal(closestLayer([], 360), undefined);
    const s = new LayerSelector();
    s.pinned = 360;
    s.setEstimate(100_000);
    assert.equal(s.choose(LAYERS, 'l', 0), 'm', 'a pin wins over the estimate');
  });

  it('starts at the highest layer the estimate has room for, steps down at once, and tries up after a quiet spell', () => {
    const s = new LayerSelector();
    assert.equal(s.choose(LAYERS, undefined, 0), 'h', 'no estimate yet: the highest');
    assert.equal(s.choose([], undefined, 0), undefined);
    s.setEstimate(400_000);
    assert.equal(s.choose(LAYERS, undefined, 0), 'l', '400 kbit/s: not room for 500 kbit/s with headroom');
    s.setEstimate(700_000);
    assert.equal(s.choose(LAYERS, 'h', 0), 'm', 'under the layer: down to the highest that fits');
    // At m, the estimate (a receiver's, near what it gets) never shows room for h: a try after the quiet spell.
    s.setEstimate(560_000);
    assert.equal(s.choose(LAYERS, 'm', 1000), 'm');
    assert.equal(s.choose(LAYERS, 'm', LAYER_PROBE_MS), 'h', 'the try up');
    // Held while the estimate cannot have seen h yet (its keyframe first), even from the layer still sent.
    s.setEstimate(600_000);
    assert.equal(s.choose(LAYERS, 'm', LAYER_PROBE_MS + 100), 'h');
    assert.equal(s.choose(LAYERS, 'h', LAYER_PROBE_MS + LAYER_TRY_MS - 1), 'h');
    // Then, while it climbs towards h's rate, under h is no reason to go down; a fall is.
    assert.equal(s.choose(LAYERS, 'h', LAYER_PROBE_MS + LAYER_TRY_MS), 'h', 'under h but climbing');
    const failed = LAYER_PROBE_MS + LAYER_TRY_MS + 500;
    s.setEstimate(450_000);
    assert.equal(s.choose(LAYERS, 'h', failed), 'l', 'the estimate fell: down to what fits');
    // The try failed: the next one waits twice as long.
    assert.equal(s.choose(LAYERS, 'l', failed + LAYER_PROBE_MS), 'l', 'not yet');
    assert.equal(s.choose(LAYERS, 'l', failed + 2 * LAYER_PROBE_MS), 'm');
    // This one holds (no step down for the ramp's length): the wait is the first one again.
    s.setEstimate(700_000);
    const held = failed + 2 * LAYER_PROBE_MS + LAYER_RAMP_MS;
    assert.equal(s.choose(LAYERS, 'm', held), 'h', 'the next try, the first wait after the one that held');
    // Reported losses move a player down whatever its estimate (a policer drops without delay).
    const lossy = new LayerSelector();
    lossy.setEstimate(5_000_000);
    assert.equal(lossy.choose(LAYERS, undefined, 0), 'h');
    lossy.setLoss(0.1);
    assert.equal(lossy.choose(LAYERS, 'h', 100), 'm');
    lossy.setLoss(0.01);
    lossy.setEstimate(550_000);
    assert.equal(lossy.choose(LAYERS, 'm', 200), 'm', 'a loss of 1 %: stays');
    // Room enough with headroom: up after the quiet spell.
    const t = new LayerSelector();
    t.setEstimate(300_000);
    assert.equal(t.choose(LAYERS, undefined, 0), 'l');
    assert.equal(t.choose(LAYERS, 'l', 50), 'l', 'no try up at once');
    t.setEstimate(600_000);
    assert.equal(t.choose(LAYERS, 'l', 100), 'l', 'not before a quiet spell since the last step down');
    assert.equal(t.choose(LAYERS, 'l', LAYER_PROBE_MS), 'm');
    // The layer sent stopped (not listed): the highest that fits.
    assert.equal(t.choose(LAYERS.slice(1), 'h', 200), 'm');
  });

  it('keeps each layer’s size, bitrate and SSRC, and lists only the layers sending, highest first', () => {
    const book = new LayerBook();
    book.note('l', 3, 1000, 320, 180);
    book.note('h', 1, 1000, 1280, 720);
    book.note('m', 2, 1000);
    book.note('m', 2, 1000, 640, 360);
    assert.deepEqual(
      book.list().map((l) => [l.rid, l.height]),
      [
        ['h', 720],
        ['m', 360],
        ['l', 180],
      ],
    );
    assert.deepEqual(book.sizeOf('m'), [640, 360]);
    assert.deepEqual(book.sizeOf('x'), [0, 0]);
    assert.deepEqual(book.ssrcs().sort(), [1, 2, 3]);
  });

  it('sends one layer on a forwarded m-line: the chosen one, switched to at its keyframe (asked for), the others dropped', () => {
    let layers = LAYERS;
    let keyframeRequests = 0;
    const sw = new LayerSwitch({ simulcast: true, layers: () => layers, requestKeyframe: () => void keyframeRequests++ });
    // No estimate yet: the highest; its packets go, the others' are dropped.
    assert.deepEqual([sw.take(false, 'm'), sw.take(false, 'h'), sw.take(false, 'l'), sw.take(false, 'h')], ['drop', 'send', 'drop', 'send']);
    assert.equal(sw.sending, 'h');
    assert.equal(keyframeRequests, 0);
    // The estimate falls under h: m is picked, its keyframe asked for; h goes on until m's keyframe comes.
    sw.selector.setEstimate(600_000);
    assert.equal(sw.switching, false);
    sw.choose();
    assert.equal(keyframeRequests, 1);
    assert.deepEqual([sw.take(false, 'h'), sw.take(false, 'm'), sw.take(true, 'l')], ['send', 'drop', 'drop']);
    // Waiting for m's keyframe: its sink counts as waiting for one (the request is sent again until it comes).
    assert.equal(sw.switching, true);
    assert.equal(sw.take(true, 'm'), 'switch', "m's keyframe: the switch (the m-line's sequence goes on)");
    assert.equal(sw.switching, false);
    assert.deepEqual([sw.take(false, 'm'), sw.take(false, 'h'), sw.take(true, 'h')], ['send', 'drop', 'drop']);
    assert.equal(sw.sending, 'm');
    // Its layer stops sending: the highest that fits of the rest.
    layers = LAYERS.filter((l) => l.rid !== 'm');
    assert.equal(sw.take(true, 'l'), 'switch');
    // A source without layers: everything goes.
    const plain = new LayerSwitch({ simulcast: false, layers: () => [], requestKeyframe: () => undefined });
    assert.deepEqual([plain.take(false, ''), plain.take(true, '')], ['send', 'send']);
  });

  it('loses keyframe requests on demand (a fault rule): the next `times` to a stream, any stream without one; cleared with the faults', () => {
    assert.deepEqual(checkKeyframeRequestDropRule({ keyframeRequests: 'drop' }), { keyframeRequests: 'drop', times: 1 });
    for (const bad of [
      { keyframeRequests: 'keep' },
      { keyframeRequests: 'drop', times: 0 },
      { keyframeRequests: 'drop', times: 101 },
      { keyframeRequests: 'drop', streamId: 5 },
      null,
    ])
      assert.throws(() => checkKeyframeRequestDropRule(bad), FaultRuleError, JSON.stringify(bad));
    const faults = new FaultTable();
    faults.dropKeyframeRequests({ keyframeRequests: 'drop', streamId: 'cam', times: 2 });
    assert.deepEqual(
      ['other', 'cam', 'cam', 'cam'].map((s) => faults.takeKeyframeRequestDrop(s)),
      [false, true, true, false],
    );
    faults.dropKeyframeRequests({ keyframeRequests: 'drop', times: 5 });
    assert.equal(faults.takeKeyframeRequestDrop('any'), true);
    faults.clear();
    assert.equal(faults.takeKeyframeRequestDrop('any'), false);
  });

  it('takes the lost-keyframe-request rule over /__faults (a bad one is a 400), and DELETE clears it', async () => {
    const server = await startServer({ faultInjection: true });
    try {
      const added = await http(server, 'POST', '/__faults', { keyframeRequests: 'drop', streamId: 'cam', times: 2 });
      assert.equal(added.status, 200);
      assert.deepEqual(added.json.rules, [{ keyframeRequests: 'drop', streamId: 'cam', times: 2 }]);
      assert.equal((await http(server, 'POST', '/__faults', { keyframeRequests: 'drop', times: 0 })).status, 400);
      assert.deepEqual(
        ['other', 'cam'].map((s) => server.faults.takeKeyframeRequestDrop(s)),
        [false, true],
      );
      assert.equal((await http(server, 'DELETE', '/__faults')).status, 200);
      assert.equal(server.faults.takeKeyframeRequestDrop('cam'), false, 'the second drop was cleared');
    } finally {
      await server.close();
    }
  });

  it('asks a publisher of a simulcast app for layers in start, a room participant too, not another app', async () => {
    const server = await startServer({ apps: { SimApp: { simulcast: true } } });
    const sim = await AmsClient.connect(wsUrl(server, 'SimApp'));
    const live = await AmsClient.connect(wsUrl(server));
    try {
      const start = await sim.request({ command: 'publish', streamId: 'cam' }, { command: 'start', streamId: 'cam' });
      assert.deepEqual(
        (start.simulcast as { rid: string }[]).map((l) => l.rid),
        ['h', 'm', 'l'],
      );
      const sub = await sim.request({ command: 'publish', streamId: 'p1', mainTrack: 'room1' }, { command: 'start', streamId: 'p1' });
      assert.deepEqual(
        (sub.simulcast as { rid: string }[]).map((l) => l.rid),
        ['h', 'm', 'l'],
      );
      const plain = await live.request({ command: 'publish', streamId: 'cam' }, { command: 'start', streamId: 'cam' });
      assert.equal(plain.simulcast, undefined);
    } finally {
      sim.close();
      live.close();
      await server.close();
    }
  });
});
