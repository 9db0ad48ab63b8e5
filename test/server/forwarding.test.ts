// The relay's forwarding primitives (packages/server/src/relay/forwarding.ts): keyframe requests read from
// literal RTCP bytes, the keyframe gate and the PLI pacing on a given clock, the forwarded codecs,
// the VP8 picture numbering across a change of source.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RtcpPacketConverter, useH264 } from 'werift';
import {
  forwardedAudioCodec,
  forwardedVideoCodec,
  isKeyframeRequest,
  KEYFRAME_GATE_MS,
  KeyframeGate,
  PliPacer,
  Vp8Numbering,
} from '../../packages/server/src/relay/forwarding.js';

const rtcp = (...b: number[]): unknown => {
  const packets = RtcpPacketConverter.deSerialize(Buffer.from(b));
  assert.equal(packets.length, 1);
  return packets[0];
};

describe('isKeyframeRequest', () => {
  it('is true for a PLI and a FIR', () => {
    // PSFB (206) FMT 1: sender SSRC 1, media SSRC 2.
    assert.equal(isKeyframeRequest(rtcp(0x81, 0xce, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2)), true);
    // PSFB FMT 4: FCI SSRC 2, sequence number 7.
    assert.equal(isKeyframeRequest(rtcp(0x84, 0xce, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 7, 0, 0, 0)), true);
  });

  it('is false for REMB, a NACK and anything else', () => {
    // PSFB FMT 15 "REMB", 1 SSRC.
    assert.equal(isKeyframeRequest(rtcp(0x8f, 0xce, 0x00, 0x05, 0, 0, 0, 1, 0, 0, 0, 0, 0x52, 0x45, 0x4d, 0x42, 0x01, 0x0a, 0x00, 0x00, 0, 0, 0, 2)), false);
    // RTPFB (205) FMT 1, generic NACK of packet 16.
    assert.equal(isKeyframeRequest(rtcp(0x81, 0xcd, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0x00, 0x10, 0x00, 0x00)), false);
    assert.equal(isKeyframeRequest(undefined), false);
    assert.equal(isKeyframeRequest({ type: 206 }), false);
  });
});

describe('KeyframeGate', () => {
  it('lets nothing through a shut gate until a keyframe, then everything', () => {
    const gate = new KeyframeGate(false, 0);
    assert.equal(gate.pass(false, 10), false);
    assert.equal(gate.pass(false, KEYFRAME_GATE_MS - 1), false);
    assert.equal(gate.open, false);
    assert.equal(gate.pass(true, 20), true);
    assert.equal(gate.open, true);
    assert.equal(gate.pass(false, 30), true);
  });

  it('opens by itself once KEYFRAME_GATE_MS went by since it was shut', () => {
    const gate = new KeyframeGate(false, 1000);
    assert.equal(gate.pass(false, 1000 + KEYFRAME_GATE_MS), true);
    gate.shut(5000);
    assert.equal(gate.pass(false, 5100), false);
    gate.restartClock(6000);
    assert.equal(gate.pass(false, 6000 + KEYFRAME_GATE_MS - 1), false);
    assert.equal(gate.pass(false, 6000 + KEYFRAME_GATE_MS), true);
  });

  it('an open gate (audio) passes everything, and restartClock leaves it open', () => {
    const gate = new KeyframeGate(true, 0);
    gate.restartClock(10);
    assert.equal(gate.pass(false, 11), true);
  });
});

describe('PliPacer', () => {
  const setup = () => {
    const clock = { now: 0, canSend: true };
    const sent: number[] = [];
    const pacer = new PliPacer(
      () => {
        if (!clock.canSend) return false;
        sent.push(clock.now);
        return true;
      },
      () => clock.now,
    );
    const at = (t: number, f: () => void) => {
      clock.now = t;
      f();
    };
    return { clock, sent, pacer, at };
  };

  it('sends at once, holds a request closer than 300 ms until the next tick after', () => {
    const { sent, pacer, at } = setup();
    at(0, () => pacer.request());
    at(100, () => pacer.request());
    at(200, () => pacer.tick(false));
    assert.deepEqual(sent, [0]);
    at(300, () => pacer.tick(false));
    assert.deepEqual(sent, [0, 300]);
    at(400, () => pacer.tick(false));
    assert.deepEqual(sent, [0, 300], 'nothing wanted: no PLI');
  });

  it('asks again every 350 ms while a player waits, and never on a timer once nobody waits', () => {
    const { sent, pacer, at } = setup();
    at(0, () => pacer.request());
    at(349, () => pacer.tick(true));
    at(350, () => pacer.tick(true));
    assert.deepEqual(sent, [0, 350]);
    for (let t = 400; t <= 60_000; t += 50) at(t, () => pacer.tick(false));
    assert.deepEqual(sent, [0, 350], 'a minute with players that have their keyframe: no PLI');
    at(60_010, () => pacer.request());
    assert.deepEqual(sent, [0, 350, 60_010], "a player's own request goes out at once");
  });

  it('a request until answered (video lost upstream) goes again every 350 ms until a keyframe arrives, at most 5 times', () => {
    const { sent, pacer, at } = setup();
    at(0, () => pacer.request(true));
    for (let t = 50; t <= 1000; t += 50) at(t, () => pacer.tick(false));
    assert.deepEqual(sent, [0, 350, 700], 'no keyframe yet: asked again');
    pacer.keyframeArrived();
    for (let t = 1050; t <= 5000; t += 50) at(t, () => pacer.tick(false));
    assert.deepEqual(sent, [0, 350, 700], 'answered: no more');
    at(10_000, () => pacer.request(true));
    for (let t = 10_050; t <= 20_000; t += 50) at(t, () => pacer.tick(false));
    assert.deepEqual(sent, [0, 350, 700, 10_000, 10_350, 10_700, 11_050, 11_400, 11_750], 'never answered: 5 resends, then it stops');
    at(30_000, () => pacer.request());
    for (let t = 30_050; t <= 32_000; t += 50) at(t, () => pacer.tick(false));
    assert.equal(sent.at(-1), 30_000, "a plain request (a player's PLI) goes once");
  });

  it('keeps a request it could not send (no video yet) for a later tick', () => {
    const { clock, sent, pacer, at } = setup();
    clock.canSend = false;
    at(0, () => pacer.request());
    at(100, () => pacer.tick(false));
    assert.deepEqual(sent, []);
    clock.canSend = true;
    at(200, () => pacer.tick(false));
    assert.deepEqual(sent, [200]);
  });
});

