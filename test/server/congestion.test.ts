// The publisher's congestion feedback (packages/server/src/relay/congestion.ts): the REMB estimate on a
// given clock from the packets that arrive, and the REMB packet as bytes the browser parses.
// (It working with Chrome under a real 500 kbit/s cap is the fault lab's, scripts/fault-lab.mjs.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReceiverEstimatedMaxBitrate, RtcpPacketConverter, RtcpPayloadSpecificFeedback } from 'werift';
import { RembEstimator, REMB_INTERVAL_MS, rembPacket } from '../../packages/server/src/relay/congestion.js';

const MIN = 300_000;
const MAX = 2_500_000;

/** An estimator on a clock the test moves, and a sender of one interval of packets. */
function setup() {
  let t = 0;
  const est = new RembEstimator(MIN, MAX, () => t);
  let seq = 65_000; // wraps during the test
  /** One interval of `sent` packets of 1,000 bytes of which every `dropEvery`th is lost; returns the update. */
  const interval = (sent: number, dropEvery = 0) => {
    for (let i = 0; i < sent; i++) {
      seq = (seq + 1) & 0xffff;
      if (dropEvery && i % dropEvery === 0) continue;
      est.add(1234, seq, 1000);
    }
    t += REMB_INTERVAL_MS;
    return est.update();
  };
  return { est, interval, resend: (s: number) => est.add(1234, s, 1000), seq: () => seq };
}

describe('RembEstimator', () => {
  it('stays at the maximum on a clean path and under light loss', () => {
    const { interval } = setup();
    for (let i = 0; i < 10; i++) assert.equal(interval(100).bps, MAX);
    const light = interval(100, 20); // 5 %
    assert.equal(light.bps, MAX);
    assert.ok(light.loss > 0.04 && light.loss < 0.06, `loss ${light.loss}`);
  });

  it('drops to what arrives less half the loss under heavy loss, and never under the minimum', () => {
    const { interval } = setup();
    interval(100);
    // 100 packets of 1,000 bytes every 500 ms is 1.6 Mbit/s; a third lost.
    const heavy = interval(150, 3);
    assert.ok(heavy.loss > 0.3, `loss ${heavy.loss}`);
    assert.ok(heavy.bps < heavy.receivedBps, `${heavy.bps} < ${heavy.receivedBps}`);
    assert.ok(heavy.bps > MIN);
    let last = heavy.bps;
    for (let i = 0; i < 20; i++) last = interval(20, 2).bps;
    assert.equal(last, MIN);
  });

  it('counts a retransmission (an old sequence number) as neither expected nor a fresh arrival', () => {
    const { est, interval, resend, seq } = setup();
    interval(100);
    const before = seq();
    interval(100, 4); // 25 % lost
    for (let i = 0; i < 25; i++) resend((before + 1 + i * 4) & 0xffff);
    const update = est.update();
    assert.equal(update.loss, 0, 'the resent packets are not new packets');
  });

  it('after a loss holds, then grows, but stays under the rate that met the loss', () => {
    const { interval } = setup();
    interval(100);
    const cut = interval(100, 3).bps;
    // Clean again: held for 2 s (the first three intervals after the cut), then growing.
    const held = Array.from({ length: 3 }, () => interval(70).bps);
    assert.ok(
      held.every((b) => b === cut),
      `held: ${held}`,
    );
    let grown = cut;
    for (let i = 0; i < 40; i++) grown = interval(70).bps;
    assert.ok(grown > cut, `${grown} > ${cut}`);
    assert.ok(grown < 1_600_000, `${grown} stays under the rate that met the loss`);
  });
});

describe('rembPacket', () => {
  it('serializes to a REMB the RTCP parser reads back (bitrate, SSRCs)', () => {
    const bytes = rembPacket(1, 1_234_567, [0xdeadbeef, 42]).serialize();
    const [packet] = RtcpPacketConverter.deSerialize(bytes);
    assert.ok(packet instanceof RtcpPayloadSpecificFeedback);
    const remb = packet.feedback;
    assert.ok(remb instanceof ReceiverEstimatedMaxBitrate);
    assert.deepEqual(remb.ssrcFeedbacks, [0xdeadbeef, 42]);
    // 18-bit mantissa: exact to within 1 part in 2^17.
    assert.ok(Math.abs(Number(remb.bitrate) - 1_234_567) < 1_234_567 / 2 ** 17 + 1, `bitrate ${remb.bitrate}`);
  });
});
