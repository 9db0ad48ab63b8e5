// Adaptive quality on the embedded server: an app with `simulcast` asks each publisher for layers
// (`start` with `simulcast: true`); <rtc-publisher> then sends its 1280x720 camera in three, full,
// half and a quarter size; `streamInformation` lists the layers as AMS lists its renditions;
// `setQuality(height)` (AMS's `forceStreamQuality`) pins the closest layer, switched to at its next
// keyframe with no freeze, and `setQuality(0)` hands the choice back to the bandwidth estimate;
// in VP8 and in H.264.
import { expect } from '@open-wc/testing';
import '../../../src/define.js';
import type { RtcPlayer } from '../../../src/elements/rtc-player/rtc-player.js';
import { AmsClient, poll, uniqueStreamId } from '../../helpers/ams-client.js';
import { loseKeyframeRequests, player, publisher, sessionOf, unmountAll, ws } from '../../helpers/matrix.js';

const SIMULCAST_WS = ws.replace('/LiveApp/', '/SimulcastApp/');
const video = (el: RtcPlayer): HTMLVideoElement => el.shadowRoot!.querySelector('video')!;
const frames = (el: RtcPlayer): number => video(el).getVideoPlaybackQuality().totalVideoFrames;

/** Resolves once the player shows `height` lines and has decoded more frames since. */
async function showsHeight(el: RtcPlayer, height: number, ms = 10_000): Promise<void> {
  await poll(() => video(el).videoHeight === height, ms, `${height} lines shown (now ${video(el).videoHeight})`);
  const n = frames(el);
  await poll(() => frames(el) > n + 3, 5000, `frames at ${height}`);
}

/** The largest gap between decoded frames (ms) while `run` runs, from the video's frame callbacks. */
async function largestGap(el: RtcPlayer, run: () => Promise<void>): Promise<number> {
  const v = video(el);
  let last = performance.now();
  let gap = 0;
  let on = true;
  const tick = (now: number): void => {
    gap = Math.max(gap, now - last);
    last = now;
    if (on) v.requestVideoFrameCallback(tick);
  };
  v.requestVideoFrameCallback(tick);
  try {
    await run();
  } finally {
    on = false;
  }
  return Math.max(gap, performance.now() - last);
}

/** The stream's renditions as the server lists them now: the answer to a new `getStreamInfo` (not an earlier one). */
async function renditions(client: AmsClient, streamId: string): Promise<{ streamHeight: number; videoBitrate: number; videoCodec: string }[]> {
  const from = client.frames.length;
  client.send({ command: 'getStreamInfo', streamId });
  const f = await client.waitFor(
    (x) => x.command === 'streamInformation' && x.streamId === streamId && client.frames.indexOf(x) >= from,
    5000,
    'streamInformation',
  );
  return f.streamInfo as { streamHeight: number; videoBitrate: number; videoCodec: string }[];
}

/** The stream's renditions once three layers are listed, each sending (from a socket of its own). */
async function threeLayers(streamId: string): Promise<{ streamHeight: number; videoBitrate: number; videoCodec: string }[]> {
  const client = await AmsClient.connect(SIMULCAST_WS);
  try {
    return await poll(
      async () => {
        const list = await renditions(client, streamId);
        return list.length === 3 && list.every((l) => l.videoBitrate > 0) ? list : undefined;
      },
      15_000,
      'three layers listed, each sending',
    );
  } finally {
    client.ws.close();
  }
}

