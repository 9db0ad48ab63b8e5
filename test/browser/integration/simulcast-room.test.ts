// Simulcast in rooms: on an app with `simulcast` the embedded server asks a <rtc-room>'s
// participants for layers too (`start` with `simulcast`), and each room connection gets one layer
// of each participant (picked from an even share of its browser's bandwidth estimate, switched at
// a keyframe), never the layers mixed on one m-line.
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../../src/define-room.js';
import type { RtcRoom } from '../../../src/elements/rtc-room/rtc-room.js';
import { AmsClient, poll, uniqueStreamId } from '../../helpers/ams-client.js';
import { ws } from '../../helpers/matrix.js';
import { tile } from '../../helpers/room.js';

const SIMULCAST_WS = ws.replace('/LiveApp/', '/SimulcastApp/');

const video = (room: RtcRoom, id: string): HTMLVideoElement | null => tile(room, id)?.querySelector('video') ?? null;
const shown = (room: RtcRoom, id: string): number => video(room, id)?.getVideoPlaybackQuality().totalVideoFrames ?? 0;

/** The heights of `streamId`'s layers as the server lists them, once at least two send. */
async function layerHeights(streamId: string): Promise<number[]> {
  const client = await AmsClient.connect(SIMULCAST_WS);
  try {
    return await poll(
      async () => {
        const from = client.frames.length;
        client.send({ command: 'getStreamInfo', streamId });
        const f = await client.waitFor((x) => x.command === 'streamInformation' && client.frames.indexOf(x) >= from, 5000, 'streamInformation');
        const list = f.streamInfo as { streamHeight: number; videoBitrate: number }[];
        return list.length >= 2 && list.every((l) => l.videoBitrate > 0 && l.streamHeight > 0) ? list.map((l) => l.streamHeight) : undefined;
      },
      15_000,
      'two layers or more listed, each sending',
      250,
    );
  } finally {
    client.ws.close();
  }
}

/**
 * Frames `room` shows of `id` over 2 s of frame callbacks, and the largest gap between two of
 * them (ms), and every height it showed meanwhile.
 */
async function watch(room: RtcRoom, id: string): Promise<{ frames: number; gap: number; heights: Set<number> }> {
  const v = video(room, id)!;
  const heights = new Set<number>();
  let frames = 0;
  let last = performance.now();
  let gap = 0;
  await new Promise<void>((done) => {
    const t0 = performance.now();
    const tick = (now: number): void => {
      frames++;
      gap = Math.max(gap, now - last);
      last = now;
      heights.add(v.videoHeight);
      if (now - t0 < 2000) v.requestVideoFrameCallback(tick);
      else done();
    };
    v.requestVideoFrameCallback(tick);
  });
  return { frames, gap, heights };
}

describe('simulcast in rooms (embedded server, SimulcastApp)', function () {
  (this as unknown as { timeout(ms: number): void }).timeout(60_000);
  let rooms: RtcRoom[] = [];
  afterEach(async () => {
    await Promise.all(rooms.map((r) => r.leave()));
    for (const r of rooms) r.remove();
    rooms = [];
  });

  it('participants publish layers; each room connection gets one layer of each, whole', async () => {
    const roomId = uniqueStreamId('simroom');
    const ids = [uniqueStreamId('sa'), uniqueStreamId('sb')];
    for (const id of ids) {
      const el = await fixture<RtcRoom>(html`<rtc-room server-url=${SIMULCAST_WS} room-id=${roomId} stream-id=${id} no-controls></rtc-room>`);
      rooms.push(el);
      await el.join();
    }
    const [a, b] = rooms as [RtcRoom, RtcRoom];
    await poll(() => shown(a, ids[1]!) > 5 && shown(b, ids[0]!) > 5, 20_000, 'each shows the other');
    // The server asked each participant for layers, and each sends two or more (the fake camera's
    // 640x480 makes two: Chrome drops a layer under 320x180).
    const layers = await Promise.all(ids.map(layerHeights));
    for (const [room, id, heights] of [
      [a, ids[1]!, layers[1]!],
      [b, ids[0]!, layers[0]!],
    ] as const) {
      const seen = await watch(room, id);
      // One layer, whole: frames at a steady rate (a 30 fps camera), of a layer's height.
      expect(seen.frames, `frames of ${id} in 2 s`).to.be.above(20);
      expect(seen.gap, `the largest gap between frames of ${id} (ms)`).to.be.below(500);
      for (const h of seen.heights) expect(heights, `heights shown of ${id}`).to.include(h);
    }
    // The server's side: each room connection sends one layer of each participant (the others dropped).
    for (const id of ids) {
      const sinks = (await executeServerCommand('rtc-server', { action: 'layers-sent', app: 'SimulcastApp', streamId: id })) as {
        room: boolean;
        layer: string | null;
      }[];
      expect(sinks, `the sinks of ${id}`).to.have.length(1);
      expect(sinks[0]!.room).to.equal(true);
      expect(['h', 'm', 'l'], `the layer sent of ${id}`).to.include(sinks[0]!.layer);
    }
  });
});
