// Video a publisher sent that never reached the relay, while a player watches: no player can
// decode until a keyframe, which the relay asks the publisher for itself. After a cut path (its
// video goes on hundreds of sequence numbers later), at once: before, the relay took the jump for
// a new start and waited for each player's own NACKs to give up, about a second in Chrome. After
// a packet lost for good, at once, at most once a second: a loss within that second (the keyframe
// asked for lost in part itself, on a lossy path) is asked for when the second is over; it was
// dropped, and on a 20 % lossy path the players then froze for 6 s.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PictureLossIndication, RtcpPayloadSpecificFeedback } from 'werift';
import { AmsClient, startServer, wsUrl } from '../helpers/server.js';
import { until, wsPlayMedia, wsPublishMedia } from '../helpers/whip.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A publisher over the AMS WebSocket with a player watching; `plis` are the times keyframe requests reached the publisher. */
async function watched(streamId: string, keyframeEvery?: number) {
  const server = await startServer();
  const pubWs = await AmsClient.connect(wsUrl(server));
  const playWs = await AmsClient.connect(wsUrl(server));
  const { pc, media } = await wsPublishMedia(pubWs, streamId, { keyframeEvery });
  const play = await wsPlayMedia(playWs, streamId);
  const plis: number[] = [];
  const video = pc.getTransceivers().find((t) => t.kind === 'video')!;
  video.sender.onRtcp.subscribe((packet) => {
    if (!(packet instanceof RtcpPayloadSpecificFeedback && packet.feedback instanceof PictureLossIndication)) return;
    plis.push(performance.now());
    // Each request answered with a keyframe, as Chrome's encoder does.
    media.keyframeNext();
  });
  await play.received.atLeast('video', 20);
  return {
    media,
    play,
    plis,
    /** Until no request came for 600 ms (those of the player's start are over). */
    async quiet(): Promise<void> {
      for (let i = 0; i < 50; i++) {
        const n = plis.length;
        await sleep(600);
        if (plis.length === n) return;
      }
      assert.fail('keyframe requests never stopped');
    },
    async close() {
      media.stop();
      await pc.close();
      await play.pc.close();
      pubWs.close();
      playWs.close();
      await server.close();
    },
  };
}

describe('a gap in a publisher’s video too large to retransmit', () => {
  it('makes the relay ask the publisher for a keyframe at once, while a player watches', async () => {
    const t = await watched('gap');
    try {
      await t.quiet();
      // Chrome's video at 1.5 Mbit/s for 5 s: some 700 packets.
      t.media.skipVideo(700);
      const at = performance.now();
      await t.play.received.atLeast('video', 10);
      await until(() => t.plis.some((x) => x >= at), 'a keyframe request after the gap', 1000).catch(() => undefined);
      const after = t.plis.filter((x) => x >= at);
      assert.ok(after.length > 0, 'a keyframe request after the gap');
      assert.ok(after[0]! - at < 500, `the first ${Math.round(after[0]! - at)} ms after the gap`);
    } finally {
      await t.close();
    }
  });
});

describe('video lost for good twice within a second', () => {
  it('gets a keyframe request for each loss: the second once the second has passed, not never', async () => {
    // Keyframes only when asked.
    const t = await watched('lost-twice', 0);
    try {
      await t.quiet();
      t.plis.length = 0;
      t.media.skipVideo(1);
      const first = performance.now();
      await until(() => t.plis.length > 0, 'a keyframe request for the first loss', 1000).catch(() => undefined);
      assert.ok(t.plis.length > 0, 'a keyframe request for the first loss');
      assert.ok(t.plis[0]! - first < 600, 'the first at once');
      // The keyframe went out; then a packet after it is lost too.
      await sleep(200);
      assert.equal(t.plis.length, 1, 'one request, answered');
      t.media.skipVideo(1);
      await until(() => t.plis.length > 1, 'a keyframe request for the second loss', 2000).catch(() => undefined);
      assert.ok(t.plis.length > 1, 'a keyframe request for the second loss');
      const gap = t.plis[1]! - t.plis[0]!;
      assert.ok(gap >= 900 && gap < 1500, `the second request ${Math.round(gap)} ms after the first (the limit: one a second)`);
    } finally {
      await t.close();
    }
  });

  it('asks nothing for a loss before a keyframe that arrived since (that keyframe starts the pictures anew)', async () => {
    const t = await watched('superseded', 0);
    try {
      await t.quiet();
      t.plis.length = 0;
      // A loss, and a keyframe right after it (before the loss counts as lost for good, 150 ms).
      t.media.skipVideo(1);
      t.media.keyframeNext();
      await sleep(1000);
      assert.equal(t.plis.length, 0, 'no keyframe request');
    } finally {
      await t.close();
    }
  });
});
