// Opus DTX: the embedded server's answer to a publisher asks for it (`usedtx=1`; the app setting
// `audioDtx`, on by default), so a muted (or silent) microphone sends a packet every 400 ms
// instead of 50 a second, and the server forwards that little to each player. An app with the
// setting off (NoDtxApp) gets the browser's 50 a second of silence.
import { expect } from '@open-wc/testing';
import '../../../src/define.js';
import type { RtcPublisher } from '../../../src/elements/rtc-publisher/rtc-publisher.js';
import { poll, uniqueStreamId } from '../../helpers/ams-client.js';
import { player, publisher, sessionOf, unmountAll, ws } from '../../helpers/matrix.js';

const NO_DTX_WS = ws.replace('/LiveApp/', '/NoDtxApp/');

/** The publisher's audio `outbound-rtp` report. */
async function audioOut(el: RtcPublisher): Promise<{ packetsSent: number; timestamp: number }> {
  const report = await sessionOf(el).pc!.getStats();
  for (const s of report.values()) if (s.type === 'outbound-rtp' && s.kind === 'audio') return s as { packetsSent: number; timestamp: number };
  throw new Error('no audio outbound-rtp');
}

/** Audio packets a second the publisher sends, over 2 s of its own stats. */
async function audioRate(el: RtcPublisher): Promise<number> {
  const a = await audioOut(el);
  const b = await poll(
    async () => {
      const s = await audioOut(el);
      return s.timestamp - a.timestamp >= 2000 ? s : undefined;
    },
    10_000,
    '2 s of audio stats',
    200,
  );
  return ((b.packetsSent - a.packetsSent) * 1000) / (b.timestamp - a.timestamp);
}

/** A live publisher with its microphone muted from the start; the answer's Opus line. */
async function mutedPublisher(serverUrl: string): Promise<{ el: RtcPublisher; streamId: string; opusFmtp: string }> {
  const streamId = uniqueStreamId('dtx');
  const { el } = publisher(streamId, { serverUrl });
  el.setMicrophoneMuted(true);
  await el.start();
  const sdp = sessionOf(el).pc!.remoteDescription!.sdp;
  const pt = /^a=rtpmap:(\d+) opus\//im.exec(sdp)?.[1];
  const opusFmtp = new RegExp(`^a=fmtp:${pt} (.*)$`, 'm').exec(sdp)?.[1]?.trim() ?? '';
  return { el, streamId, opusFmtp };
}

describe('Opus DTX asked of publishers (real server)', function () {
  (this as unknown as { timeout(ms: number): void }).timeout(40_000);
  afterEach(unmountAll);

  it('the answer asks for DTX, and a muted microphone then sends a few packets a second; a player still plays', async () => {
    const { el, streamId, opusFmtp } = await mutedPublisher(ws);
    expect(opusFmtp, 'the answer to the offer').to.match(/(^|;)usedtx=1(;|$)/);
    const rate = await audioRate(el);
    expect(rate, 'audio packets a second, muted').to.be.below(15);
    const { el: p } = player(streamId, { autoplay: true });
    await poll(() => (p.shadowRoot?.querySelector('video')?.getVideoPlaybackQuality().totalVideoFrames ?? 0) > 5, 15_000, 'frames');
  });

  it('without the setting, the answer has no DTX and a muted microphone sends 50 packets a second', async () => {
    const { el, opusFmtp } = await mutedPublisher(NO_DTX_WS);
    expect(opusFmtp).to.not.match(/usedtx=1/);
    expect(await audioRate(el), 'audio packets a second, muted').to.be.above(35);
  });
});