describe('simulcast layers and forceStreamQuality (embedded server, SimulcastApp)', function () {
  (this as unknown as { timeout(ms: number): void }).timeout(60_000);
  afterEach(() => unmountAll());

  it('sends three layers, lists them, pins one by height at its keyframe without a freeze, and goes back to automatic', async () => {
    const streamId = uniqueStreamId('layers');
    const { el: pub } = publisher(streamId, { serverUrl: SIMULCAST_WS, mediaConstraints: { video: { width: 1280, height: 720 }, audio: true } });
    await pub.start();
    const encodings = sessionOf(pub)
      .pc!.getSenders()
      .find((s) => s.track?.kind === 'video')!
      .getParameters().encodings;
    expect(encodings.map((e) => e.rid)).to.deep.equal(['h', 'm', 'l']);

    const { el: play, rec } = player(streamId, { serverUrl: SIMULCAST_WS });
    await play.play();
    // A new player starts on the layer its first estimate allows and climbs (5 s between tries).
    await showsHeight(play, 720, 20_000);

    // streamInformation: one rendition per layer sending, highest first.
    const info = await threeLayers(streamId);
    expect(info.map((l) => l.streamHeight)).to.deep.equal([720, 360, 180]);
    expect(info[0]!.videoBitrate).to.be.above(info[2]!.videoBitrate);
    expect(info[0]!.videoCodec).to.equal('vp8');

    // Pinned: the closest layer (200 → 180), at its keyframe, with no freeze.
    const from = rec.events.length;
    const gapDown = await largestGap(play, async () => {
      play.setQuality(200);
      await showsHeight(play, 180);
    });
    const change = await rec.next('rtc-resolution-change-info', 5000, () => true, from);
    expect((change.detail as { streamHeight?: number }).streamHeight).to.equal(200);
    expect(gapDown, 'the largest gap between frames at the switch (ms)').to.be.below(700);
    await showsHeight(play, 180);

    const gapMid = await largestGap(play, async () => {
      play.setQuality(360);
      await showsHeight(play, 360);
    });
    expect(gapMid).to.be.below(700);

    // Automatic again: on this unconstrained path, the highest layer.
    play.setQuality(0);
    await showsHeight(play, 720, 20_000);
    expect(play.getAttribute('state')).to.equal('live');
  });

  it('switches layer even when the keyframe request for it is lost: the request is sent again until the keyframe comes', async () => {
    const streamId = uniqueStreamId('lostpli');
    const { el: pub } = publisher(streamId, { serverUrl: SIMULCAST_WS, mediaConstraints: { video: { width: 1280, height: 720 }, audio: true } });
    await pub.start();
    const { el: play } = player(streamId, { serverUrl: SIMULCAST_WS });
    await play.play();
    await poll(() => video(play).videoHeight > 0, 10_000, 'a picture');
    // Any layer but the one shown (the player may still be climbing), once each layer is sending.
    await threeLayers(streamId);
    // (Towards 360 lines: CI twice saw a pin from 720 to 180 lines not taken within 10 s, once in
    // this test, once in the H.264 one below. The VP8 cause, the new layer's picture numbers
    // behind the old one's, is mended in the relay: Vp8Numbering.)
    const target = video(play).videoHeight === 360 ? 720 : 360;
    // The one request the pin sends is lost: the switch waits for the requests sent after it.
    await loseKeyframeRequests(streamId, 1);
    play.setQuality(target);
    await showsHeight(play, target);
  });

  it('does the same in H.264 (where the browser encodes it): three layers listed as h264, one pinned by height', async () => {
    const h264 = (RTCRtpSender.getCapabilities('video')?.codecs ?? []).filter(
      (c) => c.mimeType === 'video/H264' && /packetization-mode=1/.test(c.sdpFmtpLine ?? ''),
    );
    expect(h264.length, 'this Chromium encodes H.264').to.be.above(0);
    // <rtc-publisher> offers the browser's codecs in the browser's order (VP8 first): here its
    // video transceiver is given H.264 only, as a browser preferring it would offer.
    const addTransceiver = RTCPeerConnection.prototype.addTransceiver;
    RTCPeerConnection.prototype.addTransceiver = function (this: RTCPeerConnection, ...args: Parameters<RTCPeerConnection['addTransceiver']>) {
      const t = addTransceiver.apply(this, args);
      if (t.sender.track?.kind === 'video') t.setCodecPreferences(h264);
      return t;
    };
    try {
      const streamId = uniqueStreamId('h264layers');
      const { el: pub } = publisher(streamId, { serverUrl: SIMULCAST_WS, mediaConstraints: { video: { width: 1280, height: 720 }, audio: true } });
      await pub.start();
      const sender = sessionOf(pub)
        .pc!.getSenders()
        .find((s) => s.track?.kind === 'video')!;
      expect(sender.getParameters().encodings.map((e) => e.rid)).to.deep.equal(['h', 'm', 'l']);
      expect(sender.getParameters().codecs[0]?.mimeType).to.equal('video/H264');

      const { el: play } = player(streamId, { serverUrl: SIMULCAST_WS });
      await play.play();
      // A new player starts on the layer its first estimate allows and climbs (5 s between tries).
      await showsHeight(play, 720, 20_000);

      const info = await threeLayers(streamId);
      expect(info.map((l) => l.streamHeight)).to.deep.equal([720, 360, 180]);
      expect(info.map((l) => l.videoCodec)).to.deep.equal(['h264', 'h264', 'h264']);

      const gap = await largestGap(play, async () => {
        play.setQuality(200);
        await showsHeight(play, 180);
      });
      expect(gap, 'the largest gap between frames at the switch (ms)').to.be.below(700);
      play.setQuality(0);
      await showsHeight(play, 720, 20_000);
    } finally {
      RTCPeerConnection.prototype.addTransceiver = addTransceiver;
    }
  });

  it('does not ask for layers where the app does not (LiveApp): one encoding', async () => {
    const streamId = uniqueStreamId('single');
    const { el: pub } = publisher(streamId);
    await pub.start();
    const encodings = sessionOf(pub)
      .pc!.getSenders()
      .find((s) => s.track?.kind === 'video')!
      .getParameters().encodings;
    expect(encodings.length).to.equal(1);
    expect(encodings[0]!.rid).to.equal(undefined);
  });
});
