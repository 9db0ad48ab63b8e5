// The relay's RTP payload looks (packages/server/src/relay/media-info.ts) on literal VP8 and H.264 payloads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BitrateMeter, inspectH264, inspectVideo, inspectVp8, parseSpsSize } from '../../packages/server/src/relay/media-info.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

/** Frame tag of a VP8 keyframe (P bit 0), start code, 640 x 480. */
const VP8_KEY_FRAME = [0xb0, 0x1d, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01];
/** SPS, constrained baseline 3.1, 40 x 30 macroblocks: 640 x 480. */
const SPS_640x480 = [0x67, 0x42, 0xe0, 0x1f, 0xda, 0x02, 0x80, 0xf6, 0x40];
/** SPS, high 4.0, 120 x 68 macroblocks cropped by 8 lines: 1920 x 1080. */
const SPS_1080P = [0x67, 0x64, 0x00, 0x28, 0xac, 0xb4, 0x03, 0xc0, 0x11, 0x3f, 0x2a];
const PPS = [0x68, 0xce, 0x3c, 0x80];

describe('inspectVp8', () => {
  it('finds a keyframe and its picture size behind the short descriptor', () => {
    assert.deepEqual(inspectVp8(bytes(0x10, ...VP8_KEY_FRAME)), { keyframe: true, width: 640, height: 480 });
  });

  it('skips an extended descriptor (15-bit picture id, TL0PICIDX, TID) and the scaling bits', () => {
    // X=1 S=1; I L T; picture id 0x0123 (M bit); TL0PICIDX; TID/KEYIDX; then the frame, scaled sizes.
    const payload = bytes(0x90, 0xe0, 0x81, 0x23, 0x05, 0x40, 0xb0, 0x1d, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x42, 0xe0, 0x81);
    assert.deepEqual(inspectVp8(payload), { keyframe: true, width: 640, height: 480 });
    // A 7-bit picture id is one byte.
    assert.deepEqual(inspectVp8(bytes(0x90, 0x80, 0x23, ...VP8_KEY_FRAME)), { keyframe: true, width: 640, height: 480 });
  });

  it('says a keyframe without a size when the packet is cut short', () => {
    assert.deepEqual(inspectVp8(bytes(0x10, 0xb0, 0x1d, 0x00, 0x9d, 0x01)), { keyframe: true });
  });

  it('does not take a delta frame, a later packet or another partition for a keyframe', () => {
    assert.equal(inspectVp8(bytes(0x10, 0xb1, 0x1d, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01)).keyframe, false);
    assert.equal(inspectVp8(bytes(0x00, ...VP8_KEY_FRAME)).keyframe, false);
    assert.equal(inspectVp8(bytes(0x11, ...VP8_KEY_FRAME)).keyframe, false);
    assert.equal(inspectVp8(bytes(0x10)).keyframe, false);
    assert.equal(inspectVp8(bytes(0x90)).keyframe, false);
    assert.equal(inspectVp8(bytes()).keyframe, false);
  });
});

describe('inspectH264', () => {
  it('takes a single IDR NAL unit for a keyframe and a non-IDR slice for none', () => {
    assert.deepEqual(inspectH264(bytes(0x65, 0x88, 0x84, 0x00)), { keyframe: true });
    assert.deepEqual(inspectH264(bytes(0x41, 0x9a, 0x02)), { keyframe: false });
  });

  it('reads SPS and PPS in a STAP-A: a keyframe, 640 x 480', () => {
    const stapA = bytes(0x78, 0x00, SPS_640x480.length, ...SPS_640x480, 0x00, PPS.length, ...PPS);
    assert.deepEqual(inspectH264(stapA), { keyframe: true, width: 640, height: 480 });
  });

  it('stops at a STAP-A size that runs past the packet', () => {
    assert.deepEqual(inspectH264(bytes(0x78, 0x00, 0x04, ...PPS, 0x00, 0x30, 0x65)), { keyframe: false });
  });

  it('takes only the first FU-A fragment of an IDR for a keyframe', () => {
    assert.equal(inspectH264(bytes(0x7c, 0x85, 0x88, 0x84)).keyframe, true);
    assert.equal(inspectH264(bytes(0x7c, 0x05, 0x21, 0x40)).keyframe, false);
    assert.equal(inspectH264(bytes(0x7c, 0x45, 0x21, 0x40)).keyframe, false);
    assert.equal(inspectH264(bytes(0x7c, 0x81, 0x9a, 0x02)).keyframe, false);
    assert.equal(inspectH264(bytes(0x7c)).keyframe, false);
  });

  it('ignores other packet types (STAP-B, MTAP, FU-B)', () => {
    for (const type of [25, 26, 27, 29]) assert.equal(inspectH264(bytes(0x60 | type, 0x85, 0x65)).keyframe, false, `type ${type}`);
  });
});

describe('parseSpsSize', () => {
  it('reads baseline and high-profile sizes, with cropping', () => {
    assert.deepEqual(parseSpsSize(bytes(...SPS_640x480)), { width: 640, height: 480 });
    assert.deepEqual(parseSpsSize(bytes(...SPS_1080P)), { width: 1920, height: 1080 });
  });

  it('gives up on a cut SPS', () => {
    assert.equal(parseSpsSize(bytes(...SPS_640x480.slice(0, 5))), undefined);
    assert.equal(parseSpsSize(bytes(0x67)), undefined);
  });
});

describe('inspectVideo', () => {
  it("picks the codec's reader", () => {
    assert.equal(inspectVideo('vp8', bytes(0x10, ...VP8_KEY_FRAME)).width, 640);
    // The VP8 keyframe bytes are no H.264 keyframe, and an IDR NAL unit is no VP8 keyframe.
    assert.equal(inspectVideo('h264', bytes(0x10, ...VP8_KEY_FRAME)).keyframe, false);
    assert.equal(inspectVideo('h264', bytes(0x65, 0x88)).keyframe, true);
    assert.equal(inspectVideo('vp8', bytes(0x65, 0x88)).keyframe, false);
  });
});

describe('BitrateMeter', () => {
  it('measures bits per second over its window on a given clock', () => {
    let now = 0;
    const meter = new BitrateMeter(3000, () => now);
    assert.equal(meter.bitsPerSecond(), 0);
    meter.add(1000);
    assert.equal(meter.bitsPerSecond(), 0, 'one sample is no rate yet');
    now = 100;
    meter.add(1000); // within 250 ms: folded into the first sample
    now = 1000;
    meter.add(1000);
    // 1000 bytes between the samples at 0 and 1000 ms.
    assert.equal(meter.bitsPerSecond(), 8000);
    now = 2000;
    meter.add(3000);
    assert.equal(meter.bitsPerSecond(), 16_000);
  });

  it('forgets samples older than the window and reads 0 when nothing came for 2 s', () => {
    let now = 0;
    const meter = new BitrateMeter(3000, () => now);
    for (let t = 0; t <= 6000; t += 1000) {
      now = t;
      meter.add(t < 4000 ? 1000 : 2000);
    }
    // Samples kept: 3000..6000 ms, 6000 bytes in 3 s.
    assert.equal(meter.bitsPerSecond(), 16_000);
    now = 8001;
    assert.equal(meter.bitsPerSecond(), 0);
  });
});
