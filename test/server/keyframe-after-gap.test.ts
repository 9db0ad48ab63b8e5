// A publisher's path comes back after a cut: its video goes on hundreds of sequence numbers later,
// the packets between never reached the relay, and no player can decode until a keyframe. The
// relay asks the publisher for one at once (before, it took the jump for a new start and waited
// for each player's own NACKs to give up, about a second in Chrome).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PictureLossIndication, RtcpPayloadSpecificFeedback } from 'werift';
import { AmsClient, startServer, wsUrl } from '../helpers/server.js';
import { wsPlayMedia, wsPublishMedia } from '../helpers/whip.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('a gap in a publisher’s video too large to retransmit', () => {
  it('makes the relay ask the publisher for a keyframe at once, while a player watches', async () => {
    const server = await startServer();
    const pubWs = await AmsClient.connect(wsUrl(server));
    const playWs = await AmsClient.connect(wsUrl(server));
    const { pc, media } = await wsPublishMedia(pubWs, 'gap');
    const play = await wsPlayMedia(playWs, 'gap');
    try {
      const video = pc.getTransceivers().find((t) => t.kind === 'video')!;
      const plis: number[] = [];
      video.sender.onRtcp.subscribe((packet) => {
        if (packet instanceof RtcpPayloadSpecificFeedback && packet.feedback instanceof PictureLossIndication) plis.push(performance.now());
      });
      await play.received.atLeast('video', 20);
      // The requests of the player's start (if any) are over: none for a while.
      const quiet = async (): Promise<void> => {
        for (let i = 0; i < 50; i++) {
          const n = plis.length;
          await sleep(600);
          if (plis.length === n) return;
        }
        assert.fail('keyframe requests never stopped');
      };
      await quiet();
      const before = plis.length;
      // Chrome's video at 1.5 Mbit/s for 5 s: some 700 packets.
      media.skipVideo(700);
      const at = performance.now();
      await play.received.atLeast('video', 10);
      await sleep(300);
      const after = plis.filter((t) => t >= at);
      assert.ok(plis.length > before && after.length > 0, 'a keyframe request after the gap');
      assert.ok(after[0]! - at < 500, `the first ${Math.round(after[0]! - at)} ms after the gap`);
    } finally {
      media.stop();
      await pc.close();
      await play.pc.close();
      pubWs.close();
      playWs.close();
      await server.close();
    }
  });
});
