// The embedded server's RTCP Sender Reports to a player carry the wall-clock time they were sent
// (NTP), which the browser maps its RTP timestamps with (lip sync, `remote-outbound-rtp`).
// werift's own writes the decimal digits of the seconds' fraction as a binary fraction, so its
// reports said whole seconds; the relay's forwarding (`sendRtpFast`) writes the true time.
import { expect } from '@open-wc/testing';
import '../../../src/define.js';
import { poll, uniqueStreamId } from '../../helpers/ams-client.js';
import { player, publisher, sessionOf, unmountAll } from '../../helpers/matrix.js';

/** The NTP times (as Unix ms) of the Sender Reports the player's connection got so far, one per report. */
async function reportTimes(pc: RTCPeerConnection, seen: Set<number>): Promise<Set<number>> {
  const stats = await pc.getStats();
  stats.forEach((s: { type: string; remoteTimestamp?: number }) => {
    if (s.type === 'remote-outbound-rtp' && typeof s.remoteTimestamp === 'number') seen.add(s.remoteTimestamp);
  });
  return seen;
}

describe('Sender Reports of the embedded server (real server)', function () {
  (this as unknown as { timeout(ms: number): void }).timeout(40_000);
  afterEach(unmountAll);

  it("a player's reports carry the server's wall-clock time, to the millisecond", async () => {
    const streamId = uniqueStreamId('sr');
    const { el: pub } = publisher(streamId);
    await pub.start();
    const { el } = player(streamId, { autoplay: true });
    await poll(() => (el.shadowRoot?.querySelector('video')?.getVideoPlaybackQuality().totalVideoFrames ?? 0) > 0, 15_000, 'frames');
    const pc = sessionOf(el).pc!;
    // A report every 0.5-1.5 s: wait for four (the stats, polled, have no event of their own).
    const seen = new Set<number>();
    const times = [...(await poll(async () => ((await reportTimes(pc, seen)).size >= 4 ? seen : undefined), 20_000, 'four Sender Reports', 100))];
    const now = Date.now();
    // The server runs on this machine: its clock is this one.
    for (const t of times) expect(Math.abs(t - now), `report time ${t} against now ${now}`).to.be.below(10_000);
    // werift's are whole seconds and at most 2.33 ms (seven decimal digits read as 32-bit binary
    // fraction): seen 0.08-2.25 ms. Four true times all within 5 ms of a whole second: about 1e-8.
    const offWholeSecond = times.map((t) => Math.abs(t - Math.round(t / 1000) * 1000));
    expect(Math.max(...offWholeSecond), `milliseconds from a whole second: ${offWholeSecond.join(', ')}`).to.be.above(5);
  });
});
