// Opus DTX: the embedded server's answer to a publisher asks for it (`usedtx=1`; the app setting
// `audioDtx`, on by default), so a muted (or silent) microphone sends a packet every 400 ms
// instead of 50 a second, and the server forwards that little to each player. An app with the
// setting off (NoDtxApp) gets the browser's 50 a second of silence. And the audio packet length
// (the app setting `audioPacketMs`, `a=ptime` in the answer): 20 ms, the browser's own, unless an
// app asks for longer (Ptime60App: 60 ms, a third as many packets to forward).
import { expect } from '@open-wc/testing';
import '../../../src/define.js';
import type { RtcPublisher } from '../../../src/elements/rtc-publisher/rtc-publisher.js';
import { inboundStat, outboundStat, poll, uniqueStreamId } from '../../helpers/ams-client.js';
import { player, publisher, sessionOf, unmountAll, ws } from '../../helpers/matrix.js';

const NO_DTX_WS = ws.replace('/LiveApp/', '/NoDtxApp/');
const PTIME_60_WS = ws.replace('/LiveApp/', '/Ptime60App/');

/** Audio packets a second the publisher sends, over 2 s of its own stats. */
async function audioRate(el: RtcPublisher): Promise<number> {
  const pc = sessionOf(el).pc!;
  const a = await outboundStat(pc, 'audio', 'packetsSent');
  const t0 = performance.now();
  // Two seconds of packets (the stats polled meanwhile; no event marks the end of a rate window).
  const b = await poll(async () => (performance.now() - t0 >= 2000 ? outboundStat(pc, 'audio', 'packetsSent') : undefined), 10_000, '2 s of audio stats', 200);
  return ((b - a) * 1000) / (performance.now() - t0);
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

describe('audio packet length asked of publishers (real server, audioPacketMs)', function () {
  (this as unknown as { timeout(ms: number): void }).timeout(40_000);
  afterEach(unmountAll);

  /** A live publisher with its microphone on; the answer's ptime line, if any. */
  async function speaking(serverUrl: string): Promise<{ el: RtcPublisher; streamId: string; ptime: string | undefined }> {
    const streamId = uniqueStreamId('ptime');
    const { el } = publisher(streamId, { serverUrl });
    await el.start();
    return { el, streamId, ptime: /^a=ptime:(\d+)/m.exec(sessionOf(el).pc!.remoteDescription!.sdp)?.[1] };
  }

  it('by default the answer names none: the browser sends its own 20 ms packets, 50 a second', async () => {
    const { el, ptime } = await speaking(ws);
    expect(ptime).to.equal(undefined);
    expect(await audioRate(el), 'audio packets a second').to.be.above(35);
  });

  it('an app asking for 60 ms gets a third as many packets; a player of the stream receives and decodes its audio', async () => {
    const { el, streamId, ptime } = await speaking(PTIME_60_WS);
    expect(ptime).to.equal('60');
    const rate = await audioRate(el);
    expect(rate, 'audio packets a second').to.be.within(10, 25);
    const { el: p } = player(streamId, { serverUrl: PTIME_60_WS, autoplay: true });
    await poll(() => (p.shadowRoot?.querySelector('video')?.getVideoPlaybackQuality().totalVideoFrames ?? 0) > 5, 15_000, 'frames');
    const pc = sessionOf(p).pc!;
    await poll(async () => ((await inboundStat(pc, 'audio', 'packetsReceived')) > 10 ? true : undefined), 10_000, 'audio packets at the player');
    await poll(async () => ((await inboundStat(pc, 'audio', 'totalSamplesReceived')) > 0 ? true : undefined), 10_000, 'audio decoded at the player');
  });
});
