// A new player's keyframe is asked for when its connection is made, not once it is up: the
// publisher's encoder takes about as long to send one (35-50 ms in Chrome) as ICE and DTLS take,
// so waiting cost every first frame that long. The video from the keyframe on is held meanwhile
// and goes out the moment the connection is up: the player's first video packet is that keyframe.
// The same for a room's player, participant by participant.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PictureLossIndication, RTCPeerConnection, RtcpPayloadSpecificFeedback } from 'werift';
import { inspectVp8 } from '../../packages/server/src/relay/media-info.js';
import { AmsClient, startServer, wsUrl } from '../helpers/server.js';
import { countRtp, PC_CONFIG, until, wsPublishMedia } from '../helpers/whip.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A publisher of `streamId` (keyframes only when asked; `publish`: more fields of its publish),
 * then a werift player of `playId`: the keyframe requests that reached the publisher, when the
 * player answered, and whether its first video packet began a keyframe.
 */
async function playFromScratch(streamId: string, playId: string, publish?: Record<string, unknown>) {
  const server = await startServer();
  const pubWs = await AmsClient.connect(wsUrl(server));
  const playWs = await AmsClient.connect(wsUrl(server));
  const { pc: pubPc, media } = await wsPublishMedia(pubWs, streamId, { keyframeEvery: 0, publish });
  const plis: number[] = [];
  pubPc
    .getTransceivers()
    .find((t) => t.kind === 'video')!
    .sender.onRtcp.subscribe((packet) => {
      if (!(packet instanceof RtcpPayloadSpecificFeedback && packet.feedback instanceof PictureLossIndication)) return;
      plis.push(performance.now());
      // Each request answered with a keyframe, as Chrome's encoder does.
      media.keyframeNext();
    });
  const pc = new RTCPeerConnection(PC_CONFIG);
  try {
    // No player yet: no request.
    await sleep(300);
    assert.equal(plis.length, 0, 'no keyframe request without a player');
    const firstVideo: boolean[] = [];
    const received = countRtp(pc, (kind, rtp) => {
      if (kind === 'video' && firstVideo.length < 1) firstVideo.push(inspectVp8(rtp.payload).keyframe);
    });
    const offer = await playWs.request({ command: 'play', streamId: playId }, { command: 'takeConfiguration', streamId: playId, type: 'offer' });
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp as string });
    await pc.setLocalDescription(await pc.createAnswer());
    await until(() => plis.length > 0, 'a keyframe request', 2000);
    const answeredAt = performance.now();
    playWs.send({ command: 'takeConfiguration', streamId: playId, type: 'answer', sdp: pc.localDescription!.sdp });
    await playWs.next({ command: 'notification', definition: 'play_started', streamId: playId }, 10_000);
    await received.atLeast('video', 5);
    return { plis: [...plis], answeredAt, firstVideo };
  } finally {
    media.stop();
    await pc.close();
    await pubPc.close();
    pubWs.close();
    playWs.close();
    await server.close();
  }
}

describe('a new player’s keyframe', () => {
  it('is asked for before the player answers, and is the first video packet it gets once connected', async () => {
    const { plis, answeredAt, firstVideo } = await playFromScratch('early', 'early');
    // The request went out with the offer: before the player's answer, so before its connection.
    assert.ok(plis[0]! < answeredAt, 'the keyframe asked for before the answer');
    assert.deepEqual(firstVideo, [true], 'the first video packet the player got begins a keyframe');
    // That keyframe served: no second request for the player's start.
    assert.equal(plis.length, 1, `keyframe requests: ${plis.length}`);
  });

  it('of a room: each participant’s asked for with the room player’s first offer, its first video packet a keyframe', async () => {
    const { plis, answeredAt, firstVideo } = await playFromScratch('early-a', 'early-room', { mainTrack: 'early-room' });
    assert.ok(plis[0]! < answeredAt, 'the keyframe asked for before the answer');
    assert.deepEqual(firstVideo, [true], 'the first video packet the room player got begins a keyframe');
    assert.equal(plis.length, 1, `keyframe requests: ${plis.length}`);
  });
});
