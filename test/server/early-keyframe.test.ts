// A new player's keyframe is asked for when its connection is made, not once it is up: the
// publisher's encoder takes about as long to send one (35-50 ms in Chrome) as ICE and DTLS take,
// so waiting cost every first frame that long. The video from the keyframe on is held meanwhile
// and goes out the moment the connection is up: the player's first video packet is that keyframe.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PictureLossIndication, RTCPeerConnection, RtcpPayloadSpecificFeedback } from 'werift';
import { inspectVp8 } from '../../packages/server/src/relay/media-info.js';
import { AmsClient, startServer, wsUrl } from '../helpers/server.js';
import { countRtp, PC_CONFIG, until, wsPublishMedia } from '../helpers/whip.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('a new player’s keyframe', () => {
  it('is asked for before the player answers, and is the first video packet it gets once connected', async () => {
    const server = await startServer();
    const pubWs = await AmsClient.connect(wsUrl(server));
    const playWs = await AmsClient.connect(wsUrl(server));
    // Keyframes only when asked (and one first).
    const { pc: pubPc, media } = await wsPublishMedia(pubWs, 'early', { keyframeEvery: 0 });
    const plis: number[] = [];
    pubPc
      .getTransceivers()
      .find((t) => t.kind === 'video')!
      .sender.onRtcp.subscribe((packet) => {
        if (!(packet instanceof RtcpPayloadSpecificFeedback && packet.feedback instanceof PictureLossIndication)) return;
        plis.push(performance.now());
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
      const offer = await playWs.request({ command: 'play', streamId: 'early' }, { command: 'takeConfiguration', streamId: 'early', type: 'offer' });
      await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp as string });
      await pc.setLocalDescription(await pc.createAnswer());
      // The request went out with the offer: before the player's answer, so before its connection.
      await until(() => plis.length > 0, 'a keyframe request', 2000);
      const answeredAt = performance.now();
      assert.ok(plis[0]! < answeredAt, 'the keyframe asked for before the answer');
      playWs.send({ command: 'takeConfiguration', streamId: 'early', type: 'answer', sdp: pc.localDescription!.sdp });
      await playWs.next({ command: 'notification', definition: 'play_started', streamId: 'early' }, 10_000);
      await received.atLeast('video', 5);
      assert.deepEqual(firstVideo, [true], 'the first video packet the player got begins a keyframe');
      // That keyframe served: no second request for the player's start.
      assert.equal(plis.length, 1, `keyframe requests: ${plis.length}`);
    } finally {
      media.stop();
      await pc.close();
      await pubPc.close();
      pubWs.close();
      playWs.close();
      await server.close();
    }
  });
});