describe('forwarded codecs', () => {
  it("video keeps the source's codec and offers NACK, PLI and FIR", () => {
    const h264 = forwardedVideoCodec(useH264());
    assert.equal(h264.mimeType, 'video/h264');
    assert.equal(h264.clockRate, 90000);
    assert.equal(h264.parameters, 'profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1');
    assert.deepEqual(h264.rtcpFeedback, [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }]);
    const vp8 = forwardedVideoCodec({ mimeType: 'video/VP8', clockRate: 90000 });
    assert.equal(vp8.parameters, undefined);
    assert.notEqual(vp8.rtcpFeedback, h264.rtcpFeedback, 'each codec has its own list');
  });

  it("audio keeps the source's codec (2 channels unless said), or is Opus", () => {
    const opus = forwardedAudioCodec(undefined);
    assert.equal(opus.mimeType, 'audio/OPUS');
    assert.equal(opus.channels, 2);
    const source = forwardedAudioCodec(forwardedAudioCodec(undefined));
    assert.deepEqual([source.mimeType, source.clockRate, source.channels], ['audio/OPUS', 48000, 2]);
  });
});

describe('Vp8Numbering', () => {
  /** A VP8 payload: descriptor with a 15-bit PictureID (`pic`), TL0PICIDX (`tl0`) and TID, then two bytes. */
  const vp8 = (pic: number, tl0: number, start = true): Buffer =>
    Buffer.from([0x80 | (start ? 0x10 : 0), 0xe0, 0x80 | (pic >> 8), pic & 0xff, tl0, 0x20, 0x9d, 0x01]);
  const numbers = (p: Buffer): [number, number] => [((p[2]! & 0x7f) << 8) | p[3]!, p[4]!];

  it('is made for a VP8 sender only (forCodec)', () => {
    assert.ok(Vp8Numbering.forCodec({ mimeType: 'video/VP8' }) instanceof Vp8Numbering);
    assert.ok(Vp8Numbering.forCodec({ mimeType: 'video/vp8' }) instanceof Vp8Numbering);
    assert.equal(Vp8Numbering.forCodec({ mimeType: 'video/H264' }), undefined);
    assert.equal(Vp8Numbering.forCodec(undefined), undefined);
  });

  it('passes one source as it is (the same buffer, no copy)', () => {
    const n = new Vp8Numbering();
    for (let i = 0; i < 5; i++) {
      const p = vp8(30000 + i, 250 + i);
      assert.equal(n.apply(p), p);
    }
  });

  it('goes on from the last numbers sent at a restart, one picture later, wrapping; the shared payload stays as it was', () => {
    const n = new Vp8Numbering();
    n.apply(vp8(32766, 254));
    n.apply(vp8(32767, 255, false));
    // Another layer: its own numbers, far behind (the case that froze Chrome's picture).
    n.restart();
    const key = vp8(100, 10);
    const out = n.apply(key);
    assert.notEqual(out, key);
    assert.deepEqual(numbers(out), [0, 0]);
    assert.deepEqual(numbers(key), [100, 10], 'the shared payload is untouched');
    assert.deepEqual(out.subarray(5), key.subarray(5), 'the rest is the same');
    // Its next pictures keep the shift; a late, older packet does not move the numbering back.
    assert.deepEqual(numbers(n.apply(vp8(101, 10))), [1, 0]);
    assert.deepEqual(numbers(n.apply(vp8(102, 11))), [2, 1]);
    assert.deepEqual(numbers(n.apply(vp8(99, 9))), [32767, 255]);
    // A third source (back to the first layer, now ahead): again from the last sent.
    n.restart();
    assert.deepEqual(numbers(n.apply(vp8(20000, 200))), [3, 2]);
    assert.deepEqual(numbers(n.apply(vp8(20001, 200))), [4, 2]);
  });

  it('a 7-bit PictureID wraps at 128; a payload without the numbers, or too short, passes as it is', () => {
    const n = new Vp8Numbering();
    n.apply(Buffer.from([0x90, 0x80, 127, 0x00]));
    n.restart();
    const out = n.apply(Buffer.from([0x90, 0x80, 40, 0x00]));
    assert.equal(out[2], 0);
    for (const p of [Buffer.from([0x10, 0x00]), Buffer.from([0x90, 0x80]), Buffer.from([0x90, 0xc0, 0x85, 0x01]), Buffer.alloc(0)]) {
      n.restart();
      assert.equal(n.apply(p), p);
    }
  });
});
